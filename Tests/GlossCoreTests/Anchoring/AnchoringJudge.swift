import GlossCore

/// Classifies a re-anchoring against the truth a corpus case knows by construction.
enum AnchoringJudge {
    enum Outcome: String, CaseIterable, Sendable {
        /// exact/changed on the right text (and `exact` only when it reads the same).
        case correct
        /// exact/changed on other text, or although the text is gone, or although a number under the quote changed.
        case silentlyWrong = "silently wrong"
        case reviewRight = "review, right proposal"
        case reviewWrong = "review, wrong or no proposal"
        case orphanRight = "orphan, text gone"
        case orphanLost = "orphan, text survived"
    }

    /// Where the anchored text truly is now: the new scalars whose origin lies in the old span.
    struct Truth {
        var survivors: [Int]
        /// Fewer than a quarter of the anchored scalars survive.
        var gone: Bool
        var range: Range<Int>?

        init(_ c: AnchoringCorpus.Case) {
            let span = c.span
            survivors = c.origins.indices.filter { c.origins[$0].map(span.contains) ?? false }
            gone = survivors.count * 4 < span.count
            range = survivors.first.map { $0..<(survivors.last! + 1) }
        }
    }

    static func judge(_ status: ReanchorStatus, _ range: Range<Int>?, _ c: AnchoringCorpus.Case, _ truth: Truth,
                      newScalars: [Unicode.Scalar]) -> Outcome {
        switch status {
        case .exact, .changed:
            guard let range, !truth.gone, isRight(range, c, truth, newScalars), !c.numberChanged else { return .silentlyWrong }
            if status == .exact, !newScalars[range].elementsEqual(c.target.quote.exact.unicodeScalars) { return .silentlyWrong }
            return .correct
        case .review:
            guard let range, !truth.gone, isRight(range, c, truth, newScalars) else { return .reviewWrong }
            return .reviewRight
        case .orphan:
            return truth.gone ? .orphanRight : .orphanLost
        }
    }

    /// The place covers every surviving scalar and no scalar that came from other old text;
    /// or it reads the same as the true place and overlaps it (a diff may slide equal text).
    static func isRight(_ range: Range<Int>, _ c: AnchoringCorpus.Case, _ truth: Truth, _ new: [Unicode.Scalar]) -> Bool {
        let span = c.span
        let foreign = range.contains { i in c.origins[i].map { !span.contains($0) } ?? false }
        let covered = truth.survivors.allSatisfy(range.contains)
        if !foreign && covered { return true }
        if let t = truth.range, range.overlaps(t), new[range].elementsEqual(new[t]) { return true }
        return false
    }
}

/// Counts of statuses and outcomes, per row of the table.
struct AnchoringTally: Sendable {
    var count = 0
    var statuses: [ReanchorStatus: Int] = [:]
    var outcomes: [AnchoringJudge.Outcome: Int] = [:]

    mutating func add(_ status: ReanchorStatus, _ outcome: AnchoringJudge.Outcome) {
        count += 1
        statuses[status, default: 0] += 1
        outcomes[outcome, default: 0] += 1
    }

    mutating func add(_ other: AnchoringTally) {
        count += other.count
        for (k, v) in other.statuses { statuses[k, default: 0] += v }
        for (k, v) in other.outcomes { outcomes[k, default: 0] += v }
    }

    subscript(_ status: ReanchorStatus) -> Int { statuses[status] ?? 0 }
    subscript(_ outcome: AnchoringJudge.Outcome) -> Int { outcomes[outcome] ?? 0 }

    static let header = "| edit | text | n | exact | changed | review (right / wrong) | orphan (gone / lost) | correct | **silently wrong** |\n|---|---|--:|--:|--:|--:|--:|--:|--:|"

    func row(_ edit: String, _ text: String) -> String {
        func pct(_ n: Int) -> String { count == 0 ? "–" : "\(n) (\(Int((100 * Double(n) / Double(count)).rounded()))%)" }
        return "| \(edit) | \(text) | \(count) | \(pct(self[.exact])) | \(pct(self[.changed])) | "
            + "\(pct(self[.review])) (\(self[.reviewRight]) / \(self[.reviewWrong])) | "
            + "\(pct(self[.orphan])) (\(self[.orphanRight]) / \(self[.orphanLost])) | \(pct(self[.correct])) | **\(self[.silentlyWrong])** |"
    }
}
