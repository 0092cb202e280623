-- Identity that holds (issue 11): replicas belong to users, operations are numbered per
-- workspace, annotations carry their counts, refusals keep the refused operation's bytes.

-- A replica belongs to the user whose name its id derives from (ReplicaClaim), registered at
-- its first accepted push; only that user's operations are ever stored under it.
CREATE TABLE replicas (
    replica    TEXT PRIMARY KEY NOT NULL,  -- 16 hex digits
    user       TEXT NOT NULL,
    registered INTEGER NOT NULL            -- ms since the epoch; 0 for replicas older than claims
) WITHOUT ROWID;
-- Replicas that wrote before claims existed belong to the author of their first operation.
INSERT OR IGNORE INTO replicas (replica, user, registered)
    SELECT replica, author, 0 FROM operations ORDER BY seq;

-- The cursor is a sequence per workspace, so no workspace sees another's traffic in its gaps.
-- Existing operations keep their numbers (increasing within each workspace), so cursors that
-- clients hold stay valid; new ones continue from each workspace's head.
ALTER TABLE operations RENAME COLUMN seq TO id;
ALTER TABLE operations ADD COLUMN seq INTEGER;
UPDATE operations SET seq = id;
DROP INDEX operations_workspace_seq;
CREATE UNIQUE INDEX operations_by_workspace_seq ON operations (workspace, seq);
CREATE TABLE heads (
    workspace TEXT PRIMARY KEY NOT NULL REFERENCES workspaces(name),
    seq       INTEGER NOT NULL             -- the last number given in this workspace
) WITHOUT ROWID;
INSERT INTO heads (workspace, seq)
    SELECT name, coalesce((SELECT max(seq) FROM operations WHERE operations.workspace = workspaces.name), 0) FROM workspaces;

-- What the count limits need: operations stored on each annotation, tags ever added to it.
ALTER TABLE annotations ADD COLUMN operations INTEGER NOT NULL DEFAULT 1;
ALTER TABLE annotations ADD COLUMN tag_additions INTEGER NOT NULL DEFAULT 0;
UPDATE annotations SET operations = counts.n, tag_additions = counts.tags
    FROM (SELECT workspace, annotation, count(*) AS n,
                 sum(CASE json_extract(payload, '$.kind')
                         WHEN 'tag' THEN 1
                         WHEN 'create' THEN coalesce(json_array_length(payload, '$.create.tags'), 0)
                         ELSE 0 END) AS tags
          FROM operations GROUP BY workspace, annotation) AS counts
    WHERE counts.workspace = annotations.workspace AND counts.annotation = annotations.id;

-- A relayer learns a recorded refusal only when it holds exactly the refused operation.
ALTER TABLE refusals ADD COLUMN payload TEXT;   -- canonical wire JSON; NULL for older rows
