import GlossCore
import GlossTestSupport

/// The re-anchoring corpus (docs/ANCHORING.md): notes on report texts, each carried over one
/// revision made by a known edit, with the truth known by construction (`TracedText`).
enum AnchoringCorpus {
    enum EditKind: String, CaseIterable, Sendable {
        case insertBefore = "insert before the quote"
        case insertAfter = "insert after the quote"
        case deleteElsewhere = "delete elsewhere"
        case moveParagraph = "move the quote's paragraph"
        case reword = "reword inside the quote"
        case changeNumber = "change a number in the quote"
        case deleteSentence = "delete the anchored sentence"
        case deleteWithLookalike = "delete it, a near-copy elsewhere"
        case editNextToQuote = "reword the word next to the quote"

        /// Only other text changed: every note must come out `exact`.
        var onlyOtherText: Bool { [.insertBefore, .insertAfter, .deleteElsewhere, .editNextToQuote].contains(self) }
    }

    enum TextKind: String, CaseIterable, Sendable {
        case prose
        case repetitive = "repetitive sitrep"
    }

    /// One (annotation, revision) pair and its truth.
    struct Case: Sendable {
        var kind: EditKind
        var textKind: TextKind
        var seed: UInt64
        var old: String
        var new: String
        var target: Target
        /// For each new scalar, the old scalar it is (nil: inserted).
        var origins: [Int?]
        /// The change made a number under the quote different.
        var numberChanged: Bool

        var span: Range<Int> { target.position.start..<target.position.end }
    }

    static let defaultSeed: UInt64 = 20_260_307
    static let casesPerCell = 112

    /// Every case of `kinds` (all by default), on each text kind, `casesPerCell` times, from `seed`.
    static func cases(seed: UInt64, prose: [String], kinds: [EditKind] = EditKind.allCases) -> [Case] {
        var all: [Case] = []
        let sitreps = (0..<6).map { i -> Base in
            var rng = SeededRandom(seed: seed &+ 0xC0FFEE &+ UInt64(i))
            return Base(SitrepGenerator.report(using: &rng))
        }
        let prose = prose.map(Base.init)
        for (k, kind) in EditKind.allCases.enumerated() where kinds.contains(kind) {
            for (t, textKind) in TextKind.allCases.enumerated() {
                var made = 0, attempt: UInt64 = 0
                while made < casesPerCell {
                    let caseSeed = seed &+ UInt64(k) << 40 &+ UInt64(t) << 32 &+ attempt
                    attempt += 1
                    var rng = SeededRandom(seed: caseSeed)
                    let texts = textKind == .prose ? prose : sitreps
                    guard let base = texts.randomElement(using: &rng),
                          let made1 = make(kind, textKind, base: base, seed: caseSeed, using: &rng) else { continue }
                    all.append(made1)
                    made += 1
                }
            }
        }
        return all
    }

    /// A text revisions start from, laid out once.
    struct Base {
        var text: String
        var anchor: TextAnchor
        var layout: TextLayout
        var sentences: Set<String>
        init(_ text: String) {
            self.text = text
            anchor = TextAnchor(text: text)
            layout = TextLayout(anchor.scalars)
            sentences = Set(layout.sentences.map { [layout] in layout.text($0.range) })
        }
    }

    /// One case of `kind` on `base`, or nil when this text and draw cannot host it.
    static func make(_ kind: EditKind, _ textKind: TextKind, base: Base, seed: UInt64,
                     using rng: inout SeededRandom) -> Case? {
        var oldText = base.text
        var layout = base.layout
        var anchor = base.anchor
        var avoid = base.sentences
        let minWords = kind == .reword ? 4 : kind == .deleteWithLookalike ? 5 : 3
        var eligible = layout.sentences.filter { $0.words.count >= minWords }
        if kind == .changeNumber { eligible = eligible.filter { $0.words.contains { layout.hasDigit($0) } } }
        if kind == .moveParagraph { eligible = eligible.filter { $0.paragraph < layout.paragraphs.count - 1 } }
        guard var sentence = eligible.randomElement(using: &rng) else { return nil }
        var quoteWords = pickQuote(sentence, kind: kind, layout: layout, using: &rng)
        guard !quoteWords.isEmpty else { return nil }
        var copyParagraph: Int?

        if kind == .deleteWithLookalike {
            // Put a near-copy of the sentence in another paragraph first: the same words, with
            // one word outside the quote changed, or (one time in three) word for word.
            let outside = sentence.words.indices.filter { !quoteWords.contains($0) }
            guard let changedWord = outside.randomElement(using: &rng),
                  let other = layout.paragraphs.indices.filter({ $0 != sentence.paragraph && $0 > 0 }).randomElement(using: &rng)
            else { return nil }
            var copy = layout.text(sentence.range)
            if rng.int(in: 0..<3) > 0 {
                let word = sentence.words[changedWord]
                let replacement = layout.hasDigit(word) ? layout.renumbered(word, using: &rng) : Words.replacement(for: layout.text(word), using: &rng)
                var view = Array(layout.scalars[sentence.range])
                view.replaceSubrange((word.lowerBound - sentence.range.lowerBound)..<(word.upperBound - sentence.range.lowerBound),
                                     with: Array(replacement.unicodeScalars))
                copy = String(String.UnicodeScalarView(view))
            }
            avoid.insert(copy)
            var scalars = layout.scalars
            scalars.insert(contentsOf: Array((" " + copy).unicodeScalars), at: layout.paragraphs[other].upperBound)
            oldText = String(String.UnicodeScalarView(scalars))
            anchor = TextAnchor(text: oldText)
            let shift = layout.paragraphs[other].upperBound <= sentence.range.lowerBound ? copy.unicodeScalars.count + 1 : 0
            let relative = quoteWords
            layout = TextLayout(scalars)
            guard let moved = layout.sentences.first(where: { $0.range.lowerBound == sentence.range.lowerBound + shift }) else { return nil }
            sentence = moved
            quoteWords = relative
            copyParagraph = other
        }

        let quote = sentence.words[quoteWords.lowerBound].lowerBound..<sentence.words[quoteWords.upperBound - 1].upperBound
        let target = anchor.target(for: quote)
        var traced = TracedText(layout.scalars)
        var numberChanged = false
        var busy: Set<Int> = [sentence.paragraph]
        if let copyParagraph { busy.insert(copyParagraph) }

        switch kind {
        case .insertBefore:
            let starts = layout.sentences.filter { $0.range.lowerBound <= quote.lowerBound }
            guard let at = starts.randomElement(using: &rng) else { return nil }
            busy.insert(at.paragraph)
            let paragraphStart = layout.paragraphs[at.paragraph].lowerBound == at.range.lowerBound
            if paragraphStart, rng.int(in: 0..<3) == 0 {
                traced.insert(Words.sentence(textKind, avoiding: avoid, using: &rng) + "\n\n", beforeOrigin: at.range.lowerBound)
            } else {
                traced.insert(Words.sentence(textKind, avoiding: avoid, using: &rng) + " ", beforeOrigin: at.range.lowerBound)
            }
        case .insertAfter:
            let ends = layout.sentences.filter { $0.range.upperBound >= quote.upperBound }
            guard let at = ends.randomElement(using: &rng) else { return nil }
            busy.insert(at.paragraph)
            let paragraphEnd = layout.paragraphs[at.paragraph].upperBound == at.range.upperBound
            let separator = paragraphEnd && rng.int(in: 0..<3) == 0 ? "\n\n" : " "
            traced.insert(separator + Words.sentence(textKind, avoiding: avoid, using: &rng), beforeOrigin: at.range.upperBound)
        case .deleteElsewhere:
            let others = layout.sentences.filter { $0.range != sentence.range && !layout.deletion(of: $0).overlaps(quote) }
            guard let victim = others.randomElement(using: &rng) else { return nil }
            busy.insert(victim.paragraph)
            traced.delete(origins: layout.deletion(of: victim))
        case .moveParagraph:
            let paragraph = layout.paragraphs[sentence.paragraph]
            let destinations = layout.paragraphs.indices.filter { $0 != sentence.paragraph && $0 != sentence.paragraph + 1 }
            guard let destination = destinations.randomElement(using: &rng) else { return nil }
            busy.insert(destination)
            traced.move(origins: paragraph.lowerBound..<(paragraph.upperBound + 2), beforeOrigin: layout.paragraphs[destination].lowerBound)
        case .reword:
            let candidates = quoteWords.filter { layout.isPlainWord(sentence.words[$0]) }
            guard let w = candidates.randomElement(using: &rng) else { return nil }
            let word = sentence.words[w]
            traced.replace(origins: word, with: Words.replacement(for: layout.text(word), using: &rng))
        case .changeNumber:
            guard let w = quoteWords.filter({ layout.hasDigit(sentence.words[$0]) }).randomElement(using: &rng) else { return nil }
            let digits = layout.digitRun(in: sentence.words[w])
            let old = Int(layout.text(digits)) ?? 0
            traced.replace(origins: digits, with: String(old + 1 + rng.int(in: 0..<9)))
            numberChanged = true
        case .deleteSentence, .deleteWithLookalike:
            traced.delete(origins: layout.deletion(of: sentence))
        case .editNextToQuote:
            let w = quoteWords.lowerBound > 0 ? quoteWords.lowerBound - 1 : quoteWords.upperBound
            let word = sentence.words[w]
            traced.replace(origins: word, with: layout.hasDigit(word) ? layout.renumbered(word, using: &rng)
                                                                      : Words.replacement(for: layout.text(word), using: &rng))
        }

        // Elsewhere, in other paragraphs, zero to two more edits: the report was revised in several places.
        for _ in 0..<rng.int(in: 0..<3) {
            let free = layout.paragraphs.indices.filter { !busy.contains($0) && !busy.contains($0 - 1) && !busy.contains($0 + 1) && $0 > 0 }
            guard let p = free.randomElement(using: &rng) else { break }
            busy.insert(p)
            let inParagraph = layout.sentences(in: p)
            guard let s = inParagraph.randomElement(using: &rng) else { continue }
            if rng.int(in: 0..<2) == 0 || inParagraph.count == 1 {
                traced.insert(Words.sentence(textKind, avoiding: avoid, using: &rng) + " ", beforeOrigin: s.range.lowerBound)
            } else {
                traced.delete(origins: layout.deletion(of: s))
            }
        }
        return Case(kind: kind, textKind: textKind, seed: seed, old: oldText, new: traced.string, target: target,
                    origins: traced.origins, numberChanged: numberChanged)
    }

    /// Which words of `sentence` to quote: at least two (three when a word will change inside),
    /// at least one word left outside for a look-alike, a number among them for `changeNumber`.
    static func pickQuote(_ sentence: TextLayout.Sentence, kind: EditKind, layout: TextLayout,
                          using rng: inout SeededRandom) -> Range<Int> {
        let count = sentence.words.count
        let least = kind == .reword || kind == .changeNumber ? 3 : 2
        for _ in 0..<20 {
            var lower = rng.int(in: 0..<count), upper = lower + least + rng.int(in: 0..<max(1, count - lower - least + 1))
            let partial = kind == .deleteWithLookalike || kind == .editNextToQuote
            if !partial, rng.int(in: 0..<4) == 0 { (lower, upper) = (0, count) }
            upper = min(upper, count)
            guard upper - lower >= least else { continue }
            if partial, upper - lower == count { continue }
            if kind == .changeNumber, !(lower..<upper).contains(where: { layout.hasDigit(sentence.words[$0]) }) { continue }
            return lower..<upper
        }
        return 0..<0
    }
}

extension TextLayout {
    func hasDigit(_ word: Range<Int>) -> Bool { scalars[word].contains { $0.properties.numericType == .decimal } }

    /// A word of letters only (three or more), which a reword may replace.
    func isPlainWord(_ word: Range<Int>) -> Bool {
        word.count >= 3 && scalars[word].allSatisfy { $0.properties.isAlphabetic && $0.isASCII }
    }

    /// The first run of digits in `word`.
    func digitRun(in word: Range<Int>) -> Range<Int> {
        guard let start = word.first(where: { scalars[$0].properties.numericType == .decimal }) else { return word }
        var end = start
        while end < word.upperBound, scalars[end].properties.numericType == .decimal { end += 1 }
        return start..<end
    }

    /// `word` with its first number changed.
    func renumbered(_ word: Range<Int>, using rng: inout SeededRandom) -> String {
        let digits = digitRun(in: word)
        let value = Int(text(digits)) ?? 0
        return text(word.lowerBound..<digits.lowerBound) + String(value + 1 + rng.int(in: 0..<9)) + text(digits.upperBound..<word.upperBound)
    }
}
