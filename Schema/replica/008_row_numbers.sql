-- Declared row numbers for the rows other tables key on.
--
-- The tag and search indexes, the search queue and the log's annotation_row refer to an
-- annotation by its rowid, and report search to a report's. Those rowids were implicit (the
-- tables' keys are their text ids), and SQLite may renumber implicit rowids when it rebuilds a
-- table: VACUUM, and VACUUM INTO, which `gloss` backs up with. Declared INTEGER PRIMARY KEY,
-- the number is the row's for good. Both tables are rebuilt keeping every row's number.

CREATE TABLE reports_numbered (
    row         INTEGER PRIMARY KEY,       -- what report_search keys on
    id          TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    body        TEXT NOT NULL,
    sections    TEXT NOT NULL,
    revises     TEXT,
    source      TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    uploaded    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO reports_numbered(row, id, title, summary, body, sections, revises, source, imported_at, uploaded)
    SELECT rowid, id, title, summary, body, sections, revises, source, imported_at, uploaded FROM reports;
DROP TABLE reports;
ALTER TABLE reports_numbered RENAME TO reports;

CREATE TABLE annotations_numbered (
    row          INTEGER PRIMARY KEY,      -- what annotation_tag_rows, search_pending, annotation_search and operations.annotation_row key on
    id           TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL,
    report       TEXT,
    author       TEXT,
    parent       TEXT,
    status       TEXT,
    deleted      INTEGER NOT NULL DEFAULT 0,
    conflict     INTEGER NOT NULL DEFAULT 0,
    private      INTEGER NOT NULL DEFAULT 0,
    start        INTEGER,
    created_wall INTEGER,
    body         TEXT,
    tags         TEXT
);
INSERT INTO annotations_numbered(row, id, state, report, author, parent, status, deleted, conflict, private, start, created_wall, body, tags)
    SELECT rowid, id, state, report, author, parent, status, deleted, conflict, private, start, created_wall, body, tags FROM annotations;
DROP TABLE annotations;
ALTER TABLE annotations_numbered RENAME TO annotations;
CREATE INDEX annotations_by_report ON annotations(report);
CREATE INDEX annotations_by_parent ON annotations(parent);

PRAGMA user_version = 8;
