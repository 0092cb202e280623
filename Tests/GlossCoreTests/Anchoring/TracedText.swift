/// A text being revised whose every scalar remembers its offset in the original (nil for
/// inserted text), so that where each original span ends up is known by construction.
struct TracedText {
    private(set) var scalars: [Unicode.Scalar]
    /// The original offset of each scalar, -1 for inserted ones.
    private var trace: [Int]
    let originalCount: Int

    init(_ original: [Unicode.Scalar]) {
        scalars = original
        trace = [Int](unsafeUninitializedCapacity: original.count) { buffer, count in
            for i in 0..<original.count { buffer[i] = i }
            count = original.count
        }
        originalCount = original.count
    }

    /// For each scalar, its offset in the original; nil when inserted.
    var origins: [Int?] {
        var out = [Int?](repeating: nil, count: trace.count)
        for i in trace.indices where trace[i] >= 0 { out[i] = trace[i] }
        return out
    }

    var string: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Where the original scalar `origin` stands now; the end for `originalCount`.
    func index(ofOrigin origin: Int) -> Int {
        if origin == originalCount { return scalars.count }
        // Scalars drift little from their first place: look there first, then outwards.
        let guess = min(origin, trace.count - 1)
        var distance = 0
        while guess - distance >= 0 || guess + distance < trace.count {
            if guess + distance < trace.count, trace[guess + distance] == origin { return guess + distance }
            if guess - distance >= 0, trace[guess - distance] == origin { return guess - distance }
            distance += 1
        }
        preconditionFailure("origin \(origin) was deleted")
    }

    /// Inserts new text before the original scalar `origin`.
    mutating func insert(_ text: String, beforeOrigin origin: Int) {
        let new = Array(text.unicodeScalars)
        let at = index(ofOrigin: origin)
        scalars.insert(contentsOf: new, at: at)
        trace.insert(contentsOf: [Int](repeating: -1, count: new.count), at: at)
    }

    /// Deletes the original scalars `range` (all still present and side by side).
    mutating func delete(origins range: Range<Int>) {
        guard !range.isEmpty else { return }
        let at = index(ofOrigin: range.lowerBound)
        scalars.removeSubrange(at..<(at + range.count))
        trace.removeSubrange(at..<(at + range.count))
    }

    /// Replaces the original scalars `range` with new text.
    mutating func replace(origins range: Range<Int>, with text: String) {
        let at = index(ofOrigin: range.lowerBound)
        delete(origins: range)
        let new = Array(text.unicodeScalars)
        scalars.insert(contentsOf: new, at: at)
        trace.insert(contentsOf: [Int](repeating: -1, count: new.count), at: at)
    }

    /// Moves the original scalars `range` before the original scalar `origin`, keeping their origins.
    mutating func move(origins range: Range<Int>, beforeOrigin origin: Int) {
        let at = index(ofOrigin: range.lowerBound)
        let block = Array(scalars[at..<(at + range.count)]), blockOrigins = Array(trace[at..<(at + range.count)])
        delete(origins: range)
        let to = index(ofOrigin: origin)
        scalars.insert(contentsOf: block, at: to)
        trace.insert(contentsOf: blockOrigins, at: to)
    }
}

/// Paragraphs (lines), sentences and words of a text, as scalar offsets.
struct TextLayout {
    struct Sentence {
        var range: Range<Int>
        var paragraph: Int
        var words: [Range<Int>]
    }
    let scalars: [Unicode.Scalar]
    private(set) var paragraphs: [Range<Int>] = []
    private(set) var sentences: [Sentence] = []

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
        var start = 0
        for i in 0...scalars.count where i == scalars.count || scalars[i] == "\n" {
            if i > start { paragraphs.append(start..<i) }
            start = i + 1
        }
        for (p, paragraph) in paragraphs.enumerated() {
            var sentenceStart = paragraph.lowerBound
            var i = paragraph.lowerBound
            while i < paragraph.upperBound {
                let end = i + 1
                if ".?!".unicodeScalars.contains(scalars[i]), end + 1 < paragraph.upperBound, scalars[end] == " ",
                   scalars[end + 1].properties.isUppercase || scalars[end + 1].properties.numericType != nil {
                    sentences.append(Sentence(range: sentenceStart..<end, paragraph: p, words: words(sentenceStart..<end)))
                    sentenceStart = end + 1
                    i = end + 1
                    continue
                }
                i += 1
            }
            sentences.append(Sentence(range: sentenceStart..<paragraph.upperBound, paragraph: p,
                                      words: words(sentenceStart..<paragraph.upperBound)))
        }
    }

    private func words(_ range: Range<Int>) -> [Range<Int>] {
        var found: [Range<Int>] = [], start: Int?
        for i in range {
            if scalars[i] == " " {
                if let s = start { found.append(s..<i) }
                start = nil
            } else if start == nil {
                start = i
            }
        }
        if let s = start { found.append(s..<range.upperBound) }
        return found
    }

    func text(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    func sentences(in paragraph: Int) -> [Sentence] { sentences.filter { $0.paragraph == paragraph } }

    /// The original offsets a sentence's deletion removes: the sentence and one space beside
    /// it, or its whole paragraph and one paragraph break when it is alone there.
    func deletion(of sentence: Sentence) -> Range<Int> {
        let paragraph = paragraphs[sentence.paragraph]
        if sentence.range == paragraph {
            return paragraph.upperBound + 2 <= scalars.count ? paragraph.lowerBound..<(paragraph.upperBound + 2)
                : max(0, paragraph.lowerBound - 2)..<paragraph.upperBound
        }
        return sentence.range.upperBound < paragraph.upperBound ? sentence.range.lowerBound..<(sentence.range.upperBound + 1)
            : (sentence.range.lowerBound - 1)..<sentence.range.upperBound
    }
}
