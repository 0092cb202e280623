import Crypto
import Foundation

/// The `w3c` export: a W3C Web Annotation `AnnotationCollection` (JSON-LD) other tools read.
///
/// Every annotation that is not deleted becomes one `Annotation` in a single `AnnotationPage`,
/// in id order. Replies to a deleted annotation stay and still target its urn. Gloss-only
/// facts travel as `gloss:` properties (`gloss:status`, `gloss:visibility`, `gloss:judgment`
/// with `gloss:confidence` and `gloss:likelihood`, `gloss:conflict`, `gloss:revises`) that the
/// collection's `@context` defines (``W3CContext``), so a JSON-LD processor keeps them as full
/// IRIs and tools that only know the W3C terms ignore them.
public enum W3CExport {

    /// The collection as values, for callers that want to inspect it.
    public static func collection(_ input: ExportInput) -> W3CAnnotationCollection {
        let items = input.sortedAnnotations.filter { !$0.deleted }.map(annotation)
        let id = "urn:gloss:collection:" + contentHash(of: items)
        return W3CAnnotationCollection(
            id: id, total: items.count,
            first: W3CAnnotationPage(id: id + ":page:1", startIndex: 0, items: items))
    }

    /// The collection as pretty, key-sorted JSON: the same input always gives the same bytes.
    public static func data(_ input: ExportInput) throws -> Data {
        try JSON.encoder(pretty: true).encode(collection(input))
    }

    public static func urn(_ id: AnnotationID) -> String { "urn:gloss:annotation:\(id.rawValue)" }
    public static func urn(_ id: ReportID) -> String { "urn:sha256:\(id.rawValue)" }

    static func annotation(_ a: Annotation) -> W3CAnnotation {
        W3CAnnotation(
            id: urn(a.id),
            motivation: a.parent == nil ? a.motivation.rawValue : Motivation.replying.rawValue,
            creator: .init(name: a.author.rawValue),
            created: ExportText.timestamp(a.created),
            modified: ExportText.timestamp(a.updated),
            body: bodies(a),
            target: target(a),
            status: a.status == .resolved ? a.status.rawValue : nil,
            visibility: a.visibility == .private ? a.visibility.rawValue : nil,
            conflict: a.hasConflict ? a.bodyVersions.map {
                .init(value: $0.text, creator: .init(name: $0.author.rawValue), created: ExportText.timestamp($0.hlc))
            } : nil,
            revises: a.revises.map(urn))
    }

    static func bodies(_ a: Annotation) -> [W3CTextualBody]? {
        var bodies: [W3CTextualBody] = []
        if !a.body.isEmpty {
            bodies.append(.init(value: a.body, format: "text/markdown",
                                purpose: a.parent == nil ? "commenting" : "replying"))
        }
        bodies += ExportText.tags(a).map { W3CTextualBody(value: $0, purpose: "tagging") }
        if let judgment = a.judgment, !judgment.isEmpty {
            bodies.append(.init(value: ExportText.judgmentSentence(judgment), purpose: "assessing",
                                judgment: .init(confidence: judgment.confidence?.rawValue,
                                                likelihood: judgment.likelihood?.rawValue)))
        }
        return bodies.isEmpty ? nil : bodies
    }

    static func target(_ a: Annotation) -> W3CTarget {
        if let parent = a.parent { return .annotation(urn(parent)) }
        guard let target = a.target else { return .resource(.init(source: urn(a.report), selector: nil)) }
        return .resource(.init(source: urn(a.report), selector: [
            .init(type: "TextQuoteSelector", exact: target.quote.exact,
                  prefix: target.quote.prefix, suffix: target.quote.suffix),
            .init(type: "TextPositionSelector", start: target.position.start, end: target.position.end),
        ]))
    }

    /// A content id for the collection: a hash of each item's id and modification time.
    private static func contentHash(of items: [W3CAnnotation]) -> String {
        let lines = items.map { "\($0.id) \($0.modified)\n" }.joined()
        return SHA256.hash(data: Data(lines.utf8)).prefix(16).hexString
    }
}
