import GlossTestSupport

/// Generated situation reports: many sentences from a few templates, as real ones repeat
/// "Shipments through Port X fell N% week on week." with other ports and numbers.
enum SitrepGenerator {
    static let ports = ["Alba", "Brem", "Cado", "Dura", "Esk", "Fenn", "Gorm"]
    static let towns = ["Korvo", "Lisk", "Merin", "Nask"]
    static let headings = ["Northern corridor", "Southern ports", "Rail and road", "Energy", "Outlook"]

    static func sentence(using rng: inout SeededRandom) -> String {
        let port = ports.randomElement(using: &rng)!, town = towns.randomElement(using: &rng)!
        let n = 2 + rng.int(in: 0..<38)
        switch rng.int(in: 0..<8) {
        case 0: return "Shipments through Port \(port) fell \(n)% week on week."
        case 1: return "Shipments through Port \(port) rose \(n)% week on week."
        case 2: return "Throughput at Port \(port) fell \(n)% on the previous week."
        case 3: return "Rail freight via \(town) was flat at \(n) trains a day."
        case 4: return "Container dwell time at Port \(port) reached \(n) days."
        case 5: return "Port \(port) reported \(n) vessels waiting at anchor."
        case 6: return "Fuel deliveries to \(town) resumed after \(n) hours."
        default: return "Road traffic from Port \(port) to \(town) fell \(n)% week on week."
        }
    }

    /// A report: title, summary, then five sections of three or four paragraphs of two to
    /// four template sentences each, no sentence twice.
    static func report(using rng: inout SeededRandom) -> String {
        var used: Set<String> = []
        func fresh() -> String {
            while true {
                let s = sentence(using: &rng)
                if used.insert(s).inserted { return s }
            }
        }
        var blocks = ["Weekly logistics situation report", "Port and corridor volumes for the week; " + fresh()]
        for heading in headings {
            blocks.append(heading)
            for _ in 0..<(3 + rng.int(in: 0..<2)) {
                blocks.append((0..<(2 + rng.int(in: 0..<3))).map { _ in fresh() }.joined(separator: " "))
            }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }
}

/// Words and sentences a revision brings in.
enum Words {
    static let replacements = ["notably", "sharply", "reportedly", "broadly", "quietly", "partly", "regional",
                               "critical", "sizeable", "modest", "steady", "uneven", "formal", "interim"]
    static let proseSentences = [
        "Officials declined to comment on the timing.",
        "Analysts expect further clarification within weeks.",
        "The ministry published a short statement on Tuesday.",
        "Industry groups asked for a consultation period.",
        "Several firms have paused new orders pending guidance.",
        "Diplomats described the talks as constructive but slow.",
        "Insurers raised premiums for the affected routes.",
        "A second round of measures has not been ruled out.",
    ]

    static func replacement(for word: String, using rng: inout SeededRandom) -> String {
        var pick = replacements.randomElement(using: &rng)!
        while pick == word { pick = replacements.randomElement(using: &rng)! }
        return pick
    }

    /// A sentence to insert that is not one of the text's sentences already.
    static func sentence(_ kind: AnchoringCorpus.TextKind, avoiding sentences: Set<String>, using rng: inout SeededRandom) -> String {
        for _ in 0..<50 {
            let s = kind == .prose ? proseSentences.randomElement(using: &rng)! : SitrepGenerator.sentence(using: &rng)
            if !sentences.contains(s) { return s }
        }
        return "An unrelated note was added."
    }
}
