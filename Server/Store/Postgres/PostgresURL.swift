import Foundation
import PostgresNIO

/// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]` URL,
/// as `--postgres` takes it. `description` never shows the password.
struct PostgresURL: Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var sslMode: String

    init(_ text: String) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw StoreError(.invalid, "'\(Self.redacted(text))' is not a PostgreSQL URL",
                             hint: "write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        guard let host = url.host, !host.isEmpty else {
            throw StoreError(.invalid, "the PostgreSQL URL names no host", hint: "for example postgres://gloss@127.0.0.1:5432/gloss")
        }
        guard let user = url.user, !user.isEmpty else {
            throw StoreError(.invalid, "the PostgreSQL URL names no user", hint: "for example postgres://gloss@\(host)/gloss")
        }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw StoreError(.invalid, "the PostgreSQL URL names no database", hint: "end it with /DATABASE, for example postgres://\(user)@\(host)/gloss")
        }
        let sslMode = url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(sslMode) else {
            throw StoreError(.invalid, "sslmode=\(sslMode) is not supported", hint: "use disable, prefer or require")
        }
        self.host = host
        self.port = url.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = url.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = sslMode
    }

    var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    var configuration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case "disable": .disable
        case "require": .require(.makeClientConfiguration())
        default: .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 32
        return configuration
    }

    /// The same settings for one connection of its own (migrations, the reachability check).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch sslMode {
        case "disable": .disable
        case "require": .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// `text` with any password replaced, for messages.
    static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "…"
        return url.string ?? "(a URL)"
    }
}

/// What a PostgreSQL error says, for a person: the server's message when it sent one,
/// otherwise the connection's failure (PostgresNIO's own description hides both).
func describePostgres(_ error: any Error) -> String {
    if let error = error as? PostgresTransactionError {
        return error.cause.map(describePostgres) ?? "the transaction failed"
    }
    guard let error = error as? PSQLError else { return "\(error)" }
    if let message = error.serverInfo?[.message] {
        return error.serverInfo?[.sqlState].map { "\(message) (\($0))" } ?? message
    }
    if let underlying = error.underlying { return "\(error.code): \(underlying)" }
    return "\(error.code)"
}

extension PostgresTransactionError {
    /// What made the transaction fail: the body's error, else the commit's, the BEGIN's, the ROLLBACK's.
    var cause: (any Error)? { closureError ?? commitError ?? beginError ?? rollbackError }
}

extension PSQLError {
    /// The SQLSTATE the server sent, if any (`40P01` deadlock, `23505` unique violation…).
    var sqlState: String? { serverInfo?[.sqlState] }
}
