import ArgumentParser
import GlossCore
import GlossReplica

struct Tag: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
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
    @Argument(help: "Tags to add (a leading # is dropped).", transform: TagName.normalized) var tags: [String] = []
    @Option(name: .shortAndLong, help: "A tag to remove (repeatable).", transform: TagName.normalized) var remove: [String] = []

    func validate() throws {
        if tags.isEmpty, remove.isEmpty { throw ValidationError("give tags to add, or --remove TAG") }
    }

    func execute() throws {
        let replica = try global.openReplica()
        let tagged = try Actions(replica).tag(try replica.resolveAnnotation(annotation), add: tags, remove: remove)
        try AnnotationPrinter.printChanged(tagged, verb: "tagged", json: global.json)
    }
}
