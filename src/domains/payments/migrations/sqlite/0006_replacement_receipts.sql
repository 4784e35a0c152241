-- A receipt cancelled because it was wrong (the payer's name, or another mistake) is
-- replaced by a new receipt for the same payment, numbered next in its book, which says which
-- receipt it replaces and why (ETDA's purpose code) (docs/payments.md, "Correcting a
-- receipt"; docs/adr/0031). A payment may so have several receipts, of which at most one is not
-- cancelled; a receipt is replaced at most once. SQLite cannot drop a column's UNIQUE: the
-- table is built again with the same rows. Same meaning as postgres/0006_replacement_receipts.sql.
CREATE TABLE receipts_replaceable (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  payment_id INTEGER NOT NULL REFERENCES payments (id),
  bill_id INTEGER NOT NULL REFERENCES bills (id),
  agency TEXT NOT NULL,
  fiscal_year INTEGER NOT NULL,           -- Buddhist era
  book TEXT NOT NULL,                     -- '001' | '002'
  sequence INTEGER NOT NULL,
  amount_satang INTEGER NOT NULL CHECK (amount_satang >= 0),
  issued_at INTEGER NOT NULL,             -- when the payment was recorded, or the replacement made
  cancelled_at INTEGER,
  cancelled_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  cancel_reason TEXT,
  -- why it was cancelled: withdrawn (not replaced), wrong_name, other
  cancel_purpose TEXT CHECK (cancel_purpose IN ('withdrawn', 'wrong_name', 'other')),
  -- the receipt this one replaces
  replaces_id INTEGER UNIQUE REFERENCES receipts_replaceable (id),
  UNIQUE (agency, fiscal_year, book, sequence)
) STRICT;
INSERT INTO receipts_replaceable (id, number, payment_id, bill_id, agency, fiscal_year, book,
                                  sequence, amount_satang, issued_at, cancelled_at, cancelled_by,
                                  cancel_reason, cancel_purpose)
  SELECT id, number, payment_id, bill_id, agency, fiscal_year, book, sequence, amount_satang,
         issued_at, cancelled_at, cancelled_by, cancel_reason,
         CASE WHEN cancelled_at IS NULL THEN NULL ELSE 'withdrawn' END
  FROM receipts;
DROP TABLE receipts;
ALTER TABLE receipts_replaceable RENAME TO receipts;
CREATE INDEX receipts_bill ON receipts (bill_id);
CREATE INDEX receipts_agency ON receipts (agency, issued_at);
CREATE INDEX receipts_payment ON receipts (payment_id);
-- One receipt in force a payment.
CREATE UNIQUE INDEX receipts_in_force ON receipts (payment_id) WHERE cancelled_at IS NULL;
