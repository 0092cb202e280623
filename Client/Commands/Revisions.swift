import ArgumentParser
import GlossCore
import GlossReplica

/// `gloss revisions`: which report revises which, who claimed it, and declining a link for yourself.
struct Revisions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisions",
        abstract: "List the revision links, and decline one for yourself.",
        discussion: """
            A revision link (`gloss import NEW --revises OLD`) is one analyst's claim, shared \
            with the team: the notes on OLD are then shown on NEW. If you do not trust a link \
            (NEW is another text, or not the version you work from), `decline` it: for you, NEW \
            no longer revises OLD, and the notes stay on OLD. Nobody else's view changes, and a \
            teammate claiming the same link again does not undo it; `accept` (or your own \
            `gloss import NEW --revises OLD`) does. A decline is kept in this replica.

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
    }

    struct List: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the revision links standing here (the default).",
            discussion: "Examples:\n  gloss revisions\n  gloss revisions list --json")

        @OptionGroup var global: GlobalOptions

        func execute() throws {
            let replica = try global.openReplica()
            let links = try replica.revisionLinks().map { link, declined in
                Link(report: link.report, revises: link.revises!, claimedBy: link.author,
                     claimed: Timestamp.iso(link.created.wall), declined: declined)
            }
            if global.json { return try Output.json(links) }
            if links.isEmpty { return Output.line("No revision links: link versions with gloss import NEW --revises OLD.") }
            for link in links {
                let mark = link.declined ? Output.yellow("  declined by you (gloss revisions accept \(link.report.short))") : ""
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
            let link = try replica.declineRevision(of: try replica.resolveReport(report))
            let (new, old) = (link.report.short, link.revises!.short)
            if global.json {
                return try Output.json(Link(report: link.report, revises: link.revises!, claimedBy: link.author,
                                            claimed: Timestamp.iso(link.created.wall), declined: true))
            }
            Output.line("declined: for you, \(new) no longer revises \(old) (claimed by \(Output.safe(link.author))); "
                        + "the notes on \(old) stay there")
            Output.line(Output.dim("undo: gloss revisions accept \(new)"))
        }
    }

    struct Accept: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract: "Take back your decline of a revision link.",
            discussion: "Example:\n  gloss revisions accept 7302")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The newer report (id or prefix).") var report: String

        func execute() throws {
            let replica = try global.openReplica()
            let id = try replica.resolveReport(report)
            guard let earlier = try replica.acceptRevision(of: id) else {
                throw CLIFailure(.notFound, "you have not declined a revision link of report \(id.short)",
                                 hint: "`gloss revisions` lists the links and the ones you declined")
            }
            if global.json { return try Output.json(["report": id.rawValue, "revises": earlier.rawValue]) }
            Output.line("accepted: \(id.short) revises \(earlier.short) for you again, if that link still stands (gloss revisions)")
        }
    }
}
