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

    func execute() throws {
        let reports = try global.openReplica().reports()
        if global.json { return try Output.json(reports) }
        if reports.isEmpty { return Output.line("No reports yet. Import one: gloss import FILE") }
        Output.line(Output.dim("id        notes  title"))
        for r in reports {
            Output.row("\(Output.yellow(r.id.short))  \(Output.pad(String(r.annotations), 5))  \(Output.safe(r.title))\(r.local ? Output.dim("  (local)") : "")")
        }
    }
}
