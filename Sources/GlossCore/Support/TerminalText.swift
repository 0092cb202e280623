/// Text that others wrote (comments, tags, titles, names), as a terminal may be given it.
///
/// A teammate's note is data, never instructions to the reader's terminal. Every such text goes
/// through here before `gloss` prints it (the `--json` output stays exact):
///
/// - control characters are shown, as git and less show them: C0 as `^X` (ESC as `^[`, BEL as
///   `^G`), DEL as `^?`, the C1 controls U+0080–U+009F as `<U+009B>`; so no escape sequence
///   (a window title, OSC 52 to the clipboard, a cleared screen) reaches the terminal;
/// - bidi controls are shown the same way (`<U+202E>`): embeddings, overrides and isolates
///   (U+202A–U+202E, U+2066–U+2069) cannot reorder what follows. The marks (U+200E, U+200F,
///   U+061C) stay, inside the field's isolate, where they can only order that field's text;
/// - a field that holds right-to-left text is wrapped in FSI … PDI (U+2068 … U+2069), so it is
///   laid out on its own and cannot pull its neighbours into its direction;
/// - a one-line field shows its line breaks as spaces, and a tab as a space.
///
/// Text without any of these (most text: ASCII, Latin, CJK, emoji) comes out unchanged.
/// Display widths (``Swift/StringProtocol/displayColumns``) are to be taken of the shown form:
/// `^[` takes two columns, FSI and PDI none.
public enum TerminalText {
    /// FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: the wrapper of a field.
    public static let isolateStart: Unicode.Scalar = "\u{2068}"
    public static let isolateEnd: Unicode.Scalar = "\u{2069}"

    /// One field on one line: shown (``shown(_:keepingLineBreaks:)``) and isolated
    /// (``isolated(_:)``).
    public static func safe(_ text: String) -> String {
        isolated(shown(text))
    }

    /// A text of several lines (a comment body): each line shown and isolated on its own.
    public static func safeLines(_ text: String) -> [String] {
        shown(text, keepingLineBreaks: true).split(separator: "\n", omittingEmptySubsequences: false).map { isolated(String($0)) }
    }

    /// The text with every control and bidi control made visible; line breaks (LF, CR LF,
    /// U+2028, U+2029) become spaces, or "\n" with `keepingLineBreaks`. Not yet isolated.
    public static func shown(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: needsShowing) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar.value {
            case 0x0A, 0x2028, 0x2029:
                out.append(keepingLineBreaks ? "\n" : " ")
            case 0x0D where index < scalars.count && scalars[index] == "\n":
                out.append(keepingLineBreaks ? "\n" : " ")
                index += 1
            case 0x09:
                out.append(" ")
            case 0x00..<0x20:
                out.append("^")
                out.append(Unicode.Scalar(UInt8(scalar.value + 0x40)))
            case 0x7F:
                out.append(contentsOf: "^?".unicodeScalars)
            case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                out.append(contentsOf: codePoint(scalar).unicodeScalars)
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `shown` (a text already shown: no bidi controls of its own) wrapped in FSI … PDI when it
    /// holds anything right to left; unchanged otherwise.
    public static func isolated(_ shown: String) -> String {
        guard shown.unicodeScalars.contains(where: isRightToLeft) else { return shown }
        var out = String.UnicodeScalarView()
        out.append(isolateStart)
        out.append(contentsOf: shown.unicodeScalars)
        out.append(isolateEnd)
        return String(out)
    }

    /// "<U+009B>": how a C1 or bidi control shows.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    /// Whether a scalar is changed by ``shown(_:keepingLineBreaks:)``.
    static func needsShowing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Whether a scalar may set a right-to-left direction: the blocks whose characters are by
    /// default right to left in Unicode's DerivedBidiClass.txt (Hebrew, Arabic, Syriac, Thaana,
    /// N'Ko, …, their presentation forms, and the right-to-left blocks of the supplementary
    /// planes), and the marks RLM, LRM and ALM. A few neutral characters in those blocks are
    /// counted too; isolating them changes nothing anyone sees.
    static func isRightToLeft(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0590...0x08FF, 0x200E, 0x200F, 0xFB1D...0xFDFF, 0xFE70...0xFEFE, 0x10800...0x10FFF, 0x1E800...0x1EFFF: true
        default: false
        }
    }
}
