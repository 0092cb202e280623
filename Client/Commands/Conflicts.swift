import ArgumentParser
import GlossCore
import GlossReplica

struct Conflicts: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
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

    static let pagesOutput = true
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
        let actions = Actions(try global.openReplica())
        guard let annotation else {
            let list = try actions.conflicts()
            if global.json { return try Output.json(list) }
            if list.isEmpty { return Output.line("No conflicts.") }
            for a in list {
                Output.row("\(Output.yellow(a.id.short))  \(Output.bold(Output.safe(a.author.rawValue))) · \(a.bodyVersions.count) versions of the comment")
                for (n, v) in a.bodyVersions.enumerated() {
                    Output.row("  \(n + 1). \(Output.dim(v.op.replica.hex.prefix(8) + "")) \(Output.clip(v.text, 90))")
                }
            }
            return Output.line(Output.dim("Resolve with: gloss conflicts ID --keep N  or  --comment TEXT"))
        }
        let id = try actions.replica.resolveAnnotation(annotation)
        let settlement: Actions.Settlement = if let keep { .keep(version: keep) } else { .replace(with: comment ?? "") }
        let resolved = try actions.settleConflict(id, settlement)
        try AnnotationPrinter.printChanged(resolved, verb: "resolved conflict on", json: global.json)
    }
}
