-- Removing a user (`gloss-server user remove`): their tokens are revoked and their memberships
-- deleted, but the row stays, marked, because their operations stay (the history is the
-- team's) and carry their name; the name is never given to anyone else.
ALTER TABLE users ADD COLUMN removed BIGINT;    -- ms since the epoch; NULL while the user is active
