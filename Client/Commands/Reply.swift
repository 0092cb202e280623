import ArgumentParser
import GlossCore
import GlossReplica

struct Reply: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: "Reply to an annotation.",
        discussion: """
            Without --comment, the reply is written in your editor ($VISUAL, then $EDITOR, then \
            vi on a terminal); saving it empty sends nothing. --comment - reads standard input.

            Examples:
              gloss reply 9c1e --comment "Agree; see the March figures."
              gloss reply 9c1e
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation to reply to (id or prefix).") var annotation: String
    @Option(help: "The reply, in Markdown (`-` reads standard input).") var comment: String?

    func execute() throws {
        let replica = try global.openReplica()
        let parent = try replica.resolveAnnotation(annotation)
        var body = try StandardStreams.comment(comment)
        if body == nil {
            guard let editor = Editor.command() else {
                throw CLIFailure.usage("no reply given", hint: "give --comment TEXT (or - for standard input), or set EDITOR to write it in your editor")
            }
            body = try Editor.edit("", with: editor, fileName: "gloss-reply-\(parent.short).md")
        }
        let reply = try Actions(replica).reply(to: parent, comment: body ?? "")
        try AnnotationPrinter.printChanged(reply, verb: "replied", json: global.json)
    }
}
