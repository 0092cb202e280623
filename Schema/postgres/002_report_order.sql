-- Reports in the order the workspace received them, so that a teammate fetches the ones it
-- lacks a page at a time (`GET …/reports?after=SEQ`), not one request per report. A report is
-- numbered under a per-workspace advisory lock, so numbers commit in order on every instance.
ALTER TABLE reports ADD COLUMN seq BIGINT;
UPDATE reports SET seq = numbered.n
  FROM (SELECT workspace, id, row_number() OVER (PARTITION BY workspace ORDER BY id) AS n FROM reports) AS numbered
 WHERE reports.workspace = numbered.workspace AND reports.id = numbered.id;
ALTER TABLE reports ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX reports_in_order ON reports(workspace, seq);
