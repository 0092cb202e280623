import ArgumentParser
import GlossCore
import GlossReplica

struct Judgments: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "judgments",
        abstract: "Compare the team's judgments, passage by passage, and flag disagreement.",
        discussion: """
            For each passage someone judged, every analyst's likelihood (ICD 203) and \
            confidence side by side. Analysts disagree when their likelihoods are \
            \(JudgedPassage.disagreeingSteps) or more steps apart on the ICD 203 scale, or one \
            has low confidence and another high; such passages are flagged, and the briefs \
            show both views. Notes carried from an earlier version of a report count on the \
            latest version, as `gloss show` places them: a report revised by a later one is \
            named as revised, and asking for it shows the latest version.

            Examples:
              gloss judgments
              gloss judgments 4f2a
              gloss judgments --disagreements --json
            """)

    static let pagesOutput = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this report (id or prefix).") var report: String?
    @Flag(help: "Only passages where analysts disagree.") var disagreements = false

    func execute() throws {
        let replica = try global.openReplica()
        let asked = try report.map { try replica.resolveReport($0) }
        let (ids, out) = try Self.collect(in: replica, report: asked, disagreements: disagreements)
        if global.json { return try Output.json(out) }
        if let asked, let latest = ids.first, latest != asked {
            Output.line(Output.dim("\(asked.short) was revised; its notes are shown on the latest version, \(latest.short):"))
        }
        if out.isEmpty { return Output.line(disagreements ? "No analysts disagree." : "No judged passages.") }
        for report in out {
            Output.line(Output.bold(Output.safe(report.title)) + "  " + Output.dim(report.report.short))
            for version in report.revises {
                let by = version.revisedBy == report.report ? "this version" : version.revisedBy.short
                Output.line(Output.dim("  earlier version “\(Output.clip(version.title, 50))” (\(version.report.short)), revised by \(by), "
                                       + "\(Timestamp.iso(version.when).prefix(10)): its notes count here"))
            }
            for passage in report.passages {
                Output.line("  " + (passage.quote.map { "“\(Output.clip($0, 70))”" } ?? Output.dim("(the whole report)")))
                for entry in passage.entries {
                    let view = [entry.likelihood?.phrase, entry.confidence.map { "\($0.rawValue) confidence" }].compactMap { $0 }.joined(separator: " · ")
                    Output.row("    \(Output.pad(Output.safe(entry.author), 10)) \(Output.pad(view, 38)) \(Output.dim(Output.clip(entry.comment, 40)))")
                }
                if let dissent = passage.disagreement {
                    Output.line("    " + Output.red("Analysts disagree: ") + Output.safe(dissent.summary))
                }
            }
        }
    }

    /// The judged passages of `report` (its latest version), or of every latest report: what
    /// `gloss judgments` prints and the reader page shows. Returns the reports looked at, too.
    static func collect(in replica: Replica, report asked: ReportID?, disagreements: Bool) throws -> (ids: [ReportID], judgments: [ReportJudgments]) {
        let chains = try replica.revisionChains()
        // A revised report's notes count on its latest version, which stands in its place.
        let ids = try asked.map { [chains.latestVersion(of: $0)] } ?? replica.reports().map(\.id).filter { !chains.isRevised($0) }
        var out: [ReportJudgments] = []
        for id in ids {
            let report = try replica.report(id)
            let passages = JudgedPassage.passages(of: try replica.annotationsFollowingRevisions(of: report, includeDeleted: false))
                .filter { !disagreements || $0.disagreement != nil }
            let earlier = try chains.earlierVersions(of: id).compactMap { version -> EarlierVersion? in
                guard let link = chains.revision(of: version) else { return nil }
                return EarlierVersion(report: version, title: try replica.report(version).title, revisedBy: link.report, when: link.created.wall)
            }
            if !passages.isEmpty {
                out.append(ReportJudgments(report: id, title: report.title, revises: earlier, passages: passages.map(Passage.init)))
            }
        }
        return (ids, out)
    }

    struct ReportJudgments: Encodable {
        var report: ReportID
        var title: String
        /// The earlier versions whose notes count here.
        var revises: [EarlierVersion]
        var passages: [Passage]
    }

    /// A version a later one revised: named, not shown on its own.
    struct EarlierVersion: Encodable {
        var report: ReportID
        var title: String
        /// The version that revises it directly, and when (wall ms of the link).
        var revisedBy: ReportID
        var when: Int64
    }

    /// A passage in `--json`: `disagreement` is always there (null when they agree).
    struct Passage: Encodable {
        struct Entry: Encodable {
            var author: String
            var annotation: AnnotationID
            var likelihood: Likelihood?
            var confidence: Confidence?
            var comment: String
        }
        struct Dissent: Encodable {
            var kind: Disagreement.Kind
            var between: [String]
            var steps: Int
            var summary: String
        }
        var quote: String?
        var start: Int?
        var end: Int?
        var entries: [Entry]
        var disagreement: Dissent?

        init(_ passage: JudgedPassage) {
            quote = passage.quote
            start = passage.range?.lowerBound
            end = passage.range?.upperBound
            entries = passage.entries.map {
                Entry(author: $0.author.rawValue, annotation: $0.annotation, likelihood: $0.judgment.likelihood,
                      confidence: $0.judgment.confidence, comment: $0.comment)
            }
            disagreement = passage.disagreement.map {
                Dissent(kind: $0.kind, between: [$0.low.author.rawValue, $0.high.author.rawValue], steps: $0.steps, summary: $0.summary)
            }
        }

        enum CodingKeys: String, CodingKey { case quote, start, end, entries, disagreement }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(quote, forKey: .quote)
            try c.encode(start, forKey: .start)
            try c.encode(end, forKey: .end)
            try c.encode(entries, forKey: .entries)
            try c.encode(disagreement, forKey: .disagreement)
        }
    }
}
