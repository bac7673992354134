-- The co-financing ledger (issue 18): an append-only ledger per project and
-- funding source, the balances kept current from it (per project and
-- source; per program, year, province at the time and today, and source),
-- and the article each advance limit cites. Keep in step with
-- ../postgres/0014_ledger.sql.

-- Where the legal texts set an advance limit (refusals cite it). The two
-- embedded rule sets gain the article their files now carry; the figures
-- themselves do not change.
ALTER TABLE advance_limits ADD COLUMN article TEXT NOT NULL DEFAULT '';
UPDATE advance_limits SET article = 'Thông tư 28/2018/TT-BTC, điều về tạm ứng kinh phí (cần xác nhận)'
    WHERE rule_set_id IN (SELECT id FROM rule_sets WHERE code IN ('ND45-2012', 'ND235-2025'));

-- Every entry of a project's ledger, numbered 1, 2, 3... in the project.
-- Never updated nor deleted: a mistake is corrected by a reversal, which
-- names the entry it reverses (reverses_id, at most one reversal each) and
-- carries that entry's kind (reverses_kind) so that a balance's entries are
-- found by kind. Amounts are VND; only adjustments may be negative. rule is
-- the encoded message of the limit an entry was checked against; entry_key
-- finds the same entry recorded twice (re-imported statements).
CREATE TABLE ledger_entries (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES projects (id),
    entry_no      INTEGER NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('national', 'local', 'reciprocal', 'credit', 'science', 'trade', 'other')),
    kind          TEXT NOT NULL CHECK (kind IN ('commitment', 'advance', 'payment', 'expenditure', 'contribution', 'refund', 'adjustment', 'release', 'reversal')),
    tranche       INTEGER,
    amount        INTEGER NOT NULL CHECK (amount BETWEEN -1000000000000000 AND 1000000000000000 AND (amount > 0 OR kind = 'adjustment')),
    entry_date    TEXT NOT NULL,
    doc_no        TEXT NOT NULL DEFAULT '',
    doc_date      TEXT,
    note          TEXT NOT NULL DEFAULT '',
    reverses_id   INTEGER UNIQUE REFERENCES ledger_entries (id),
    reverses_kind TEXT,
    attachment_id INTEGER REFERENCES project_attachments (id),
    entry_key     TEXT NOT NULL,
    rule          TEXT NOT NULL DEFAULT '',
    import_job_id INTEGER REFERENCES import_jobs (id) ON DELETE SET NULL,
    recorded_by   INTEGER REFERENCES users (id),
    recorded_name TEXT NOT NULL DEFAULT '',
    recorded_at   TIMESTAMP NOT NULL,
    UNIQUE (project_id, entry_no),
    CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL))
);
CREATE INDEX ledger_entries_key ON ledger_entries (project_id, entry_key);
CREATE INDEX ledger_entries_measure ON ledger_entries (project_id, source, kind, reverses_kind);

-- One row per project with a ledger: the number of its last entry. Writing
-- an entry increments it first, which serialises a project's entries (a
-- row lock on PostgreSQL) so that limits are checked against every entry
-- before it.
CREATE TABLE ledger_heads (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id),
    entries    INTEGER NOT NULL
);

-- A project's balance per funding source (docs/ARCHITECTURE.md, "The
-- co-financing ledger"): sums of its entries by kind, reversals
-- subtracted; advances and disbursements count the advances and payments
-- not reversed.
CREATE TABLE ledger_balances (
    project_id    INTEGER NOT NULL REFERENCES projects (id),
    source        TEXT NOT NULL,
    committed     INTEGER NOT NULL DEFAULT 0,
    advanced      INTEGER NOT NULL DEFAULT 0,
    paid          INTEGER NOT NULL DEFAULT 0,
    spent         INTEGER NOT NULL DEFAULT 0,
    adjusted      INTEGER NOT NULL DEFAULT 0,
    refunded      INTEGER NOT NULL DEFAULT 0,
    contributed   INTEGER NOT NULL DEFAULT 0,
    released      INTEGER NOT NULL DEFAULT 0,
    advances      INTEGER NOT NULL DEFAULT 0,
    disbursements INTEGER NOT NULL DEFAULT 0,
    entries       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, source)
);

-- The same sums per program, project year, province (today's and at the
-- time: the project's province_id and orig_province_id) and source, for
-- the program's views and the dashboards. Kept current with the project
-- balances, in the same transaction.
CREATE TABLE ledger_rollup (
    program_id       INTEGER NOT NULL REFERENCES programs (id),
    year             INTEGER NOT NULL,
    province_id      INTEGER NOT NULL REFERENCES admin_units (id),
    orig_province_id INTEGER NOT NULL REFERENCES admin_units (id),
    source           TEXT NOT NULL,
    committed        INTEGER NOT NULL DEFAULT 0,
    advanced         INTEGER NOT NULL DEFAULT 0,
    paid             INTEGER NOT NULL DEFAULT 0,
    spent            INTEGER NOT NULL DEFAULT 0,
    adjusted         INTEGER NOT NULL DEFAULT 0,
    refunded         INTEGER NOT NULL DEFAULT 0,
    contributed      INTEGER NOT NULL DEFAULT 0,
    released         INTEGER NOT NULL DEFAULT 0,
    entries          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, year, province_id, orig_province_id, source)
);
CREATE INDEX ledger_rollup_year ON ledger_rollup (year, program_id);
CREATE INDEX ledger_rollup_province ON ledger_rollup (province_id, year);
CREATE INDEX ledger_rollup_orig ON ledger_rollup (orig_province_id, year);

-- Projects decided before the ledger existed get their commitments: the
-- approved amount of each budget line, dated and documented by the
-- approval decision.
INSERT INTO ledger_entries (project_id, entry_no, source, kind, amount, entry_date, doc_no, doc_date, note, entry_key, recorded_name, recorded_at)
SELECT p.id, ROW_NUMBER() OVER (PARTITION BY p.id ORDER BY CASE b.source WHEN 'national' THEN 1 WHEN 'local' THEN 2 WHEN 'reciprocal' THEN 3
        WHEN 'credit' THEN 4 WHEN 'science' THEN 5 WHEN 'trade' THEN 6 ELSE 7 END),
    b.source, 'commitment', b.approved, p.decision_date, p.decision_no, p.decision_date, '',
    b.source || '|commitment|' || b.approved || '|' || p.decision_date || '|' || UPPER(TRIM(p.decision_no)) || '|' || p.decision_date,
    'system', strftime('%Y-%m-%d %H:%M:%f', 'now')
FROM projects p JOIN budget_lines b ON b.project_id = p.id
WHERE p.state IN ('approved', 'in_implementation', 'accepted', 'settled') AND p.decision_date IS NOT NULL AND b.approved > 0;

INSERT INTO ledger_heads (project_id, entries) SELECT project_id, MAX(entry_no) FROM ledger_entries GROUP BY project_id;

INSERT INTO ledger_balances (project_id, source, committed, entries)
SELECT project_id, source, SUM(amount), COUNT(*) FROM ledger_entries GROUP BY project_id, source;

INSERT INTO ledger_rollup (program_id, year, province_id, orig_province_id, source, committed, entries)
SELECT p.program_id, p.year, p.province_id, p.orig_province_id, b.source, SUM(b.committed), SUM(b.entries)
FROM ledger_balances b JOIN projects p ON p.id = b.project_id
GROUP BY p.program_id, p.year, p.province_id, p.orig_province_id, b.source;
