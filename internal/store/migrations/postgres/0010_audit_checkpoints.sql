-- Published heads of the audit chain (issue 16): numbered 1, 2, 3...
-- without gaps, taken daily by the server and on demand by auditors.
-- seq, hash and at are public; taken_by ('system' or the e-mail) is not.
CREATE TABLE audit_checkpoints (
    number   BIGINT PRIMARY KEY,
    seq      BIGINT NOT NULL,
    hash     TEXT NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    taken_by TEXT NOT NULL DEFAULT ''
);
