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
        let id = try replica.resolveAnnotation(annotation)
        let current = try replica.annotation(id)
        let target = span.isEmpty ? nil : try span.target(in: try replica.reportText(current.report))
        var comment = try StandardStreams.comment(self.comment)
        if comment == nil, judgmentOptions.judgment == nil, target == nil {
            guard let editor = Editor.command() else {
                throw CLIFailure.usage("nothing to change",
                                 hint: "give --comment, --confidence/--likelihood or --quote, or set EDITOR to write the comment in your editor")
            }
            let written = try Editor.edit(current.body, with: editor, fileName: "gloss-\(id.short).md")
            guard !written.allSatisfy(\.isWhitespace) else {
                throw CLIFailure(.invalidArgument, "the comment was saved empty; nothing was changed",
                                 hint: "to clear it, run `gloss edit \(id.short) --comment ''`")
            }
            guard written != current.body else {
                return try AnnotationPrinter.printChanged(current, verb: "unchanged", json: global.json)
            }
            comment = written
        }
        let edited = try replica.edit(id, body: comment, judgment: judgmentOptions.judgment, target: target)
        try AnnotationPrinter.printChanged(edited, verb: "edited", json: global.json)
    }
}
