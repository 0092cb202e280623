-- Reports in the order the workspace received them, so that a teammate fetches the ones it
-- lacks a page at a time (`GET …/reports?after=SEQ`), not one request per report.
ALTER TABLE reports ADD COLUMN seq INTEGER;
UPDATE reports SET seq = (SELECT count(*) FROM reports AS earlier
                          WHERE earlier.workspace = reports.workspace AND earlier.id <= reports.id);
CREATE UNIQUE INDEX reports_in_order ON reports(workspace, seq);
