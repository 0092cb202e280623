/// Small text helpers every exporter shares: timestamps, judgments and note labels.
enum ExportText {
    /// ISO 8601 in UTC with milliseconds, e.g. `2025-11-29T08:30:00.000Z`, from an HLC's wall time.
    ///
    /// Computed by hand (days-from-civil in reverse) so no locale, time zone or calendar of the
    /// exporting machine can leak into the output.
    static func timestamp(_ hlc: HLC) -> String {
        let ms = hlc.wall
        let days = floorDiv(ms, 86_400_000)
        let msOfDay = ms - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        let yearText = year < 0 ? "-" + pad(-year, 4) : pad(year, 4)
        return "\(yearText)-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(msOfDay / 3_600_000, 2)):\(pad(msOfDay / 60_000 % 60, 2)):\(pad(msOfDay / 1000 % 60, 2))"
            + ".\(pad(msOfDay % 1000, 3))Z"
    }

    /// "2025-11-29 08:30 UTC": the date and minute, for people.
    static func dateTime(_ hlc: HLC) -> String {
        let iso = Array(timestamp(hlc))
        guard let t = iso.firstIndex(of: "T"), iso.count >= t + 6 else { return String(iso) }
        return String(iso[..<t]) + " " + String(iso[(t + 1)..<(t + 6)]) + " UTC"
    }

    /// "Confidence: high; Likelihood: likely (55–80%)", for W3C bodies.
    static func judgmentSentence(_ judgment: Judgment) -> String {
        var parts: [String] = []
        if let confidence = judgment.confidence { parts.append("Confidence: \(confidence.rawValue)") }
        if let likelihood = judgment.likelihood { parts.append("Likelihood: \(likelihoodPhrase(likelihood))") }
        return parts.joined(separator: "; ")
    }

    /// "confidence high, likely (55–80%)", for notes in the brief.
    static func judgmentShort(_ judgment: Judgment) -> String {
        var parts: [String] = []
        if let confidence = judgment.confidence { parts.append("confidence \(confidence.rawValue)") }
        if let likelihood = judgment.likelihood { parts.append(likelihoodPhrase(likelihood)) }
        return parts.joined(separator: ", ")
    }

    /// "likely (55–80%)".
    static func likelihoodPhrase(_ likelihood: Likelihood) -> String {
        let band = likelihood.percentRange
        return "\(likelihood.phrase) (\(band.lowerBound)–\(band.upperBound)%)"
    }

    /// Tags sorted and without duplicates.
    static func tags(_ annotation: Annotation) -> [String] {
        Array(Set(annotation.tags)).sorted()
    }

    /// A note number as superscript digits: 12 → "¹²".
    static func superscript(_ number: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(number).compactMap { $0.wholeNumberValue.map { digits[$0] } })
    }

    /// Splits off leading and trailing whitespace, so markup can wrap only the words.
    static func padding(of text: String) -> (lead: String, core: String, trail: String) {
        let lead = text.prefix { $0.isWhitespace }
        let rest = text.dropFirst(lead.count)
        let trail = rest.reversed().prefix { $0.isWhitespace }.count
        return (String(lead), String(rest.dropLast(trail)), String(rest.suffix(trail)))
    }

    /// Each line of `text` with `prefix` in front (for quoting multi-line bodies).
    static func prefixLines(_ text: String, with prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { prefix + $0 }
            .joined(separator: "\n")
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func pad<I: BinaryInteger>(_ value: I, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Howard Hinnant's `civil_from_days`: (year, month, day) of days since 1970-01-01.
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
