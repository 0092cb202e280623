-- gloss-server on PostgreSQL: the same tables as Schema/server (SQLite), in one migration.
-- Append-only: a shipped migration is never edited; a change is a new file.
-- `user` is reserved in PostgreSQL, so the user columns are `user_name`.

-- The store's epoch: random, made once; every pull answer carries it, so a client whose cursor
-- came from another store (restored, replaced) notices. `migrate-store` copies it.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('epoch', substr(md5(gen_random_uuid()::text), 1, 16));

CREATE TABLE users (
    name    TEXT PRIMARY KEY,
    created BIGINT NOT NULL                 -- ms since the epoch
);

-- A bearer token is gls_<id>_<secret>; only SHA-256(secret) is kept.
CREATE TABLE tokens (
    id        TEXT PRIMARY KEY,             -- public part, 16 hex digits
    user_name TEXT NOT NULL REFERENCES users(name),
    hash      BYTEA NOT NULL,               -- SHA-256 of the secret
    created   BIGINT NOT NULL,
    revoked   BIGINT                        -- ms since the epoch, NULL while valid
);
CREATE INDEX tokens_user ON tokens(user_name);

CREATE TABLE workspaces (
    name    TEXT PRIMARY KEY,
    created BIGINT NOT NULL
);

CREATE TABLE members (
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    user_name TEXT NOT NULL REFERENCES users(name),
    role      TEXT NOT NULL CHECK (role IN ('reader', 'member', 'admin')),
    PRIMARY KEY (workspace, user_name)
);

CREATE TABLE reports (
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    id        TEXT NOT NULL,                -- SHA-256 of the canonical text
    title     TEXT NOT NULL,
    json      TEXT NOT NULL,
    PRIMARY KEY (workspace, id)
);

-- The numbering lock: a push that stores operations locks its workspace's row (FOR UPDATE),
-- numbers from seq + 1 and keeps the lock until it commits, so numbers become visible in
-- order and a pull never passes one that commits later (docs/server.md).
CREATE TABLE heads (
    workspace TEXT PRIMARY KEY REFERENCES workspaces(name),
    seq       BIGINT NOT NULL               -- the last number given in this workspace
);

CREATE TABLE operations (
    workspace  TEXT NOT NULL REFERENCES workspaces(name),
    seq        BIGINT NOT NULL,             -- the cursor, per workspace, gapless
    replica    TEXT NOT NULL,               -- 16 hex digits
    counter    BIGINT NOT NULL,
    author     TEXT NOT NULL,
    annotation TEXT NOT NULL,
    private    BOOLEAN NOT NULL,            -- returned only to its author
    hlc_wall   BIGINT NOT NULL,
    payload    TEXT NOT NULL,               -- the operation's canonical wire JSON
    PRIMARY KEY (workspace, seq),
    UNIQUE (workspace, replica, counter)
);

-- What the server knows of each annotation from its create, and the counts the limits need.
CREATE TABLE annotations (
    workspace            TEXT NOT NULL REFERENCES workspaces(name),
    id                   TEXT NOT NULL,
    author               TEXT NOT NULL,
    private              BOOLEAN NOT NULL,
    tag_additions        INTEGER NOT NULL DEFAULT 0,
    others_operations    INTEGER NOT NULL DEFAULT 0,
    others_tag_additions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace, id)
);

-- Operations refused for good, by id, with the refused operation's bytes.
CREATE TABLE refusals (
    workspace  TEXT NOT NULL REFERENCES workspaces(name),
    replica    TEXT NOT NULL,
    counter    BIGINT NOT NULL,
    annotation TEXT NOT NULL,
    is_create  BOOLEAN NOT NULL,
    code       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    payload    TEXT,
    PRIMARY KEY (workspace, replica, counter)
);
CREATE INDEX refusals_of_creates ON refusals(workspace, annotation) WHERE is_create;

-- A replica belongs to the user whose name its id derives from (ReplicaClaim).
CREATE TABLE replicas (
    replica    TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL,
    registered BIGINT NOT NULL
);
