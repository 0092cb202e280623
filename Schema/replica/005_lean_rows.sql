-- Leaner rows for what a pull writes most: operations from the server and annotation rows.

-- Only operations waiting for the server need finding in order; everything pulled is stored
-- already acknowledged. A partial index keeps those out of it: one b-tree fewer to insert into
-- per pulled operation.
DROP INDEX operations_unacked;
CREATE INDEX operations_unacked ON operations(seq) WHERE acked = 0;

-- The visible annotation is computed from the merged state when it is read, not stored beside
-- it: the view repeated a third of the state and pushed most rows past one page. An annotation
-- is visible once its create arrived, which `report` (set from the create) says.
ALTER TABLE annotations DROP COLUMN view;

PRAGMA user_version = 5;
