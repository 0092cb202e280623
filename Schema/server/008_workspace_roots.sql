-- Each workspace's root of trust (docs/RELIABILITY.md, "Signed operations"): the Ed25519 key
-- that binds members' device keys to them. Made by `gloss-server workspace create` (for a
-- workspace from before, when first asked for); its private half never leaves this table.
-- Replicas pin its public key, which `gloss-server workspace root W` prints.
CREATE TABLE workspace_roots (
    workspace   TEXT PRIMARY KEY NOT NULL REFERENCES workspaces(name),
    private_key TEXT NOT NULL,            -- base64url, 32 bytes
    created     INTEGER NOT NULL          -- ms since the epoch
) WITHOUT ROWID;

-- The root's key bindings (KeyBinding), each as the JSON every replica checks, in the order made.
CREATE TABLE key_bindings (
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    seq       INTEGER NOT NULL,
    user      TEXT NOT NULL,
    key       TEXT NOT NULL,              -- base64url public key
    body      TEXT NOT NULL,
    PRIMARY KEY (workspace, seq),
    UNIQUE (workspace, key)
) WITHOUT ROWID;
