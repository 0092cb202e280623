// gloss-bench-one-row FILE: the start-up floor `gloss annotate` is compared with.
//
// A C program that opens (or creates) a SQLite file in WAL mode with `synchronous = NORMAL`,
// as the replica does, and inserts one row in one transaction: nothing else. What any program
// that records one change durably must at least do, with no language runtime to start.
#include <sqlite3.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fputs("usage: gloss-bench-one-row FILE\n", stderr);
        return 2;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) return 1;
    const char *setup =
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
        "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL);";
    if (sqlite3_exec(db, setup, NULL, NULL, NULL) != SQLITE_OK) return 1;
    if (sqlite3_exec(db, "INSERT INTO rows(body) VALUES ('one row, as one annotation would be')", NULL, NULL, NULL) != SQLITE_OK) return 1;
    return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}
