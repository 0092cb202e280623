import Foundation
import GlossCore

/// libFuzzer entry point for the report parser: any bytes, under each file name the parser
/// tells apart (seed/plain text, Markdown, HTML), must give a report or a `ReportImportError`,
/// never a crash, and a report whose id is the SHA-256 of its text.
///
/// Built as a plain dynamic library by `swift build`; `scripts/fuzz.sh` rebuilds it with
/// `-sanitize=fuzzer,address` and links it into a libFuzzer binary.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReports(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    for name in ["report.txt", "report.md", "report.html"] {
        guard let report = try? ReportParser.parse(bytes, fileName: name) else { continue }
        precondition(report.id == ReportID(sha256Of: report.text), "a parsed report's id must be the SHA-256 of its text")
        precondition(!report.text.isEmpty, "a parsed report has text")
    }
    return 0
}
