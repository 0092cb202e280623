import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct Show: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Read a report with its highlights and notes inline.",
        discussion: """
            Colour on a terminal; plain markers when piped (or with NO_COLOR set).

            Examples:
              gloss show 4f2a
              gloss show 4f2a --width 80 | less
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The report (id or prefix).") var report: String
    @Option(help: "Wrap lines at this many characters.") var width: Int?

    func execute() throws {
        let replica = try global.openReplica()
        let report = try replica.report(try replica.resolveReport(self.report))
        let annotations = try replica.annotationsFollowingRevisions(of: report)
        struct Out: Encodable { var report: Report; var annotations: [Annotation] }
        if global.json { return try Output.json(Out(report: report, annotations: annotations)) }
        let columns = width ?? Terminal.columns() ?? 100
        print(ReportRenderer.render(report: report, annotations: annotations, color: Output.color, width: max(40, columns)), terminator: "")
    }
}
