/// The section headings that stand alone on their lines in tag-stripped report bodies and
/// plain-text reports.
enum SectionHeading {
    /// The headings the report generator uses, lowercased.
    static let known: Set<String> = [
        "big picture", "what happened", "why it matters",
        "strategic lens", "what comes next", "how we got here",
    ]

    /// The heading as written (trimmed, trailing colon removed) when `line` is a known
    /// heading alone on its line, matched case-insensitively; otherwise nil.
    static func match(_ line: some StringProtocol) -> String? {
        var heading = ReportWhitespace.normalise(line)
        if heading.hasSuffix(":") { heading = ReportWhitespace.trimmed(heading.dropLast()) }
        return known.contains(heading.lowercased()) ? heading : nil
    }
}
