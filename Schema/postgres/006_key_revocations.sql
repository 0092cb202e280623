-- The root's key revocations (KeyRevocation), each as the JSON every replica checks, in the
-- order made (`gloss-server keys revoke`): what a revoked device key signed up to its marks stays,
-- anything else it signs is refused everywhere.
CREATE TABLE key_revocations (
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    seq       BIGSERIAL,
    key       TEXT NOT NULL,              -- base64url public key
    body      TEXT NOT NULL,
    PRIMARY KEY (workspace, seq)
);
