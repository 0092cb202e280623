import GlossCommandLine
import Testing
@testable import GlossCore

/// What the terminal shows: widths in display columns, wrapping of CJK text, quotes typed in
/// either normalisation form, and suggestions for a mistyped command.
@Suite struct TerminalTextTests {
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
