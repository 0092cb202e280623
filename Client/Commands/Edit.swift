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

            Given nothing to change, it opens the comment in your editor ($VISUAL, then $EDITOR, \
            then vi on a terminal), as `git commit` does; saving it unchanged or empty changes \
            nothing. --comment - reads the comment from standard input.

            Examples:
              gloss edit 9c1e --comment "Revised: volumes fell 12%"
              gloss edit 9c1e
              pbpaste | gloss edit 9c1e --comment -
              gloss edit 9c1e --confidence moderate --likelihood unlikely
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation (id or prefix).") var annotation: String
    @Option(help: "The new comment, in Markdown (`-` reads standard input).") var comment: String?
    @OptionGroup var judgmentOptions: JudgmentOptions
    @OptionGroup var span: TargetOptions

    func execute() throws {
        let replica = try global.openReplica()
        let actions = Actions(replica)
        let id = try replica.resolveAnnotation(annotation)
        let comment = try StandardStreams.comment(self.comment)
        let span = self.span.span
        if comment == nil, judgmentOptions.judgment == nil, span == nil, let editor = Editor.command() {
            let written = try Editor.edit(try actions.requireEditable(id).body, with: editor, fileName: "gloss-\(id.short).md")
            let outcome = try actions.edit(id, written: written)
            return try AnnotationPrinter.printChanged(outcome.annotation, verb: outcome.unchanged == nil ? "edited" : "unchanged", json: global.json)
        }
        let edited = try actions.edit(id, comment: comment, judgment: judgmentOptions.judgment, span: span)
        try AnnotationPrinter.printChanged(edited, verb: "edited", json: global.json)
    }
}
