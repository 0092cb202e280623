import ArgumentParser
import GlossCore
import GlossReplica

struct Search: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search over reports and annotations.",
        discussion: """
            Every word matches as a prefix. Reports come first, then notes, each by relevance; \
            at most --limit hits, and a last line says when more were left out.

            Examples:
              gloss search rare earth lithog
              gloss search retaliation --limit 200
            """)

    static let pagesOutput = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Words to look for.") var words: [String]
    @Option(help: "At most this many hits.") var limit = 50

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func execute() throws {
        let (hits, more) = try global.openReplica().searchPage(words.joined(separator: " "), limit: limit)
        defer { if more { Output.cut(shown: limit, of: "hits", json: global.json) } }
        if global.json { return try Output.json(hits) }
        if hits.isEmpty { return Output.line("No matches.") }
        for hit in hits {
            let snippet = Output.clip(hit.snippet, 100)
                .replacingOccurrences(of: "[", with: Output.color ? "\u{1B}[1;33m" : "[")
                .replacingOccurrences(of: "]", with: Output.color ? "\u{1B}[0m" : "]")
            Output.row("\(Output.yellow(String(hit.id.prefix(8))))  \(hit.kind.rawValue == "report" ? "report    " : "annotation")  \(Output.dim(Output.middle(hit.title, 50)))")
            Output.row("          \(snippet)")
        }
    }
}
