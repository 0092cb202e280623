-- Items an admin took out of a workspace's feeds (`gloss-server quarantine`): an operation or a
-- report that members' clients cannot take (stored by an earlier version, before a limit). Its
-- row stays where it is, so that pushing or uploading it again is still "already here", but it
-- is never served again: pulls move their cursor past it, report pages and GET leave it out.
-- This says which, when and why; `gloss-server quarantine list` shows it.
CREATE TABLE quarantine (
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    kind      TEXT NOT NULL CHECK (kind IN ('operation', 'report')),
    seq       INTEGER NOT NULL,           -- operations.seq, or reports.seq
    item      TEXT NOT NULL,              -- the operation's id (REPLICA-COUNTER), or the report's
    reason    TEXT NOT NULL,
    at        INTEGER NOT NULL,           -- ms since the epoch
    PRIMARY KEY (workspace, kind, seq)
) WITHOUT ROWID;
