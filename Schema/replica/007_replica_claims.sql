-- The claims of the replica ids this replica's processes wrote under (ReplicaClaim): each id is
-- derived from the user's name and a salt, and the first push of an id carries its claim so the
-- server registers the id to this user and to no one else.
CREATE TABLE replica_claims (
    replica TEXT PRIMARY KEY NOT NULL,   -- 16 hex digits
    salt    TEXT NOT NULL                -- 32 hex digits
) WITHOUT ROWID;

PRAGMA user_version = 7;
