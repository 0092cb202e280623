-- 010_shared_reports was edited after it shipped: a replica migrated by its first version sits
-- at version 10 without `annotations.revises`, so its revision links are never found. Before
-- this file runs, Replica.migrator adds the column where it is missing (SQLite has no ADD
-- COLUMN IF NOT EXISTS); this fills it and makes its index, and changes nothing on a replica
-- that has both.
UPDATE annotations SET revises = json_extract(state, '$.created.creation.revises')
 WHERE revises IS NULL AND json_extract(state, '$.created.creation.motivation') = 'linking';
CREATE INDEX IF NOT EXISTS annotations_revising ON annotations(report) WHERE revises IS NOT NULL;

PRAGMA user_version = 12;
