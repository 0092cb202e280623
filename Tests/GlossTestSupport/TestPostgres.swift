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
        if let url = ProcessInfo.processInfo.environment["GLOSS_POSTGRES_URL"], !url.isEmpty { return url }
        let script = repository.appendingPathComponent("scripts/postgres.sh").path
        let result = try run("/bin/bash", [script, "start", "/tmp/gloss-test-postgres"])
        guard result.status == 0 else {
            throw Failure(description: "scripts/postgres.sh could not start PostgreSQL (exit \(result.status)): \(result.stderr)\n"
                          + "run `scripts/postgres.sh start /tmp/gloss-test-postgres` to see why, or set GLOSS_POSTGRES_URL")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new, empty database on the test server; returns its URL.
    public static func freshDatabase() throws -> String {
        let server = try Self.server.get()
        let name = "gloss_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try psql(server, "CREATE DATABASE \(name)")
        return server.replacingOccurrences(of: #"/[^/]*$"#, with: "/\(name)", options: .regularExpression)
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
