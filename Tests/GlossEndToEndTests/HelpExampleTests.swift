import Foundation
import Testing

/// Every command's `--help` example parses, and the exit-code table in `gloss --help` is the README's.
@Suite struct HelpExampleTests {
    let scratch = Scratch()

    /// Every command path under `gloss`, from the help's SUBCOMMANDS sections.
    func commands(_ path: [String] = []) throws -> [[String]] {
        let help = try CLI.run("gloss", path + ["--help"]).stdout
        guard let section = help.range(of: "SUBCOMMANDS:") else { return [path] }
        var found = [path]
        for line in help[section.upperBound...].split(separator: "\n") {
            // "  name   abstract": two spaces, then the name (a wrapped abstract is indented deeper;
            // the closing "  See 'gloss help <subcommand>'…" names no command).
            guard line.hasPrefix("  "), !line.hasPrefix("   "), path.count < 3,
                  let name = line.split(separator: " ").first.map(String.init),
                  name.first?.isLowercase == true, name != "help" else { continue }
            found += try commands(path + [name])
        }
        return found
    }

    /// The lines of a help text that run `gloss`, without comments, pipes or redirections.
    static func examples(in help: String) -> [String] {
        var lines = help.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // A line ending in a backslash goes on on the next.
        var index = 0
        while index < lines.count {
            if lines[index].hasSuffix("\\"), index + 1 < lines.count {
                lines[index] = String(lines[index].dropLast()) + " " + lines.remove(at: index + 1)
            } else {
                index += 1
            }
        }
        return lines.compactMap { trimmed in
            guard trimmed.hasPrefix("gloss ") else { return nil }
            var command = trimmed
            for cut in ["  #", " | ", " > ", " >> ", " 2>"] {
                if let range = command.range(of: cut) { command = String(command[..<range.lowerBound]) }
            }
            return command.trimmingCharacters(in: .whitespaces)
        }
    }

    @Test func everyExampleInEveryHelpParses() throws {
        let home = scratch.path("home")
        try CLI.gloss(home, "init", "--user", "alice")
        let bin = CLI.binDir.path
        let work = scratch.path("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var checked = 0
        for path in try commands() {
            let help = try CLI.run("gloss", path + ["--help"])
            #expect(help.status == 0, "gloss \(path.joined(separator: " ")) --help")
            // A watch and the reader page serve until Ctrl-C: WatchTests and ReaderSecurityTests run them.
            for example in Self.examples(in: help.stdout) where !example.contains("--watch") && !example.hasPrefix("gloss open") {
                // Run for real in a scratch replica: it may fail (no such report, no server),
                // but never as a command-line mistake (64).
                // In a scratch folder: examples write files (`-o brief.md`).
                let result = try CLI.run("/bin/sh", ["-c", "cd '\(work.path)' && " + example + " < /dev/null"], environment: [
                    "PATH": "\(bin):/usr/bin:/bin", "GLOSS_HOME": home.path, "GLOSS_TOKEN": "", "EDITOR": "true", "VISUAL": "true",
                ], timeout: 30)
                #expect(result.status != 64, "`\(example)` (in gloss \(path.joined(separator: " ")) --help) does not parse: \(result.stderr)")
                checked += 1
            }
        }
        #expect(checked > 40, "examples found: \(checked)")
    }

    @Test func theExitCodeTableInHelpIsTheReadmes() throws {
        // Compared word by word: the help wraps its lines at the terminal's width.
        func words(_ text: Substring) -> [Substring] { text.split(whereSeparator: { $0 == " " || $0 == "\n" }) }
        let help = try CLI.run("gloss", ["--help"]).stdout
        let start = try #require(help.range(of: "Exit status:"))
        let end = try #require(help.range(of: "USAGE:", range: start.upperBound..<help.endIndex))
        var readmeURL = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { readmeURL.deleteLastPathComponent() }
        let readme = try String(contentsOf: readmeURL.appendingPathComponent("README.md"), encoding: .utf8)
        let readmeStart = try #require(readme.range(of: "Exit status:"))
        let readmeEnd = try #require(readme.range(of: "```", range: readmeStart.upperBound..<readme.endIndex))
        let table = words(help[start.lowerBound..<end.lowerBound])
        #expect(table == words(readme[readmeStart.lowerBound..<readmeEnd.lowerBound]))
        #expect(table.contains("64") && table.contains("5") && table.contains("3"))
    }

    @Test func anAmbiguousIdExitsLikeOneNotFound() throws {
        let home = scratch.path("ambiguous")
        try CLI.gloss(home, "init", "--user", "alice")
        for file in ["rare-earths-export-controls.txt", "geneva-talks.txt", "lithography-servicing.txt"] {
            try CLI.gloss(home, "import", CLI.examples.appendingPathComponent(file).path)
        }
        let missing = try CLI.glossAllowingFailure(home, "show", "ffffffff")
        #expect(missing.status == 3)
        // Three reports: some one-hex-digit prefix is shared by two of them, or none is ambiguous.
        let ids = (try CLI.json(try CLI.gloss(home, "reports", "--json")) as! [[String: Any]]).compactMap { $0["id"] as? String }
        let shared = Dictionary(grouping: ids, by: { $0.prefix(1) }).first { $0.value.count > 1 }?.key
        if let shared {
            #expect(try CLI.glossAllowingFailure(home, "show", String(shared)).status == 3)
        }
        let quote = try CLI.glossAllowingFailure(home, "annotate", String(ids[0].prefix(8)), "--quote", "the", "--comment", "x")
        #expect(quote.status == 3 && quote.stderr.contains("--occurrence"))
    }
}
