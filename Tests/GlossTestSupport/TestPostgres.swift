import Foundation

/// The PostgreSQL the tests use: `GLOSS_POSTGRES_URL` when set (`scripts/test.sh` and CI start
/// one with `scripts/postgres.sh`), otherwise a throwaway server this test process starts the
/// same way, in `/tmp/gloss-test-postgres`. Each test gets a database of its own. Nothing is
/// skipped when PostgreSQL is missing: the script installs it, or the test fails saying why.
public enum TestPostgres {
    /// Which store a parameterized test runs against.
    public enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        case sqlite, postgres
        public var description: String { rawValue }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The server's URL (`postgres://USER@HOST:PORT/DATABASE`), started once per test process.
    public static let server: Result<String, any Error> = Result {
        let url: String
        if let given = ProcessInfo.processInfo.environment["GLOSS_POSTGRES_URL"], !given.isEmpty {
            url = given
        } else {
            let script = repository.appendingPathComponent("scripts/postgres.sh").path
            let result = try run("/bin/bash", [script, "start", "/tmp/gloss-test-postgres"])
            guard result.status == 0 else {
                throw Failure(description: "scripts/postgres.sh could not start PostgreSQL (exit \(result.status)): \(result.stderr)\n"
                              + "run `scripts/postgres.sh start /tmp/gloss-test-postgres` to see why, or set GLOSS_POSTGRES_URL")
            }
            url = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        dropStaleDatabases(on: url)
        return url
    }

    /// A new, empty database on the test server; returns its URL. Its name carries the time it
    /// was made, so that a later run can tell it is stale (``dropStaleDatabases(on:)``).
    public static func freshDatabase() throws -> String {
        let server = try Self.server.get()
        let name = "gloss_test_\(Int(Date().timeIntervalSince1970))_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try psql(server, "CREATE DATABASE \(name)")
        return server.replacingOccurrences(of: #"/[^/]*$"#, with: "/\(name)", options: .regularExpression)
    }

    /// No test drops the database it made, and a run can be stopped at any point: on a
    /// developer's cluster they added up to 30 GB in a day. The first test to use the server drops
    /// those made more than two hours ago (or named before names carried a time), 500 at most
    /// a run; one still in use is not dropped (PostgreSQL refuses while anyone is connected).
    public static func dropStaleDatabases(on server: String) {
        let cutoff = Int(Date().timeIntervalSince1970) - 2 * 3600
        guard let names = try? psql(server, #"SELECT datname FROM pg_database WHERE datname LIKE 'gloss\_test\_%' ORDER BY datname"#)
            .split(separator: "\n") else { return }
        let stale = names.filter { name in
            let parts = name.split(separator: "_")
            guard parts.count == 4, let made = Int(parts[2]) else { return true }
            return made < cutoff
        }
        for batch in stride(from: 0, to: min(stale.count, 500), by: 50) {
            let statements = stale[batch..<min(batch + 50, stale.count, 500)].flatMap { ["-c", "DROP DATABASE IF EXISTS \($0)"] }
            _ = try? run("/usr/bin/env", ["psql", server, "-X", "-q"] + statements)
        }
    }

    /// Runs SQL with `psql` against `url` and returns its unaligned, tuples-only output.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let result = try run("/usr/bin/env", ["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        guard result.status == 0 else { throw Failure(description: "psql: \(sql): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The checkout this test was built from.
    public static let repository: URL = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        return dir
    }()

    /// Runs a program to its end (``Spawn``): `pg_ctl` leaves a server running that could hold a
    /// pipe open, and this runs inside the one-time start of ``server``, on which other tests
    /// block their dispatch threads.
    private static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        do { return try Spawn.run(executable, arguments) } catch let failure as Spawn.Failure { throw Failure(description: failure.description) }
    }
}
