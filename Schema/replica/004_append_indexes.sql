-- Indexes that new annotations append to, instead of landing at random places.
--
-- Annotation ids are hashes, so an index keyed by them puts each new annotation on a random
-- leaf page: applying one pull page of 100 new annotations with four tags rewrote some 500
-- pages of tag index alone. Keyed by the annotation's rowid, which SQLite hands out in arrival
-- order (the same rowid the search index already uses), new entries go to the end of a range.

-- Tags, by tag and then the annotation's rowid.
CREATE TABLE annotation_tag_rows (
    tag        TEXT NOT NULL,
    annotation INTEGER NOT NULL,           -- annotations.rowid
    PRIMARY KEY (tag, annotation)
) WITHOUT ROWID;
INSERT INTO annotation_tag_rows(tag, annotation)
    SELECT t.tag, a.rowid FROM annotation_tags t JOIN annotations a ON a.id = t.annotation;
DROP TABLE annotation_tags;

-- A report's annotations, by report and then rowid (listing sorts them by position).
DROP INDEX annotations_by_report;
CREATE INDEX annotations_by_report ON annotations(report);

-- Annotation search is brought up to date in batches: a change queues its annotation here, and
-- a search (or the end of a sync, `ops apply` or a local command) indexes what is queued, in
-- one statement. Indexing a pull page's worth of notes at a time was a fifth of applying it.
ALTER TABLE annotations ADD COLUMN tags TEXT;                    -- visible tags, space-separated, as indexed
CREATE TABLE search_pending (annotation INTEGER PRIMARY KEY);    -- annotations.rowid

-- From here on every migration sets user_version to its number, so that opening an up-to-date
-- replica (every command does) needs no look at the migrations table.
PRAGMA user_version = 4;
