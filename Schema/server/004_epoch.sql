-- The store's epoch (issue 16): random, made once; every pull answer carries it, so a client
-- whose cursor came from another store (restored from a backup, replaced) notices and starts over.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('epoch', lower(hex(randomblob(8))));
