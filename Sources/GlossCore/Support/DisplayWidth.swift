/// How many terminal columns text takes, as terminals draw it (after `wcwidth` and Unicode's
/// East Asian Width, UAX #11): East Asian wide and fullwidth characters and emoji take two,
/// combining marks and joiners none, everything else one.
///
/// Measured per grapheme cluster (`Character`): "é" written as e + U+0301 is one column, a
/// family emoji joined by ZWJs is two, "界" is two.
extension Character {
    public var displayColumns: Int {
        let scalars = unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F { return first.value < 0x20 ? 0 : 1 }   // ASCII, the common case
        if isNewline { return 0 }
        // An emoji presentation: by default, or asked for with VS16, or a flag (two regional indicators).
        let properties = first.properties
        if properties.isEmojiPresentation || (properties.isEmoji && scalars.contains("\u{FE0F}"))
            || (0x1F1E6...0x1F1FF).contains(first.value) {
            return 2
        }
        if DisplayWidth.isWide(first) { return 2 }
        // A cluster of nothing but marks and format characters (a lone combining accent, a ZWJ).
        if scalars.allSatisfy({ DisplayWidth.isZeroWidth($0) }) { return 0 }
        return 1
    }
}

extension StringProtocol {
    /// The columns this text takes on one terminal line.
    public var displayColumns: Int { reduce(0) { $0 + $1.displayColumns } }
}

/// The tables behind ``Swift/Character/displayColumns``.
public enum DisplayWidth {
    /// East Asian Wide (W) and Fullwidth (F) ranges, after Unicode 15's EastAsianWidth.txt,
    /// without the emoji (which ``Swift/Character/displayColumns`` finds by their properties).
    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F,   // Hangul Jamo initial consonants
        0x2329...0x232A,   // angle brackets
        0x2E80...0x303E,   // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        0x3041...0x33FF,   // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed
        0x3400...0x4DBF,   // CJK Extension A
        0x4E00...0x9FFF,   // CJK Unified Ideographs
        0xA000...0xA4CF,   // Yi
        0xA960...0xA97F,   // Hangul Jamo Extended-A
        0xAC00...0xD7A3,   // Hangul syllables
        0xF900...0xFAFF,   // CJK compatibility ideographs
        0xFE10...0xFE19, 0xFE30...0xFE6F,   // vertical forms, CJK compatibility forms, small forms
        0xFF00...0xFF60, 0xFFE0...0xFFE6,   // fullwidth forms
        0x16FE0...0x16FE4, 0x17000...0x18CFF,   // Tangut, Khitan
        0x1B000...0x1B2FF,   // Kana supplement and extended, Nushu
        0x1F200...0x1F2FF,   // enclosed ideographic supplement
        0x20000...0x2FFFD, 0x30000...0x3FFFD,   // CJK Extensions B–I
    ]

    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        guard value >= 0x1100 else { return false }
        var low = 0, high = wide.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if wide[middle].upperBound < value { low = middle + 1 } else if wide[middle].lowerBound > value { high = middle - 1 } else { return true }
        }
        return false
    }

    /// Combining marks, enclosing marks, format characters (ZWJ, ZWNJ, soft hyphen) and
    /// variation selectors: drawn on the character before, or not at all.
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: true
        default: scalar.properties.isVariationSelector
        }
    }
}
