/// The JSON-LD shapes of the W3C Web Annotation Data Model that `W3CExport` writes.
public struct W3CAnnotationCollection: Codable, Hashable, Sendable {
    enum CodingKeys: String, CodingKey { case context = "@context", id, type, total, first }
    public var context = W3CContext()
    public var id: String
    public var type = "AnnotationCollection"
    public var total: Int
    public var first: W3CAnnotationPage
}

public struct W3CAnnotationPage: Codable, Hashable, Sendable {
    public var id: String
    public var type = "AnnotationPage"
    public var startIndex: Int
    public var items: [W3CAnnotation]
}

public struct W3CAnnotation: Codable, Hashable, Sendable {
    enum CodingKeys: String, CodingKey {
        case id, type, motivation, creator, created, modified, body, target
        case status = "gloss:status", visibility = "gloss:visibility", conflict = "gloss:conflict", revises = "gloss:revises"
    }
    public var id: String
    public var type = "Annotation"
    public var motivation: String
    public var creator: W3CPerson
    public var created: String
    public var modified: String
    public var body: [W3CTextualBody]?
    public var target: W3CTarget
    /// `resolved`, when it is; absent while open.
    public var status: String?
    /// `private`, when it is; absent for team annotations.
    public var visibility: String?
    /// Every side of an unresolved body conflict, newest first (a JSON-LD list, so the order
    /// survives); absent without one.
    public var conflict: [W3CBodyVersion]?
    /// For a revision link (`linking`): the urn of the earlier report the target revises.
    public var revises: String?
}

public struct W3CPerson: Codable, Hashable, Sendable {
    public var type = "Person"
    public var name: String
}

public struct W3CTextualBody: Codable, Hashable, Sendable {
    enum CodingKeys: String, CodingKey { case type, value, format, purpose, judgment = "gloss:judgment" }
    public var type = "TextualBody"
    public var value: String
    public var format: String?
    public var purpose: String
    public var judgment: W3CJudgment?

    init(value: String, format: String? = nil, purpose: String, judgment: W3CJudgment? = nil) {
        self.value = value
        self.format = format
        self.purpose = purpose
        self.judgment = judgment
    }
}

/// The machine-readable judgment: ICD 203 terms as Gloss spells them.
public struct W3CJudgment: Codable, Hashable, Sendable {
    enum CodingKeys: String, CodingKey { case confidence = "gloss:confidence", likelihood = "gloss:likelihood" }
    public var confidence: String?
    public var likelihood: String?
}

/// One side of a body conflict, in the W3C's own terms: a `TextualBody` with its creator and time.
public struct W3CBodyVersion: Codable, Hashable, Sendable {
    public var type = "TextualBody"
    public var value: String
    public var creator: W3CPerson
    public var created: String
}

/// The `@context`: the W3C's, then Gloss's own terms, so that a JSON-LD processor expands
/// them to full IRIs instead of dropping them:
///
/// ```json
/// ["http://www.w3.org/ns/anno.jsonld",
///  {"gloss": "urn:gloss:ns#",
///   "gloss:conflict": {"@id": "gloss:conflict", "@container": "@list"},
///   "gloss:revises": {"@id": "gloss:revises", "@type": "@id"}}]
/// ```
///
/// `gloss:status`, `gloss:visibility`, `gloss:judgment`, `gloss:confidence` and
/// `gloss:likelihood` are compact IRIs under the `gloss` prefix with string values. The prefix
/// is a name, not an address: nothing is fetched from it (Gloss's ids are `urn:gloss:…` too).
/// The W3C test suite takes an array that holds the anno.jsonld URL.
public struct W3CContext: Codable, Hashable, Sendable {
    public static let annotationContext = "http://www.w3.org/ns/anno.jsonld"
    public static let namespace = "urn:gloss:ns#"

    struct Terms: Codable, Hashable, Sendable {
        struct Definition: Codable, Hashable, Sendable {
            enum CodingKeys: String, CodingKey { case id = "@id", container = "@container", type = "@type" }
            var id: String
            var container: String?
            var type: String?
        }
        enum CodingKeys: String, CodingKey { case gloss, conflict = "gloss:conflict", revises = "gloss:revises" }
        var gloss = W3CContext.namespace
        var conflict = Definition(id: "gloss:conflict", container: "@list")
        var revises = Definition(id: "gloss:revises", type: "@id")
    }

    var terms = Terms()

    public init() {}

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let first = try container.decode(String.self)
        guard first == Self.annotationContext else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "the first context is not \(Self.annotationContext)")
        }
        terms = try container.decode(Terms.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(Self.annotationContext)
        try container.encode(terms)
    }
}

/// A target: a part of a report (`SpecificResource`), or, for a reply, the parent's urn.
public enum W3CTarget: Codable, Hashable, Sendable {
    case resource(W3CSpecificResource)
    case annotation(String)

    public init(from decoder: any Decoder) throws {
        if let urn = try? decoder.singleValueContainer().decode(String.self) {
            self = .annotation(urn)
        } else {
            self = .resource(try W3CSpecificResource(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case let .resource(resource): try resource.encode(to: encoder)
        case let .annotation(urn):
            var c = encoder.singleValueContainer()
            try c.encode(urn)
        }
    }
}

public struct W3CSpecificResource: Codable, Hashable, Sendable {
    public var source: String
    /// Absent for a note on the whole report.
    public var selector: [W3CSelector]?
}

/// A `TextQuoteSelector` (exact, prefix, suffix) or a `TextPositionSelector` (start, end).
public struct W3CSelector: Codable, Hashable, Sendable {
    public var type: String
    public var exact: String?
    public var prefix: String?
    public var suffix: String?
    public var start: Int?
    public var end: Int?

    init(type: String, exact: String? = nil, prefix: String? = nil, suffix: String? = nil,
         start: Int? = nil, end: Int? = nil) {
        self.type = type
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
        self.start = start
        self.end = end
    }
}
