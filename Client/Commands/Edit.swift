import ArgumentParser
import GlossCore
import GlossReplica

struct Edit: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
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
            throw CLIFailure(.invalidArgument, "nothing to change", hint: "give --comment, --confidence/--likelihood or --quote")
        }
        let edited = try replica.edit(id, body: comment, judgment: judgmentOptions.judgment, target: target)
        try AnnotationPrinter.printChanged(edited, verb: "edited", json: global.json)
    }
}
