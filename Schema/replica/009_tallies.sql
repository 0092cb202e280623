-- Counts kept as the rows change, so that `gloss reports`, `gloss status` and `gloss conflicts`
-- cost what they print, not what the replica holds (counting a year's annotations took a
-- quarter of a second at 100,000 and would take seconds at a million).
--
-- The code that writes the rows keeps them (GlossReplica's `Tallies`), in the transaction of
-- the change, once per transaction: a crash leaves neither the rows nor the counts behind the
-- other. (Triggers did it too, but a trigger on the log halved the speed of applying a pull.)

-- Each report's annotations that show: created here, not deleted.
CREATE TABLE report_tallies (
    report TEXT PRIMARY KEY NOT NULL,
    notes  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO report_tallies(report, notes)
    SELECT report, count(*) FROM annotations WHERE report IS NOT NULL AND deleted = 0 GROUP BY report;

-- Replica-wide counts, by name: 'operations' (rows of the log).
CREATE TABLE tallies (
    name  TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO tallies(name, value) SELECT 'operations', count(*) FROM operations;

-- The open conflicts: as many entries as there are conflicts to show.
CREATE INDEX annotations_in_conflict ON annotations(report) WHERE conflict = 1 AND deleted = 0;

-- One analyst's notes (`gloss list --author`) without reading everyone's. Within an author,
-- entries are in row order, so new notes append.
CREATE INDEX annotations_by_author ON annotations(author);

PRAGMA user_version = 9;
