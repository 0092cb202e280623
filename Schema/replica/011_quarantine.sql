-- Operations a file brought that name this replica's user but were not made here
-- (docs/RELIABILITY.md, "A file"): anyone can mint a replica claim for her name, so such an
-- operation is not hers on trust. It is kept aside here, out of the log and the annotations,
-- and never sent, until she adopts it (it joins the log as hers) or discards it.
CREATE TABLE quarantined_operations (
    seq        INTEGER PRIMARY KEY,
    op         TEXT NOT NULL UNIQUE,      -- the operation id, REPLICA-COUNTER
    reason     TEXT NOT NULL,
    payload    TEXT NOT NULL,             -- the operation's wire form, as the file had it
    salt       TEXT,                      -- the file's claim for its replica id, when one proved its author
    source     TEXT NOT NULL,             -- the file it came in
    arrived_at INTEGER NOT NULL           -- local wall clock, ms
);

-- Which claims this replica's own processes minted (WriterSession), as against those learned
-- from files: an operation naming the user under an id minted here was made here. A replica
-- from before this migration cannot tell the two apart, and counts every claim it holds as
-- its own.
ALTER TABLE replica_claims ADD COLUMN minted INTEGER NOT NULL DEFAULT 0;
UPDATE replica_claims SET minted = 1;

PRAGMA user_version = 11;
