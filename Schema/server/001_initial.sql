-- gloss-server on SQLite: users, tokens, workspaces and their operation logs.
-- Append-only: a shipped migration is never edited; a change is a new file.

CREATE TABLE users (
    name    TEXT PRIMARY KEY NOT NULL,
    created INTEGER NOT NULL              -- ms since the epoch
) WITHOUT ROWID;

-- A bearer token is gls_<id>_<secret>; only SHA-256(secret) is kept.
CREATE TABLE tokens (
    id      TEXT PRIMARY KEY NOT NULL,    -- public part, 16 hex digits
    user    TEXT NOT NULL REFERENCES users(name),
    hash    BLOB NOT NULL,                -- SHA-256 of the secret
    created INTEGER NOT NULL,
    revoked INTEGER                       -- ms since the epoch, NULL while valid
) WITHOUT ROWID;
CREATE INDEX tokens_user ON tokens(user);

CREATE TABLE workspaces (
    name    TEXT PRIMARY KEY NOT NULL,
    created INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE members (
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    user      TEXT NOT NULL REFERENCES users(name),
    role      TEXT NOT NULL CHECK (role IN ('reader', 'member', 'admin')),
    PRIMARY KEY (workspace, user)
) WITHOUT ROWID;

CREATE TABLE reports (
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    id        TEXT NOT NULL,              -- SHA-256 of the canonical text
    title     TEXT NOT NULL,
    json      TEXT NOT NULL,
    PRIMARY KEY (workspace, id)
) WITHOUT ROWID;

-- The log: seq is the server cursor, assigned in commit order (one writer at a time).
CREATE TABLE operations (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace  TEXT NOT NULL REFERENCES workspaces(name),
    replica    TEXT NOT NULL,             -- 16 hex digits
    counter    INTEGER NOT NULL,
    author     TEXT NOT NULL,
    annotation TEXT NOT NULL,
    private    INTEGER NOT NULL,          -- 1: returned only to author
    hlc_wall   INTEGER NOT NULL,
    payload    TEXT NOT NULL,             -- the operation's wire JSON
    UNIQUE (workspace, replica, counter)
);
CREATE INDEX operations_workspace_seq ON operations(workspace, seq);

-- What the server knows of each annotation from its create, to check later operations on it.
CREATE TABLE annotations (
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    id        TEXT NOT NULL,
    author    TEXT NOT NULL,
    private   INTEGER NOT NULL,
    PRIMARY KEY (workspace, id)
) WITHOUT ROWID;
