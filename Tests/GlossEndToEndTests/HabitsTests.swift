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
}
