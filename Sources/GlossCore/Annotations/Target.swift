/// W3C `TextQuoteSelector`: the quoted text and a little context either side.
public struct TextQuoteSelector: Codable, Hashable, Sendable {
    public var exact: String
    public var prefix: String
    public var suffix: String
    public init(exact: String, prefix: String, suffix: String) {
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
    }
}

/// W3C `TextPositionSelector`: start and end in Unicode code points of the canonical text.
public struct TextPositionSelector: Codable, Hashable, Sendable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// What an annotation points at: always both selectors, so other tools can re-anchor it.
public struct Target: Codable, Hashable, Sendable {
    public var quote: TextQuoteSelector
    public var position: TextPositionSelector
    /// The report the selectors point into, when it is not the annotation's own: a later
    /// version, where a person settled a note carried over by a revision (`gloss review
    /// accept`, `gloss retarget`).
    public var source: ReportID?
    public init(quote: TextQuoteSelector, position: TextPositionSelector, source: ReportID? = nil) {
        self.quote = quote
        self.position = position
        self.source = source
    }
}
