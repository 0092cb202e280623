import Foundation
import Testing

/// The team's daily loop on real processes: reports shared through the workspace, a revision
/// whose notes come out exact, changed, review and orphan, a disagreement, a digest, the brief.
@Suite(.serialized) struct DailyLoopTests {
    let scratch = Scratch()

    static func file(_ name: String) -> String { CLI.examples.appendingPathComponent(name).path }

    func id(_ result: CLI.Result) throws -> String {
        try #require((try CLI.json(result) as? [String: Any])?["id"] as? String)
    }

    func imported(_ result: CLI.Result) throws -> String {
        let out = try #require(try CLI.json(result) as? [String: Any])
        return String(try #require(((out["imported"] as? [[String: Any]])?.first?["id"] as? String)?.prefix(8)))
    }

    @Test func threeAnalystsShareReportsFollowARevisionDisagreeAndHandOverABrief() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let (alice, bob, carol) = (team.alice, team.bob, team.carol)

        // alice imports two reports and annotates one; the other reaches the team unannotated.
        let old = try imported(try CLI.gloss(alice, "import", Self.file("rare-earths-export-controls.txt"), "--json"))
        _ = try imported(try CLI.gloss(alice, "import", Self.file("geneva-talks.txt"), "--json"))
        let draft = try imported(try CLI.gloss(alice, "import", Self.file("lithography-servicing.txt"), "--local", "--json"))
        let exact = try id(try CLI.gloss(alice, "annotate", old, "--quote", "specifically targeting the extraction and separation methods",
                                         "--comment", "the core of the ban", "--json"))
        let changed = try id(try CLI.gloss(alice, "annotate", old, "--quote", "with China leveraging its dominance",
                                           "--comment", "who leverages", "--json"))
        let orphan = try id(try CLI.gloss(alice, "annotate", old, "--quote", "is widely viewed as a response to ongoing geopolitical tensions",
                                          "--comment", "motive", "--json"))
        let review = try id(try CLI.gloss(alice, "annotate", old, "--quote", "Most Dangerous: Escalation spirals", "--comment", "escalation is likely",
                                          "--likelihood", "likely", "--confidence", "high", "--json"))
        try CLI.gloss(alice, "sync")

        try CLI.gloss(bob, "sync")
        let bobsReports = try CLI.json(try CLI.gloss(bob, "reports", "--json")) as! [[String: Any]]
        let titles = bobsReports.compactMap { $0["title"] as? String }
        #expect(titles.contains { $0.hasPrefix("Geneva talks") }, "the unannotated report reached bob")
        #expect(!bobsReports.contains { ($0["id"] as? String)?.hasPrefix(draft) == true }, "the local report stayed with alice")

        // bob judges the same passage the other way, and links the revised report.
        try CLI.gloss(bob, "annotate", old, "--quote", "Most Dangerous: Escalation spirals", "--comment", "restraint is more likely",
                      "--likelihood", "unlikely", "--confidence", "low")
        let new = try imported(try CLI.gloss(bob, "import", Self.file("rare-earths-export-controls-revised.txt"), "--revises", old, "--json"))
        try CLI.gloss(bob, "sync")

        // alice's sync ends with a digest: bob's note on her report, and the new report.
        let synced = try CLI.json(try CLI.gloss(alice, "sync", "--json")) as! [String: Any]
        let digest = try #require(synced["digest"] as? [String: Any])
        let items = try #require(digest["items"] as? [[String: Any]])
        #expect(items.contains { $0["kind"] as? String == "note" && $0["author"] as? String == "bob" })
        #expect((digest["reports"] as? [[String: Any]])?.contains { ($0["id"] as? String)?.hasPrefix(new) == true } == true)
        #expect(try CLI.gloss(alice, "digest").stdout.contains("restraint is more likely"), "gloss digest says it again")

        // Each of alice's notes comes out with its own outcome in the new version.
        let shown = try CLI.json(try CLI.gloss(alice, "show", new, "--json")) as! [String: Any]
        let notes = try #require(shown["annotations"] as? [[String: Any]])
        func status(_ note: String) -> String? {
            (notes.first { $0["id"] as? String == note }?["reanchor"] as? [String: Any])?["status"] as? String
        }
        #expect(status(exact) == "exact")
        #expect(status(changed) == "changed")
        #expect(status(review) == "review")
        #expect(status(orphan) == "orphan")
        let text = try CLI.gloss(alice, "show", new, "--width", "120").stdout
        #expect(text.contains("needs review") && text.contains("gone from this version") && text.contains("quoted text changed"))

        // reports, list --report and show count the same notes.
        let counted = try CLI.json(try CLI.gloss(alice, "reports", "--json")) as! [[String: Any]]
        let newCount = counted.first { ($0["id"] as? String)?.hasPrefix(new) == true }?["annotations"] as? Int
        let listed = try CLI.json(try CLI.gloss(alice, "list", "--report", new, "--json")) as! [[String: Any]]
        #expect(newCount == notes.count && listed.count == notes.count)

        // carol (a reader) sees the disagreement.
        try CLI.gloss(carol, "sync")
        let judged = try CLI.json(try CLI.gloss(carol, "judgments", old, "--json")) as! [[String: Any]]
        let passages = try #require(judged.first?["passages"] as? [[String: Any]])
        let dissent = try #require(passages.compactMap { $0["disagreement"] as? [String: Any] }.first)
        #expect(dissent["kind"] as? String == "likelihood" && dissent["between"] as? [String] == ["bob", "alice"])

        // The brief names the dissent, and every footnote has its definition.
        let brief = try CLI.gloss(carol, "export", "--format", "markdown").stdout
        #expect(brief.contains("Analysts disagree"))
        let references = Set(brief.matches(of: /\[\^(\d+)\](?!:)/).map { String($0.1) })
        let definitions = Set(brief.matches(of: /\[\^(\d+)\]:/).map { String($0.1) })
        #expect(!references.isEmpty && references == definitions)

        // The review queue: alice takes the proposal; bob sees the note settled after syncing.
        let queue = try CLI.gloss(alice, "review").stdout
        #expect(queue.contains("Most Dangerous (15%): Escalation spirals") && queue.contains(String(orphan.prefix(8))))
        try CLI.gloss(alice, "review", "accept", review)
        try CLI.gloss(alice, "sync")
        try CLI.gloss(bob, "sync")
        let bobShows = try CLI.json(try CLI.gloss(bob, "show", new, "--json")) as! [String: Any]
        let settled = try #require((bobShows["annotations"] as? [[String: Any]])?.first { $0["id"] as? String == review })
        #expect(settled["reanchor"] == nil)
        #expect(((settled["target"] as? [String: Any])?["quote"] as? [String: Any])?["exact"] as? String == "Most Dangerous (15%): Escalation spirals")
        // Only a note's author settles it.
        let refused = try CLI.glossAllowingFailure(bob, "review", "accept", changed)
        #expect(refused.status != 0 && refused.stderr.contains("alice"))

    }
}
