import Foundation
import Testing
@testable import GlossCore

/// Exporters: structure of each format, Unicode offsets, escaping, threads, determinism.
@Suite struct ExportTests {
    static let report = Report(
        title: "Geneva talks stall",
        summary: "Negotiators failed to agree on licensing.",
        sections: [
            .init(heading: "Big Picture", paragraphs: [
                "Talks in Genève between the 稀土 working group and the EU stalled.",
                "Observers: Zoe\u{0308} from the family office 👨‍👩‍👧‍👦 flew in under 🇺🇦 and 🇯🇵 flags; العربية notes too.",
            ]),
            .init(heading: "What Comes Next", paragraphs: ["Another round is likely in spring, said the chair, \"maybe\"."]),
        ])

    static let wall: Int64 = 1_764_384_000_000  // 2025-11-29T02:40:00Z

    /// Ids whose short forms differ: 1 → "1111111111111111".
    static func id(_ n: Int) -> AnnotationID { AnnotationID(rawValue: String(repeating: String(n, radix: 16), count: 16)) }

    static func annotation(_ n: Int, author: UserName = "alice", quote: String? = nil, occurrence: Int? = nil,
                           motivation: Motivation = .commenting, body: String = "", tags: [String] = [],
                           judgment: Judgment? = nil, status: Status = .open, visibility: Visibility = .team,
                           parent: Int? = nil, deleted: Bool = false, versions: [String] = [],
                           report: Report = report) throws -> Annotation {
        let created = HLC(wall: wall + Int64(n) * 60_000)
        let target = try quote.map { try TextAnchor(text: report.text).target(quote: $0, occurrence: occurrence) }
        let texts = versions.isEmpty ? [body] : versions
        let candidates = texts.enumerated().map { index, text in
            Annotation.BodyCandidate(op: OperationID(replica: ReplicaID(rawValue: 7), counter: UInt64(n * 10 + index + 1)),
                                     author: author, hlc: HLC(wall: created.wall + Int64(index)), text: text)
        }
        return Annotation(id: id(n), report: report.id, author: author, created: created,
                          updated: HLC(wall: created.wall + 1000), target: target, motivation: motivation,
                          body: texts[0], bodyVersions: candidates, tags: tags, judgment: judgment, status: status,
                          visibility: visibility, parent: parent.map(id), deleted: deleted)
    }

    /// A small discussion: a judged comment, a reply, a deleted note with a surviving reply,
    /// a resolved private highlight, a conflict, a whole-report note, overlapping quotes.
    static func sample() throws -> [Annotation] {
        [
            try annotation(1, quote: "稀土 working group", body: "Check the **delegation** list.", tags: ["supply-chain", "china"],
                           judgment: Judgment(confidence: .high, likelihood: .likely)),
            try annotation(2, author: "bob", motivation: .replying, body: "Agreed, see annex.", parent: 1),
            try annotation(3, author: "carol", quote: "👨‍👩‍👧‍👦 flew in under 🇺🇦", body: "Who is this?", deleted: true),
            try annotation(4, author: "dave", motivation: .replying, body: "It was the trade attaché.", parent: 3),
            try annotation(5, author: "alice", motivation: .replying, body: "Thanks, dave.", parent: 4),
            try annotation(6, author: "erin", quote: "Zoe\u{0308}", motivation: .highlighting, status: .resolved, visibility: .private),
            try annotation(7, author: "frank", quote: "likely in spring", motivation: .assessing, versions: ["Spring, 70%.", "Summer at best."]),
            try annotation(8, author: "gina", body: "Overall: thin sourcing."),
            try annotation(9, author: "hank", quote: "Genève between the 稀土", body: "Overlaps note 1.", tags: ["geo"]),
        ]
    }

    static func input(_ annotations: [Annotation], operations: [GlossCore.Operation] = []) -> ExportInput {
        ExportInput(reports: [report], annotations: annotations, operations: operations)
    }

    static func jsonObject(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    // MARK: W3C

    @Test func w3cCollectionHasTheWebAnnotationShape() throws {
        let json = try Self.jsonObject(try W3CExport.data(Self.input(try Self.sample())))
        let context = try #require(json["@context"] as? [Any])
        #expect(context.first as? String == "http://www.w3.org/ns/anno.jsonld")
        #expect((context.last as? [String: Any])?["gloss"] as? String == "urn:gloss:ns#")
        #expect(json["type"] as? String == "AnnotationCollection")
        #expect(json["total"] as? Int == 8)  // nine minus the deleted one
        let page = try #require(json["first"] as? [String: Any])
        #expect(page["type"] as? String == "AnnotationPage")
        let items = try #require(page["items"] as? [[String: Any]])
        #expect(items.count == 8)

        let first = try #require(items.first { $0["id"] as? String == "urn:gloss:annotation:\(Self.id(1))" })
        #expect(first["type"] as? String == "Annotation")
        #expect(first["motivation"] as? String == "commenting")
        #expect((first["creator"] as? [String: Any])?["name"] as? String == "alice")
        #expect((first["creator"] as? [String: Any])?["type"] as? String == "Person")
        #expect(first["created"] as? String == "2025-11-29T02:41:00.000Z")
        #expect(first["modified"] as? String == "2025-11-29T02:41:01.000Z")
        let bodies = try #require(first["body"] as? [[String: Any]])
        #expect(bodies.contains { $0["purpose"] as? String == "commenting" && $0["format"] as? String == "text/markdown"
            && $0["value"] as? String == "Check the **delegation** list." && $0["type"] as? String == "TextualBody" })
        #expect(bodies.filter { $0["purpose"] as? String == "tagging" }.compactMap { $0["value"] as? String } == ["china", "supply-chain"])
        let assessing = try #require(bodies.first { $0["purpose"] as? String == "assessing" })
        #expect(assessing["value"] as? String == "Confidence: high; Likelihood: likely (55–80%)")
        let judgment = try #require(assessing["gloss:judgment"] as? [String: Any])
        #expect(judgment["gloss:confidence"] as? String == "high" && judgment["gloss:likelihood"] as? String == "likely")
        let target = try #require(first["target"] as? [String: Any])
        #expect(target["source"] as? String == "urn:sha256:\(Self.report.id)")
        let selectors = try #require(target["selector"] as? [[String: Any]])
        #expect(selectors.map { $0["type"] as? String } == ["TextQuoteSelector", "TextPositionSelector"])
        #expect(selectors[0]["exact"] as? String == "稀土 working group")

        let resolved = try #require(items.first { $0["id"] as? String == "urn:gloss:annotation:\(Self.id(6))" })
        #expect(resolved["gloss:status"] as? String == "resolved")
        #expect(resolved["gloss:visibility"] as? String == "private")
        #expect(first["gloss:status"] == nil)

        // A conflict keeps every version, newest first, each a W3C TextualBody with its creator.
        let conflicted = try #require(items.first { $0["id"] as? String == "urn:gloss:annotation:\(Self.id(7))" })
        let versions = try #require(conflicted["gloss:conflict"] as? [[String: Any]])
        #expect(versions.compactMap { $0["value"] as? String } == ["Spring, 70%.", "Summer at best."])
        #expect(versions.allSatisfy { $0["type"] as? String == "TextualBody" && ($0["creator"] as? [String: Any])?["name"] as? String == "frank" })
    }

    @Test func w3cPositionsCountCodePointsInUnicodeHeavyText() throws {
        let quotes = ["👨‍👩‍👧‍👦 flew in under 🇺🇦", "Zoe\u{0308}", "稀土 working group", "العربية", "🇯🇵 flags", "spring, said"]
        let annotations = try quotes.enumerated().map { try Self.annotation($0.offset + 1, quote: $0.element) }
        let json = try Self.jsonObject(try W3CExport.data(Self.input(annotations)))
        let items = try #require((json["first"] as? [String: Any])?["items"] as? [[String: Any]])
        let scalars = Array(Self.report.text.unicodeScalars)
        for item in items {
            let selectors = try #require((item["target"] as? [String: Any])?["selector"] as? [[String: Any]])
            let exact = try #require(selectors[0]["exact"] as? String)
            let start = try #require(selectors[1]["start"] as? Int), end = try #require(selectors[1]["end"] as? Int)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<end])
            #expect(String(view) == exact)
            #expect(quotes.contains(exact))
        }
        #expect(items.count == quotes.count)
    }

    @Test func w3cRepliesTargetTheirParentAndDeletedNotesAreOmitted() throws {
        let json = try Self.jsonObject(try W3CExport.data(Self.input(try Self.sample())))
        let items = try #require((json["first"] as? [String: Any])?["items"] as? [[String: Any]])
        let ids = items.compactMap { $0["id"] as? String }
        #expect(!ids.contains("urn:gloss:annotation:\(Self.id(3))"))
        #expect(ids == ids.sorted())
        let reply = try #require(items.first { $0["id"] as? String == "urn:gloss:annotation:\(Self.id(2))" })
        #expect(reply["motivation"] as? String == "replying")
        #expect(reply["target"] as? String == "urn:gloss:annotation:\(Self.id(1))")
        #expect((reply["body"] as? [[String: Any]])?.first?["purpose"] as? String == "replying")
        let orphan = try #require(items.first { $0["id"] as? String == "urn:gloss:annotation:\(Self.id(4))" })
        #expect(orphan["target"] as? String == "urn:gloss:annotation:\(Self.id(3))")
        let whole = try #require(items.first { $0["id"] as? String == "urn:gloss:annotation:\(Self.id(8))" })
        #expect((whole["target"] as? [String: Any])?["selector"] == nil)
    }

    // MARK: Gloss JSON

    @Test func glossJSONRoundTripsThroughDecode() throws {
        let replica = ReplicaID(rawValue: 0x3f9a)
        let creation = Creation(report: Self.report.id, target: nil, motivation: .commenting, body: "Overall: thin sourcing.")
        let operations = [
            GlossCore.Operation(id: OperationID(replica: replica, counter: 2), hlc: HLC(wall: Self.wall + 5), author: "gina",
                      workspace: "intel", annotation: Self.id(8), isPrivate: false, change: .addTag("sourcing")),
            GlossCore.Operation(id: OperationID(replica: ReplicaID(rawValue: 1), counter: 9), hlc: HLC(wall: Self.wall), author: "gina",
                      workspace: "intel", annotation: Self.id(8), isPrivate: false, change: .create(creation)),
            GlossCore.Operation(id: OperationID(replica: replica, counter: 1), hlc: HLC(wall: Self.wall + 1), author: "gina",
                      workspace: "intel", annotation: Self.id(8), isPrivate: false, change: .delete),
        ]
        let annotations = try Self.sample()
        let data = try GlossJSONExport.data(Self.input(annotations.reversed(), operations: operations))
        let json = try Self.jsonObject(data)
        #expect(json["format"] as? String == "gloss-export")
        #expect(json["version"] as? Int == 1)

        let file = try GlossJSONExport.decode(data)
        #expect(file.reports == [Self.report])
        #expect(file.annotations == annotations.sorted { $0.id < $1.id })
        #expect(file.annotations.contains { $0.deleted })
        #expect(file.operations.map(\.id) == operations.map(\.id).sorted())
        #expect(Set(file.operations) == Set(operations))
        #expect(try JSONDecoder().decode(GlossExportFile.self, from: data) == file, "the Codable oracle reads the same file")
        // One item to a line; each operation's line is its codec's text, which is JSONEncoder's.
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.hasSuffix(",") ? String($0.dropLast()) : String($0) }
        #expect(lines.first == #"{"format":"gloss-export","version":1"#)
        for operation in operations {
            #expect(lines.contains(try JSON.string(operation)), "operation \(operation.id) on a line of its own, as JSONEncoder writes it")
        }
        #expect(lines.count == 8 + file.reports.count + annotations.count + operations.count)
    }

    @Test func glossJSONDecodeRejectsOtherFiles() throws {
        let w3c = try W3CExport.data(Self.input(try Self.sample()))
        #expect(throws: ExportFileError.otherFormat(nil)) { try GlossJSONExport.decode(w3c) }
        #expect(throws: ExportFileError.otherVersion(2)) {
            try GlossJSONExport.decode(Data(#"{"format":"gloss-export","version":2}"#.utf8))
        }
        #expect(ExportFileError.otherVersion(2).description.contains("version 2"))
        #expect(throws: ExportFileError.notJSON) { try GlossJSONExport.decode(Data("not json".utf8)) }
        #expect(ExportFileError.notJSON.description.contains("not a Gloss export"))
        // Its operations meet the operations' one reader, which names what it could not read.
        let badOperation = Data(#"{"format":"gloss-export","version":1,"reports":[],"annotations":[],"operations":[{"id":"nope"}]}"#.utf8)
        #expect {
            try GlossJSONExport.decode(badOperation)
        } throws: { error in
            guard case let .damaged(detail) = error as? ExportFileError else { return false }
            return !detail.isEmpty
        }
        #expect {
            try GlossJSONExport.decode(Data(#"{"format":"gloss-export","version":1,"reports":[],"annotations":[]}"#.utf8))
        } throws: { error in
            guard case let .damaged(detail) = error as? ExportFileError else { return false }
            return detail.contains("no operations")
        }
    }

    // MARK: CSV

    @Test func csvQuotesFieldsAndNeutralisesFormulas() throws {
        let tricky = try Self.annotation(1, quote: "likely in spring", body: "=HYPERLINK(\"http://x\",\"a, b\")\nline two", tags: ["b", "a"])
        let at = try Self.annotation(2, author: UserName(stored: "@mallory"), quote: "Zoe\u{0308}", body: "-1 +2")
        let csv = CSVExport.render(Self.input([at, tricky]))
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "id,report,report_title,author,motivation,quote,start,end,body,tags,confidence,likelihood,status,visibility,parent,deleted,conflict,created,updated")
        #expect(csv.contains(#""'=HYPERLINK(""http://x"",""a, b"")"# + "\nline two\""))
        #expect(csv.contains(",'@mallory,"))
        #expect(csv.contains(",'-1 +2,"))
        #expect(csv.contains(",a;b,"))
        #expect(csv.hasSuffix("\r\n"))
        // Sorted by position in the report: Zoë comes before "likely in spring".
        #expect(lines[1].hasPrefix(Self.id(2).rawValue))
        #expect(CSVExport.field("plain") == "plain")
        #expect(CSVExport.field("a\"b") == "\"a\"\"b\"")
        #expect(CSVExport.field("+cmd") == "'+cmd")
    }

    // MARK: Markdown

    @Test func markdownBriefShowsQuotesNotesAndThreads() throws {
        let md = MarkdownExport.render(Self.input(try Self.sample()))
        #expect(md.hasPrefix("# Annotated brief\n\n- **Date:** 2025-11-29 02:49 UTC (the latest change to a note in it)\n- **Authors:** alice, bob, dave, erin, frank, gina, hank\n\n## Key judgments\n"))
        #expect(md.contains("## 1. Geneva talks stall\n\n_Negotiators failed to agree on licensing._\n\n### Big Picture\n"))
        // Overlapping quotes: hank's starts first; alice's marker closes the shared highlight.
        #expect(md.contains("Talks in **Genève between the 稀土**[^1] **working group**[^2] and the EU stalled."))
        #expect(md.contains("[^1]: **hank** · commenting · #geo — Overlaps note 1.\n"))
        #expect(md.contains("[^2]: **alice** · commenting · #china · #supply-chain · confidence high, likely (55–80%) — Check the **delegation** list.\n\n    - ↳ **bob** — Agreed, see annex.\n"))
        // carol's note is deleted: her text is gone, the thread under it stays readable.
        #expect(md.contains("[^3]: _(note deleted by carol)_\n\n    - ↳ **dave** — It was the trade attaché.\n        - ↳ **alice** — Thanks, dave.\n"))
        #expect(!md.contains("Who is this?"))
        // erin's bare highlight marks its quote but is no note.
        #expect(md.contains("**Zoe\u{0308}** from"))
        #expect(!md.contains("**Zoe\u{0308}**[^") && !md.contains("**erin**"))
        #expect(md.contains("conflict, 2 versions"))
        #expect(md.contains("Spring, 70%.") && md.contains("Summer at best."))
        #expect(md.contains("### Notes on the whole report\n\n- **gina** · commenting — Overall: thin sourcing.\n"))
        // The deleted note keeps its marker, but its quote is no longer bold.
        #expect(md.contains("👨‍👩‍👧‍👦 flew in under 🇺🇦[^3]"))
    }

    @Test func markdownEscapesReportText() throws {
        let report = Report(title: "A <b>*bold*</b> claim", summary: "", sections: [.init(heading: "", paragraphs: ["# not a heading"])])
        let md = MarkdownExport.render(ExportInput(reports: [report], annotations: []), options: BriefOptions(includeUnannotated: true))
        #expect(md.hasSuffix("---\n\n## 1. A \\<b\\>\\*bold\\*\\</b\\> claim\n\n\\# not a heading\n\n"))
    }

    @Test func annotationsOnReportsNotInTheInputAreStillExported() throws {
        let absent = Report(title: "Absent", summary: "", sections: [.init(heading: "", paragraphs: ["Only the quote survives."])])
        let stray = try Self.annotation(1, author: "ivan", quote: "quote survives", body: "Still here.", report: absent)
        let input = ExportInput(reports: [Self.report], annotations: [stray])
        let md = MarkdownExport.render(input)
        #expect(md.contains("## 1. Report \(absent.id.short) (text not included)"))
        #expect(md.contains("- **ivan** · commenting · on “quote survives” — Still here."))
        #expect(CSVExport.render(input).contains("\(Self.id(1)),\(absent.id),,ivan,commenting,quote survives,"))
        #expect(HTMLExport.render(input).contains("Still here."))
        #expect(W3CExport.collection(input).total == 1)
    }

    // MARK: HTML

    @Test func htmlEscapesUserTextAndIsSelfContained() throws {
        let evil = try Self.annotation(1, author: UserName(stored: "eve\"'"), quote: "稀土 working group",
                                       body: "<script>alert('x')</script> & more", tags: ["<i>"])
        let html = HTMLExport.render(Self.input([evil] + (try Self.sample()).dropFirst()))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"))
        #expect(html.contains("#&lt;i&gt;"))
        #expect(html.contains("eve&quot;&#39;"))
        #expect(html.contains("<mark"))
        #expect(html.contains("title=\"eve&quot;&#39;, hank\""))
        #expect(html.contains("(note deleted by carol)"))
        #expect(html.contains("It was the trade attaché."))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
    }

    // MARK: Determinism

    @Test func everyFormatIsByteIdenticalWhateverTheInputOrder() throws {
        let annotations = try Self.sample()
        var generator = SeededGenerator(seed: 0x5eed)
        let other = Report(title: "Another", summary: "s", sections: [])
        for format in ExportFormat.allCases {
            let reference = try format.data(ExportInput(reports: [Self.report, other], annotations: annotations))
            for _ in 0..<5 {
                let shuffled = ExportInput(reports: [other, Self.report].shuffled(using: &generator),
                                           annotations: annotations.shuffled(using: &generator))
                #expect(try format.data(shuffled) == reference, "\(format) changed with input order")
            }
        }
        let show = ReportRenderer.render(report: Self.report, annotations: annotations, color: true)
        #expect(ReportRenderer.render(report: Self.report, annotations: annotations.reversed(), color: true) == show)
    }

    // MARK: gloss show

    @Test func showMarksQuotesAndWrapsOnCharacters() throws {
        let annotations = try Self.sample()
        let plain = ReportRenderer.render(report: Self.report, annotations: annotations, color: false, width: 40)
        #expect(!plain.contains("\u{1B}"))
        #expect(plain.contains("[[Zoe\u{0308}]]³"))
        #expect(plain.contains("¹ \(Self.id(9).short) hank · commenting · #geo"))
        #expect(plain.contains("↳ \(Self.id(2).short) bob: Agreed, see annex."))
        #expect(plain.contains("(deleted by carol)"))
        #expect(plain.contains("Notes on the whole report"))
        for line in plain.split(separator: "\n") { #expect(line.count <= 40, "too long: \(line)") }
        #expect(plain.contains("👨‍👩‍👧‍👦"))

        let wide = ReportRenderer.render(report: Self.report, annotations: annotations, color: false)
        #expect(wide.contains("Talks in [[Genève between the 稀土]]¹ [[working group]]² and the EU stalled.\n"))

        let colored = ReportRenderer.render(report: Self.report, annotations: annotations, color: true)
        #expect(colored.contains("\u{1B}[30;43mZoe\u{0308}\u{1B}[0m"))
        #expect(!colored.contains("[["))
    }

    @Test func wrappingNeverSplitsGraphemeClusters() {
        let cells = Array(repeating: "👨‍👩‍👧‍👦", count: 25).joined().map { StyledText.Cell(character: $0, style: .plain) }
        let lines = StyledText.wrap(cells, width: 10)
        #expect(lines.map(\.count) == [5, 5, 5, 5, 5], "an emoji takes two columns")
        #expect(lines.allSatisfy { $0.allSatisfy { $0.character == "👨‍👩‍👧‍👦" } })
    }

    @Test func timestampsAreUTCFromWallMilliseconds() {
        #expect(ExportText.timestamp(HLC(wall: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(ExportText.timestamp(HLC(wall: 951_782_400_123)) == "2000-02-29T00:00:00.123Z")
        #expect(ExportText.timestamp(HLC(wall: -1)) == "1969-12-31T23:59:59.999Z")
    }
}

/// SplitMix64, so shuffles are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
