-- Signed runs (ChainSegment) that pushes carried, each as the JSON every replica checks: the
-- server keeps them and passes on, with each pull page, those covering its operations, cut to
-- begin at the page's first operation of their chain (docs/RELIABILITY.md, "Signed operations").
-- `first` and `last` are the counters of the run's first and last entries; a private chain's
-- runs go only to its author, as its operations do.
CREATE TABLE signed_runs (
    id        INTEGER PRIMARY KEY,
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    replica   TEXT NOT NULL,             -- 16 hex digits
    private   INTEGER NOT NULL,
    first     INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    body      TEXT NOT NULL,
    UNIQUE (workspace, replica, private, last, first)
);
