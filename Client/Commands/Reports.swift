import ArgumentParser
import GlossCore
import GlossReplica

struct Reports: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "List the reports in this replica.",
        discussion: "Example:\n  gloss reports")

    static let pagesOutput = true
    @OptionGroup var global: GlobalOptions

    /// A report as `--json` lists it: its summary, and the link by which it revises another.
    struct Listed: Encodable {
        var id: ReportID
        var title: String
        var source: String
        var sections: Int
        var annotations: Int
        var local: Bool
        var revises: ReportID?
        var claimedBy: String?
        /// You made the link or accepted it (false: a teammate's claim you have not accepted).
        var confirmed: Bool?
    }

    func execute() throws {
        let replica = try global.openReplica()
        let reports = try replica.reports()
        let links = Dictionary(try replica.revisionLinks().filter { !$0.declined }.map { ($0.link.report, $0) }, uniquingKeysWith: { a, _ in a })
        if global.json {
            return try Output.json(reports.map { r in
                let link = links[r.id]
                return Listed(id: r.id, title: r.title, source: r.source, sections: r.sections, annotations: r.annotations,
                              local: r.local, revises: link?.link.revises, claimedBy: link?.link.author, confirmed: link?.confirmed)
            })
        }
        if reports.isEmpty { return Output.line("No reports yet. Import one: gloss import FILE") }
        Output.line(Output.dim("id        notes  title"))
        for r in reports {
            var line = "\(Output.yellow(r.id.short))  \(Output.pad(String(r.annotations), 5))  \(Output.safe(r.title))\(r.local ? Output.dim("  (local)") : "")"
            // Two versions of a report share a title: say which revises which, and on whose word.
            if let (link, _, confirmed) = links[r.id], let earlier = link.revises {
                line += confirmed ? Output.dim("  (revises \(earlier.short))")
                    : Output.yellow("  (revises \(earlier.short) by \(Output.safe(link.author))’s claim, "
                                    + "\(Timestamp.iso(link.created.wall).prefix(10)); not accepted by you)")
            }
            Output.row(line)
        }
    }
}
