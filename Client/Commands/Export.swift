import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct Export: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the merged annotations.",
        discussion: """
            Formats:
              w3c       W3C Web Annotation AnnotationCollection (JSON-LD) for other annotation tools
              json      Gloss's lossless form; `gloss import FILE` restores it on another replica
              csv       one row per annotation, for spreadsheets
              markdown  the annotated brief: key judgments (with dissent), contents, then each
                        annotated report's text with highlights, notes, replies and judgments
              html      the same brief as one self-contained page

            The brief holds the reports that have notes (--report names one anyway); it leaves out \
            deleted notes (a reply to one stays, without the deleted text), revision links, and \
            bare highlights' empty notes (their quotes stay marked). --tag, --author, --status and \
            --since choose notes, each with its whole thread. A report revised by a later \
            version (`gloss import NEW --revises OLD`) is not shown on its own: its notes are \
            carried into the latest version, as `gloss show` shows them, and it is named there \
            as revised (by which version, when); --report names either. Its date is that of the latest change \
            to a note in it, so the output is deterministic: replicas holding the same operations \
            export the same bytes. Private notes stay out of exports unless you add --private.

            A json export with --signed also carries the operations' signatures (as `gloss ops \
            export` does), so a replica that pinned the workspace's root checks them when it \
            restores the file; that part is this replica's own, so the bytes then differ between \
            replicas.

            Examples:
              gloss export --format markdown -o brief.md
              gloss export --format html --since 7d --status open -o brief.html
              gloss export --format w3c --report 4f2a -o annotations.jsonld
              gloss export --format json --signed -o backup.json
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "w3c, json, csv, markdown or html.") var format: ExportFormat
    @Option(help: "Only this report (id or prefix).") var report: String?
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output (`-` is standard output).") var output: String?
    @Flag(help: "Include your private notes.") var `private` = false
    @Flag(help: "Carry the operations' signatures, for a restore that checks them (json).") var signed = false
    @Option(help: ArgumentHelp("The brief's title (markdown, html).", valueName: "text")) var title: String?
    @Option(help: "Only notes with this tag, in the note or its thread (markdown, html).", transform: TagName.normalized) var tag: String?
    @Option(help: "Only notes this analyst wrote or replied to (markdown, html).") var author: String?
    @Option(help: "Only open or only resolved notes (markdown, html).") var status: GlossCore.Status?
    @Option(help: ArgumentHelp("Only notes made or changed since: 2025-11-29, 2025-11-29T08:30Z, or back from now: 12h, 3d, 2w (markdown, html).",
                               valueName: "time")) var since: String?

    func validate() throws {
        let briefOnly = [("--title", title != nil), ("--tag", tag != nil), ("--author", author != nil),
                         ("--status", status != nil), ("--since", since != nil)].filter(\.1).map(\.0)
        if !format.isBrief, let first = briefOnly.first {
            throw ValidationError("\(first) shapes the brief: use it with --format markdown or html")
        }
        if signed, format != .json { throw ValidationError("--signed is for --format json, the form `gloss import` restores") }
        if let since { _ = try Self.time(since) }
    }

    /// `--since` in wall milliseconds, durations counted back from now.
    static func time(_ text: String) throws -> Int64 {
        do {
            return try BriefTime.parse(text, now: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
        } catch {
            throw ValidationError("--since: \(error)")
        }
    }

    func execute() throws {
        let replica = try global.openReplica()
        let reportID = try report.map { try replica.resolveReport($0) }
        let filter = BriefFilter(tag: tag, author: author.map { (try? UserName($0)) ?? UserName(stored: $0) }, status: status,
                                 since: try since.map(Self.time))
        let data = try Self.data(replica, format: format, report: reportID, includePrivate: `private`, signed: signed, title: title, filter: filter)
        // Without -o, or with -o -, the export is standard output's alone.
        let output = output ?? StandardStreams.dash
        guard try StandardStreams.write(data, to: output, home: global.homeURL) else { return }
        if global.json {
            struct Out: Encodable { var file: String; var format: String; var bytes: Int }
            try Output.json(Out(file: output, format: format.rawValue, bytes: data.count))
        } else {
            Output.line("wrote \(format.rawValue) export to \(output) (\(data.count) bytes)")
        }
    }

    /// The export's bytes: what `gloss export` writes, and what the reader page downloads.
    static func data(_ replica: Replica, format: ExportFormat, report: ReportID?, includePrivate: Bool, signed: Bool = false,
                     title: String? = nil, filter: BriefFilter = BriefFilter()) throws -> Data {
        var input = try format.isBrief ? briefInput(replica, report: report, includePrivate: includePrivate)
            : self.input(replica, report: report, includePrivate: includePrivate, operations: format == .json)
        if signed, format == .json { input.signing = try replica.signing(for: input.operations, includePrivate: includePrivate) }
        let brief = BriefOptions(title: title ?? BriefOptions.defaultTitle, workspace: try replica.meta().workspace,
                                 filter: filter, includeUnannotated: report != nil)
        return try format.data(input, brief: brief)
    }

    /// What the brief needs: the notes as they are stored, with the revision links, so that the
    /// brief carries them to the latest versions itself. For one report: its latest version
    /// and the versions that one revises.
    static func briefInput(_ replica: Replica, report: ReportID?, includePrivate: Bool) throws -> ExportInput {
        guard let report else { return try input(replica, report: nil, includePrivate: includePrivate, operations: false) }
        let chains = try replica.revisionChains()
        let latest = chains.latestVersion(of: report)
        let versions = [latest] + chains.earlierVersions(of: latest)
        let annotations = try versions.flatMap { try replica.annotations(AnnotationFilter(report: $0, includeDeleted: true)) }
            .filter { includePrivate || $0.visibility == .team }
        return ExportInput(reports: try versions.map { try replica.report($0) }, annotations: annotations)
    }

    /// Everything the exporters need, for the whole replica or one report; the operations only
    /// when asked (the lossless `json` format is the one that writes them).
    static func input(_ replica: Replica, report: ReportID?, includePrivate: Bool, operations withOperations: Bool) throws -> ExportInput {
        let annotations = try (report.map { try replica.annotationsFollowingRevisions(of: try replica.report($0)) }
            ?? replica.annotations(AnnotationFilter(includeDeleted: true)))
            .filter { includePrivate || $0.visibility == .team }
        let reports = try report.map { [try replica.report($0)] } ?? replica.reports().map { try replica.report($0.id) }
        var operations = withOperations ? try replica.allOperations().filter { includePrivate || !$0.isPrivate } : []
        if report != nil {
            let ids = Set(annotations.map(\.id))
            operations = operations.filter { ids.contains($0.annotation) }
        }
        return ExportInput(reports: reports, annotations: annotations, operations: operations)
    }
}
