import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct Import: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import situation reports (or a Gloss JSON export).",
        discussion: """
            Reads seed reports (title line, summary line, then a JSON body), .txt (the first \
            line is the title; every other line is kept as written), .md and .html files, at most \(ReportParser.maxBytes / 1024 / 1024) MiB each. A report's id is the \
            SHA-256 of its text, so importing the same report twice changes nothing. A file that \
            is not a report is refused with the reason; the others are still imported, and the \
            command exits with status 5. A `gloss export --format json` file restores its \
            annotations; those in your name that were not made on this replica are set aside \
            until you adopt them (`gloss ops quarantine`).

            Imported reports reach your team on the next `gloss sync`, annotated or not. \
            --local keeps a report (and your notes on it) on this machine; importing the file \
            again without --local shares it. --revises records, as your claim, that the report \
            revises an earlier one (also when it was already imported): notes on the earlier \
            version follow it (see `gloss review`).

            `-` reads one report from standard input; --name gives it a file name, whose \
            extension picks the format (.md, .html) and whose base name is the fallback title.

            Examples:
              gloss import Examples/reports/*.txt
              curl -s https://example.org/brief.html | gloss import - --name brief.html
              gloss import draft.md --local
              gloss import rare-earths-v2.txt --revises 4f2a
              gloss import brief.html --json
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report files to import.") var files: [String]
    @Option(help: ArgumentHelp("The report this one revises (id or prefix).", valueName: "report")) var revises: String?
    @Flag(help: "Keep the report, and your notes on it, on this machine: not sent to the team.") var local = false
    @Option(help: ArgumentHelp("The file name of a report read from standard input (`-`): its extension picks the format.",
                               valueName: "name")) var name: String?

    func validate() throws {
        if files.filter({ $0 == StandardStreams.dash }).count > 1 { throw ValidationError("`-` (standard input) can be read only once") }
        if name != nil, !files.contains(StandardStreams.dash) { throw ValidationError("--name names standard input: use it with `-`") }
    }

    struct Refused: Encodable { var file: String; var reason: String }
    struct Link: Encodable { var report: ReportID; var revises: ReportID }
    struct Out: Encodable {
        var imported: [Replica.Imported]; var refused: [Refused]; var restoredOperations: Int
        /// Operations in this user's name not made here: set aside (`gloss ops quarantine`).
        var quarantinedOperations = 0
        var linked: [Link] = []
    }

    func execute() throws {
        let replica = try global.openReplica()
        let revised = try revises.map { try replica.resolveReport($0) }
        var out = Out(imported: [], refused: [], restoredOperations: 0)
        for file in files {
            // Read from `-`, a report is known by --name (or "standard input") in messages and as its source.
            let fileName = file == StandardStreams.dash ? name ?? StandardStreams.inputName(file) : (file as NSString).lastPathComponent
            do {
                let data = try StandardStreams.read(file, limit: Self.readLimit)
                if let restored = try Self.restoreIfExport(data, file: file, into: replica) {
                    out.imported += restored.reports
                    out.restoredOperations += restored.result.applied
                    out.quarantinedOperations += restored.result.quarantined
                    OpsQuarantine.warn(restored.result.quarantined, file: fileName)
                    continue
                }
                let report = try ReportParser.parse(data, fileName: fileName)
                // A link is this analyst's claim, recorded as an operation the team merges.
                let imported = try Actions(replica).importReport(report, source: fileName, local: local, revises: revised)
                out.imported.append(imported.report)
                if imported.linked, let revised { out.linked.append(Link(report: report.id, revises: revised)) }
            } catch {
                // A file that is not a report (or export) is refused with its reason; the
                // others are still imported. Anything else (storage) stops the import.
                let failure = CLIFailure(error)
                guard failure.code == .badFile else { throw error }
                out.refused.append(Refused(file: StandardStreams.inputName(file), reason: failure.message))
            }
        }
        if global.json {
            try Output.json(out)
        } else {
            for item in out.imported {
                let verb = item.isNew ? Output.green("imported ") : item.shared ? Output.green("shared   ") : Output.dim("unchanged")
                let note = item.local ? "  (local: stays on this machine)" : item.isNew || item.shared ? "" : "  (already here)"
                Output.row("\(verb) \(item.id.short)  \(Output.safe(item.title))\(Output.dim(note))")
            }
            for link in out.linked {
                Output.line("linked    \(link.report.short) revises \(link.revises.short)  (notes on \(link.revises.short) follow: gloss review \(link.report.short))")
            }
            if out.restoredOperations > 0 { Output.line("restored \(out.restoredOperations) operation(s)") }
            for bad in out.refused { Output.warn("refused   \(bad.file): \(Output.safe(bad.reason))") }
        }
        if !out.refused.isEmpty {
            if !global.json { Output.warn("hint: \(out.refused.count) file(s) were not imported; fix or remove them and run the import again") }
            throw ExitCode(5)
        }
    }
}

extension Import {
    /// The largest input of any kind (an operations file); reports are held to their own
    /// smaller limit by the parser.
    static let readLimit = max(ReportParser.maxBytes, OperationBundle.maxBytes)
}
