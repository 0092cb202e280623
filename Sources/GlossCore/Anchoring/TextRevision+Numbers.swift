/// The rule that a changed number under a quote always asks for review.
extension TextRevision {
    /// Whether the numbers under `span` in the old text and under `range` in the new text are
    /// the same, in order. A number cut by either edge counts whole, so a quote ending in the
    /// "1" of "12%" notices the "12" becoming "15".
    func sameNumbers(_ span: Range<Int>, _ range: Range<Int>) -> Bool {
        Self.numbers(in: old.scalars, Self.widened(span, in: old.scalars))
            == Self.numbers(in: new.scalars, Self.widened(range, in: new.scalars))
    }

    /// `range` grown to take in whole any number it cuts.
    static func widened(_ range: Range<Int>, in text: [Unicode.Scalar]) -> Range<Int> {
        func inNumber(_ i: Int) -> Bool {
            guard i >= 0, i < text.count else { return false }
            if isDigit(text[i]) { return true }
            // A separator counts inside a number: "1,200", "3.5".
            return (text[i] == "," || text[i] == ".") && i > 0 && i + 1 < text.count
                && isDigit(text[i - 1]) && isDigit(text[i + 1])
        }
        var lower = range.lowerBound, upper = range.upperBound
        if inNumber(lower) { while inNumber(lower - 1) { lower -= 1 } }
        if inNumber(upper - 1) { while inNumber(upper) { upper += 1 } }
        return lower..<upper
    }

    /// The numbers in `text[range]`, each as its digits and inner separators.
    static func numbers(in text: [Unicode.Scalar], _ range: Range<Int>) -> [String] {
        var found: [String] = [], current = String.UnicodeScalarView()
        for i in range {
            let scalar = text[i]
            let separator = (scalar == "," || scalar == ".") && !current.isEmpty && i + 1 < range.upperBound && isDigit(text[i + 1])
            if isDigit(scalar) || separator {
                current.append(scalar)
            } else if !current.isEmpty {
                found.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { found.append(String(current)) }
        return found
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.numericType == .decimal
    }
}
