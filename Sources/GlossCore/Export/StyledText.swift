/// Terminal text being built: styled Characters wrapped into lines, with ANSI colour or without.
struct StyledText {
    enum Style: Hashable {
        case plain, title, summary, heading, highlight, marker, note, reply

        var ansi: String {
            switch self {
            case .plain: ""
            case .title: "\u{1B}[1m"
            case .summary: "\u{1B}[3m"
            case .heading: "\u{1B}[1;4m"
            case .highlight: "\u{1B}[30;43m"
            case .marker, .note: "\u{1B}[36m"
            case .reply: "\u{1B}[2m"
            }
        }
    }

    /// One Character (a whole grapheme cluster) and its style.
    struct Cell: Hashable {
        var character: Character
        var style: Style
    }

    let color: Bool
    private(set) var text = ""

    init(color: Bool) { self.color = color }

    mutating func blank() { text += "\n" }

    mutating func add(_ string: String, style: Style, width: Int, indent: String = "", hanging: String? = nil) {
        add([(string, style)], width: width, indent: indent, hanging: hanging)
    }

    /// Wraps the pieces to `width` terminal columns and appends the lines: the first after `indent`,
    /// the others after `hanging` (the same indent when nil).
    mutating func add(_ pieces: [(String, Style)], width: Int, indent: String = "", hanging: String? = nil) {
        let cells = pieces.flatMap { piece in piece.0.map { Cell(character: $0, style: piece.1) } }
        let hanging = hanging ?? indent
        let lines = Self.wrap(cells, width: max(width - max(indent.count, hanging.count), 10))
        // A field isolated in FSI … PDI (``TerminalText``) that wraps is closed at the end of
        // each line and opened again on the next: a terminal lays out each line on its own.
        var open = 0
        for (index, line) in lines.enumerated() {
            let reopened = String(repeating: "\u{2068}", count: open)
            for cell in line {
                if cell.character == "\u{2068}" { open += 1 } else if cell.character == "\u{2069}" { open = max(0, open - 1) }
            }
            text += (index == 0 ? indent : hanging) + reopened + render(line) + String(repeating: "\u{2069}", count: open) + "\n"
        }
    }

    private func render(_ line: [Cell]) -> String {
        guard color else { return String(line.map(\.character)) }
        var out = "", index = 0
        while index < line.count {
            let style = line[index].style
            var end = index
            while end < line.count, line[end].style == style { end += 1 }
            let chunk = String(line[index..<end].map(\.character))
            out += style == .plain ? chunk : style.ansi + chunk + "\u{1B}[0m"
            index = end
        }
        return out
    }

    /// Greedy wrapping to `width` terminal columns (``Swift/Character/displayColumns``: a CJK
    /// character or an emoji takes two). Lines break at spaces and, as CJK typesetting does,
    /// between wide characters, but not before closing punctuation ("。", "」") nor after opening
    /// brackets. Line breaks in the text break lines; a word wider than a line is cut between
    /// Characters. Runs of spaces collapse to one (keeping the first one's style).
    static func wrap(_ cells: [Cell], width: Int) -> [[Cell]] {
        var lines: [[Cell]] = []
        for paragraph in cells.split(omittingEmptySubsequences: false, whereSeparator: { $0.character.isNewline }) {
            var line: [Cell] = [], columns = 0
            for token in tokens(paragraph) {
                let gap = token.gap.map { [Cell(character: " ", style: $0.style)] } ?? []
                let wordColumns = token.word.reduce(0) { $0 + $1.character.displayColumns }
                if !line.isEmpty, columns + gap.count + wordColumns <= width {
                    line += gap + token.word
                    columns += gap.count + wordColumns
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                line = []
                columns = 0
                for cell in token.word {
                    let cellColumns = cell.character.displayColumns
                    if columns + cellColumns > width, !line.isEmpty {
                        lines.append(line)
                        line = []
                        columns = 0
                    }
                    line.append(cell)
                    columns += cellColumns
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// Closing punctuation that must not begin a line, and opening brackets that must not end one.
    static let closing: Set<Character> = Set("、。，．：；！？）」』】〕〉》〙〗〛ー々ゝゞ・)]},.;:!?%")
    static let opening: Set<Character> = Set("（「『【〔〈《〘〖〚")

    /// The paragraph as words that lines may break between, each with the space before it (nil
    /// when it follows the word before with no space, as CJK characters do).
    static func tokens(_ cells: ArraySlice<Cell>) -> [(gap: Cell?, word: [Cell])] {
        var tokens: [(gap: Cell?, word: [Cell])] = []
        var word: [Cell] = [], gap: Cell?, breakAfter = false
        func flush() {
            guard !word.isEmpty else { return }
            tokens.append((gap, word))
            word = []
            gap = nil
        }
        for cell in cells {
            let character = cell.character
            if character == " " || character == "\t" {
                flush()
                if gap == nil { gap = cell }
                breakAfter = false
                continue
            }
            if closing.contains(character) {
                word.append(cell)
                continue
            }
            let wide = character.displayColumns == 2
            if wide || breakAfter, let last = word.last, !opening.contains(last.character) { flush() }
            word.append(cell)
            breakAfter = wide && !opening.contains(character)
        }
        flush()
        return tokens
    }
}
