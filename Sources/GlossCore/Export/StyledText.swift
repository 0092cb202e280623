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

    /// Wraps the pieces to `width` Characters and appends the lines: the first after `indent`,
    /// the others after `hanging` (the same indent when nil).
    mutating func add(_ pieces: [(String, Style)], width: Int, indent: String = "", hanging: String? = nil) {
        let cells = pieces.flatMap { piece in piece.0.map { Cell(character: $0, style: piece.1) } }
        let hanging = hanging ?? indent
        let lines = Self.wrap(cells, width: max(width - max(indent.count, hanging.count), 10))
        for (index, line) in lines.enumerated() {
            text += (index == 0 ? indent : hanging) + render(line) + "\n"
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

    /// Greedy wrapping on spaces; line breaks in the text break lines; an overlong word is cut
    /// between Characters. Runs of spaces collapse to one (keeping the first one's style).
    static func wrap(_ cells: [Cell], width: Int) -> [[Cell]] {
        var lines: [[Cell]] = []
        for paragraph in cells.split(omittingEmptySubsequences: false, whereSeparator: { $0.character.isNewline }) {
            var words: [(space: Cell?, word: [Cell])] = []
            var current: [Cell] = [], space: Cell?
            for cell in paragraph {
                if cell.character == " " || cell.character == "\t" {
                    if !current.isEmpty { words.append((space, current)); current = []; space = nil }
                    if space == nil { space = cell }
                } else {
                    current.append(cell)
                }
            }
            if !current.isEmpty { words.append((space, current)) }
            var line: [Cell] = []
            for (space, word) in words {
                var word = word
                if !line.isEmpty, line.count + 1 + word.count <= width {
                    line.append(Cell(character: " ", style: space?.style ?? .plain))
                    line += word
                } else {
                    if !line.isEmpty { lines.append(line) }
                    while word.count > width {
                        lines.append(Array(word.prefix(width)))
                        word.removeFirst(width)
                    }
                    line = word
                }
            }
            lines.append(line)
        }
        return lines
    }
}
