import ArgumentParser
import GlossCore
import GlossReplica

struct Delete: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete your annotation (replies to it stay readable).",
        discussion: """
            A note the team server refused (`gloss list --refused`) exists only on this replica: \
            deleting it drops it here, for good, and nothing is sent. Deleting a note drops the \
            changes to it that the server refused, too.

            Example:
              gloss delete 9c1e
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation (id or prefix).") var annotation: String

    func execute() throws {
        let replica = try global.openReplica()
        let id = try replica.resolveAnnotation(annotation, orRefused: true)
        switch try Actions(replica).delete(id) {
        case let .deleted(note):
            try AnnotationPrinter.printChanged(note, verb: "deleted", json: global.json)
        case let .droppedRefused(refused):
            if let note = refused.annotation { return try AnnotationPrinter.printChanged(note, verb: "dropped refused note", json: global.json) }
            if global.json { return try Output.json(refused) }
            Output.line("dropped the refused changes to \(Output.yellow(id.short))")
        }
    }
}
