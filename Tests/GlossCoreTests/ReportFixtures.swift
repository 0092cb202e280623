import Foundation
@testable import GlossCore

/// Loads the report files under `Fixtures/reports/` that the tests parse.
enum ReportFixtures {
    static func data(_ path: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: "Fixtures/reports/\(path)", withExtension: nil) else {
            throw MissingFixture(path: path)
        }
        return try Data(contentsOf: url)
    }

    static func report(_ path: String) throws -> Report {
        try ReportParser.parse(data(path), fileName: (path as NSString).lastPathComponent)
    }

    /// The error `parse` throws, or nil when it succeeds.
    static func refusal(_ data: Data, fileName: String) -> ReportImportError? {
        do {
            _ = try ReportParser.parse(data, fileName: fileName)
            return nil
        } catch {
            return error
        }
    }

    struct MissingFixture: Error { var path: String }
}

extension String {
    /// Whether `needle`'s UTF-8 bytes appear, exactly, in this string's bytes.
    func containsBytes(of needle: String) -> Bool {
        Data(utf8).range(of: Data(needle.utf8)) != nil
    }
}

extension Report {
    var headings: [String] { sections.map(\.heading) }
    var paragraphs: [String] { sections.flatMap(\.paragraphs) }
}
