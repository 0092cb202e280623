-- Signed operations (docs/RELIABILITY.md, "Signed operations"). The device key itself is not
-- here: it is the file `device.key` beside this database (mode 0600), so a copy of the
-- database is not a copy of the key.

-- The replica ids this replica's processes minted from the device key
-- (ReplicaClaim.mint(for:key:nonce:)): the nonce every head of their chains carries.
CREATE TABLE signing_replicas (
    replica TEXT PRIMARY KEY NOT NULL,   -- 16 hex digits
    nonce   TEXT NOT NULL                -- 32 hex digits
) WITHOUT ROWID;

-- Each chain this replica wrote (its own) or verified (a teammate's), and how far: every
-- position up to `count` is here in chain_links, and its operation arrived.
CREATE TABLE chains (
    replica   TEXT NOT NULL,
    private   INTEGER NOT NULL,
    workspace TEXT NOT NULL,
    author    TEXT NOT NULL,
    count     INTEGER NOT NULL,
    link      TEXT NOT NULL,             -- base64url SHA-256 after position `count`
    PRIMARY KEY (replica, private)
) WITHOUT ROWID;

-- The positions of those chains: which operation (its counter), its digest, and the link after it.
CREATE TABLE chain_links (
    replica  TEXT NOT NULL,
    private  INTEGER NOT NULL,
    position INTEGER NOT NULL,
    counter  INTEGER NOT NULL,
    digest   TEXT NOT NULL,
    link     TEXT NOT NULL,
    PRIMARY KEY (replica, private, position)
) WITHOUT ROWID;

-- Signed runs of teammates' chains this replica took (as their JSON), to check operations held
-- back against again, and for its exports to carry on.
CREATE TABLE chain_runs (
    seq     INTEGER PRIMARY KEY,
    replica TEXT NOT NULL,
    private INTEGER NOT NULL,
    body    TEXT NOT NULL UNIQUE
);
CREATE INDEX chain_runs_by_chain ON chain_runs(replica, private);

-- The workspace root this replica pinned (`gloss keys pin-root`), and the root's statements
-- it took (key bindings, revocations, legacy cutoffs; each as its JSON, checked against the root).
CREATE TABLE trust_roots (
    workspace TEXT PRIMARY KEY NOT NULL,
    key       TEXT NOT NULL              -- base64url Ed25519 public key
) WITHOUT ROWID;
CREATE TABLE trust_statements (
    body      TEXT PRIMARY KEY NOT NULL,
    kind      TEXT NOT NULL,             -- binding | revocation | cutoff
    workspace TEXT NOT NULL
) WITHOUT ROWID;

-- Operations whose signature or chain did not check (SignaturePolicy), kept aside with the
-- reason: never merged, never sent, named by `gloss sync --refused`, and judged again when a
-- later file brings what they lacked (the earlier operation of their chain, a binding).
CREATE TABLE held_operations (
    op         TEXT PRIMARY KEY NOT NULL, -- REPLICA-COUNTER
    reason     TEXT NOT NULL,             -- SignaturePolicy.Refusal's code
    payload    TEXT NOT NULL,
    source     TEXT NOT NULL,
    arrived_at INTEGER NOT NULL
) WITHOUT ROWID;

PRAGMA user_version = 14;
