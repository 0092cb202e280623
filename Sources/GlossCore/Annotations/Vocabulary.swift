/// Why an annotation was made, in the W3C Web Annotation vocabulary.
public enum Motivation: String, Codable, CaseIterable, Sendable {
    case highlighting, commenting, questioning, assessing, tagging, replying, bookmarking, describing, linking
}

/// Analytic confidence in a judgment.
public enum Confidence: String, Codable, CaseIterable, Sendable {
    case low, moderate, high
}

/// Likelihood on the ICD 203 scale, from "almost no chance" to "almost certain".
public enum Likelihood: String, Codable, CaseIterable, Sendable {
    case almostNoChance = "almost-no-chance"
    case veryUnlikely = "very-unlikely"
    case unlikely
    case roughlyEvenChance = "roughly-even-chance"
    case likely
    case veryLikely = "very-likely"
    case almostCertain = "almost-certain"

    /// The words ICD 203 uses, for people.
    public var phrase: String { rawValue.replacingOccurrences(of: "-", with: " ") }

    /// The probability band ICD 203 gives this term, in percent.
    public var percentRange: ClosedRange<Int> {
        switch self {
        case .almostNoChance: 1...5
        case .veryUnlikely: 5...20
        case .unlikely: 20...45
        case .roughlyEvenChance: 45...55
        case .likely: 55...80
        case .veryLikely: 80...95
        case .almostCertain: 95...99
        }
    }
}

/// An analytic judgment attached to an assessment.
public struct Judgment: Codable, Hashable, Sendable {
    public var confidence: Confidence?
    public var likelihood: Likelihood?
    public init(confidence: Confidence? = nil, likelihood: Likelihood? = nil) {
        self.confidence = confidence
        self.likelihood = likelihood
    }
    public var isEmpty: Bool { confidence == nil && likelihood == nil }
}

/// Whether an annotation still needs attention.
public enum Status: String, Codable, CaseIterable, Sendable {
    case open, resolved
}

/// Who sees an annotation. Fixed when it is made.
public enum Visibility: String, Codable, CaseIterable, Sendable {
    case team, `private`
}

/// Tags as people type them: `#china` and `china` name the same tag (a leading `#` is how
/// many tools write a tag, not part of its name).
public enum TagName {
    public static func normalized(_ typed: String) -> String {
        var name = Substring(typed)
        while let first = name.first, first == "#" || first.isWhitespace { name = name.dropFirst() }
        while let last = name.last, last.isWhitespace { name = name.dropLast() }
        return String(name)
    }
}
