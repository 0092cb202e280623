import ArgumentParser
import GlossCore

struct Reply: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        _superCommandName: "gloss",
        abstract: "Reply to an annotation.",
        discussion: "Example:\n  gloss reply 9c1e --comment \"Agree; see the March figures.\"")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation to reply to (id or prefix).") var annotation: String
    @Option(help: "The reply, in Markdown.") var comment: String

    func execute() throws {
        let replica = try global.openReplica()
        let reply = try replica.reply(to: try replica.resolveAnnotation(annotation), body: comment)
        try AnnotationPrinter.printChanged(reply, verb: "replied", json: global.json)
    }
}

struct Edit: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        _superCommandName: "gloss",
        abstract: "Change your annotation's comment, judgment or quoted text.",
        discussion: """
            Only the author can edit. If you edited the same comment on two machines offline, \
            both versions are kept and `gloss conflicts` shows them; an edit made after seeing \
            both resolves the conflict.

            Examples:
              gloss edit 9c1e --comment "Revised: volumes fell 12%"
              gloss edit 9c1e --confidence moderate --likelihood unlikely
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation (id or prefix).") var annotation: String
    @Option(help: "The new comment, in Markdown.") var comment: String?
    @OptionGroup var judgmentOptions: JudgmentOptions
    @OptionGroup var span: TargetOptions

    func execute() throws {
        let replica = try global.openReplica()
        let id = try replica.resolveAnnotation(annotation)
        let current = try replica.annotation(id)
        let target = span.isEmpty ? nil : try span.target(in: try replica.reportText(current.report))
        guard comment != nil || judgmentOptions.judgment != nil || target != nil else {
            throw GlossError(.invalidArgument, "nothing to change", hint: "give --comment, --confidence/--likelihood or --quote")
        }
        let edited = try replica.edit(id, body: comment, judgment: judgmentOptions.judgment, target: target)
        try AnnotationPrinter.printChanged(edited, verb: "edited", json: global.json)
    }
}

struct Tag: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        _superCommandName: "gloss",
        abstract: "Add or remove tags.",
        discussion: """
            A tag someone adds while you remove it offline stays (add wins): a removal only \
            removes the additions you had seen.

            Examples:
              gloss tag 9c1e supply-chain rare-earths
              gloss tag 9c1e --remove rare-earths
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation (id or prefix).") var annotation: String
    @Argument(help: "Tags to add.") var tags: [String] = []
    @Option(name: .shortAndLong, help: "A tag to remove (repeatable).") var remove: [String] = []

    func validate() throws {
        if tags.isEmpty, remove.isEmpty { throw ValidationError("give tags to add, or --remove TAG") }
    }

    func execute() throws {
        let replica = try global.openReplica()
        let tagged = try replica.tag(try replica.resolveAnnotation(annotation), add: tags, remove: remove)
        try AnnotationPrinter.printChanged(tagged, verb: "tagged", json: global.json)
    }
}

struct Resolve: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        _superCommandName: "gloss",
        abstract: "Mark an annotation resolved (or open it again).",
        discussion: "Examples:\n  gloss resolve 9c1e\n  gloss resolve 9c1e --reopen")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation (id or prefix).") var annotation: String
    @Flag(help: "Open it again.") var reopen = false

    func execute() throws {
        let replica = try global.openReplica()
        let changed = try replica.setStatus(try replica.resolveAnnotation(annotation), reopen ? .open : .resolved)
        try AnnotationPrinter.printChanged(changed, verb: reopen ? "reopened" : "resolved", json: global.json)
    }
}

struct Delete: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        _superCommandName: "gloss",
        abstract: "Delete your annotation (replies to it stay readable).",
        discussion: "Example:\n  gloss delete 9c1e")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation (id or prefix).") var annotation: String

    func execute() throws {
        let replica = try global.openReplica()
        let deleted = try replica.delete(try replica.resolveAnnotation(annotation))
        try AnnotationPrinter.printChanged(deleted, verb: "deleted", json: global.json)
    }
}
