import ArgumentParser
import GlossCore
import GlossReplica

struct Delete: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
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
