import ArgumentParser
import GlossCore

/// `gloss-server init --db FILE`: makes a new team's empty database.
struct InitCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Make a new team's empty database.",
        discussion: """
            Makes the SQLite file (or the schema in an empty PostgreSQL database) with no users \
            and no workspaces. Refuses one that already exists, and leaves it as it is. Every other \
            command then names it with --db (or --postgres) and refuses one that does not exist.

            Example:
              gloss-server init --db team.sqlite
              gloss-server init --postgres postgres://gloss@127.0.0.1:5432/gloss
            """
    )

    @OptionGroup var global: ServerOptions

    func run() async throws {
        try await reporting {
            let location = try global.location
            let epoch = try await location.withStore(.new) { $0.epoch }
            try global.emit("made an empty team database at \(location)\nNext: gloss-server \(Self.storeArgument(location)) user add NAME",
                            json: Made(database: location.description, epoch: epoch))
        }
    }

    /// `--db FILE` or `--postgres URL`, as the next command takes it.
    static func storeArgument(_ location: StoreLocation) -> String {
        switch location {
        case let .sqlite(path): "--db \(path)"
        case let .postgres(url): "--postgres '\(url)'"
        }
    }

    /// The `--json` form.
    struct Made: Encodable {
        var database: String
        var epoch: String
    }
}
