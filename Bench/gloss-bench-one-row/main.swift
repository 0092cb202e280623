// gloss-bench-one-row FILE: the start-up floor `gloss annotate` is compared with.
//
// Opens (or creates) a SQLite file in WAL mode with `synchronous = NORMAL`, as the replica
// does, and inserts one row in one transaction: nothing else, through the C API only.
import Glibc
import GRDBSQLite

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    print("usage: gloss-bench-one-row FILE")
    exit(2)
}
var db: OpaquePointer?
guard sqlite3_open(arguments[1], &db) == SQLITE_OK else { exit(1) }
let setup = """
    PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
    CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
    """
guard sqlite3_exec(db, setup, nil, nil, nil) == SQLITE_OK,
      sqlite3_exec(db, "INSERT INTO rows(body) VALUES ('one row, as one annotation would be')", nil, nil, nil) == SQLITE_OK
else { exit(1) }
sqlite3_close(db)
