import ArgumentParser
import GlossCore

struct List: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        _superCommandName: "gloss",
        abstract: "List annotations, with filters.",
        discussion: """
            Examples:
              gloss list --report 4f2a --open
              gloss list --tag supply-chain --author bob --json
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this report (id or prefix).") var report: String?
    @Option(help: "Only annotations with this tag.") var tag: String?
    @Option(help: "Only this author's annotations.") var author: String?
    @Flag(help: "Only open annotations.") var open = false
    @Flag(help: "Only resolved annotations.") var resolved = false
    @Flag(help: "Include deleted annotations.") var deleted = false

    func validate() throws {
        if open && resolved { throw ValidationError("--open and --resolved exclude each other") }
    }

    func execute() throws {
        let replica = try global.openReplica()
        let filter = AnnotationFilter(
            report: try report.map { try replica.resolveReport($0) }, tag: tag, author: author,
            status: open ? .open : resolved ? .resolved : nil, includeDeleted: deleted)
        let list = try replica.annotations(filter)
        if global.json { return try Output.json(list) }
        if list.isEmpty { return Output.line("No annotations match.") }
        AnnotationPrinter.printList(list)
    }
}

struct Conflicts: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        _superCommandName: "gloss",
        abstract: "Show comments edited concurrently, and resolve them.",
        discussion: """
            When one comment was edited in two places that had not seen each other's edit, \
            Gloss keeps both versions; the newest shows until someone resolves it. Resolving \
            is an edit that has seen every version, so it settles the conflict on every \
            replica after the next exchange.

            Examples:
              gloss conflicts
              gloss conflicts 9c1e --keep 2
              gloss conflicts 9c1e --comment "merged text of both versions"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Resolve this annotation's conflict (id or prefix).") var annotation: String?
    @Option(help: "Keep version N as listed (1 is the one shown now).") var keep: Int?
    @Option(help: "Replace all versions by this text.") var comment: String?

    func validate() throws {
        if annotation == nil, keep != nil || comment != nil { throw ValidationError("name the annotation whose conflict to resolve") }
        if keep != nil, comment != nil { throw ValidationError("use either --keep or --comment") }
        if annotation != nil, keep == nil, comment == nil { throw ValidationError("give --keep N or --comment TEXT to resolve") }
    }

    func execute() throws {
        let replica = try global.openReplica()
        guard let annotation else {
            let list = try replica.annotations(AnnotationFilter(onlyConflicts: true))
            if global.json { return try Output.json(list) }
            if list.isEmpty { return Output.line("No conflicts.") }
            for a in list {
                Output.line("\(Output.yellow(a.id.short))  \(Output.bold(a.author)) · \(a.bodyVersions.count) versions of the comment")
                for (n, v) in a.bodyVersions.enumerated() {
                    Output.line("  \(n + 1). \(Output.dim(v.op.replica.hex.prefix(8) + "")) \(Output.clip(v.text, 90))")
                }
            }
            return Output.line(Output.dim("Resolve with: gloss conflicts ID --keep N  or  --comment TEXT"))
        }
        let id = try replica.resolveAnnotation(annotation)
        let current = try replica.annotation(id)
        guard current.hasConflict else {
            throw GlossError(.invalidArgument, "annotation \(id.short) has no conflict", hint: "see `gloss conflicts`")
        }
        var text = comment
        if let keep {
            guard current.bodyVersions.indices.contains(keep - 1) else {
                throw GlossError(.invalidArgument, "--keep \(keep) is not a version (there are \(current.bodyVersions.count))")
            }
            text = current.bodyVersions[keep - 1].text
        }
        let resolved = try replica.edit(id, body: text)
        try AnnotationPrinter.printChanged(resolved, verb: "resolved conflict on", json: global.json)
    }
}

struct Search: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        _superCommandName: "gloss",
        abstract: "Full-text search over reports and annotations.",
        discussion: "Every word matches as a prefix.\n\nExample:\n  gloss search rare earth lithog")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Words to look for.") var words: [String]

    func execute() throws {
        let hits = try global.openReplica().search(words.joined(separator: " "))
        if global.json { return try Output.json(hits) }
        if hits.isEmpty { return Output.line("No matches.") }
        for hit in hits {
            let snippet = Output.clip(hit.snippet, 100)
                .replacingOccurrences(of: "[", with: Output.color ? "\u{1B}[1;33m" : "[")
                .replacingOccurrences(of: "]", with: Output.color ? "\u{1B}[0m" : "]")
            Output.line("\(Output.yellow(String(hit.id.prefix(8))))  \(hit.kind.rawValue == "report" ? "report    " : "annotation")  \(Output.dim(Output.clip(hit.title, 50)))")
            Output.line("          \(snippet)")
        }
    }
}

struct Log: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        _superCommandName: "gloss",
        abstract: "Show the operation history, newest first.",
        discussion: "Examples:\n  gloss log\n  gloss log 9c1e --limit 20")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this annotation's operations.") var annotation: String?
    @Option(help: "How many operations.") var limit = 50

    func execute() throws {
        let replica = try global.openReplica()
        let ops = try replica.log(annotation: try annotation.map { try replica.resolveAnnotation($0) }, limit: limit)
        if global.json { return try Output.json(ops) }
        for op in ops {
            let when = Timestamp.iso(op.hlc.wall)
            Output.line("\(Output.dim(when))  \(Output.pad(op.author, 8)) \(Output.pad(op.change.kind, 8)) \(Output.yellow(op.annotation.short))  \(Output.dim(op.id.description))")
        }
    }
}
