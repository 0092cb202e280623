-- Sync bookkeeping for the team server.

-- Reports already uploaded to the server (so a push sends each report once).
ALTER TABLE reports ADD COLUMN uploaded INTEGER NOT NULL DEFAULT 0;

-- Own operations waiting for the server, in order.
CREATE INDEX operations_unacked ON operations(acked, seq);

-- Operations the server refused for good (a reader's note, a clock far ahead…). They leave
-- the log and the materialised state, so this replica agrees with the team, but they are
-- kept here, never lost: `gloss sync --retry-refused` offers them again, and
-- `gloss sync --restamp` re-issues ones refused for a wrong clock.
CREATE TABLE refused_operations (
    seq        INTEGER PRIMARY KEY,
    op         TEXT NOT NULL UNIQUE,      -- the operation id, REPLICA-COUNTER
    code       TEXT NOT NULL,             -- Sync.Refusal.Code
    reason     TEXT NOT NULL,
    payload    TEXT NOT NULL,             -- the operation's wire form
    refused_at INTEGER NOT NULL           -- local wall clock, ms
);
