import ArgumentParser
import GlossCore
import GlossReplica

struct Reply: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
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
