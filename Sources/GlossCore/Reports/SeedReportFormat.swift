/// Reads the seed report format: the files analysts receive.
///
/// ```text
/// China announces export restrictions on …        ← line 1: title
/// China's new export controls on …               ← line 2: summary
/// {"situation_report_body_HTML":"<h2>Big …"}       ← the rest: a loose JSON object
/// ```
///
/// The JSON is read with ``LooseJSON`` (raw newlines in strings, mixed `\n` escapes). The body
/// is either HTML with block markup, read by ``HTMLText``, or text whose tags were already
/// stripped: there each line that is a known ``SectionHeading`` starts a section and every
/// other non-empty line is a paragraph (stray inline tags and entities are still removed).
enum SeedReportFormat {
    /// The JSON key that holds the report body.
    static let bodyKey = "situation_report_body_HTML"

    /// Whether `text` has the seed shape: its third line starts with `{`.
    static func looksLikeSeed(_ text: String) -> Bool {
        let lines = text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false)
        guard lines.count >= 3 else { return false }
        return ReportWhitespace.trimmed(lines[2]).hasPrefix("{")
    }

    static func parse(_ text: String) throws(ReportImportError) -> Report {
        let lines = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3 else { throw .missingBody(detail: "the file has no JSON body after its title and summary") }
        let body = try body(ofJSON: Array(lines[2].utf8))
        let blocks = HTMLText.hasBlockMarkup(body) ? HTMLText(html: body).blocks : strippedTextBlocks(body)
        let sections = ReportBlock.sections(from: blocks)
        guard !sections.isEmpty else { throw .noText }
        return Report(
            title: ReportWhitespace.normalise(lines[0]),
            summary: ReportWhitespace.normalise(lines[1]),
            sections: sections
        )
    }

    /// The decoded body string of the JSON object.
    static func body(ofJSON json: [UInt8]) throws(ReportImportError) -> String {
        let members: [LooseJSON.Member]
        do throws(LooseJSON.Failure) {
            members = try LooseJSON.members(of: json) { $0 == bodyKey ? "the body" : "the \"\($0)\"" }
        } catch {
            throw .malformedJSON(detail: error.detail)
        }
        guard let member = members.first(where: { $0.key == bodyKey }) else {
            let keys = members.map { "\"\($0.key)\"" }.joined(separator: ", ")
            throw .missingBody(detail: "the JSON has no \"\(bodyKey)\" key (keys: \(keys.isEmpty ? "none" : keys))")
        }
        guard case let .string(body) = member.value else {
            throw .missingBody(detail: "\"\(bodyKey)\" is not a string")
        }
        return body
    }

    /// Blocks of a body whose tags were already stripped: one per non-empty line.
    static func strippedTextBlocks(_ body: String) -> [ReportBlock] {
        HTMLText.strippingTags(body).split(separator: "\n").compactMap { line in
            if let heading = SectionHeading.match(line) { return .heading(heading) }
            let paragraph = ReportWhitespace.normalise(line)
            return paragraph.isEmpty ? nil : .paragraph(paragraph)
        }
    }
}
