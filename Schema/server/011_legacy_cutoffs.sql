-- The legacy cutoff (LegacyCutoff) of a workspace that had operations before it had a root:
-- signed by the root when it is made, it names each replica's highest counter among the team
-- operations the server held then. Every replica that pinned the root accepts those as legacy
-- (unsigned, from before signing) and checks everything after them (docs/RELIABILITY.md,
-- "Signed operations", Upgrade). One per workspace, made once.
CREATE TABLE legacy_cutoffs (
    workspace TEXT PRIMARY KEY REFERENCES workspaces(name),
    body      TEXT NOT NULL
) WITHOUT ROWID;
