-- An annotation's operations, found by the annotation's rowid instead of its id.
--
-- Annotation ids are hashes, so the log's index by id put the ten operations of each new
-- annotation on a random leaf page: a pull page of 5,000 operations on 500 annotations rewrote
-- some 500 pages of that index alone, about as many as the log's own new pages. Keyed by the
-- rowid, which SQLite hands out in arrival order (as 004 did for tags), new entries append.
ALTER TABLE operations ADD COLUMN annotation_row INTEGER;      -- annotations.rowid
UPDATE operations SET annotation_row = (SELECT a.rowid FROM annotations a WHERE a.id = operations.annotation);
DROP INDEX operations_by_annotation;
CREATE INDEX operations_by_annotation_row ON operations(annotation_row);

PRAGMA user_version = 6;
