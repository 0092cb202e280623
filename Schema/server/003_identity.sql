-- Identity that holds (issue 11): replicas belong to users, operations are numbered per
-- workspace, annotations carry their counts, refusals keep the refused operation's bytes.

-- A replica belongs to the user whose name its id derives from (ReplicaClaim), registered by
-- the first push whose claim proves it; only that user's operations are ever stored under it.
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

-- What the count limits need (PushPolicy.Limits): tags ever added to each annotation by its
-- author, and the operations and tags everyone else added, together.
ALTER TABLE annotations ADD COLUMN tag_additions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annotations ADD COLUMN others_operations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annotations ADD COLUMN others_tag_additions INTEGER NOT NULL DEFAULT 0;
UPDATE annotations SET tag_additions = counts.own_tags, others_operations = counts.others,
                       others_tag_additions = counts.others_tags
    FROM (SELECT o.workspace, o.annotation, sum(o.author <> a.author) AS others,
                 sum(CASE WHEN o.author = a.author THEN (CASE json_extract(o.payload, '$.kind')
                         WHEN 'tag' THEN 1
                         WHEN 'create' THEN coalesce(json_array_length(o.payload, '$.create.tags'), 0)
                         ELSE 0 END) ELSE 0 END) AS own_tags,
                 sum(CASE WHEN o.author <> a.author AND json_extract(o.payload, '$.kind') = 'tag' THEN 1 ELSE 0 END) AS others_tags
          FROM operations o JOIN annotations a ON a.workspace = o.workspace AND a.id = o.annotation
          GROUP BY o.workspace, o.annotation) AS counts
    WHERE counts.workspace = annotations.workspace AND counts.annotation = annotations.id;

-- A relayer learns a recorded refusal only when it holds exactly the refused operation.
ALTER TABLE refusals ADD COLUMN payload TEXT;   -- canonical wire JSON; NULL for older rows
