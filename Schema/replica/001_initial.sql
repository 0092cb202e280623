-- The replica: one SQLite file per analyst home (WAL).
-- Append-only: a shipped migration is never edited; changes are new files.

-- Identity, clock and settings of this replica (key/value).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Reports: immutable, content-addressed (id = SHA-256 of the canonical text).
CREATE TABLE reports (
    id          TEXT PRIMARY KEY NOT NULL,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    body        TEXT NOT NULL,             -- the canonical plain text selectors point into
    sections    TEXT NOT NULL,             -- JSON [{heading, paragraphs}]
    revises     TEXT,
    source      TEXT NOT NULL,             -- the file name it was imported from
    imported_at INTEGER NOT NULL           -- local wall clock, ms; never exported
);

-- The operation log. seq is the local arrival order (rowid, so appends are cheap);
-- (replica, counter) is the operation's global id.
CREATE TABLE operations (
    seq         INTEGER PRIMARY KEY,
    replica     INTEGER NOT NULL,          -- 64-bit replica id, stored as its signed bit pattern
    counter     INTEGER NOT NULL,
    hlc_wall    INTEGER NOT NULL,
    hlc_logical INTEGER NOT NULL,
    author      TEXT NOT NULL,
    workspace   TEXT NOT NULL,
    annotation  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    private     INTEGER NOT NULL,
    payload     TEXT NOT NULL,             -- the operation's wire form (JSON)
    acked       INTEGER NOT NULL DEFAULT 0 -- 1 once the team server acknowledged it
);
CREATE UNIQUE INDEX operations_by_id ON operations(replica, counter);
CREATE INDEX operations_by_annotation ON operations(annotation);

-- Materialised state: one row per annotation, recomputed from its merged state.
CREATE TABLE annotations (
    id          TEXT PRIMARY KEY NOT NULL,
    state       TEXT NOT NULL,             -- JSON of the merged AnnotationState
    view        TEXT,                      -- JSON of the visible Annotation; NULL until its create arrives
    report      TEXT,
    author      TEXT,
    parent      TEXT,
    status      TEXT,
    deleted     INTEGER NOT NULL DEFAULT 0,
    conflict    INTEGER NOT NULL DEFAULT 0,
    private     INTEGER NOT NULL DEFAULT 0,
    start       INTEGER,
    created_wall INTEGER,
    body        TEXT
);
CREATE INDEX annotations_by_report ON annotations(report, start);
CREATE INDEX annotations_by_parent ON annotations(parent);

CREATE TABLE annotation_tags (
    tag        TEXT NOT NULL,
    annotation TEXT NOT NULL,
    PRIMARY KEY (tag, annotation)
) WITHOUT ROWID;

-- Full-text search (FTS5) over report text and annotation bodies.
-- Rows are keyed by the rowid of the report or annotation they index.
CREATE VIRTUAL TABLE report_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE annotation_search USING fts5(body, tags, tokenize = 'unicode61 remove_diacritics 2');
