import Foundation
import Testing

/// A hostile teammate writes escape and bidi codes into everything alice reads (issue 24, item
/// 4): none reaches her terminal as a command; each shows as text, as git and less show it.
@Suite(.serialized) struct TerminalInjectionTests {
    static let clipboard = "\u{1B}]52;c;Y3VybA==\u{07}"      // OSC 52: "curl" into her clipboard
    static let windowTitle = "\u{1B}]0;pwned\u{07}"
    static let clearScreen = "\u{1B}[2J"
    static let c1 = "\u{9B}31m\u{9D}0;c1\u{9C}"                // CSI and OSC as C1 controls
    /// Drawn right to left, it reads "carol · I confirm".
    static let forged = "\u{202E}mrifnoc I · lorac\u{202C}"
    static let hostile = clipboard + windowTitle + clearScreen + c1 + " " + forged + "\n" + forged + " \u{2067}x"

    /// What a terminal must not be given: ESC, BEL, any other C0 but a line break, C1, and
    /// bidi controls except balanced FSI … PDI pairs within a line.
    static func inert(_ text: String) -> [String] {
        var problems: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var open = 0
            for scalar in line.unicodeScalars {
                switch scalar.value {
                case 0x2068: open += 1
                case 0x2069:
                    open -= 1
                    if open < 0 { problems.append("PDI without FSI: \(line.debugDescription)") }
                case 0x00..<0x20 where scalar != "\t", 0x7F...0x9F, 0x202A...0x202E, 0x2066, 0x2067:
                    problems.append("U+\(String(scalar.value, radix: 16)) in \(line.debugDescription)")
                default: break
                }
            }
            if open > 0 { problems.append("FSI left open: \(line.debugDescription)") }
        }
        return problems
    }

    @Test func escapeAndBidiCodesInATeammatesNotesTagsAndTitlesReachAliceAsText() throws {
        let scratch = Scratch()
        let team = try Team(in: scratch)
        let report = try team.shareReport()
        try CLI.gloss(team.bob, "sync")
        let notes = try CLI.json(try CLI.gloss(team.bob, "list", "--json")) as! [[String: Any]]
        let aliceNote = String((notes.first { $0["author"] as? String == "alice" }!["id"] as! String).prefix(8))

        // bob: a judged note with hostile tags, a note whose passage a revision drops, a reply to alice.
        let judged = try CLI.json(try CLI.gloss(team.bob, "annotate", report, "--quote", "strategic supply chain and technology chokepoint",
                                                "--comment", Self.hostile, "--tag", Self.windowTitle + "tag", "--tag", "\u{202E}gat",
                                                "--confidence", "high", "--likelihood", "almost-certain", "--json")) as! [String: Any]
        let bobNote = String((judged["id"] as! String).prefix(8))
        try CLI.gloss(team.bob, "annotate", report, "--quote", "Most Dangerous", "--comment", "orphan " + Self.hostile)
        try CLI.gloss(team.bob, "reply", aliceNote, "--comment", Self.hostile)
        try CLI.gloss(team.bob, "sync")
        // bob edits his note on two machines at once: a conflict alice sees.
        let bob2 = scratch.path("bob2")
        try CLI.gloss(bob2, "init", "--user", "bob")
        try CLI.gloss(bob2, "remote", "add", team.server.url, "--workspace", "intel", "--token", team.tokens["bob"]!)
        try CLI.gloss(bob2, "sync")
        try CLI.gloss(team.bob, "edit", bobNote, "--comment", Self.hostile + " one")
        try CLI.gloss(bob2, "edit", bobNote, "--comment", Self.hostile + " two")
        try CLI.gloss(team.bob, "sync")
        try CLI.gloss(bob2, "sync")
        // A revision of the report, its title hostile, that drops "Most Dangerous".
        let original = try String(contentsOfFile: Team.reportFile, encoding: .utf8)
        let revision = scratch.path("revision.txt")
        try (Self.windowTitle + Self.forged + " " + original.replacingOccurrences(of: "Most Dangerous", with: "Most Hazardous"))
            .write(to: revision, atomically: true, encoding: .utf8)
        try CLI.gloss(team.bob, "import", revision.path, "--revises", report)
        try CLI.gloss(team.bob, "sync")

        let sync = try CLI.gloss(team.alice, "sync")
        #expect(sync.stdout.contains("^[]52;c;Y3VybA==^G"), "the digest shows the codes as text: \(sync.stdout)")
        let commands: [[String]] = [
            ["list"], ["log"], ["show", report], ["show", bobNote], ["show", aliceNote], ["search", "pwned"], ["digest"],
            ["judgments"], ["review"], ["conflicts"], ["reports"],
        ]
        var outputs = ["sync": sync.stdout + sync.stderr]
        for command in commands {
            let result = try CLI.run("gloss", ["--home", team.alice.path] + command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            outputs[command.joined(separator: " ")] = result.stdout + result.stderr
        }
        for (command, output) in outputs {
            #expect(Self.inert(output).isEmpty, "gloss \(command): \(Self.inert(output).prefix(3))")
            #expect(!output.contains("pwned\u{07}") && !output.contains("\u{1B}"), "gloss \(command)")
        }
        // What bob wrote is there for alice to read, as text.
        let note = outputs["show \(bobNote)"]!
        #expect(note.contains("^[]52;c;Y3VybA==^G^[]0;pwned^G^[[2J<U+009B>31m<U+009D>0;c1<U+009C>"), "\(note)")
        #expect(note.contains("<U+202E>mrifnoc I · lorac<U+202C>") && note.contains("#^[]0;pwned^Gtag") && note.contains("#<U+202E>gat"), "\(note)")
        #expect(outputs["reports"]!.contains("^[]0;pwned^G<U+202E>"), "\(outputs["reports"]!)")
        #expect(outputs["conflicts"]!.contains("2 versions"), "\(outputs["conflicts"]!)")
        #expect(outputs["judgments"]!.contains("almost certain"), "\(outputs["judgments"]!)")
        #expect(outputs["list"]!.contains("#<U+202E>gat"), "\(outputs["list"]!)")

        // --json stays exact: the codes as bob wrote them.
        let json = try CLI.json(try CLI.gloss(team.alice, "show", bobNote, "--json")) as! [String: Any]
        let body = (json["annotation"] as! [String: Any])["body"] as! String
        #expect(body.hasPrefix(Self.hostile), "\(body.debugDescription)")
    }
}
