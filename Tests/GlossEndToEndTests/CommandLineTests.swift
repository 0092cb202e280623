import Foundation
import Testing

/// The command line reads the same however it is written: `gloss COMMAND …` is parsed by the
/// command alone (`Gloss.run`), `gloss --home DIR COMMAND …` the same way, and help and
/// mistakes go through the whole tree, so they name `gloss` as they always did.
@Suite struct CommandLineTests {
    let scratch = Scratch()

    @Test func globalOptionsWorkBeforeOrAfterTheCommandAndHelpAndErrorsNameGloss() throws {
        let home = scratch.path("alice").path
        let report = CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path
        #expect(try CLI.run("gloss", ["--home", home, "init", "--user", "alice"]).status == 0)
        #expect(try CLI.run("gloss", ["import", report, "--home", home]).status == 0)
        let reports = try #require(try CLI.json(try CLI.run("gloss", ["--json", "--home", home, "reports"])) as? [[String: Any]])
        let reportID = try #require(reports.first?["id"] as? String)

        // Either order annotates the same replica, and --json before the command is honoured
        let first = try CLI.run("gloss", ["--home", home, "--json", "annotate", reportID, "--comment", "home first"])
        let second = try CLI.run("gloss", ["annotate", reportID, "--comment", "command first", "--home", home, "--json"])
        #expect(first.status == 0 && second.status == 0)
        #expect((try CLI.json(first) as? [String: Any])?["body"] as? String == "home first")
        let listed = try #require(try CLI.json(try CLI.run("gloss", ["list", "--home", home, "--json"])) as? [[String: Any]])
        #expect(Set(listed.compactMap { $0["body"] as? String }) == ["home first", "command first"])

        // A mistake names the whole command, whichever way it was written
        for arguments in [["annotate", "--home", home], ["--home", home, "annotate"], ["annotate", reportID, "--confidence", "certain"]] {
            let mistake = try CLI.run("gloss", arguments)
            #expect(mistake.status == 64, "\(arguments)")
            #expect(mistake.stderr.contains("Usage: gloss annotate"), "\(arguments): \(mistake.stderr)")
            #expect(mistake.stderr.contains("See 'gloss annotate --help'"), "\(arguments): \(mistake.stderr)")
        }

        // Help is the same from the command and from `gloss help`
        let help = try CLI.run("gloss", ["annotate", "--help"])
        #expect(help.stdout.contains("USAGE: gloss annotate"))
        #expect(help.stdout == (try CLI.run("gloss", ["help", "annotate"])).stdout)
        #expect(try CLI.run("gloss", ["ops", "export", "--help", "--home", home]).stdout.contains("USAGE: gloss ops export"))
    }
}
