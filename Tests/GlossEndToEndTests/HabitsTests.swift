import Foundation
import Testing

/// The command-line habits a seasoned user brings (issue "Everyday habits"), on the real `gloss`.
@Suite struct HabitsTests {
    let scratch = Scratch()

    @Test func versionCompletionAndHomeFromTheEnvironment() throws {
        let version = try CLI.run("gloss", ["--version"])
        #expect(version.status == 0 && version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        for shell in ["bash", "zsh", "fish"] {
            let script = try CLI.run("gloss", ["completion", shell])
            #expect(script.status == 0 && script.stdout.contains("gloss") && script.stdout.count > 500, "\(shell)")
        }
        // $HOME is honoured when neither --home nor $GLOSS_HOME is given
        let home = scratch.path("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let env = ["HOME": home.path, "GLOSS_HOME": ""]
        #expect(try CLI.run("gloss", ["init", "--user", "zoe"], environment: env).status == 0)
        #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent(".gloss/replica.sqlite").path))
        let who = try #require(try CLI.json(try CLI.run("gloss", ["whoami", "--json"], environment: env)) as? [String: Any])
        #expect(who["user"] as? String == "zoe" && who["server"] == nil)
        #expect(try CLI.run("gloss", ["whoami"], environment: env).stdout.contains("no team server"))
    }

    @Test func tagsDropTheirHashRowsNameTheReportAndSearchSaysWhenItCut() throws {
        let home = scratch.path("alice")
        try CLI.gloss(home, "init", "--user", "alice")
        try CLI.gloss(home, "import", CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path)
        let reports = try #require(try CLI.json(try CLI.gloss(home, "reports", "--json")) as? [[String: Any]])
        let report = String(try #require(reports.first?["id"] as? String).prefix(8))
        for n in 1...5 {
            try CLI.gloss(home, "annotate", report, "--comment", "retaliation note \(n)", "--tag", "#china")
        }
        let listed = try #require(try CLI.json(try CLI.gloss(home, "list", "--tag", "#china", "--json")) as? [[String: Any]])
        #expect(listed.count == 5 && listed.allSatisfy { $0["tags"] as? [String] == ["china"] }, "stored as china, found as #china")
        let rows = try CLI.gloss(home, "list").stdout.split(separator: "\n")
        #expect(rows.count == 5 && rows.allSatisfy { $0.contains(report) && $0.contains("China announce…") })

        let cut = try CLI.gloss(home, "search", "retaliation", "--limit", "3").stdout
        #expect(cut.contains("more than 3 hits"))
        let all = try CLI.gloss(home, "search", "retaliation", "--limit", "100").stdout
        #expect(!all.contains("more than"))
        #expect(try CLI.glossAllowingFailure(home, "search", "x", "--limit", "0").status != 0)
    }

    /// A replica with the Geneva report (CJK, Cyrillic, Arabic) and the rare-earths one; returns their ids.
    func replica(_ name: String) throws -> (home: URL, rareEarths: String, geneva: String) {
        let home = scratch.path(name)
        try CLI.gloss(home, "init", "--user", name)
        try CLI.gloss(home, "import", CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path,
                      CLI.examples.appendingPathComponent("geneva-talks.txt").path)
        let reports = try #require(try CLI.json(try CLI.gloss(home, "reports", "--json")) as? [[String: Any]])
        func id(_ title: String) throws -> String {
            String(try #require(reports.first { ($0["title"] as? String)?.hasPrefix(title) == true }?["id"] as? String).prefix(8))
        }
        return (home, try id("China announces"), try id("Geneva"))
    }

    /// `gloss` run through `/bin/sh` in `folder`, so that pipes, redirections and the working folder are real.
    func shell(_ command: String, in folder: URL, environment: [String: String] = [:]) throws -> CLI.Result {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try CLI.run("/bin/sh", ["-c", "cd '\(folder.path)' && \(command)"],
                           environment: ["PATH": "\(CLI.binDir.path):/usr/bin:/bin"].merging(environment) { $1 })
    }

    @Test func aDashIsStandardInputOrOutputWhereverAFileIsNamed() throws {
        let (home, report, _) = try replica("alice")
        let work = scratch.path("work")
        let g = "gloss --home '\(home.path)'"
        // --comment - reads standard input (without the final line break)
        let noted = try CLI.run("gloss", ["--home", home.path, "annotate", report, "--quote", "Most Dangerous", "--comment", "-", "--json"],
                                input: "From a pipe,\nover two lines.\n")
        let note = try #require(try CLI.json(noted) as? [String: Any])
        #expect(noted.status == 0 && note["body"] as? String == "From a pipe,\nover two lines.")
        let id = try #require(note["id"] as? String)
        let emptyPipe = try CLI.run("gloss", ["--home", home.path, "edit", id, "--comment", "-"], input: "")
        #expect(emptyPipe.status == 1 && emptyPipe.stderr.contains("held no comment"), "an empty pipe does not erase the comment")
        // export -o - is standard output, byte for byte what no -o gives, and no file named "-"
        let toDash = try shell("\(g) export --format json -o -", in: work)
        let plain = try shell("\(g) export --format json", in: work)
        #expect(toDash.status == 0 && !toDash.stdout.isEmpty && toDash.data == plain.data)
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("-").path))
        // ops export -o - | ops apply - moves everything; the summary goes to stderr, out of the pipe
        let bob = scratch.path("bob")
        try CLI.gloss(bob, "init", "--user", "bob")
        let piped = try shell("\(g) ops export -o - | gloss --home '\(bob.path)' ops apply -", in: work)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stderr.contains("to standard output") && piped.stdout.contains("standard input: 1 new operation(s)"), "\(piped.stdout)")
        #expect(try CLI.gloss(bob, "list").stdout.contains("From a pipe"))
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("-").path))
        // import - reads a report; --name gives its format (Markdown here) and fallback title
        let markdown = "Intro paragraph without a heading.\n\n## Findings\n\nPort *volumes* fell.\n"
        let imported = try CLI.run("gloss", ["--home", bob.path, "import", "-", "--name", "port-brief.md", "--json"], input: markdown)
        let out = try #require(try CLI.json(imported) as? [String: Any])
        let first = try #require((out["imported"] as? [[String: Any]])?.first)
        #expect(imported.status == 0 && first["title"] as? String == "port-brief", "\(imported.stderr)")
        // Bad input on standard input is refused like a bad file, named as standard input
        let refused = try CLI.run("gloss", ["--home", bob.path, "ops", "apply", "-"], input: "not a bundle")
        #expect(refused.status != 0 && refused.stderr.contains("standard input"))
        #expect(try CLI.run("gloss", ["--home", bob.path, "import", "-", "-"], input: "x").status == 64, "`-` read twice")
    }

    @Test func editWithNothingToChangeOpensTheEditorOnTheComment() throws {
        let (home, report, _) = try replica("alice")
        let note = try #require(try CLI.json(try CLI.gloss(home, "annotate", report, "--quote", "Most Likely", "--comment", "Base case", "--json"))
            as? [String: Any])["id"] as? String
        let id = try #require(note)
        // The editor sees the current comment and its change is saved; EDITOR goes through the shell (arguments work)
        let edited = try CLI.run("gloss", ["--home", home.path, "edit", id, "--json"], environment: ["VISUAL": "", "EDITOR": "sed -i s/Base/Worst/"])
        let editedBody = try (CLI.json(edited) as? [String: Any])?["body"] as? String
        #expect(edited.status == 0 && editedBody == "Worst case", "\(edited.stderr)")
        // $VISUAL comes before $EDITOR
        let visual = try CLI.run("gloss", ["--home", home.path, "edit", id], environment: ["VISUAL": "sed -i s/Worst/Best/", "EDITOR": "false"])
        #expect(visual.status == 0 && visual.stdout.contains("Best case"))
        // Saved unchanged: nothing happens; saved empty: refused, nothing changed; the editor failing: the same
        #expect(try CLI.run("gloss", ["--home", home.path, "edit", id], environment: ["EDITOR": "true"]).stdout.contains("unchanged"))
        let emptied = try CLI.run("gloss", ["--home", home.path, "edit", id], environment: ["EDITOR": "truncate -s 0"])
        #expect(emptied.status == 1 && emptied.stderr.contains("saved empty"))
        let failed = try CLI.run("gloss", ["--home", home.path, "edit", id], environment: ["EDITOR": "false"])
        #expect(failed.status == 1 && failed.stderr.contains("nothing was changed"))
        let log = try #require(try CLI.json(try CLI.gloss(home, "log", id, "--json")) as? [[String: Any]])
        #expect(log.count == 3, "create and two edits: the unchanged, empty and failed ones made none")
        // No editor and no terminal: the old error, with the way to get an editor
        let none = try CLI.run("gloss", ["--home", home.path, "edit", id], environment: ["EDITOR": "", "VISUAL": ""])
        #expect(none.status == 64 && none.stderr.contains("nothing to change") && none.stderr.contains("EDITOR"))
        // A reply without --comment is written in the editor too
        let reply = try CLI.run("gloss", ["--home", home.path, "reply", id], environment: ["EDITOR": "sh -c 'echo Agreed > \"$1\"' --"])
        #expect(reply.status == 0 && reply.stdout.contains("Agreed"), "\(reply.stderr)")
    }

    @Test func longOutputIsPagedOnlyOnATerminalAndNeverWithNoPager() throws {
        let (home, report, _) = try replica("alice")
        // `script` gives the command a terminal; the pager marks every line it shows
        func onTerminal(_ arguments: String, _ environment: [String: String]) throws -> String {
            try CLI.run("/usr/bin/script", ["-qec", "\(CLI.binDir.path)/gloss --home '\(home.path)' \(arguments)", "/dev/null"],
                        environment: environment).stdout
        }
        let marker = ["GLOSS_PAGER": "sed s/^/PAGED:/", "PAGER": "false"]
        let paged = try onTerminal("show \(report)", marker)
        #expect(paged.contains("PAGED:") && paged.contains("Most Likely"))
        #expect(try onTerminal("show \(report)", ["GLOSS_PAGER": "", "PAGER": "sed s/^/PAGER:/"]).contains("PAGER:") == false,
                "an empty GLOSS_PAGER means no pager")
        #expect(try onTerminal("show \(report)", ["PAGER": "sed s/^/PAGER:/"]).contains("PAGER:"), "$PAGER when GLOSS_PAGER is unset")
        let unpaged = try onTerminal("show \(report) --no-pager", marker)
        #expect(!unpaged.contains("PAGED:") && unpaged.contains("Most Likely"))
        #expect(!(try onTerminal("show \(report) --json", marker)).contains("PAGED:"), "never for --json")
        // Into a pipe: no pager
        let piped = try CLI.run("gloss", ["--home", home.path, "show", report], environment: marker)
        #expect(piped.status == 0 && !piped.stdout.contains("PAGED:") && piped.stdout.contains("Most Likely"))
    }

    @Test func listCutsAtItsLimitAndSaysSoAndShowPrintsOneNoteWithThreadAndHistory() throws {
        let (home, report, _) = try replica("alice")
        var ids: [String] = []
        for (n, quote) in ["Most Likely", "Most Dangerous", "Strategic Lens"].enumerated() {
            let made = try #require(try CLI.json(try CLI.gloss(home, "annotate", report, "--quote", quote, "--comment", "note \(n)", "--json"))
                as? [String: Any])
            ids.append(try #require(made["id"] as? String))
        }
        let cut = try CLI.gloss(home, "list", "--limit", "2").stdout
        #expect(cut.split(separator: "\n").count == 3 && cut.contains("more than 2 annotations"))
        #expect(!(try CLI.gloss(home, "list", "--limit", "3").stdout.contains("more than")))
        let json = try CLI.gloss(home, "list", "--limit", "2", "--json")
        #expect((try CLI.json(json) as? [Any])?.count == 2 && json.stderr.contains("more than 2"), "JSON stays one array; the cut is said on stderr")

        let note = String(ids[0].prefix(6))
        try CLI.gloss(home, "reply", note, "--comment", "First reply")
        try CLI.gloss(home, "edit", note, "--comment", "note 0, revised")
        try CLI.gloss(home, "resolve", note)
        let shown = try CLI.gloss(home, "show", note, "--width", "80").stdout
        for part in ["on report \(report)", "note 0, revised", "[[Most Likely]]", "Thread (1 reply)", "First reply", "History", "create", "edit", "status"] {
            #expect(shown.contains(part), "\(part) in:\n\(shown)")
        }
        let out = try #require(try CLI.json(try CLI.gloss(home, "show", note, "--json")) as? [String: Any])
        #expect((out["thread"] as? [Any])?.count == 1 && (out["history"] as? [Any])?.count == 3)
        let missing = try CLI.glossAllowingFailure(home, "show", "fffffff")
        #expect(missing.status == 3 && missing.stderr.contains("no report or annotation"))
        #expect(try CLI.glossAllowingFailure(home, "show", "xyz").stderr.contains("not a report or annotation id"))
    }

    @Test func mistypedCommandsAndOptionsGetSuggestionsAndTheServerHasAVersion() throws {
        let home = scratch.path("alice")
        try CLI.gloss(home, "init", "--user", "alice")
        let typo = try CLI.glossAllowingFailure(home, "reprots")
        #expect(typo.status == 64 && typo.stderr.contains("did you mean `gloss reports`?"), "\(typo.stderr)")
        let nested = try CLI.glossAllowingFailure(home, "ops", "exprot", "-o", "x")
        #expect(nested.status == 64 && nested.stderr.contains("`gloss ops export`"))
        let option = try CLI.glossAllowingFailure(home, "list", "--auther", "bob")
        #expect(option.status == 64 && option.stderr.contains("--author"))
        let json = try CLI.glossAllowingFailure(home, "reprots", "--json")
        #expect((try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any])?["hint"] as? String == "did you mean `gloss reports`?")
        let server = try CLI.run("gloss-server", ["usr", "list"])
        #expect(server.status == 64 && server.stderr.contains("`gloss-server user`"), "\(server.stderr)")
        let version = try CLI.run("gloss-server", ["--version"])
        let clientVersion = try CLI.run("gloss", ["--version"]).stdout
        #expect(version.status == 0 && version.stdout == clientVersion)
    }

    @Test func adminFailuresAreJSONWithJSON() throws {
        let missing = scratch.path("teem.sqlite").path
        let failed = try CLI.run("gloss-server", ["--db", missing, "member", "list", "intel", "--json"])
        let error = try #require(try JSONSerialization.jsonObject(with: Data(failed.stderr.utf8)) as? [String: Any], "\(failed.stderr)")
        #expect(failed.status == 3 && error["code"] as? String == "notFound" && (error["hint"] as? String)?.contains("init") == true)
        #expect(!FileManager.default.fileExists(atPath: missing))
        let db = scratch.path("team.sqlite").path
        #expect(try CLI.run("gloss-server", ["init", "--db", db]).status == 0)
        #expect(try CLI.run("gloss-server", ["--db", db, "user", "add", "bob"]).status == 0)
        let taken = try CLI.run("gloss-server", ["--db", db, "user", "add", "bob", "--json"])
        let conflict = try #require(try JSONSerialization.jsonObject(with: Data(taken.stderr.utf8)) as? [String: Any])
        #expect(taken.status == 4 && conflict["code"] as? String == "notAllowed" && taken.stdout.isEmpty)
    }

    @Test func quotesMatchInEitherNormalisationAndLayoutCountsDisplayColumns() throws {
        let (home, _, geneva) = try replica("alice")
        // A report that spells Zoë decomposed (e + U+0308), as some word processors save it;
        // typed precomposed (as keyboards give it) the quote is found, and the reverse.
        let file = scratch.path("decomposed.txt")
        try "Talks with Zoe\u{308} Martin\n\nThe envoy met Zoe\u{308} Martin in Gene\u{300}ve.\n".write(to: file, atomically: true, encoding: .utf8)
        let imported = try #require(try CLI.json(try CLI.gloss(home, "import", file.path, "--json")) as? [String: Any])
        let report = String(try #require(((imported["imported"] as? [[String: Any]])?.first?["id"]) as? String).prefix(8))
        let stored = try #require(((try CLI.json(try CLI.gloss(home, "show", report, "--json")) as? [String: Any])?["report"] as? [String: Any])?["text"] as? String)
        #expect(stored.unicodeScalars.contains("\u{308}"), "the report keeps its own form")
        let typed = "met Zoë Martin in Genève"
        #expect(typed.unicodeScalars.count == 24, "typed precomposed")
        let made = try CLI.gloss(home, "annotate", report, "--quote", typed, "--comment", "NFC typed", "--json")
        let target = try #require((try CLI.json(made) as? [String: Any])?["target"] as? [String: Any])
        let exact = try #require((target["quote"] as? [String: Any])?["exact"] as? String)
        let position = try #require(target["position"] as? [String: Int])
        let scalars = Array(stored.unicodeScalars)
        var own = String.UnicodeScalarView()
        own.append(contentsOf: scalars[position["start"]!..<position["end"]!])
        #expect(exact.unicodeScalars.elementsEqual(own) && exact.unicodeScalars.count == 26 && exact == typed,
                "offsets and quote in the report's own code points")
        let again = try CLI.glossAllowingFailure(home, "annotate", report, "--quote", "Zoe\u{308} Martin", "--occurrence", "2")
        #expect(again.status == 0, "typed decomposed, both places found: \(again.stderr)")
        #expect(try CLI.glossAllowingFailure(home, "annotate", report, "--quote", "Zoe").status == 3, "never half a letter")

        // Wrapped at 40 columns, no line is wider, counting CJK as two
        let shown = try CLI.gloss(home, "show", geneva, "--width", "40", "--no-pager").stdout
        func columns(_ line: Substring) -> Int {
            line.unicodeScalars.reduce(0) { sum, s in
                (0x300...0x36F).contains(s.value) ? sum : sum + ((0x4E00...0x9FFF).contains(s.value) || (0x3000...0x303F).contains(s.value) ? 2 : 1)
            }
        }
        let lines = shown.split(separator: "\n")
        #expect(lines.allSatisfy { columns($0) <= 40 }, "\(lines.filter { columns($0) > 40 })")
        let underline = try #require(lines.first { $0.hasPrefix("===") })
        #expect(underline.count <= 40 && lines.contains { $0.contains("稀土") })
    }

    @Test func theDemoLeavesNoServerRunningWhetherItSucceedsOrFails() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let demo = root.appendingPathComponent("scripts/demo.sh").path
        /// gloss-server processes serving from `folder`'s database.
        func servers(in folder: URL) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
                let line = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
                return line.contains("gloss-server") && line.contains(folder.path) ? pid : nil
            }
        }
        let out = scratch.path("demo")
        // NO_COLOR unset: output into a pipe or a log is plain text all the same
        let run = try CLI.run("/bin/bash", [demo], environment: ["GLOSS_BIN": CLI.binDir.path, "GLOSS_DEMO_OUT": out.path, "NO_COLOR": ""],
                              timeout: 240)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("listening on") && run.stdout.contains("Analysts disagree"))
        #expect(!run.stdout.contains("\u{1B}") && !run.stderr.contains("\u{1B}"), "no escape codes in the demo's log")
        #expect(servers(in: out).isEmpty, "the demo's server stopped")
        // It ends with the command that opens the merged result in the page, and that command works.
        let last = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last == "\(CLI.binDir.path)/gloss --home \(out.path)/carol open", "\(last)")
        let page = try ReaderProcess(home: out.appendingPathComponent("carol"), log: scratch.path("open.log"))
        #expect(page.url.hasPrefix("http://127.0.0.1:") && page.stop() == 0)

        // A step that fails after the server started (python3, which reads ids, is broken) still stops it
        let broken = scratch.path("broken-bin")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        let python = broken.appendingPathComponent("python3")
        try "#!/bin/sh\nexit 1\n".write(to: python, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python.path)
        let failing = try CLI.run("/bin/bash", [demo], environment: [
            "GLOSS_BIN": CLI.binDir.path, "GLOSS_DEMO_OUT": out.path, "PATH": "\(broken.path):/usr/bin:/bin",
        ], timeout: 240)
        #expect(failing.status != 0 && failing.stdout.contains("listening on"), "it failed after starting the server")
        #expect(servers(in: out).isEmpty, "the failed demo's server stopped")
    }
}
