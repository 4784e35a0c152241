-- The banks' daily statement files an agency imports, and what each line was matched to
-- (docs/payments.md, shared/reference/payments.md §1.7). A file is imported once (its SHA-256
-- is unique) and whole. A line either reconciles a payment (a bank's confirmation, or the
-- statement itself paying an awaiting bill) or is an exception an officer resolves; nothing
-- is deleted, a resolution is added beside the line.
-- Same meaning as postgres/0002_statements.sql.
CREATE TABLE statement_imports (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  agency TEXT NOT NULL,
  bank_code TEXT NOT NULL,
  company_account TEXT NOT NULL,
  imported_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  imported_at INTEGER NOT NULL,
  line_count INTEGER NOT NULL,
  credit_satang INTEGER NOT NULL,
  matched INTEGER NOT NULL,
  exceptions INTEGER NOT NULL
) STRICT;
CREATE INDEX statement_imports_agency ON statement_imports (agency, imported_at);

CREATE TABLE statement_lines (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES statement_imports (id),
  sequence INTEGER NOT NULL,              -- the record's number in its day
  payment_date TEXT NOT NULL,             -- YYYY-MM-DD, Bangkok
  paid_at INTEGER NOT NULL,
  ref1 TEXT NOT NULL,
  ref2 TEXT NOT NULL,
  amount_satang INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('C', 'D')),
  channel TEXT NOT NULL,
  bill_id INTEGER REFERENCES bills (id),
  outcome TEXT NOT NULL CHECK (outcome IN ('matched', 'paid', 'exception')),
  reason TEXT,                            -- an exception's: unknown_bill, underpaid, ...
  resolution TEXT,                        -- refund, ask_balance, accept; NULL while open
  resolution_note TEXT,
  resolved_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  resolved_at INTEGER
) STRICT;
CREATE INDEX statement_lines_import ON statement_lines (import_id, sequence);
CREATE INDEX statement_lines_bill ON statement_lines (bill_id);
CREATE INDEX statement_lines_open ON statement_lines (outcome, resolution);
