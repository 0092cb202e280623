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

    /// Every place `quote` occurs, as code-point ranges, in order.
    public func occurrences(of quote: String) -> [Range<Int>] {
        let needle = Array(quote.unicodeScalars)
        guard !needle.isEmpty, needle.count <= scalars.count else { return [] }
        var found: [Range<Int>] = []
        let first = needle[0]
        var i = 0
        let last = scalars.count - needle.count
        while i <= last {
            if scalars[i] == first, scalars[i..<(i + needle.count)].elementsEqual(needle) {
                found.append(i..<(i + needle.count))
            }
            i += 1
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

    /// The target for a quote, choosing its `occurrence` (1-based) when it occurs more than once.
    public func target(quote: String, occurrence: Int?) throws -> Target {
        let found = occurrences(of: quote)
        guard !found.isEmpty else {
            throw GlossError(.quoteNotFound, "the quote \"\(Self.clip(quote))\" does not occur in the report",
                             hint: "copy the text exactly as `gloss show REPORT` prints it (quotes are case- and punctuation-sensitive)")
        }
        if let occurrence {
            guard (1...found.count).contains(occurrence) else {
                throw GlossError(.invalidArgument, "--occurrence \(occurrence) is out of range: the quote occurs \(found.count) time(s)",
                                 hint: "use a number from 1 to \(found.count)")
            }
            return target(for: found[occurrence - 1])
        }
        guard found.count == 1 else {
            let list = found.enumerated().map { index, range in
                "  \(index + 1): …\(context(around: range))…  (at \(range.lowerBound))"
            }.joined(separator: "\n")
            throw GlossError(.quoteAmbiguous, "the quote \"\(Self.clip(quote))\" occurs \(found.count) times:\n\(list)",
                             hint: "add --occurrence N to choose one")
        }
        return target(for: found[0])
    }

    /// The target for explicit code-point offsets.
    public func target(start: Int, end: Int) throws -> Target {
        guard start >= 0, end > start, end <= scalars.count else {
            throw GlossError(.invalidArgument, "offsets \(start)..<\(end) are outside the report (it has \(scalars.count) code points)",
                             hint: "use 0 <= start < end <= \(scalars.count)")
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
