import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct OpsApply: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Take in operations from files written by `gloss ops export`.",
        discussion: """
            `-` reads a file from standard input.

            Operations that name you as their author but were not made on this replica are \
            set aside, not applied and not sent (see `gloss ops quarantine`): if they are yours \
            from another machine, adopt them.

            Examples:
              gloss ops apply from-alice.gloss
              gloss ops export -o - | ssh desktop gloss ops apply -
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Operation files (`-` for standard input).") var files: [String]

    func validate() throws {
        if files.filter({ $0 == StandardStreams.dash }).count > 1 { throw ValidationError("`-` (standard input) can be read only once") }
    }

    func execute() throws {
        let replica = try global.openReplica()
        struct Out: Encodable { var file: String; var reports: Int; var result: ApplyResult; var signed: Bool }
        var outs: [Out] = []
        for file in files {
            let data: Data
            let name = StandardStreams.inputName(file)
            do { data = try StandardStreams.read(file, limit: OperationBundle.maxBytes) } catch {
                let failure = CLIFailure(error)
                throw CLIFailure(failure.code, "\(name): \(failure.message)", hint: failure.hint)
            }
            let bundle: OperationBundle
            do { bundle = try OperationBundle.read(data) } catch { throw CLIFailure.words(for: error, file: name) }
            let (reports, result) = try Actions(replica).applyOperations(bundle, source: file == StandardStreams.dash ? name : (file as NSString).lastPathComponent)
            outs.append(Out(file: name, reports: reports.filter(\.isNew).count, result: result, signed: bundle.signing != nil))
        }
        // Operations set aside are said on standard error whatever the format: they may be someone writing in your name.
        for out in outs { OpsQuarantine.warn(out.result.quarantined, file: out.file) }
        // Said whatever the format too: who wrote these was not checked.
        if let out = outs.first(where: { $0.signed && !$0.result.signaturesChecked }), try !replica.meta().workspace.isEmpty {
            Output.warn("warning: \(out.file) is signed, but no workspace root is pinned here, so its signatures were not checked")
            Output.warn("hint: pin the root your admin gives you: gloss keys pin-root KEY")
        }
        if global.json { return try Output.json(outs) }
        for out in outs {
            let r = out.result
            Output.line("\(out.file): \(r.applied) new operation(s), \(r.duplicates) already here, \(out.reports) new report(s)\(r.quarantined > 0 ? ", \(r.quarantined) set aside" : "")")
            if r.signaturesChecked {
                var checked = "  signatures: \(r.verified) verified"
                if r.legacy > 0 { checked += ", \(r.legacy) legacy (from before signing, taken unsigned)" }
                if r.released > 0 { checked += ", \(r.released) held earlier now taken" }
                Output.line(Output.dim(checked))
            }
            if r.statementsRefused > 0 {
                Output.warn("  \(r.statementsRefused) statement(s) not signed by the root pinned here were dropped")
            }
            for refusal in r.refused { Output.warn("  refused \(refusal.op): \(Output.safe(refusal.reason))") }
            if r.signaturesChecked, !r.refused.isEmpty {
                Output.warn("  hint: they are kept aside, never merged; `gloss sync --refused` lists them")
            }
            if !r.newConflicts.isEmpty {
                Output.line(Output.red("  \(r.newConflicts.count) new conflict(s): \(r.newConflicts.map(\.short).joined(separator: ", ")) — see `gloss conflicts`"))
            }
        }
    }
}
