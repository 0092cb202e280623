-- Sync bookkeeping for the team server.

-- Reports already uploaded to the server (so a push sends each report once).
ALTER TABLE reports ADD COLUMN uploaded INTEGER NOT NULL DEFAULT 0;

-- Why the server refused an operation (NULL when it was not refused). A refused operation
-- is not sent again until the analyst acts (`gloss sync --retry-refused` / `--restamp`).
ALTER TABLE operations ADD COLUMN refusal_code TEXT;
ALTER TABLE operations ADD COLUMN refusal TEXT;

-- Own operations waiting for the server, in order.
CREATE INDEX operations_unacked ON operations(acked, seq);
