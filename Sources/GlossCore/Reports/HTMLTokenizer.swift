/// One piece of an HTML document as ``HTMLTokenizer`` sees it.
enum HTMLToken: Equatable, Sendable {
    /// Character data, with entities decoded.
    case text(String)
    /// A start tag; names are lowercased, attribute values entity-decoded.
    case startTag(name: String, attributes: [String: String], selfClosing: Bool)
    case endTag(name: String)
    /// The whole content of a raw-text element (`script`, `style`, `title`, …); only `title`
    /// and `textarea` content is entity-decoded.
    case rawText(element: String, text: String)
}

/// A small, tolerant HTML tokenizer: enough of the HTML5 rules to read reports, written
/// here so the core needs no XML library.
///
/// - `<` starts a tag only when a letter, `/` + letter, `!` or `?` follows; otherwise it is text.
/// - Comments (`<!-- … -->`), doctypes, `<![CDATA[…]]>` and processing instructions are
///   dropped; an unclosed comment runs to the end of the input.
/// - Attribute values may be quoted with `"` or `'` (and may then contain `>`) or unquoted.
/// - The content of `script`, `style`, `noscript`, `template`, `title` and `textarea` is
///   read raw up to the matching end tag, so markup inside it never becomes text.
/// - A tag cut off by the end of the input is dropped.
struct HTMLTokenizer {
    /// Elements whose content is raw text up to their end tag.
    static let rawTextElements: Set<String> = ["script", "style", "noscript", "template", "title", "textarea"]
    /// Raw-text elements whose content is text with entities (RCDATA).
    static let decodedRawTextElements: Set<String> = ["title", "textarea"]

    private let bytes: [UInt8]
    private var index = 0
    private var tokens: [HTMLToken] = []
    private var textStart = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func tokenize(_ html: String) -> [HTMLToken] {
        var tokenizer = HTMLTokenizer(Array(html.utf8))
        tokenizer.run()
        return tokenizer.tokens
    }

    private mutating func run() {
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count else { index += 1; continue }
            let next = bytes[index + 1]
            if isLetter(next) {
                emitText(upTo: index)
                readStartTag()
            } else if next == UInt8(ascii: "/"), index + 2 < bytes.count, isLetter(bytes[index + 2]) {
                emitText(upTo: index)
                readEndTag()
            } else if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
                emitText(upTo: index)
                skipCommentLike()
            } else {
                index += 1
                continue
            }
            textStart = index
        }
        emitText(upTo: bytes.count)
    }

    private mutating func emitText(upTo end: Int) {
        guard end > textStart else { return }
        tokens.append(.text(HTMLEntities.decode(bytes[textStart..<end])))
        textStart = end
    }

    // MARK: - Tags

    private mutating func readStartTag() {
        index += 1 // <
        let name = readName()
        var attributes: [String: String] = [:]
        var selfClosing = false
        while true {
            skipWhitespace()
            guard index < bytes.count else { return } // cut off: drop the tag
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") { index += 1; break }
            if byte == UInt8(ascii: "/") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: ">") { selfClosing = true; index += 1; break }
                continue
            }
            let attribute = readAttributeName()
            skipWhitespace()
            var value = ""
            if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                index += 1
                skipWhitespace()
                guard let read = readAttributeValue() else { return }
                value = read
            }
            if attributes[attribute] == nil { attributes[attribute] = value }
        }
        tokens.append(.startTag(name: name, attributes: attributes, selfClosing: selfClosing))
        if Self.rawTextElements.contains(name), !selfClosing { readRawText(of: name) }
    }

    private mutating func readEndTag() {
        index += 2 // </
        let name = readName()
        // End tags carry no attributes; skip to '>' but respect quotes, as for start tags.
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                tokens.append(.endTag(name: name))
                return
            }
        }
    }

    /// Reads a raw-text element's content up to `</name` (any case) and its closing `>`.
    private mutating func readRawText(of name: String) {
        let start = index
        let closer = Array("</\(name)".utf8)
        var end = bytes.count
        var search = index
        while search + closer.count <= bytes.count {
            if bytes[search] == UInt8(ascii: "<"), matchesIgnoringCase(closer, at: search) {
                let after = search + closer.count
                if after == bytes.count || !isNameByte(bytes[after]) { end = search; break }
            }
            search += 1
        }
        let content = bytes[start..<end]
        let text = Self.decodedRawTextElements.contains(name)
            ? HTMLEntities.decode(content) : String(decoding: content, as: UTF8.self)
        tokens.append(.rawText(element: name, text: text))
        index = end
        if end < bytes.count { readEndTag() }
    }

    private mutating func readName() -> String {
        let start = index
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
    }

    private mutating func readAttributeName() -> String {
        let start = index
        // Per HTML, the first character may be anything but white space, '/' or '>' (even '=').
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if ReportText.isASCIIWhitespace(byte) || byte == UInt8(ascii: "/")
                || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "=") { break }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
    }

    /// Reads a quoted or unquoted attribute value; nil when the input ends inside quotes.
    private mutating func readAttributeValue() -> String? {
        guard index < bytes.count else { return "" }
        let quote = bytes[index]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            let start = index + 1
            guard let end = bytes[start...].firstIndex(of: quote) else { index = bytes.count; return nil }
            index = end + 1
            return HTMLEntities.decode(bytes[start..<end])
        }
        let start = index
        while index < bytes.count, !ReportText.isASCIIWhitespace(bytes[index]), bytes[index] != UInt8(ascii: ">") {
            index += 1
        }
        return HTMLEntities.decode(bytes[start..<index])
    }

    /// Skips a comment, doctype, CDATA section or processing instruction.
    private mutating func skipCommentLike() {
        if matches(Array("<!--".utf8), at: index) {
            index = firstIndex(of: Array("-->".utf8), from: index + 4).map { $0 + 3 } ?? bytes.count
        } else if matches(Array("<![CDATA[".utf8), at: index) {
            index = firstIndex(of: Array("]]>".utf8), from: index + 9).map { $0 + 3 } ?? bytes.count
        } else {
            index = bytes[index...].firstIndex(of: UInt8(ascii: ">")).map { $0 + 1 } ?? bytes.count
        }
    }

    // MARK: - Byte helpers

    private mutating func skipWhitespace() {
        while index < bytes.count, ReportText.isASCIIWhitespace(bytes[index]) { index += 1 }
    }

    private func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private func isNameByte(_ byte: UInt8) -> Bool {
        !(ReportText.isASCIIWhitespace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">"))
    }

    private func matches(_ pattern: [UInt8], at position: Int) -> Bool {
        position + pattern.count <= bytes.count && bytes[position..<position + pattern.count].elementsEqual(pattern)
    }

    private func matchesIgnoringCase(_ pattern: [UInt8], at position: Int) -> Bool {
        guard position + pattern.count <= bytes.count else { return false }
        return zip(bytes[position..<position + pattern.count], pattern).allSatisfy { lower($0) == lower($1) }
    }

    private func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    private func firstIndex(of pattern: [UInt8], from start: Int) -> Int? {
        var position = start
        while position + pattern.count <= bytes.count {
            if matches(pattern, at: position) { return position }
            position += 1
        }
        return nil
    }
}
