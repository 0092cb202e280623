import Foundation
import Testing
@testable import GlossCore

@Suite("ReportParser: files that are not reports")
struct ReportParserRefusalTests {
    @Test func emptyFileIsRefusedAsEmpty() throws {
        let data = try ReportFixtures.data("bad/empty.txt")
        #expect(ReportFixtures.refusal(data, fileName: "empty.txt") == .empty)
    }

    @Test func whitespaceOnlyFileIsRefusedAsEmpty() {
        let data = Data(" \n\t\r\n  \n".utf8)
        #expect(ReportFixtures.refusal(data, fileName: "blank.txt") == .empty)
    }

    @Test func binaryFileIsRefusedAsBinary() throws {
        let data = try ReportFixtures.data("bad/binary.bin")
        #expect(ReportFixtures.refusal(data, fileName: "binary.bin") == .binary)
    }

    @Test func textWithANulByteIsRefusedAsBinary() {
        let data = Data("Title\nSummary\n\nBody\u{0}text".utf8)
        #expect(ReportFixtures.refusal(data, fileName: "nul.txt") == .binary)
    }

    @Test func mostlyControlCharactersIsRefusedAsBinary() {
        let data = Data([0x41] + [UInt8](repeating: 0x01, count: 50) + [0x42])
        #expect(ReportFixtures.refusal(data, fileName: "odd.dat") == .binary)
    }

    @Test func invalidUTF8IsRefusedWithTheFirstBadByte() throws {
        let data = try ReportFixtures.data("bad/invalid_utf8.txt")
        let firstBad = try #require(data.firstIndex(of: 0xFF))
        #expect(ReportFixtures.refusal(data, fileName: "invalid_utf8.txt") == .invalidUTF8(byteOffset: firstBad))
    }

    @Test("overlong forms, surrogates and cut-off sequences are invalid UTF-8", arguments: [
        [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ] as [[UInt8]])
    func malformedSequenceIsInvalidUTF8(sequence: [UInt8]) {
        let prefix = Array("Title\n\nText ".utf8)
        let data = Data(prefix + sequence + Array(" and more text to read, enough to be text.".utf8))
        #expect(ReportFixtures.refusal(data, fileName: "x.txt") == .invalidUTF8(byteOffset: prefix.count))
    }

    @Test func seedWithoutBodyKeyIsRefusedAsMissingBody() throws {
        let data = try ReportFixtures.data("bad/no_body_key.txt")
        let error = ReportFixtures.refusal(data, fileName: "no_body_key.txt")
        guard case let .missingBody(detail)? = error else {
            Issue.record("expected .missingBody, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("situation_report_body_HTML"))
        #expect(detail.contains("situation_report_body\""))
    }

    @Test func bodyKeyInsideAnotherValueIsNotTheBody() {
        let data = Data(#"""
            Title
            Summary
            {"note":"situation_report_body_HTML is missing"}
            """#.utf8)
        guard case .missingBody? = ReportFixtures.refusal(data, fileName: "x.txt") else {
            Issue.record("expected .missingBody")
            return
        }
    }

    @Test func truncatedJSONIsRefusedAsMalformed() throws {
        let data = try ReportFixtures.data("bad/truncated_json.txt")
        #expect(ReportFixtures.refusal(data, fileName: "truncated_json.txt")
            == .malformedJSON(detail: "the body string is never closed"))
    }

    @Test("truncated or broken JSON objects are malformed", arguments: [
        (#"{"situation_report_body_HTML":"Body text""#, "the object is never closed"),
        (#"{"situation_report_body_HTML":"#, "the body value is missing"),
        (#"{"situation_report_body_HTML" "Body"}"#, "expected ':' after a key"),
        (#"{"meta":{"a":[1,2}"#, "a nested value is never closed"),
        (#"{"unfinished"#, "a key string is never closed"),
    ])
    func brokenJSONIsMalformed(json: String, detail: String) {
        let data = Data("Title\nSummary\n\(json)".utf8)
        let error = ReportFixtures.refusal(data, fileName: "x.txt")
        guard case let .malformedJSON(found)? = error else {
            Issue.record("expected .malformedJSON, got \(String(describing: error))")
            return
        }
        #expect(found.hasPrefix(detail))
    }

    @Test func bodyThatIsNotAStringIsMissing() {
        let data = Data("Title\nSummary\n{\"situation_report_body_HTML\": null}".utf8)
        guard case .missingBody? = ReportFixtures.refusal(data, fileName: "x.txt") else {
            Issue.record("expected .missingBody")
            return
        }
    }

    @Test("bodies with no text once markup is removed", arguments: [
        ("x.txt", "Title\nSummary\n{\"situation_report_body_HTML\":\"<p> </p><script>alert(1)</script>\"}"),
        ("x.txt", "Title\nSummary\n{\"situation_report_body_HTML\":\"\"}"),
        ("x.html", "<html><head><style>p { color: red }</style></head><body><!-- nothing --></body></html>"),
    ])
    func markupWithoutTextIsRefusedAsNoText(fileName: String, content: String) {
        #expect(ReportFixtures.refusal(Data(content.utf8), fileName: fileName) == .noText)
    }

    @Test func titleOnlyFileIsRefusedNamingItsTitle() throws {
        // Given a report file that is its title line and nothing else
        let data = try ReportFixtures.data("bad/title_only.txt")
        // Then it is refused, and the message names the title so the analyst finds the file
        let error = ReportFixtures.refusal(data, fileName: "title_only.txt")
        #expect(error == .titleOnly(title: "China announces export restrictions on key rare earth processing technologies"))
        #expect(error?.description.contains("no body text") == true)
    }

    @Test("a title with no paragraph is refused in every format", arguments: [
        ("t.txt", "Rare earths\n"),
        ("t.txt", "  \nRare earths\n\n\t\n"),
        ("t.md", "# Rare earths\n"),
        ("t.md", "# Rare earths\n\n## What Happened\n"),
        ("t.html", "<html><head><title>Rare earths</title></head><body><h1>Rare earths</h1></body></html>"),
    ])
    func titleWithoutParagraphsIsRefused(fileName: String, content: String) {
        #expect(ReportFixtures.refusal(Data(content.utf8), fileName: fileName) == .titleOnly(title: "Rare earths"))
    }

    @Test func oneParagraphIsEnoughToBeAReport() throws {
        let report = try ReportParser.parse(Data("Rare earths\n\nChina restricted exports.\n".utf8), fileName: "t.txt")
        #expect(report.paragraphs == ["China restricted exports."])
    }

    @Test func fileOverTheSizeLimitIsRefusedAsTooLarge() {
        let data = Data(repeating: UInt8(ascii: "a"), count: ReportParser.maxBytes + 1)
        #expect(ReportFixtures.refusal(data, fileName: "big.txt")
            == .tooLarge(bytes: ReportParser.maxBytes + 1, limit: ReportParser.maxBytes))
    }

    @Test func fileExactlyAtTheSizeLimitIsAccepted() throws {
        // Given a plain-text report padded to exactly maxBytes
        var text = "Large report\n\n"
        let paragraph = String(repeating: "word ", count: 200) + "\n\n"
        while text.utf8.count + paragraph.utf8.count <= ReportParser.maxBytes { text += paragraph }
        text += String(repeating: "x", count: ReportParser.maxBytes - text.utf8.count)
        let data = Data(text.utf8)
        #expect(data.count == ReportParser.maxBytes)
        // Then it parses
        let report = try ReportParser.parse(data, fileName: "large.txt")
        #expect(report.title == "Large report")
        #expect(report.paragraphs.count > 4000)
    }

    @Test func everyRefusalHasAReadableDescription() {
        let errors: [ReportImportError] = [
            .empty, .tooLarge(bytes: 5, limit: 4), .binary, .invalidUTF8(byteOffset: 3),
            .missingBody(detail: "x"), .malformedJSON(detail: "y"), .noText, .titleOnly(title: "T"),
        ]
        #expect(Set(errors.map(\.description)).count == errors.count)
    }
}
