import GRDB
import GRDBSQLite
import GlossCore

/// Runs one of GRDB's prepared (cached) statements with values bound straight through SQLite's
/// C API.
///
/// GRDB's `StatementArguments` boxes every value in an existential before binding it. On the
/// apply path (a statement or more per operation, a million operations in a fresh pull) that
/// boxing was about a quarter of the CPU time; the write paths that run per operation use this,
/// everything else keeps GRDB's API. The statement is reset and its bindings cleared after each
/// run, so GRDB can keep using it. Every run checks that as many values were bound as the SQL
/// has parameters, and every bind's and step's result code: a mistake throws, naming the SQL.
///
/// The one place in Gloss that binds and steps through SQLite's C API (besides the bench's raw
/// floor); the replica's opening (`SQLITE_FCNTL_PERSIST_WAL`) and the server's
/// `CheckpointService` (`sqlite3_wal_checkpoint_v2`) make one C call each, for what GRDB does not offer.
struct FastStatement {
    let statement: Statement

    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    /// Values for the statement's parameters, in order.
    struct Bindings {
        fileprivate let handle: OpaquePointer
        fileprivate var index: Int32 = 0
        /// The first bind that failed, if one did.
        fileprivate var failure: Int32 = SQLITE_OK

        private mutating func check(_ code: Int32) {
            if code != SQLITE_OK, failure == SQLITE_OK { failure = code }
        }

        mutating func add(_ value: Int64) {
            index += 1
            check(sqlite3_bind_int64(handle, index, value))
        }

        mutating func add(_ value: Int) { add(Int64(value)) }

        mutating func add(_ value: Bool) { add(value ? 1 as Int64 : 0) }

        mutating func add(_ value: String) {
            index += 1
            var text = value
            let code = text.withUTF8 { utf8 in
                sqlite3_bind_text(handle, index, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(utf8.count), SQLITE_TRANSIENT)
            }
            check(code)
        }

        mutating func add(_ value: String?) {
            if let value { add(value) } else { addNull() }
        }

        mutating func add(_ value: Int?) {
            if let value { add(Int64(value)) } else { addNull() }
        }

        mutating func add(_ value: Int64?) {
            if let value { add(value) } else { addNull() }
        }

        mutating func addNull() {
            index += 1
            check(sqlite3_bind_null(handle, index))
        }
    }

    /// Binds, steps to the end, and returns the first column of the first row as an integer
    /// (for `RETURNING rowid`), or nil when the statement returned no row.
    @discardableResult
    func run(_ bind: (inout Bindings) -> Void) throws -> Int64? {
        try bound(bind) { handle in
            var first: Int64?
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { return first }
                guard code == SQLITE_ROW else { throw error(code) }
                if first == nil { first = sqlite3_column_int64(handle, 0) }
            }
        }
    }

    /// Binds, steps once, and reads the first row with `read`, or returns nil when there is none.
    func first<T>(_ bind: (inout Bindings) -> Void, _ read: (Columns) throws -> T) throws -> T? {
        try bound(bind) { handle in
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return nil }
            guard code == SQLITE_ROW else { throw error(code) }
            return try read(Columns(handle: handle))
        }
    }

    /// The current row's values, by column index.
    struct Columns {
        fileprivate let handle: OpaquePointer

        func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

        /// The column as text ("" for NULL).
        func text(_ index: Int32) -> String {
            guard let bytes = sqlite3_column_text(handle, index) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, index))), as: UTF8.self)
        }
    }

    /// Rows the statement's last run inserted, changed or deleted (`Database.changesCount`
    /// without GRDB's check of the calling queue, which showed in per-operation profiles).
    var changes: Int {
        Int(sqlite3_changes(sqlite3_db_handle(statement.sqliteStatement)))
    }

    /// Binds the values, runs `body` on the statement, then resets it and clears its bindings.
    private func bound<T>(_ bind: (inout Bindings) -> Void, _ body: (OpaquePointer) throws -> T) throws -> T {
        let handle = statement.sqliteStatement
        var bindings = Bindings(handle: handle)
        bind(&bindings)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        guard bindings.failure == SQLITE_OK else { throw error(bindings.failure) }
        let parameters = sqlite3_bind_parameter_count(handle)
        guard bindings.index == parameters else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(bindings.index) values bound to \(parameters) parameters",
                                sql: statement.sql)
        }
        return try body(handle)
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = sqlite3_db_handle(statement.sqliteStatement).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
