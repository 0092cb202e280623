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

    /// A report as `--json` lists it (and the reader page): its summary, the link by which it
    /// revises another and whose claim that is, and the version that revises it; for the page,
    /// how many of its notes the last sync brought or changed.
    struct Listed: Encodable {
        var id: ReportID
        var title: String
        var source: String
        var sections: Int
        var annotations: Int
        var local: Bool
        var revises: ReportID?
        var claim: Claim?
        var revisedBy: ReportID?
        var new: Int?
    }

    /// Who claimed a revision link, when, and whether you made or accepted it (false: a
    /// teammate's claim you have not accepted).
    struct Claim: Encodable {
        var by: String
        var at: String
        var confirmed: Bool

        init(_ link: Annotation, confirmed: Bool) {
            (by, at, self.confirmed) = (link.author.rawValue, Timestamp.iso(link.created.wall), confirmed)
        }
    }

    /// Every report here, for `gloss reports` and the reader page alike. Only the page asks
    /// for `arrivals` (it reads the last sync's operations, which a first pull makes many).
    static func listing(in replica: Replica, arrivals: Bool = false) throws -> [Listed] {
        let chains = try replica.revisionChains()
        // The notes the last sync brought, counted on the version each shows on.
        var fresh: [ReportID: Int] = [:]
        if arrivals {
            for (report, count) in try replica.notesArrivedInLastSync() { fresh[chains.latestVersion(of: report), default: 0] += count }
        }
        return try replica.reports().map { r in
            let link = chains.links[r.id]
            return Listed(id: r.id, title: r.title, source: r.source, sections: r.sections, annotations: r.annotations, local: r.local,
                          revises: link?.revises, claim: link.map { Claim($0, confirmed: chains.confirmed.contains(r.id)) },
                          revisedBy: chains.revision(of: r.id)?.report, new: arrivals ? fresh[r.id] ?? 0 : nil)
        }
    }

    func execute() throws {
        let replica = try global.openReplica()
        let reports = try Self.listing(in: replica)
        if global.json { return try Output.json(reports) }
        if reports.isEmpty { return Output.line("No reports yet. Import one: gloss import FILE") }
        Output.line(Output.dim("id        notes  title"))
        for r in reports {
            var line = "\(Output.yellow(r.id.short))  \(Output.pad(String(r.annotations), 5))  \(Output.safe(r.title))\(r.local ? Output.dim("  (local)") : "")"
            // Two versions of a report share a title: say which revises which, and on whose word.
            if let earlier = r.revises, let claim = r.claim {
                line += claim.confirmed ? Output.dim("  (revises \(earlier.short))")
                    : Output.yellow("  (revises \(earlier.short) by \(Output.safe(claim.by))’s claim, \(claim.at.prefix(10)); not accepted by you)")
            }
            Output.row(line)
        }
    }
}
