import ArgumentParser
import GlossCore
import GlossReplica

struct DigestCommand: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "What arrived from your team that concerns you.",
        discussion: """
            New notes on reports you annotated, replies to your notes, your notes resolved or \
            reopened by a teammate or changed on your other machine, new conflicts and new \
            reports. `gloss sync` prints the same when it ends; this says it again, offline. \
            By default it covers the last sync that brought anything; --since covers every \
            sync since a time (\(PointInTime.help)).

            Examples:
              gloss digest
              gloss digest --since 2d
              gloss digest --since 2026-11-30 --json
            """)

    static let pagesOutput = true
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("last-sync, or \(PointInTime.help).", valueName: "time")) var since: Since = .lastSync

    enum Since: ExpressibleByArgument, Equatable {
        case lastSync
        case time(PointInTime)
        init?(argument: String) {
            if argument == "last-sync" { self = .lastSync; return }
            guard let time = PointInTime(argument: argument) else { return nil }
            self = .time(time)
        }
        var defaultValueDescription: String { "last-sync" }
    }

    func execute() throws {
        let replica = try global.openReplica()
        let span: Replica.DigestSpan = switch since {
        case .lastSync: .lastSync
        case let .time(time): .since(time.millis)
        }
        let digest = try replica.digest(span)
        if global.json { return try Output.json(digest) }
        DigestPrinter.print(digest)
    }
}
