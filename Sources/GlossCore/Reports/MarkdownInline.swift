/// Removes light Markdown inline markup so it never reaches the canonical text.
///
/// - `**strong**`, `__strong__`, `*em*`, `_em_`, `~~struck~~` → their content; a delimiter
///   without a partner (`2 * 3`), or `_` inside a word (`snake_case`), stays.
/// - `` `code` `` → its content, taken literally.
/// - `[text](url)`, `[text][ref]` → text; `![alt](url)` → alt; `<https://…>` → the URL.
/// - A backslash before ASCII punctuation (`\*`) keeps the punctuation and drops the backslash.
enum MarkdownInline {
    static func strip(_ text: String) -> String {
        let pieces = Scanner(Array(text.unicodeScalars)).scan()
        return removingEmphasis(pieces)
    }

    /// A scalar of the text and whether it came from code or an escape (never markup).
    struct Piece {
        var scalar: Unicode.Scalar
        var literal: Bool
    }

    private static let asciiPunctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

    /// Pass 1: escapes, code spans, links, images and autolinks.
    private struct Scanner {
        private var asciiPunctuation: Set<Unicode.Scalar> { MarkdownInline.asciiPunctuation }
        let scalars: [Unicode.Scalar]
        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        func scan() -> [Piece] { scan(scalars[...]) }

        private func scan(_ text: ArraySlice<Unicode.Scalar>) -> [Piece] {
            var out: [Piece] = []
            var index = text.startIndex
            while index < text.endIndex {
                let scalar = text[index]
                let next = index + 1 < text.endIndex ? text[index + 1] : nil
                if scalar == "\\", let next, asciiPunctuation.contains(next) {
                    out.append(Piece(scalar: next, literal: true))
                    index += 2
                } else if scalar == "`", let span = codeSpan(in: text, at: index) {
                    out.append(contentsOf: span.content.map { Piece(scalar: $0, literal: true) })
                    index = span.end
                } else if scalar == "!", next == "[", let image = link(in: text, at: index + 1) {
                    out.append(contentsOf: scan(image.label))
                    index = image.end
                } else if scalar == "[", let link = link(in: text, at: index) {
                    out.append(contentsOf: scan(link.label))
                    index = link.end
                } else if scalar == "<", let autolink = autolink(in: text, at: index) {
                    out.append(contentsOf: autolink.url.map { Piece(scalar: $0, literal: true) })
                    index = autolink.end
                } else {
                    out.append(Piece(scalar: scalar, literal: false))
                    index += 1
                }
            }
            return out
        }

        /// A run of backticks closed by a run of the same length.
        private func codeSpan(in text: ArraySlice<Unicode.Scalar>, at start: Int) -> (content: ArraySlice<Unicode.Scalar>, end: Int)? {
            var open = start
            while open < text.endIndex, text[open] == "`" { open += 1 }
            let length = open - start
            var search = open
            while search < text.endIndex {
                guard text[search] == "`" else { search += 1; continue }
                var close = search
                while close < text.endIndex, text[close] == "`" { close += 1 }
                if close - search == length { return (text[open..<search], close) }
                search = close
            }
            return nil
        }

        /// `[label](destination)` or `[label][reference]` starting at `[`.
        private func link(in text: ArraySlice<Unicode.Scalar>, at start: Int) -> (label: ArraySlice<Unicode.Scalar>, end: Int)? {
            guard let labelEnd = matching("[", "]", in: text, from: start),
                  labelEnd + 1 < text.endIndex else { return nil }
            let opener = text[labelEnd + 1]
            let closer: Unicode.Scalar
            switch opener {
            case "(": closer = ")"
            case "[": closer = "]"
            default: return nil
            }
            guard let end = matching(opener, closer, in: text, from: labelEnd + 1) else { return nil }
            return (text[(start + 1)..<labelEnd], end + 1)
        }

        /// The index of the bracket closing the one at `start`, allowing nesting.
        private func matching(_ open: Unicode.Scalar, _ close: Unicode.Scalar,
                              in text: ArraySlice<Unicode.Scalar>, from start: Int) -> Int? {
            var depth = 0
            var index = start
            while index < text.endIndex {
                if text[index] == "\\" { index += 2; continue }
                if text[index] == open { depth += 1 }
                if text[index] == close { depth -= 1; if depth == 0 { return index } }
                index += 1
            }
            return nil
        }

        /// `<scheme://…>` or `<name@host>`, without spaces.
        private func autolink(in text: ArraySlice<Unicode.Scalar>, at start: Int) -> (url: ArraySlice<Unicode.Scalar>, end: Int)? {
            guard let end = text[start...].firstIndex(of: ">") else { return nil }
            let url = text[(start + 1)..<end]
            guard !url.isEmpty, !url.contains(where: { $0.properties.isWhitespace || $0 == "<" }) else { return nil }
            let string = String(String.UnicodeScalarView(url))
            guard string.contains("://") || string.contains("@") else { return nil }
            return (url, end + 1)
        }
    }

    /// Pass 2: removes paired emphasis delimiter runs.
    private static func removingEmphasis(_ pieces: [Piece]) -> String {
        struct Run { var start: Int; var length: Int; var mark: Unicode.Scalar }
        var removed = [Bool](repeating: false, count: pieces.count)
        var openers: [Run] = []
        var index = 0
        while index < pieces.count {
            let mark = pieces[index].scalar
            guard !pieces[index].literal, mark == "*" || mark == "_" || mark == "~" else { index += 1; continue }
            var end = index
            while end < pieces.count, !pieces[end].literal, pieces[end].scalar == mark { end += 1 }
            let run = Run(start: index, length: end - index, mark: mark)
            let before = index > 0 ? pieces[index - 1].scalar : nil
            let after = end < pieces.count ? pieces[end].scalar : nil
            let spaceBefore = before.map { $0.properties.isWhitespace } ?? true
            let spaceAfter = after.map { $0.properties.isWhitespace } ?? true
            let wordBefore = before.map(isWordScalar) ?? false
            let wordAfter = after.map(isWordScalar) ?? false
            var canOpen = !spaceAfter
            var canClose = !spaceBefore
            if mark == "_" {
                canOpen = canOpen && !wordBefore
                canClose = canClose && !wordAfter
            }
            if mark == "~", run.length < 2 { canOpen = false; canClose = false }

            if canClose, let partner = openers.lastIndex(where: { $0.mark == mark && $0.length == run.length }) {
                let opener = openers[partner]
                for offset in 0..<run.length {
                    removed[opener.start + offset] = true
                    removed[run.start + offset] = true
                }
                openers.removeSubrange(partner...)
            } else if canOpen {
                openers.append(run)
            }
            index = end
        }
        var scalars = String.UnicodeScalarView()
        for (offset, piece) in pieces.enumerated() where !removed[offset] { scalars.append(piece.scalar) }
        return String(scalars)
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
