/// What others wrote, as Markdown for the brief: nothing in it can become markup the brief did
/// not write, load anything, or run.
///
/// **What a note may carry.** A note's text keeps emphasis (`*a*`, `_a_`, `**a**`) and code
/// spans (`` `a` ``). A link `[text](address)` shows as `text (address)`: the reader sees where
/// it points. An image `![alt](address)` shows the same way, `alt (image: address)`, and is
/// never loaded. Everything else is text: raw HTML, entities (`&lt;`), autolinks in angle
/// brackets, footnotes, reference definitions, tables, strikethrough, headings, block quotes,
/// lists and code blocks show as typed, their markup characters escaped. Leading spaces of a
/// line are dropped (no indented code block). A body's lines are set under its note's head by
/// ``MarkdownExport`` (in a block quote when it has several), so no line of it can start a
/// list item, a footnote or a heading of the brief's own: a reply cannot be forged.
///
/// Names, tags, titles and the report's text are escaped whole (``escape(_:keepingLineBreaks:)``).
/// Control characters and bidi controls in any of them show as ``TerminalText`` shows them
/// (`^[`, `<U+202E>`): a brief printed to a terminal sets no title, and an override cannot
/// make a line read backwards in a viewer.
enum MarkdownText {
    /// Escaped anywhere outside a code span: what CommonMark and GFM may read as markup inline
    /// or at the start of a block (`<` and `&` for HTML and entities, `!` and `[` for images,
    /// links and footnotes).
    static let markup: Set<Character> = Set("\\`*_[]<>#|~=!&")

    /// Backslash-escapes every character that Markdown (CommonMark, GFM) reads as markup, so
    /// that the text shows as written. Line breaks become spaces: a name, a tag or a title is
    /// one line.
    static func escape(_ text: String, keepingLineBreaks: Bool = false) -> String {
        var out = ""
        for character in TerminalText.shown(text, keepingLineBreaks: keepingLineBreaks) {
            if character.isNewline, !keepingLineBreaks { out.append(" "); continue }
            if markup.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// A note's text as lines of the brief's Markdown, each made safe by ``line(_:)``.
    static func lines(_ text: String) -> [String] {
        TerminalText.shown(text, keepingLineBreaks: true).split(separator: "\n", omittingEmptySubsequences: false).map { line(String($0)) }
    }

    /// One line of a note: emphasis and code spans kept, links and images shown as text with
    /// their address, every other markup character escaped, and no block can start. Linear in
    /// the line's length, whatever brackets and backticks it holds (``Marks``).
    static func line(_ text: String) -> String {
        let characters = Array(TerminalText.shown(text).drop { $0 == " " })
        let marks = Marks(characters)
        var out = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "`" {
                let run = marks.runLength[index] ?? 1
                if let close = marks.closingRun[index] {
                    // A code span shows its content literally (and escaped by the renderer).
                    out += String(characters[index..<(close + run)])
                    index = close + run
                } else {
                    out += String(repeating: "\\`", count: run)
                    index += run
                }
                continue
            }
            let image = character == "!" && index + 1 < characters.count && characters[index + 1] == "["
            if character == "[" || image, let link = marks.link(in: characters, at: image ? index + 1 : index) {
                let shown = escape(link.text), address = escape(link.address)
                out += image ? "\(shown) (image: \(address))" : (shown.isEmpty ? address : "\(shown) (\(address))")
                index = link.end
                continue
            }
            if character == "*" || character == "_" {
                out.append(character)
            } else {
                if markup.contains(character) { out.append("\\") }
                out.append(character)
            }
            index += 1
        }
        return blockSafe(out)
    }

    /// `line` with what could still open a block at its start escaped: a bullet (`-`, `+`, `*`
    /// and a space), a thematic break or setext underline (`***`, `___`, `---`), an ordered
    /// list's number (`1.`, `1)`).
    static func blockSafe(_ line: String) -> String {
        guard let first = line.first else { return line }
        let second = line.dropFirst().first
        if first == "-" || first == "+" { return "\\" + line }
        if first == "*", second == nil || second == " " || second == "\t" { return "\\" + line }
        if first == "*" || first == "_", line.allSatisfy({ $0 == first || $0 == " " || $0 == "\t" }) { return "\\" + line }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9, let after = line.dropFirst(digits.count).first, after == "." || after == ")" {
            return digits + "\\" + line.dropFirst(digits.count)
        }
        return line
    }

    /// Where a line's code spans and links close, found in one pass each: for a backtick run,
    /// the next run of the same length (CommonMark's rule); for a `[`, the first bracket after
    /// it, which must be the `]` of `](`; for a `(`, its matching `)`.
    struct Marks {
        /// At the start of each backtick run: its length, and where its closing run starts.
        var runLength: [Int: Int] = [:]
        var closingRun: [Int: Int] = [:]
        /// For each index, the next `[` or `]` at or after it (the count when none).
        var nextBracket: [Int]
        /// For each `(`, its matching `)`.
        var closing: [Int: Int] = [:]

        init(_ characters: [Character]) {
            nextBracket = Array(repeating: characters.count, count: characters.count + 1)
            for index in stride(from: characters.count - 1, through: 0, by: -1) {
                nextBracket[index] = characters[index] == "[" || characters[index] == "]" ? index : nextBracket[index + 1]
            }
            var open: [Int] = []
            var lastRun: [Int: Int] = [:]   // by length, the latest run seen from the end
            var runs: [(start: Int, length: Int)] = []
            var index = 0
            while index < characters.count {
                switch characters[index] {
                case "(": open.append(index)
                case ")": if let start = open.popLast() { closing[start] = index }
                case "`":
                    let length = characters[index...].prefix { $0 == "`" }.count
                    runs.append((index, length))
                    index += length
                    continue
                default: break
                }
                index += 1
            }
            for run in runs.reversed() {
                runLength[run.start] = run.length
                closingRun[run.start] = lastRun[run.length]
                lastRun[run.length] = run.start
            }
        }

        /// A link `[text](address "title")` whose `[` is at `start`: its text, its address (with
        /// any title, as written) and the index after its `)`. Its text holds no bracket.
        func link(in characters: [Character], at start: Int) -> (text: String, address: String, end: Int)? {
            let close = nextBracket[start + 1]
            guard close + 1 < characters.count, characters[close] == "]", characters[close + 1] == "(",
                  let end = closing[close + 1] else { return nil }
            var address = String(characters[(close + 2)..<end]).trimmingSpaces()
            if address.hasPrefix("<"), let bracket = address.firstIndex(of: ">") {
                address = String(address[address.index(after: address.startIndex)..<bracket]) + address[address.index(after: bracket)...]
            }
            return (String(characters[(start + 1)..<close]), address, end + 1)
        }
    }
}

private extension String {
    func trimmingSpaces() -> String {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map(index(after:)) ?? start
        return start < end ? String(self[start..<end]) : ""
    }
}
