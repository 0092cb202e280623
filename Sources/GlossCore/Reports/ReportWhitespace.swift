/// Whitespace rules for report text: how a paragraph, heading or title is tidied.
///
/// Only whitespace changes; every other code point is kept as it is (no Unicode
/// normalisation), so offsets into the canonical text stay stable.
enum ReportWhitespace {
    /// Collapses each run of whitespace (spaces, tabs and line breaks) to one space and trims
    /// the ends. Paragraphs in the canonical text therefore never contain a line break.
    ///
    /// Only ASCII whitespace and the line/paragraph separators collapse; a no-break space
    /// (U+00A0) inside a paragraph is kept because it carries meaning ("10 %"), but it
    /// is trimmed from the ends like any other white space.
    static func normalise(_ text: some StringProtocol) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isCollapsible(scalar) {
                pendingSpace = true
                continue
            }
            if pendingSpace, !scalars.isEmpty { scalars.append(" ") }
            pendingSpace = false
            scalars.append(scalar)
        }
        return trimmed(String(scalars))
    }

    /// Trims white space (any Unicode white space, including U+00A0) from both ends.
    static func trimmed(_ text: some StringProtocol) -> String {
        let scalars = String(text).unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    static func isCollapsible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }
}
