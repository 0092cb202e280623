import ArgumentParser
import GlossCore
import GlossReplica

/// `gloss revisions`: which report revises which, who claimed it, and declining a link for yourself.
struct Revisions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisions",
        abstract: "List the revision links; accept or decline one for yourself.",
        discussion: """
            A revision link (`gloss import NEW --revises OLD`) is one analyst's claim, shared \
            with the team: the notes on OLD are then shown on NEW. A teammate's claim is marked \
            wherever NEW appears, and so is every note carried across it, until you `accept` \
            it. If you do not trust a link (NEW is another text, or not the version you work \
            from), `decline` it: for you, NEW no longer revises OLD, and the notes stay on OLD. \
            Your own links and the ones you accepted count for you whatever a teammate claims \
            later; nobody else's view changes. Both are kept in this replica.

            Examples:
              gloss revisions
              gloss revisions decline 7302
              gloss revisions accept 7302
            """,
        subcommands: [List.self, Decline.self, Accept.self],
        defaultSubcommand: List.self)

    struct Link: Encodable {
        var report: ReportID
        var revises: ReportID
        var claimedBy: String
        var claimed: String
        var declined: Bool
        /// You made the link or accepted it; a teammate's claim you have not is false.
        var confirmed: Bool
    }

    struct List: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the revision links standing here (the default).",
            discussion: "Examples:\n  gloss revisions\n  gloss revisions list --json")

        @OptionGroup var global: GlobalOptions

        func execute() throws {
            let replica = try global.openReplica()
            let links = try replica.revisionLinks().map { link, declined, confirmed in
                Link(report: link.report, revises: link.revises!, claimedBy: link.author.rawValue,
                     claimed: Timestamp.iso(link.created.wall), declined: declined, confirmed: confirmed)
            }
            if global.json { return try Output.json(links) }
            if links.isEmpty { return Output.line("No revision links: link versions with gloss import NEW --revises OLD.") }
            for link in links {
                let mark = link.declined ? Output.yellow("  declined by you (gloss revisions accept \(link.report.short))")
                    : link.confirmed ? "" : Output.yellow("  not accepted by you (gloss revisions accept \(link.report.short), or decline)")
                Output.line("\(Output.yellow(link.report.short)) revises \(Output.yellow(link.revises.short))  "
                            + Output.dim("claimed by \(Output.safe(link.claimedBy)), \(link.claimed.prefix(10))") + mark)
            }
        }
    }

    struct Decline: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "decline",
            abstract: "Stop treating a report as a revision of another, for yourself.",
            discussion: "Example:\n  gloss revisions decline 7302")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The newer report (id or prefix).") var report: String

        func execute() throws {
            let replica = try global.openReplica()
            let link = try Actions(replica).declineRevision(of: try replica.resolveReport(report))
            let (new, old) = (link.report.short, link.revises!.short)
            if global.json {
                return try Output.json(Link(report: link.report, revises: link.revises!, claimedBy: link.author.rawValue,
                                            claimed: Timestamp.iso(link.created.wall), declined: true, confirmed: false))
            }
            Output.line("declined: for you, \(new) no longer revises \(old) (claimed by \(Output.safe(link.author.rawValue))); "
                        + "the notes on \(old) stay there")
            Output.line(Output.dim("undo: gloss revisions accept \(new)"))
        }
    }

    struct Accept: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract: "Accept a revision link for yourself (a teammate's claim, or one you declined).",
            discussion: """
                The notes carried across a teammate's claim are marked until you accept it; \
                once you do, a later claim by anyone else does not change what you see.

                Example:
                  gloss revisions accept 7302
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The newer report (id or prefix).") var report: String

        func execute() throws {
            let replica = try global.openReplica()
            let id = try replica.resolveReport(report)
            let link = try Actions(replica).acceptRevision(of: id)
            let earlier = link.revises!
            if global.json {
                return try Output.json(Link(report: id, revises: earlier, claimedBy: link.author.rawValue,
                                            claimed: Timestamp.iso(link.created.wall), declined: false, confirmed: true))
            }
            Output.line("accepted: for you, \(id.short) revises \(earlier.short) (claimed by \(Output.safe(link.author.rawValue)), "
                        + "\(Timestamp.iso(link.created.wall).prefix(10))); the notes carried across it are no longer marked")
            Output.line(Output.dim("undo: gloss revisions decline \(id.short)"))
        }
    }
}
