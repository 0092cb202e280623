import Foundation
import Testing

/// The core issue's scenario with real `gloss` processes: alice on two machines and bob work
/// offline, exchange operations by file in several orders, and end byte-identical.
@Suite(.serialized) struct OfflineExchangeTests {
    let scratch = Scratch()
    var laptop: URL { scratch.path("alice-laptop") }
    var desktop: URL { scratch.path("alice-desktop") }
    var bob: URL { scratch.path("bob") }
    var report: String { CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path }

    func id(_ result: CLI.Result) throws -> String {
        try #require((try CLI.json(result) as? [String: Any])?["id"] as? String)
    }

    /// Exports `from`'s operations and applies them to each of `to`. On each of alice's
    /// machines, her operations made on the other are set aside until she adopts them, which she does.
    func exchange(_ from: URL, to: URL...) throws {
        let file = scratch.path("ops-\(UUID().uuidString).gloss").path
        try CLI.gloss(from, "ops", "export", "-o", file)
        for home in to {
            let applied = try CLI.gloss(home, "ops", "apply", file)
            guard home != bob else {
                #expect(!applied.stderr.contains("set aside"), "alice's operations are not bob's: \(applied.stderr)")
                continue
            }
            if applied.stderr.contains("set aside") {
                #expect(applied.stderr.contains("if these are yours from another machine, adopt them"))
                try CLI.gloss(home, "ops", "adopt", "--all")
            }
        }
    }

    @Test func threeReplicasConvergeAfterConcurrentOfflineWork() throws {
        try CLI.gloss(laptop, "init", "--user", "alice")
        try CLI.gloss(desktop, "init", "--user", "alice")
        try CLI.gloss(bob, "init", "--user", "bob")
        let imported = try CLI.json(try CLI.gloss(laptop, "import", report, "--json")) as! [String: Any]
        let reportID = ((imported["imported"] as! [[String: Any]])[0]["id"] as! String)
        let note = try id(try CLI.gloss(laptop, "annotate", String(reportID.prefix(8)), "--quote", "rare earth processing technologies",
                                        "--occurrence", "1", "--comment", "Check export volumes", "--tag", "supply-chain",
                                        "--confidence", "high", "--json"))
        let other = try id(try CLI.gloss(laptop, "annotate", String(reportID.prefix(8)), "--quote", "Most Dangerous",
                                         "--comment", "Escalation path", "--json"))
        try exchange(laptop, to: desktop, bob)

        // Offline, concurrently:
        try CLI.gloss(laptop, "edit", note, "--comment", "Volumes fell 12% in Q3")        // alice, machine 1
        try CLI.gloss(desktop, "edit", note, "--comment", "Volumes fell 15% in Q3")       // alice, machine 2
        try CLI.gloss(bob, "tag", note, "--remove", "supply-chain")                        // bob removes a tag…
        try CLI.gloss(laptop, "tag", note, "--remove", "supply-chain")                     // …that alice removes
        try CLI.gloss(laptop, "tag", note, "supply-chain")                                 // and re-adds
        try CLI.gloss(bob, "resolve", note)                                                // bob resolves…
        try CLI.gloss(laptop, "reply", note, "--comment", "Not resolved: Q4 data pending") // …while alice replies
        try CLI.gloss(laptop, "delete", other)                                             // alice deletes…
        try CLI.gloss(bob, "tag", other, "urgent")                                         // …while bob tags it
        try CLI.gloss(bob, "reply", other, "--comment", "Keep this one?")                  // and replies

        // Exchange in different orders.
        try exchange(bob, to: desktop)
        try exchange(desktop, to: laptop)
        try exchange(laptop, to: bob, desktop)
        try exchange(bob, to: laptop)

        let exports = try [laptop, desktop, bob].map { try CLI.gloss($0, "export", "--format", "json").stdout }
        #expect(exports[0] == exports[1] && exports[1] == exports[2], "the three exports differ")

        let state = try CLI.json(try CLI.gloss(bob, "list", "--deleted", "--json")) as! [[String: Any]]
        let byID = Dictionary(uniqueKeysWithValues: state.map { ($0["id"] as! String, $0) })
        #expect(byID[note]?["tags"] as? [String] == ["supply-chain"], "alice's unseen re-add wins")
        #expect(byID[note]?["status"] as? String == "resolved")
        #expect(byID[other]?["deleted"] as? Bool == true)
        #expect(state.contains { $0["body"] as? String == "Keep this one?" }, "a reply to a deleted annotation stays")
        #expect(state.contains { $0["body"] as? String == "Not resolved: Q4 data pending" })

        // The comment clash shows as a conflict everywhere…
        for home in [laptop, desktop, bob] {
            let conflicts = try CLI.json(try CLI.gloss(home, "conflicts", "--json")) as! [[String: Any]]
            #expect(conflicts.map { $0["id"] as! String } == [note])
        }
        #expect(try CLI.gloss(bob, "conflicts").stdout.contains("Volumes fell 12% in Q3"))
        // …and resolving it on one replica resolves it everywhere after the next exchange.
        try CLI.gloss(desktop, "conflicts", String(note.prefix(6)), "--keep", "2")
        try exchange(desktop, to: laptop, bob)
        for home in [laptop, desktop, bob] {
            #expect(try CLI.gloss(home, "conflicts").stdout.contains("No conflicts."))
        }
        let final = try [laptop, desktop, bob].map { try CLI.gloss($0, "export", "--format", "json").stdout }
        #expect(final[0] == final[1] && final[1] == final[2])
    }

    @Test func badReportsAreRefusedAndNothingOfThemIsStored() throws {
        try CLI.gloss(bob, "init", "--user", "bob")
        let bad = ["binary.bin", "empty.txt", "invalid_utf8.txt", "no_body_key.txt", "truncated_json.txt", "title_only.txt"].map {
            CLI.examples.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Tests/GlossCoreTests/Fixtures/reports/bad/\($0)").path
        }
        let result = try CLI.run("gloss", ["--home", bob.path, "import", report] + bad)
        #expect(result.status == 5)
        for file in bad { #expect(result.stderr.contains((file as NSString).lastPathComponent)) }
        let reports = try CLI.json(try CLI.gloss(bob, "reports", "--json")) as! [[String: Any]]
        #expect(reports.count == 1, "only the good report is stored")
    }

    @Test func anAmbiguousQuoteListsItsOccurrences() throws {
        try CLI.gloss(bob, "init", "--user", "bob")
        try CLI.gloss(bob, "import", report)
        let reportID = ((try CLI.json(try CLI.gloss(bob, "reports", "--json")) as! [[String: Any]])[0]["id"] as! String)
        let result = try CLI.glossAllowingFailure(bob, "annotate", String(reportID.prefix(6)), "--quote", "rare earth", "--comment", "x")
        #expect(result.status != 0)
        #expect(result.stderr.contains("occurs") && result.stderr.contains("--occurrence"))
    }
}
