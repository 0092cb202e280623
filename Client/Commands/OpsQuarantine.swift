import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct OpsQuarantine: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List operations set aside: they name you but were not made on this replica.",
        discussion: """
            A file can carry operations that name you as their author: your own from another \
            machine, or a forgery (anyone can make a replica id for your name). Gloss does not \
            take either on trust: `gloss ops apply` sets them aside, unmerged and never sent, \
            until you adopt or discard each one. A sync that brings one from the team server \
            settles it (the server took it from you).

            Examples:
              gloss ops quarantine
              gloss ops adopt 3f9a1c2b7d4e8a10-17      # yours: take it in, to be sent as yours
              gloss ops adopt --all
              gloss ops discard --all                  # not yours: drop them
            """)

    static let pagesOutput = true
    @OptionGroup var global: GlobalOptions

    func execute() throws {
        let replica = try global.openReplica()
        let list = try Actions(replica).quarantinedOperations()
        if global.json { return try Output.json(list) }
        if list.isEmpty { return Output.line("Nothing is set aside.") }
        for q in list {
            let change = q.operation.change.words(clip: { Output.clip($0, 60) }, field: Output.safe)
            Output.line("\(Output.yellow(q.operation.id.description))  \(Output.red(q.operation.change.kind))  \(change)")
            Output.line("    \(Output.dim("on")) \(q.operation.annotation.short)  \(Output.dim("from")) \(Output.safe(q.source)) \(Output.dim("at \(Timestamp.iso(q.arrivedAt)); stamped \(Timestamp.iso(q.operation.hlc.wall))"))")
        }
        Output.line(Output.dim("These name you (\(try replica.meta().user)) but were not made here. If they are yours from another machine, adopt them: gloss ops adopt ID… (or --all). Otherwise: gloss ops discard ID… (or --all)."))
    }

    /// What `ops apply` and `import` say when a file's operations were set aside: on standard
    /// error, whatever the format, so no one misses it.
    static func warn(_ count: Int, file: String) {
        guard count > 0 else { return }
        Output.warn(Output.red("warning: ") + "\(Output.safe(file)): \(count) operation(s) name you as their author but were not made on this replica; they are set aside, not applied and not sent")
        Output.warn("hint: if these are yours from another machine, adopt them (`gloss ops adopt --all`); if not, someone wrote in your name: `gloss ops discard --all`. See them with `gloss ops quarantine`")
    }
}

/// The ids `adopt` and `discard` take: unique prefixes, or `--all`.
struct QuarantineSelection: ParsableArguments {
    @Argument(help: "Operation ids as `gloss ops quarantine` lists them (any unique prefix).") var ids: [String] = []
    @Flag(help: "Every operation set aside.") var all = false

    func validate() throws {
        if all, !ids.isEmpty { throw ValidationError("give operation ids or --all, not both") }
        if !all, ids.isEmpty { throw ValidationError("name the operations (see `gloss ops quarantine`), or give --all") }
    }

    func resolve(in replica: Replica) throws -> [OperationID]? {
        all ? nil : try ids.map { try replica.resolveQuarantined($0) }
    }
}
