-- How many operations wait for the server, kept as they are logged, acknowledged and taken
-- out (Tallies), so `gloss status` reads one row instead of counting them: a replica that
-- relays files for an air-gapped team can hold hundreds of thousands.
INSERT INTO tallies(name, value) SELECT 'unsent', count(*) FROM operations WHERE acked = 0;

PRAGMA user_version = 13;
