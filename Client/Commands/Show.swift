import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct Show: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Read a report with its notes inline, or one note with its thread and history.",
        discussion: """
            Given a report, prints its text with highlights and, after each paragraph, its notes \
            and replies. Given an annotation, prints that note: its text, its quote in context, \
            its whole thread, and the history of changes to it, oldest first. Any unique prefix \
            of either kind of id works.

            Colour on a terminal; plain markers when piped (or with NO_COLOR set). On a terminal \
            long output goes through a pager (--no-pager to turn it off).

            Examples:
              gloss show 4f2a
              gloss show 9c1e
              gloss show 4f2a --width 80 --no-pager
            """)

    static let pagesOutput = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A report or an annotation (id or prefix).") var id: String
    @Option(help: "Wrap lines at this many columns.") var width: Int?

    func execute() throws {
        let replica = try global.openReplica()
        let columns = max(40, width ?? Terminal.columns() ?? 100)
        switch try Self.resolve(id, in: replica) {
        case let .report(id):
            let report = try replica.report(id)
            let chains = try replica.revisionChains()
            let annotations = try replica.annotationsFollowingRevisions(of: report)
            let claim = chains.unconfirmedClaim(of: id).map(RevisionClaim.init)
            struct Out: Encodable { var report: Report; var annotations: [Annotation]; var claim: RevisionClaim? }
            if global.json { return try Output.json(Out(report: report, annotations: annotations, claim: claim)) }
            // Whose word this version rests on comes first, not after the last paragraph.
            if let claim { Output.line(Output.yellow("! This version: " + ReportRenderer.claimWords(claim).replacingOccurrences(of: "carried here by ", with: ""))) }
            print(ReportRenderer.render(report: report, annotations: annotations, color: Output.color, width: columns), terminator: "")
        case let .annotation(id):
            try showNote(id, in: replica, width: columns)
        }
    }

    enum Shown { case report(ReportID), annotation(AnnotationID) }

    /// A prefix names a report or an annotation; one that names both is ambiguous (exit 3).
    static func resolve(_ prefix: String, in replica: Replica) throws -> Shown {
        let report = Result { try replica.resolveReport(prefix) }
        let note = Result { try replica.resolveAnnotation(prefix, orRefused: true) }
        switch (report, note) {
        case let (.success(report), .success(note)):
            throw CLIFailure(.ambiguous, "\(prefix) names both report \(report.short) and annotation \(note.short)",
                             hint: "give more of the id: `gloss show \(report.short)` or `gloss show \(note.short)`")
        case let (.success(report), .failure(error)) where isNoMatch(error): return .report(report)
        case let (.failure(error), .success(note)) where isNoMatch(error): return .annotation(note)
        case let (.failure(first), .failure(second)) where isNoMatch(first) && isNoMatch(second):
            throw CLIFailure(.notFound, "no report or annotation has an id starting with \(prefix)",
                             hint: "see `gloss reports` and `gloss list` for the ids here")
        case let (.failure(first), .failure(second)) where isMalformed(first) && isMalformed(second):
            throw CLIFailure.usage("'\(prefix)' is not a report or annotation id", hint: "ids are hex, like 3f9a1c2b; any unique prefix works")
        case let (.failure(error), _), let (_, .failure(error)):
            throw error
        }
    }

    private static func isNoMatch(_ error: any Error) -> Bool {
        if case ReplicaError.noMatch = error { return true }
        return false
    }

    private static func isMalformed(_ error: any Error) -> Bool {
        if case ReplicaError.malformedID = error { return true }
        return false
    }

    /// One note: as carried to the latest version of its report when it was made on an earlier
    /// one, its thread among that report's notes, and its operations oldest first (by stamp).
    /// Work the server refused on it shows too, with why: a note refused whole exists only
    /// here, and shows as its author wrote it.
    private func showNote(_ id: AnnotationID, in replica: Replica, width: Int) throws {
        let refused = try replica.refusedNote(id)
        if let refused, !refused.shared { return try showRefused(refused, in: replica, width: width) }
        let made = try replica.annotation(id)
        let carried = try replica.carried(id)
        let report = carried?.report ?? (try? replica.report(made.report))
        let note = carried?.note ?? made
        let annotations = try report.map { try replica.annotationsFollowingRevisions(of: $0, includeDeleted: true) } ?? [made]
        let history = try replica.history(of: id)
        if global.json {
            let thread = Annotation.thread(of: id, in: annotations)
            return try Output.json(NoteOut(annotation: note, report: report?.id ?? made.report, title: report?.title, thread: thread,
                                           history: history, refused: refused))
        }
        let title = report.map { Output.middle($0.title, max(20, width - 20)) } ?? "(report not here)"
        Output.line("\(Output.dim("on report")) \(Output.yellow((report?.id ?? made.report).short))  \(title)")
        if let parent = note.parent { Output.line("\(Output.dim("reply to")) \(Output.yellow(parent.short))  (gloss show \(parent.short))") }
        print(ReportRenderer.renderThread(of: note, report: report, annotations: annotations, color: Output.color, width: width), terminator: "")
        if let refused {
            Output.line()
            Output.line(Output.red("The team server refused \(refused.refusals.count) change(s) to it") + Output.dim(" (only this replica holds them)"))
            for refusal in refused.refusals {
                Output.line("  \(refusal.operation.change.words(clip: { Output.clip($0, 60) }, field: Output.safe))")
                Output.line("    \(Output.dim("why:")) \(refusal.code.rawValue): \(Output.safe(refusal.reason))")
            }
            Output.line(Output.dim("gloss sync --retry-refused offers them again once the cause is fixed"))
        }
        printHistory(history, refused: refused)
    }

    /// A note the server refused whole: as its author wrote it, why, and what to do.
    private func showRefused(_ refused: RefusedNote, in replica: Replica, width: Int) throws {
        guard let note = refused.annotation else { throw ReplicaError.annotationNotFound(refused.id) }
        let report = try? replica.report(note.report)
        if global.json {
            return try Output.json(NoteOut(annotation: note, report: note.report, title: report?.title, thread: [], history: [], refused: refused))
        }
        let title = report.map { Output.middle($0.title, max(20, width - 20)) } ?? "(report not here)"
        Output.line("\(Output.dim("on report")) \(Output.yellow(note.report.short))  \(title)")
        if let parent = note.parent { Output.line("\(Output.dim("reply to")) \(Output.yellow(parent.short))  (gloss show \(parent.short))") }
        print(ReportRenderer.renderThread(of: note, report: report, annotations: [note], color: Output.color, width: width), terminator: "")
        Output.line()
        Output.line(Output.red("Refused by the team server") + " (\(Output.safe(refused.reason)))")
        Output.line(Output.dim("Only this replica holds it; teammates never saw it. gloss sync --retry-refused offers it again once the cause is fixed; gloss delete \(note.id.short) drops it."))
        printHistory([], refused: refused)
    }

    /// The operations on the note, oldest first by stamp (HLC, then id: the order every
    /// replica agrees on), refused ones among them and marked.
    private func printHistory(_ history: [GlossCore.Operation], refused: RefusedNote?) {
        let refusals = Dictionary((refused?.refusals ?? []).map { ($0.operation.id, $0.code) }, uniquingKeysWith: { a, _ in a })
        let all = (history + (refused?.refusals.map(\.operation) ?? [])).sorted { $0.stamp < $1.stamp }
        Output.line()
        Output.line(Output.bold("History") + Output.dim(" (oldest first)"))
        for op in all {
            let mark = refusals[op.id].map { "  " + Output.red("refused (\($0.rawValue))") } ?? ""
            Output.line("  \(Output.dim(Timestamp.iso(op.hlc.wall)))  \(Output.pad(Output.safe(op.author.rawValue), 8)) \(Output.pad(op.change.kind, 8)) \(Self.describe(op.change))\(mark)")
        }
    }

    struct NoteOut: Encodable {
        var annotation: Annotation; var report: ReportID; var title: String?; var thread: [Annotation]; var history: [GlossCore.Operation]
        /// The work the server refused on this note, when there is any.
        var refused: RefusedNote?
    }

    /// What an operation did, in a few words, shortened for the terminal.
    static func describe(_ change: Change) -> String {
        change.words(clip: { Output.clip($0, 60) }, field: Output.safe)
    }
}
