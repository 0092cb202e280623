import ArgumentParser
import Foundation
import GlossCore

/// `gloss-server quarantine …`: take a poisoned operation or report out of a workspace.
struct QuarantineCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "Take an operation or a report out of a workspace's feeds; list what was taken out.",
        discussion: """
            An item members' clients cannot take (stored by an earlier server version, before a \
            limit) is skipped by every `gloss sync`, which names it ("skipped operation …"). \
            Taking it out stops that: it is never sent again, to anyone, and pulls move past it. \
            Its row stays (pushing or uploading it again is still "already here"); what was taken \
            out, when and why is recorded, and `quarantine list` shows it. Clients that already \
            hold the item keep it.

            Example:
              gloss-server --db team.sqlite quarantine op 0000000000000b0b-1 --workspace intel --reason "7.9 MB quote prefix"
              gloss-server --db team.sqlite quarantine report 3f9a1c2b --workspace intel
              gloss-server --db team.sqlite quarantine list --workspace intel
            """,
        subcommands: [Operation.self, Report.self, List.self]
    )

    @OptionGroup var global: ServerOptions

    static let defaultReason = "taken out by an admin"

    static func text(_ record: QuarantineRecord, workspace: WorkspaceName) -> String {
        "took \(record.kind.rawValue) \(record.item) out of '\(workspace)': it is no longer sent to anyone (\(record.reason))"
    }

    /// Takes `item` out of `workspace` and says so: what `op` and `report` do once parsed.
    static func takeOut(_ item: QuarantineItem, of workspace: WorkspaceName, reason: String, global: ServerOptions) async throws {
        let record = try await global.withStore { try await $0.quarantine(item, in: workspace, reason: reason, now: Names.millisNow()) }
        try global.emit(text(record, workspace: workspace), json: record)
    }

    struct Operation: AdminCommand {
        static let configuration = CommandConfiguration(
            commandName: "op",
            abstract: "Take an operation out of a workspace.",
            discussion: "Example:\n  gloss-server --db team.sqlite quarantine op 0000000000000b0b-1 --workspace intel")

        @OptionGroup var global: ServerOptions
        @Argument(help: "The operation's id, REPLICA-COUNTER (as `gloss sync` names a skipped one).") var id: String
        @Option(help: "The workspace.", transform: Names.workspace) var workspace: WorkspaceName
        @Option(help: "Why, recorded with it.") var reason: String = QuarantineCommand.defaultReason

        func validate() throws {
            guard OperationID(id) != nil else { throw ValidationError("'\(id)' is not an operation id (REPLICA-COUNTER: 16 hex digits, a dash, a number)") }
        }

        func run() async throws {
            try await reporting {
                guard let op = OperationID(id) else { return }
                try await QuarantineCommand.takeOut(.operation(op), of: workspace, reason: reason, global: global)
            }
        }
    }

    struct Report: AdminCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Take a report out of a workspace.",
            discussion: "Example:\n  gloss-server --db team.sqlite quarantine report 3f9a1c2b --workspace intel")

        @OptionGroup var global: ServerOptions
        @Argument(help: "The report's id, or enough of it.") var id: String
        @Option(help: "The workspace.", transform: Names.workspace) var workspace: WorkspaceName
        @Option(help: "Why, recorded with it.") var reason: String = QuarantineCommand.defaultReason

        func validate() throws {
            guard id.count >= 4, id.count <= 64, id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw ValidationError("'\(id)' is not a report id (4 to 64 lower-case hex digits)")
            }
        }

        func run() async throws {
            try await reporting {
                try await QuarantineCommand.takeOut(.report(id), of: workspace, reason: reason, global: global)
            }
        }
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "List what was taken out of a workspace, and when and why.",
            discussion: "Example:\n  gloss-server --db team.sqlite quarantine list --workspace intel --json")

        @OptionGroup var global: ServerOptions
        @Option(help: "The workspace.", transform: Names.workspace) var workspace: WorkspaceName

        func run() async throws {
            try await reporting {
                let records = try await global.withStore { try await $0.quarantined(in: workspace) }
                let table = TextTable(headers: ["KIND", "ITEM", "WHEN", "REASON"], rows: records.map {
                    [$0.kind.rawValue, $0.item, ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double($0.at) / 1000)), $0.reason]
                })
                try global.emit(records.isEmpty ? "nothing was taken out of '\(workspace)'" : table.text, json: records)
            }
        }
    }
}
