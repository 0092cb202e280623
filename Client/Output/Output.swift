import Foundation
import GlossCommandLine
import GlossCore
import GlossReplica

/// Writing for people (text, colour on a terminal) and for scripts (JSON).
enum Output {
    /// Whether standard output is a terminal that wants colour (honours NO_COLOR).
    static let color: Bool = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        && ProcessInfo.processInfo.environment["TERM"] != "dumb"

    static func line(_ text: String = "") {
        print(text)
    }

    /// One row of a list (`list`, `log`, `search`, `reports`): on a terminal, cut with "…" at its
    /// width, so that rows never wrap into each other; into a file or a pipe, whole.
    static func row(_ text: String) {
        guard let columns = Terminal.columns() else { return print(text) }
        print(clip(styled: text, columns))
    }

    /// `s` (which may hold colour escapes) in at most `width` columns, cut with "…"; the
    /// escapes take no room, and the style of a cut row is reset.
    static func clip(styled s: String, _ width: Int) -> String {
        func visibleColumns(_ s: Substring) -> Int {
            var used = 0, inEscape = false
            for character in s {
                if inEscape { inEscape = !character.isLetter; continue }
                if character == "\u{1B}" { inEscape = true; continue }
                used += character.displayColumns
            }
            return used
        }
        guard width > 1, visibleColumns(s[...]) > width else { return s }
        var used = 0, inEscape = false, end = s.startIndex
        for index in s.indices {
            let character = s[index]
            if inEscape { inEscape = !character.isLetter; continue }
            if character == "\u{1B}" { inEscape = true; continue }
            used += character.displayColumns
            if used > width - 1 { break }
            end = s.index(after: index)
        }
        // An isolated field (``TerminalText``) cut short is closed here.
        var open = 0
        for character in s[..<end] {
            if character == "\u{2068}" { open += 1 } else if character == "\u{2069}" { open = max(0, open - 1) }
        }
        return s[..<end] + "…" + String(repeating: "\u{2069}", count: open) + (s.contains("\u{1B}") ? "\u{1B}[0m" : "")
    }

    /// Writes out what is buffered for standard output now. Into a file or a pipe it is
    /// block-buffered, which suits a command that ends soon; a long-running one (`gloss sync
    /// --watch`) flushes after each event, so every line shows as it happens.
    static func flush() {
        fflush(nil)
    }

    static func json<T: Encodable>(_ value: T) throws {
        print(try JSON.string(value, pretty: true))
    }

    static func warn(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func fail(_ error: CLIFailure, json: Bool) {
        FailureText.write(error.message, code: error.code.rawValue, hint: error.hint, json: json)
    }

    /// The last line of a list cut at `--limit`: on standard output for people, on standard
    /// error with `--json` (whose output stays one array).
    static func cut(shown: Int, of what: String, json: Bool) {
        let text = "… more than \(shown) \(what); showing the first \(shown) (--limit N for more)"
        if json { warn(text) } else { line(dim(text)) }
    }

    static func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    static func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    static func yellow(_ s: String) -> String { color ? "\u{1B}[33m\(s)\u{1B}[0m" : s }
    static func red(_ s: String) -> String { color ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
    static func green(_ s: String) -> String { color ? "\u{1B}[32m\(s)\u{1B}[0m" : s }

    /// Pads to a width in terminal columns (a CJK character or an emoji takes two).
    static func pad(_ s: String, _ width: Int) -> String {
        let columns = s.displayColumns
        return columns >= width ? s : s + String(repeating: " ", count: width - columns)
    }

    /// Text someone wrote (a name, a tag, a title) as one field of a line: controls shown as
    /// `^[`, bidi isolated (``TerminalText``). Every such text passes here, or through `clip`,
    /// `middle` or `lines`, which do the same.
    static func safe(_ s: String) -> String { TerminalText.safe(s) }

    /// A text of several lines someone wrote, each line made safe.
    static func lines(_ s: String) -> [String] { TerminalText.safeLines(s) }

    /// On one line, at most `width` terminal columns of its shown form, cut at the end with
    /// "…", made safe as `safe` does.
    static func clip(_ s: String, _ width: Int) -> String {
        let flat = TerminalText.shown(s)
        guard flat.displayColumns > width else { return TerminalText.isolated(flat) }
        return TerminalText.isolated(String(prefix(flat, columns: width - 1)) + "…")
    }

    /// Shortens in the middle, keeping the start and the end, so that titles that differ only
    /// at the end ("Port status, day 118" / "… day 119") stay different. Counted in columns of
    /// the shown form, made safe as `safe` does.
    static func middle(_ s: String, _ width: Int) -> String {
        let flat = TerminalText.shown(s)
        guard width > 1, flat.displayColumns > width else { return TerminalText.isolated(flat) }
        let tail = (width - 1) / 2, head = width - 1 - tail
        return TerminalText.isolated(String(prefix(flat, columns: head)) + "…" + String(suffix(flat, columns: tail)))
    }

    /// The longest start of `s` that fits in `columns`.
    static func prefix(_ s: String, columns: Int) -> Substring {
        var used = 0
        var end = s.startIndex
        for index in s.indices {
            used += s[index].displayColumns
            if used > columns { break }
            end = s.index(after: index)
        }
        return s[..<end]
    }

    /// The longest end of `s` that fits in `columns`.
    static func suffix(_ s: String, columns: Int) -> Substring {
        var used = 0
        var start = s.endIndex
        for index in s.indices.reversed() {
            used += s[index].displayColumns
            if used > columns { break }
            start = index
        }
        return s[start...]
    }

    /// Writes what `-o PATH` names (``OutputFile``: a file atomically, a link's target, a device
    /// or FIFO as a stream), refusing folders and anything inside the replica's home.
    static func write(_ data: Data, to path: String, home: URL) throws {
        let expanded = (path as NSString).expandingTildeInPath
        do {
            if case .file(let target, _) = try OutputFile.target(expanded),
               target.hasPrefix(home.standardizedFileURL.resolvingSymlinksInPath().path + "/") {
                throw CLIFailure.usage("\(path) is inside the Gloss home \(home.path)", hint: "write exports somewhere else")
            }
            try OutputFile.write(data, to: expanded)
        } catch let refusal as OutputFile.Refusal {
            throw refusal.usage ? CLIFailure.usage(refusal.message, hint: refusal.hint) : CLIFailure(.badFile, refusal.message, hint: refusal.hint)
        }
    }
}
