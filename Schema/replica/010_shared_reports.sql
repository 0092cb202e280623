-- Reports travel through the workspace on their own, not only when a note needs them
-- (`gloss sync` sends every report not kept local and receives every report teammates sent).
--
-- local: 1 for a report imported with `gloss import --local`: it never leaves this replica,
-- and neither do the notes on it. Importing the file again without --local shares it.
ALTER TABLE reports ADD COLUMN local INTEGER NOT NULL DEFAULT 0;

-- The reports the next sync sends: few, so the index is as small as what it lists.
CREATE INDEX reports_to_send ON reports(id) WHERE uploaded = 0 AND local = 0;

-- Revision links (`gloss import NEW --revises OLD`: a `linking` annotation on NEW naming OLD),
-- found without reading every annotation: `revises` is the earlier report a link names.
ALTER TABLE annotations ADD COLUMN revises TEXT;
UPDATE annotations SET revises = json_extract(state, '$.created.creation.revises')
 WHERE json_extract(state, '$.created.creation.motivation') = 'linking';
CREATE INDEX annotations_revising ON annotations(report) WHERE revises IS NOT NULL;

-- What each sync brought, for `gloss digest`: the operations and reports that arrived in it
-- are the ones numbered after the marks taken as it began, up to those taken as it ended.
CREATE TABLE syncs (
    started     INTEGER PRIMARY KEY,       -- local wall clock, ms
    after_seq   INTEGER NOT NULL,          -- the last operations.seq before it
    after_row   INTEGER NOT NULL,          -- the last reports.row before it
    last_seq    INTEGER NOT NULL,
    last_row    INTEGER NOT NULL
);

PRAGMA user_version = 10;
