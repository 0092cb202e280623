-- Operations the server refused for good, by id, so that a teammate who received one by
-- file and relays it learns the same answer, and every replica drops it.
CREATE TABLE refusals (
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    replica   TEXT NOT NULL,             -- 16 hex digits
    counter   INTEGER NOT NULL,
    annotation TEXT NOT NULL,            -- the annotation it was for
    is_create INTEGER NOT NULL,          -- 1: the annotation itself was refused
    code      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    PRIMARY KEY (workspace, replica, counter)
) WITHOUT ROWID;
CREATE INDEX refusals_of_creates ON refusals(workspace, annotation) WHERE is_create = 1;
