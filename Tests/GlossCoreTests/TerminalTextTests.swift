import Foundation
import GlossCommandLine
import GlossTestSupport
import Testing
@testable import GlossCore

/// What the terminal shows: widths in display columns, wrapping of CJK text, quotes typed in
/// either normalisation form, suggestions for a mistyped command, and what others wrote made
/// harmless to the reader's terminal (`TerminalText`).
@Suite struct TerminalTextTests {
    // MARK: others' text reaches the terminal as text, never as commands to it

    @Test func escapeSequencesShowAsGitAndLessShowThem() {
        #expect(TerminalText.safe("\u{1B}]52;c;Y3VybA==\u{07}") == "^[]52;c;Y3VybA==^G", "OSC 52 (the clipboard) is text")
        #expect(TerminalText.safe("\u{1B}]0;pwned\u{07}title") == "^[]0;pwned^Gtitle")
        #expect(TerminalText.safe("\u{1B}[2J\u{1B}[H") == "^[[2J^[[H")
        #expect(TerminalText.safe("a\u{00}b\u{7F}c\rd\u{08}") == "a^@b^?c^Md^H", "NUL, DEL, a lone CR, backspace")
        #expect(TerminalText.safe("\u{9B}2J \u{9D}0;x\u{9C} \u{85}") == "<U+009B>2J <U+009D>0;x<U+009C> <U+0085>", "C1 controls, CSI and OSC among them")
        #expect(TerminalText.safe("line one\nline two\r\nthree\u{2028}four\tfive") == "line one line two three four five",
                "a one-line field: line breaks and tabs are spaces")
        #expect(TerminalText.safeLines("one\u{1B}[2J\r\ntwo\n\nthree") == ["one^[[2J", "two", "", "three"], "a comment body keeps its lines")
    }

    @Test func bidiControlsShowAndRightToLeftFieldsAreIsolated() {
        // "carol · I confirm" drawn by a right-to-left override over its reversal.
        let forged = "\u{202E}mrifnoc I · lorac\u{202C}"
        #expect(TerminalText.safe(forged) == "<U+202E>mrifnoc I · lorac<U+202C>", "the override shows and reorders nothing")
        #expect(TerminalText.safe("a\u{2066}b\u{2067}c\u{2068}d\u{2069}e\u{202A}\u{202B}\u{202D}") == "a<U+2066>b<U+2067>c<U+2068>d<U+2069>e<U+202A><U+202B><U+202D>",
                "isolates and embeddings a teammate typed cannot open or close ours")
        #expect(TerminalText.safe("שלום") == "\u{2068}שלום\u{2069}", "right-to-left text is laid out on its own")
        #expect(TerminalText.safe("وزارة 12") == "\u{2068}وزارة 12\u{2069}")
        #expect(TerminalText.safe("x\u{200F}y") == "\u{2068}x\u{200F}y\u{2069}", "a mark stays, inside the isolate")
        #expect(TerminalText.safeLines("שלום\nhello") == ["\u{2068}שלום\u{2069}", "hello"], "each line isolated on its own")
    }

    @Test func plainTextComesThroughUnchanged() {
        for text in ["", "alice", "supply-chain", "Escalation path if retaliation follows (14%).", "Zoë Martin", "Zoe\u{301}",
                     "中华人民共和国商务部", "한국어", "👍 👨‍👩‍👧 🇫🇷", "❤️", "ß 𝔘𝔫𝔦 zero\u{200B}width", "^[ is how ESC shows", "Әлия Нұрланқызы"] {
            #expect(TerminalText.safe(text) == text, "\(text)")
            #expect(TerminalText.safeLines(text) == [text], "\(text)")
        }
    }

    @Test func widthsCountTheShownForm() {
        #expect(TerminalText.safe("\u{1B}[2J").displayColumns == 5, "^[[2J")
        #expect(TerminalText.safe("\u{9B}").displayColumns == 8, "<U+009B>")
        #expect(TerminalText.safe("שלום").displayColumns == 4, "the isolate takes no column")
    }

    /// Any text in: out comes one line with no C0 or C1 control and no bidi control but the
    /// wrapper, which is balanced (one FSI first, one PDI last, or none); what was shown stays.
    @Test func anyTextComesOutInertOnOneLine() {
        var rng = SeededRandom(seed: 24)
        let pool: [Unicode.Scalar] = (0x00...0x20).map { Unicode.Scalar(UInt8($0)) } + (0x7F...0xA0).map { Unicode.Scalar(UInt8($0)) }
            + [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029,
               0x5D0, 0x627, 0x661, 0x301, 0x200D, 0xFE0F, 0x1F44D, 0x754C, 0xFEFF].map { Unicode.Scalar($0)! }
            + Array("abc [];=?".unicodeScalars)
        let bidi: ClosedRange<UInt32> = 0x2066...0x2069
        for _ in 0..<5_000 {
            var input = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 24) { input.append(pool.randomElement(using: &rng)!) }
            let text = String(input)
            for line in [TerminalText.safe(text)] + TerminalText.safeLines(text) {
                var scalars = Array(line.unicodeScalars)
                if scalars.first == TerminalText.isolateStart {
                    #expect(scalars.last == TerminalText.isolateEnd, "\(text.debugDescription) → \(line.debugDescription)")
                    scalars = Array(scalars.dropFirst().dropLast())
                }
                let bad = scalars.filter { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                    || bidi.contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029 }
                #expect(bad.isEmpty, "\(text.debugDescription) → \(line.debugDescription)")
            }
            // Text with nothing to show comes out as it went in, at most isolated.
            let plain = String(String.UnicodeScalarView(text.unicodeScalars.filter { !TerminalText.needsShowing($0) }))
            let out = TerminalText.safe(plain)
            #expect(out == plain || out == "\u{2068}" + plain + "\u{2069}", "\(plain.debugDescription) → \(out.debugDescription)")
        }
    }

    @Test func theTerminalRendererShowsNotesAndTagsInertAndClosesAnIsolateAtEachLineEnd() throws {
        let report = Report(title: "Title\u{1B}[2J", summary: "", sections: [.init(heading: "H", paragraphs: ["The \u{1B}]0;pwned\u{07} report text."])])
        let hostile = try ExportTests.annotation(1, author: "bob", body: "\u{1B}]52;c;Y3VybA==\u{07}\u{1B}[2J " + String(repeating: "שלום עולם ", count: 12),
                                                 tags: ["\u{1B}[31mred", "\u{202E}gat"], report: report)
        for color in [false, true] {
            let text = ReportRenderer.render(report: report, annotations: [hostile], color: color, width: 40)
            let ours = color ? text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) : text
            #expect(!ours.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || (0x202A...0x202E).contains($0.value) }, "\(text.debugDescription)")
            #expect(text.contains("^[]0;pwned^G") && text.contains("^[]52;c;Y3VybA==^G^[[2J") && text.contains("#^[[31mred") && text.contains("#<U+202E>gat"))
            for line in text.split(separator: "\n") {
                #expect(line.filter { $0 == "\u{2068}" }.count == line.filter { $0 == "\u{2069}" }.count, "each line balances its isolates: \(line.debugDescription)")
            }
        }
    }

    @Test func logWordsIsolateTagsWhenTheTerminalAsks() {
        #expect(Change.addTag("\u{1B}]0;x\u{07}").words(clip: { TerminalText.safe($0) }, field: TerminalText.safe) == "tagged #^[]0;x^G")
        #expect(Change.addTag("שלום").words(clip: { $0 }, field: TerminalText.safe) == "tagged #\u{2068}שלום\u{2069}")
        #expect(Change.addTag("x\u{1B}").words() == "tagged #x\u{1B}", "without a terminal (JSON), exact")
    }

    @Test func displayColumnsCountWideCharactersTwiceAndMarksNotAtAll() {
        #expect("Zoë".displayColumns == 3)
        #expect("Zoe\u{308}".displayColumns == 3, "a combining mark adds nothing")
        #expect("稀土".displayColumns == 4)
        #expect("ｶﾀｶﾅ".displayColumns == 4, "halfwidth katakana are narrow")
        #expect("ＡＢ".displayColumns == 4, "fullwidth forms are wide")
        #expect("한국".displayColumns == 4)
        #expect("👍".displayColumns == 2 && "👨‍👩‍👧".displayColumns == 2 && "🇫🇷".displayColumns == 2)
        #expect("❤️".displayColumns == 2, "a text-default emoji asked for as emoji with VS16")
        #expect("Әлия Нұрланқызы".displayColumns == 15 && "وزارة".displayColumns == 5)
        #expect("\u{301}".displayColumns == 0 && "\u{200D}".displayColumns == 0)
    }

    @Test func cjkTextWrapsBetweenCharactersWithinTheWidthAndPunctuationStaysWithItsWord() {
        let text = "中华人民共和国商务部宣布对稀土加工技术实施出口管制。此举被广泛视为对持续地缘政治紧张局势的回应，观察人士认为这将影响全球供应链。"
        let lines = wrapped(text, width: 20)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.displayColumns <= 20 }, "\(lines)")
        #expect(lines.dropLast().allSatisfy { $0.displayColumns >= 18 }, "lines are filled: \(lines)")
        #expect(!lines.contains { $0.first == "。" || $0.first == "，" }, "no line starts with closing punctuation: \(lines)")
        #expect(lines.joined() == text, "nothing added or lost")
    }

    @Test func latinWordsBesideCjkAreNeverCut() {
        let lines = wrapped("The 稀土 working group adjourned; separation know-how stays restricted under 商务部 rules.", width: 16)
        #expect(lines.allSatisfy { $0.displayColumns <= 16 }, "\(lines)")
        for word in ["working", "adjourned;", "separation", "know-how", "restricted", "rules."] {
            #expect(lines.contains { $0.contains(word) }, "\(word) kept whole: \(lines)")
        }
    }

    private func wrapped(_ text: String, width: Int) -> [String] {
        StyledText.wrap(text.map { StyledText.Cell(character: $0, style: .plain) }, width: width).map { String($0.map(\.character)) }
    }

    @Test func aQuoteMatchesWhateverItsNormalisationAndOffsetsStayTheReports() throws {
        let decomposed = "Talks with Zoe\u{308} Martin; Zoë again.\n"   // one NFD, one NFC
        let anchor = TextAnchor(text: decomposed)
        #expect(anchor.matches(of: "Zoë").count == 2, "typed precomposed, found in both forms")
        #expect(anchor.matches(of: "Zoe\u{308}").count == 2, "typed decomposed, found in both forms")
        let first = try anchor.target(quote: "Zoë Martin", occurrence: nil)
        #expect(first.position.start == 11 && first.position.end == 22, "code points of the text as stored (NFD: 11 in the span)")
        #expect(first.quote.exact.unicodeScalars.elementsEqual("Zoe\u{308} Martin".unicodeScalars), "the quote is the report's own text")
        #expect(anchor.matches(of: "Zoe").isEmpty, "never a match that cuts a letter from its accent")
        #expect(anchor.occurrences(of: "Zoe").count == 1, "the exact matcher (stored selectors) still works on code points")
    }

    @Test func mistypedCommandsGetTheClosestNames() {
        let tree = CommandTree(names: ["gloss"], subcommands: [
            CommandTree(names: ["reports"], subcommands: [], hasDefault: false),
            CommandTree(names: ["list"], subcommands: [], hasDefault: false),
            CommandTree(names: ["log"], subcommands: [], hasDefault: false),
            CommandTree(names: ["ops"], subcommands: [
                CommandTree(names: ["export"], subcommands: [], hasDefault: false),
                CommandTree(names: ["apply"], subcommands: [], hasDefault: false),
            ], hasDefault: false),
            CommandTree(names: ["review"], subcommands: [CommandTree(names: ["list"], subcommands: [], hasDefault: false)], hasDefault: true),
        ], hasDefault: false)
        let options: Set<String> = ["--home"]
        #expect(tree.unknownCommand(in: ["reprots"], valueOptions: options)?.suggestions == ["reports"])
        #expect(tree.unknownCommand(in: ["--home", "reprots", "lst"], valueOptions: options)?.typed == "lst",
                "an option's value is not a command")
        #expect(tree.unknownCommand(in: ["--json", "lst"], valueOptions: options)?.suggestions == ["list"])
        #expect(tree.unknownCommand(in: ["lgo"], valueOptions: options)?.suggestions == ["log"])
        let nested = tree.unknownCommand(in: ["ops", "exprot", "-o", "x"], valueOptions: options)
        #expect(nested?.path == ["gloss", "ops"] && nested?.suggestions == ["export"])
        #expect(tree.unknownCommand(in: ["zzzzzz"], valueOptions: options)?.suggestions == [])
        #expect(tree.unknownCommand(in: ["list", "anything"], valueOptions: options) == nil, "a command's own arguments")
        #expect(tree.unknownCommand(in: ["review", "4f2a"], valueOptions: options) == nil, "a default subcommand's argument")
        #expect(tree.unknownCommand(in: ["help", "lst"], valueOptions: options) == nil)
        #expect(tree.unknownCommand(in: ["--", "lst"], valueOptions: options) == nil)
        #expect(CommandSuggestion.distance("reprots", "reports") == 1, "a swap is one edit")
        #expect(CommandSuggestion.closest(to: "exp", among: ["export", "apply"]) == ["export"], "a prefix")
    }
}
