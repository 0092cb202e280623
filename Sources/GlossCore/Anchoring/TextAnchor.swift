/// Finds quotes in a report's canonical text and builds W3C selectors for them.
///
/// Positions count Unicode code points (scalars), as `TextPositionSelector` requires, so an
/// emoji made of several code points spans several positions.
public struct TextAnchor: Sendable {
    /// Characters of context kept either side of a quote in a `TextQuoteSelector`.
    public static let contextLength = 32

    public let scalars: [Unicode.Scalar]

    public init(text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Every place `quote` occurs code point for code point, as ranges, in order: for quotes
    /// taken from a report's own text (a stored selector), which are in its form already.
    ///
    /// Knuth–Morris–Pratt, so the search is linear in the text and the quote whatever they
    /// hold: a plain scan is O(text × quote) on a text made of near-copies of the quote.
    public func occurrences(of quote: String) -> [Range<Int>] {
        let needle = Array(quote.unicodeScalars)
        guard !needle.isEmpty, needle.count <= scalars.count else { return [] }
        // failure[i]: the length of the longest proper border of needle[0...i].
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in 1..<needle.count {
            while k > 0, needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        var found: [Range<Int>] = []
        k = 0
        for (i, scalar) in scalars.enumerated() {
            while k > 0, scalar != needle[k] { k = failure[k - 1] }
            if scalar == needle[k] { k += 1 }
            if k == needle.count {
                found.append((i + 1 - k)..<(i + 1))
                k = failure[k - 1]
            }
        }
        return found
    }

    /// Where a quote someone typed occurs: text canonically equivalent to it (so precomposed
    /// "Zoë" finds a decomposed one, and the reverse), starting and ending between grapheme
    /// clusters, as code-point ranges of the report's own text, in order.
    ///
    /// Swift compares Characters by canonical equivalence, so this needs no normalisation
    /// tables; the offsets stay those of the text as stored, whatever its form.
    public func matches(of typed: String) -> [Range<Int>] {
        let needle = Array(typed)
        guard let first = needle.first else { return [] }
        let text = String(String.UnicodeScalarView(scalars))
        var characters: [Character] = [], offsets: [Int] = [0]
        characters.reserveCapacity(scalars.count)
        offsets.reserveCapacity(scalars.count + 1)
        for character in text {
            characters.append(character)
            offsets.append(offsets[offsets.count - 1] + character.unicodeScalars.count)
        }
        guard needle.count <= characters.count else { return [] }
        var found: [Range<Int>] = []
        for i in 0...(characters.count - needle.count)
        where characters[i] == first && characters[i..<(i + needle.count)].elementsEqual(needle) {
            found.append(offsets[i]..<offsets[i + needle.count])
        }
        return found
    }

    /// The text between two code-point offsets.
    public func text(in range: Range<Int>) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[range])
        return String(out)
    }

    /// Both selectors for a code-point range.
    public func target(for range: Range<Int>) -> Target {
        let prefixStart = max(0, range.lowerBound - Self.contextLength)
        let suffixEnd = min(scalars.count, range.upperBound + Self.contextLength)
        return Target(
            quote: TextQuoteSelector(exact: text(in: range),
                                     prefix: text(in: prefixStart..<range.lowerBound),
                                     suffix: text(in: range.upperBound..<suffixEnd)),
            position: TextPositionSelector(start: range.lowerBound, end: range.upperBound))
    }

    /// The target for a quote someone typed (``matches(of:)``), choosing its `occurrence`
    /// (1-based) when it occurs more than once.
    public func target(quote: String, occurrence: Int?) throws -> Target {
        let found = matches(of: quote)
        guard !found.isEmpty else { throw AnchorError.quoteNotFound(quote: Self.clip(quote)) }
        if let occurrence {
            guard (1...found.count).contains(occurrence) else {
                throw AnchorError.occurrenceOutOfRange(occurrence, count: found.count)
            }
            return target(for: found[occurrence - 1])
        }
        guard found.count == 1 else {
            throw AnchorError.quoteAmbiguous(quote: Self.clip(quote), places: found.map { range in
                .init(start: range.lowerBound, context: context(around: range))
            })
        }
        return target(for: found[0])
    }

    /// The target for explicit code-point offsets.
    public func target(start: Int, end: Int) throws -> Target {
        guard start >= 0, end > start, end <= scalars.count else {
            throw AnchorError.outsideText(start: start, end: end, length: scalars.count)
        }
        return target(for: start..<end)
    }

    func context(around range: Range<Int>) -> String {
        let from = max(0, range.lowerBound - 20), to = min(scalars.count, range.upperBound + 20)
        return text(in: from..<to).replacingOccurrences(of: "\n", with: " ")
    }

    static func clip(_ text: String, to length: Int = 60) -> String {
        text.count <= length ? text : String(text.prefix(length)) + "…"
    }
}

/// Why a quote or offsets name no one place in a report's text.
public enum AnchorError: Error, Equatable, Sendable, CustomStringConvertible {
    case quoteNotFound(quote: String)
    /// The quote occurs at each of `places`; an occurrence number chooses one.
    case quoteAmbiguous(quote: String, places: [Place])
    case occurrenceOutOfRange(Int, count: Int)
    case outsideText(start: Int, end: Int, length: Int)

    /// Where a quote occurs: its first code point, and the text around it.
    public struct Place: Equatable, Sendable {
        public var start: Int
        public var context: String
    }

    public var description: String {
        switch self {
        case let .quoteNotFound(quote): "the quote \"\(quote)\" does not occur in the report"
        case let .quoteAmbiguous(quote, places):
            "the quote \"\(quote)\" occurs \(places.count) times:\n" + places.enumerated().map { index, place in
                "  \(index + 1): …\(place.context)…  (at \(place.start))"
            }.joined(separator: "\n")
        case let .occurrenceOutOfRange(occurrence, count): "occurrence \(occurrence) is out of range: the quote occurs \(count) time(s)"
        case let .outsideText(start, end, length): "offsets \(start)..<\(end) are outside the report (it has \(length) code points)"
        }
    }
}
