import Foundation
import Testing

/// `gloss` at a real terminal (a tmux pane: a pseudo-terminal and a terminal emulator), as a
/// person meets it on a fresh account: no `PAGER`, `EDITOR` or `LESS` set, so the default pager
/// (`less`) and editor (`vi`) run. Each test types what a person would type, reads the screen,
/// and checks that the command ends.
@Suite(.serialized)
struct TerminalTests {
    /// A replica with the sample report and `notes` notes on it, each with a comment that holds
    /// "supply" (so `search` finds them all), enough that `list`, `log`, `search` and `show` run
    /// past one 24-line screen.
    static func replica(in scratch: Scratch, notes: Int = 30) throws -> (home: URL, report: String, note: String) {
        let home = scratch.path("alice")
        try CLI.gloss(home, "init", "--user", "alice")
        let imported = try CLI.json(try CLI.gloss(home, "import", Team.reportFile, "--json")) as! [String: Any]
        let report = String(((imported["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(8))
        var first = ""
        for index in 0..<notes {
            let made = try CLI.json(try CLI.gloss(home, "annotate", report, "--start", "\(100 + index * 40)", "--end", "\(120 + index * 40)",
                                                  "--comment", "supply note \(index + 1)", "--json")) as! [String: Any]
            if index == 0 { first = String((made["id"] as! String).prefix(8)) }
        }
        return (home, report, first)
    }

    static func gloss(_ home: URL, _ arguments: String...) -> [String] {
        [CLI.binDir.appendingPathComponent("gloss").path, "--home", home.path] + arguments
    }

    @Test("show, list, log and search page through less on a terminal: text appears, q quits, exit 0",
          arguments: [["show"], ["list"], ["log"], ["search", "supply"]])
    func pagedCommandsQuitWithQ(_ command: [String]) throws {
        let scratch = Scratch()
        let (home, report, _) = try Self.replica(in: scratch)
        let arguments = command == ["show"] ? ["show", report] : command
        let terminal = try TerminalSession(Self.gloss(home) + arguments, in: scratch)
        // The pager holds the first screenful and waits: its prompt is the last line.
        let screen = try terminal.waitFor(command == ["show"] ? "rare earth" : "supply note")
        #expect(try terminal.exitStatus(timeout: 0.5) == nil, "the pager should wait for the reader; the screen:\n\(screen)")
        try terminal.press("q")
        #expect(try terminal.exitStatus() == 0, "gloss \(arguments.joined(separator: " ")) did not end after q: \(terminal.shown)")
    }

    @Test("output that fits on one screen is printed and the command ends by itself")
    func shortOutputEndsAtOnce() throws {
        let scratch = Scratch()
        let (home, _, note) = try Self.replica(in: scratch, notes: 1)
        let terminal = try TerminalSession(Self.gloss(home) + ["list"], in: scratch)
        #expect(try terminal.exitStatus() == 0)
        #expect(try terminal.screen().contains(note))
    }

    @Test("the space bar pages on, and Ctrl-C in the pager does not leave a stopped gloss behind")
    func pagerTakesKeysAndCtrlC() throws {
        let scratch = Scratch()
        let (home, _, _) = try Self.replica(in: scratch)
        let terminal = try TerminalSession(Self.gloss(home) + ["list"], in: scratch)
        try terminal.waitFor("supply note")
        try terminal.press("G")   // to the end: the last note comes into view
        try terminal.waitFor("supply note 30", timeout: 5)
        try terminal.waitFor("(END)", timeout: 5)
        try terminal.press("C-c")
        try terminal.press("q")
        let status = try terminal.exitStatus()
        #expect(status == 0 || status == 130, "gloss list ended with \(String(describing: status))")
    }

    @Test("gloss edit with EDITOR=vi: keys typed, :wq, the comment changed, no temporary file left")
    func editInVi() throws {
        let scratch = Scratch()
        let (home, _, note) = try Self.replica(in: scratch, notes: 1)
        let terminal = try TerminalSession(Self.gloss(home) + ["edit", note], environment: ["EDITOR": "vi"], in: scratch)
        try terminal.waitFor("supply note 1")
        try terminal.type("ggdG")
        try terminal.type("iWritten in vi")
        try terminal.press("Escape")
        try terminal.type(":wq")
        try terminal.press("Enter")
        #expect(try terminal.exitStatus() == 0, "the screen: \(terminal.shown)")
        let shown = try CLI.json(try CLI.gloss(home, "show", note, "--json")) as! [String: Any]
        #expect((shown["body"] as? String) == "Written in vi" || String(describing: shown).contains("Written in vi"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: terminal.temporaryFolder.path).isEmpty)
    }

    @Test("gloss reply with EDITOR=vi records the reply written in vi")
    func replyInVi() throws {
        let scratch = Scratch()
        let (home, _, note) = try Self.replica(in: scratch, notes: 1)
        let terminal = try TerminalSession(Self.gloss(home) + ["reply", note], environment: ["EDITOR": "vi"], in: scratch)
        try terminal.waitFor("~")   // vi's empty lines
        try terminal.type("iA reply from vi")
        try terminal.press("Escape")
        try terminal.type(":wq")
        try terminal.press("Enter")
        #expect(try terminal.exitStatus() == 0, "the screen: \(terminal.shown)")
        let listed = try CLI.gloss(home, "list").stdout
        #expect(listed.contains("A reply from vi"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: terminal.temporaryFolder.path).isEmpty)
    }

    @Test("Ctrl-C in vi changes nothing and leaves nothing behind")
    func ctrlCInVi() throws {
        let scratch = Scratch()
        let (home, _, note) = try Self.replica(in: scratch, notes: 1)
        let before = try CLI.gloss(home, "log").stdout
        let terminal = try TerminalSession(Self.gloss(home) + ["edit", note], environment: ["EDITOR": "vi"], in: scratch)
        try terminal.waitFor("supply note 1")
        try terminal.type("ggdGiHalf-written")
        try terminal.waitFor("Half-written")
        try terminal.press("C-c")
        // vi throws away keys typed ahead of an interrupt, so a person sees it leave insert
        // mode (the ruler steps back onto the last letter) before typing on.
        try terminal.waitFor("1,12")
        try terminal.type(":q!")
        try terminal.press("Enter")
        #expect(try terminal.exitStatus() == 0, "the screen: \(terminal.shown)")
        #expect(try terminal.screen(joined: true).contains("unchanged"), "gloss edit should say nothing changed: \(terminal.shown)")
        #expect(try CLI.gloss(home, "log").stdout == before, "an operation was recorded")
        #expect(try CLI.gloss(home, "list").stdout.contains("supply note 1"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: terminal.temporaryFolder.path).isEmpty)
    }

    @Test("an editor that Ctrl-C ends: nothing changed, exit 130, no temporary file")
    func ctrlCEndsTheEditor() throws {
        let scratch = Scratch()
        let (home, _, note) = try Self.replica(in: scratch, notes: 1)
        let before = try CLI.gloss(home, "log").stdout
        // An editor that reads the keyboard until it is interrupted (as `ed` or `cat > file` would).
        let terminal = try TerminalSession(Self.gloss(home) + ["edit", note],
                                           environment: ["EDITOR": "echo editing; cat >>"], in: scratch)
        try terminal.waitFor("editing")
        try terminal.type("half a line")
        try terminal.press("C-c")
        #expect(try terminal.exitStatus() == 130, "the screen: \(terminal.shown)")
        #expect(try terminal.screen(joined: true).contains("nothing was changed"))
        #expect(try CLI.gloss(home, "log").stdout == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: terminal.temporaryFolder.path).isEmpty)
    }

    @Test("gloss sync --watch in the foreground: Ctrl-C ends it at once with a clean line")
    func watchEndsOnCtrlC() throws {
        let scratch = Scratch()
        let team = try Team(in: scratch)
        _ = try team.shareReport()
        let terminal = try TerminalSession(Self.gloss(team.alice) + ["sync", "--watch"], in: scratch)
        try terminal.waitFor("watching")
        let started = Date()
        try terminal.press("C-c")
        #expect(try terminal.exitStatus(timeout: 3) == 0)
        #expect(Date().timeIntervalSince(started) < 3)
        let lines = try terminal.screen().split(separator: "\n").map(String.init)
        #expect(lines.last == "stopped", "the last line should read \"stopped\" alone: \(lines)")
    }

    @Test("colour on a terminal; none with NO_COLOR, none into a pipe")
    func colour() throws {
        let scratch = Scratch()
        let (home, _, _) = try Self.replica(in: scratch, notes: 2)
        let coloured = try TerminalSession(Self.gloss(home) + ["list"], in: scratch)
        #expect(try coloured.exitStatus() == 0)
        #expect(try coloured.screen(colours: true).contains("\u{1B}["), "no colour on a terminal")

        let plain = try TerminalSession(Self.gloss(home) + ["list"], environment: ["NO_COLOR": "1"], in: scratch)
        #expect(try plain.exitStatus() == 0)
        #expect(try plain.screen().contains("supply note"))
        #expect(!(try plain.screen(colours: true).contains("\u{1B}[")), "colour despite NO_COLOR")

        let gloss = Self.gloss(home).map { "'\($0)'" }.joined(separator: " ")
        let piped = try TerminalSession(["/bin/sh", "-c", "\(gloss) list | cat"], in: scratch)
        #expect(try piped.exitStatus() == 0)
        #expect(try piped.screen().contains("supply note"))
        #expect(!(try piped.screen(colours: true).contains("\u{1B}[")), "colour into a pipe")
    }

    @Test("the layout follows the terminal's width", arguments: [60, 200])
    func width(_ columns: Int) throws {
        let scratch = Scratch()
        let (home, report, _) = try Self.replica(in: scratch, notes: 3)
        for command in [["show", report], ["list"], ["reports"]] {
            let terminal = try TerminalSession(Self.gloss(home) + ["--no-pager"] + command, columns: columns, rows: 200, in: scratch)
            #expect(try terminal.exitStatus() == 0)
            // Lines the terminal had to wrap are joined back: none may be wider than the terminal.
            let lines = try terminal.screen(joined: true).split(separator: "\n")
            let widest = lines.map { $0.count }.max() ?? 0
            #expect(widest <= columns, "gloss \(command[0]) wrote a \(widest)-column line on a \(columns)-column terminal")
            if columns == 200, command[0] == "show" {
                #expect(widest > 80, "gloss show does not use a wide terminal (widest line \(widest))")
            }
        }
    }

    @Test("gloss import - on a terminal says how to end the input, and Ctrl-D ends it")
    func importFromTheKeyboard() throws {
        let scratch = Scratch()
        let home = scratch.path("alice")
        try CLI.gloss(home, "init", "--user", "alice")
        let terminal = try TerminalSession(Self.gloss(home) + ["import", "-", "--name", "typed.txt"], in: scratch)
        try terminal.waitFor("Ctrl-D")
        try terminal.type("Typed at the terminal\n")
        try terminal.press("Enter")
        try terminal.type("Its first line of body.\nIts second line.\n")
        try terminal.press("C-d")
        #expect(try terminal.exitStatus() == 0, "the screen: \(terminal.shown)")
        #expect(try CLI.gloss(home, "reports").stdout.contains("Typed at the terminal"))
    }

    @Test("--comment - on a terminal says how to end the comment, and Ctrl-D ends it")
    func commentFromTheKeyboard() throws {
        let scratch = Scratch()
        let (home, report, _) = try Self.replica(in: scratch, notes: 0)
        let terminal = try TerminalSession(Self.gloss(home) + ["annotate", report, "--start", "10", "--end", "20", "--comment", "-"], in: scratch)
        try terminal.waitFor("Ctrl-D")
        try terminal.type("A comment typed in\n")
        try terminal.press("C-d")
        #expect(try terminal.exitStatus() == 0, "the screen: \(terminal.shown)")
        #expect(try CLI.gloss(home, "list").stdout.contains("A comment typed in"))
    }
}
