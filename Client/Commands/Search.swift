import ArgumentParser
import GlossCore
import GlossReplica

struct Search: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search over reports and annotations.",
        discussion: "Every word matches as a prefix.\n\nExample:\n  gloss search rare earth lithog")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Words to look for.") var words: [String]

    func execute() throws {
        let hits = try global.openReplica().search(words.joined(separator: " "))
        if global.json { return try Output.json(hits) }
        if hits.isEmpty { return Output.line("No matches.") }
        for hit in hits {
            let snippet = Output.clip(hit.snippet, 100)
                .replacingOccurrences(of: "[", with: Output.color ? "\u{1B}[1;33m" : "[")
                .replacingOccurrences(of: "]", with: Output.color ? "\u{1B}[0m" : "]")
            Output.line("\(Output.yellow(String(hit.id.prefix(8))))  \(hit.kind.rawValue == "report" ? "report    " : "annotation")  \(Output.dim(Output.middle(hit.title, 50)))")
            Output.line("          \(snippet)")
        }
    }
}
