import Foundation
import Testing

/// The exports as a reader's tools see them: real `gloss` processes make a team's notes (two
/// analysts who disagree, a thread under a deleted note, a revision link), and the exported
/// file goes through a JSON-LD processor (pyld) and the W3C test suite's schemas (jsonschema).
/// The tools come from `scripts/brief-tools.sh`.
@Suite(.serialized) struct BriefEndToEndTests {
    let scratch = Scratch()
    var alice: URL { scratch.path("alice") }
    var bob: URL { scratch.path("bob") }

    func report(_ name: String) -> String { CLI.examples.appendingPathComponent(name).path }

    func id(_ result: CLI.Result) throws -> String {
        try #require((try CLI.json(result) as? [String: Any])?["id"] as? String)
    }

    func exchange(_ from: URL, to: URL) throws {
        let file = scratch.path("ops-\(UUID().uuidString).gloss").path
        try CLI.gloss(from, "ops", "export", "-o", file)
        try CLI.gloss(to, "ops", "apply", file)
    }

    /// alice and bob judge the same passage two steps apart on the ICD 203 scale; bob replies
    /// to a note alice then deletes; alice deletes a note nobody answered, highlights a phrase
    /// without a word, and links a revision. Lithography is imported but nobody annotates it.
    func teamWork() throws {
        try CLI.gloss(alice, "init", "--user", "alice", "--workspace", "intel")
        try CLI.gloss(bob, "init", "--user", "bob", "--workspace", "intel")
        let imported = try CLI.json(try CLI.gloss(alice, "import", report("rare-earths-export-controls.txt"),
                                                  report("geneva-talks.txt"), report("lithography-servicing.txt"), "--json")) as! [String: Any]
        let ids = (imported["imported"] as! [[String: Any]]).map { String(($0["id"] as! String).prefix(10)) }
        let (rare, geneva) = (ids[0], ids[1])
        let judged = try id(try CLI.gloss(alice, "annotate", rare, "--quote", "Most Dangerous", "--comment", "Escalation is the base case.",
                                          "--confidence", "high", "--likelihood", "likely", "--tag", "supply-chain", "--json"))
        let doomed = try id(try CLI.gloss(alice, "annotate", rare, "--quote", "rare earth processing technologies", "--occurrence", "1",
                                          "--comment", "SECRET-DRAFT-WORDING", "--json"))
        let lonely = try id(try CLI.gloss(alice, "annotate", geneva, "--quote", "working group", "--occurrence", "1",
                                          "--comment", "LONELY-DELETED-NOTE", "--json"))
        try CLI.gloss(alice, "annotate", geneva, "--quote", "Genève", "--motivation", "highlighting")
        try CLI.gloss(alice, "annotate", geneva, "--comment", "Overall: thin sourcing; see [^1] in the annex.", "--confidence", "moderate")
        try exchange(alice, to: bob)
        try CLI.gloss(bob, "annotate", rare, "--quote", "Most Dangerous", "--comment", "Beijing has held back before.\n\nSee 2010.",
                      "--confidence", "low", "--likelihood", "unlikely")
        try CLI.gloss(bob, "reply", judged, "--comment", "Which indicators?")
        try CLI.gloss(bob, "reply", doomed, "--comment", "The reply that must survive.")
        try CLI.gloss(bob, "resolve", judged)
        try exchange(bob, to: alice)
        try CLI.gloss(alice, "delete", doomed)
        try CLI.gloss(alice, "delete", lonely)
        let revised = BriefTools.checkout.appendingPathComponent("Tests/GlossCoreTests/Fixtures/reports/002_rare_earths_revised.txt").path
        try CLI.gloss(alice, "import", revised, "--revises", rare)
    }

    @Test func w3cExportPassesTheSuiteAndKeepsGlossTermsThroughJSONLD() throws {
        try teamWork()
        let file = scratch.path("annotations.jsonld")
        try CLI.gloss(alice, "export", "--format", "w3c", "-o", file.path)
        let python = try BriefTools.python()
        let script = BriefTools.checkout.appendingPathComponent("scripts/w3c-check.py").path

        let validate = try BriefTools.run(python, [script, "validate", file.path])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        #expect(validate.stdout.contains("collection musts: 10 schemas x 1 collection(s), 1 passed, 0 failed"))
        #expect(validate.stdout.contains("page musts: 15 schemas x 1 page(s), 1 passed, 0 failed"))
        #expect(validate.stdout.contains("annotation musts: 54 schemas x"), "\(validate.stdout)")
        #expect(!validate.stdout.contains("annotation musts: 54 schemas x 0 "))
        #expect(validate.stdout.hasSuffix(", 0 failed\n"))

        let roundtrip = try BriefTools.run(python, [script, "roundtrip", file.path])
        #expect(roundtrip.status == 0, "expansion lost something: \(roundtrip.stderr)")

        let expand = try BriefTools.run(python, [script, "expand", file.path])
        #expect(expand.status == 0, "\(expand.stderr)")
        let expanded = try #require(try JSONSerialization.jsonObject(with: expand.data) as? [Any])
        let nodes = Self.nodes(in: expanded)
        let ns = "urn:gloss:ns#"
        func values(_ property: String) -> [String] {
            nodes.flatMap { ($0[ns + property] as? [[String: Any]] ?? []).compactMap { $0["@value"] as? String ?? $0["@id"] as? String } }
        }
        #expect(values("confidence").sorted() == ["high", "low", "moderate"])
        #expect(values("likelihood").sorted() == ["likely", "unlikely"])
        #expect(values("status") == ["resolved"])
        #expect(values("revises").count == 1 && values("revises")[0].hasPrefix("urn:sha256:"))
        #expect(nodes.contains { $0[ns + "judgment"] != nil })
        #expect(!nodes.contains { $0.keys.contains { $0.hasPrefix("gloss:") } }, "no term left as a bare gloss: IRI")
    }

    /// Every JSON object in an expanded document.
    static func nodes(in value: Any) -> [[String: Any]] {
        if let list = value as? [Any] { return list.flatMap(nodes) }
        if let object = value as? [String: Any] { return [object] + object.values.flatMap(nodes) }
        return []
    }
}
