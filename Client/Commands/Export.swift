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
              markdown  the annotated brief: report text, highlights, notes, replies, judgments
              html      the same brief as one self-contained page

            The output is deterministic: replicas holding the same operations export the same bytes. \
            Private notes stay out of exports unless you add --private.

            Examples:
              gloss export --format markdown -o brief.md
              gloss export --format w3c --report 4f2a -o annotations.jsonld
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "w3c, json, csv, markdown or html.") var format: ExportFormat
    @Option(help: "Only this report (id or prefix).") var report: String?
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
    @Flag(help: "Include your private notes.") var `private` = false

    func execute() throws {
        let replica = try global.openReplica()
        let data = try format.data(try Self.input(replica, report: report.map { try replica.resolveReport($0) }, includePrivate: `private`,
                                                  operations: format == .json))
        if let output {
            try Output.write(data, to: output, home: global.homeURL)
            if global.json {
                struct Out: Encodable { var file: String; var format: String; var bytes: Int }
                try Output.json(Out(file: output, format: format.rawValue, bytes: data.count))
            } else {
                Output.line("wrote \(format.rawValue) export to \(output) (\(data.count) bytes)")
            }
        } else {
            FileHandle.standardOutput.write(data)
        }
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
