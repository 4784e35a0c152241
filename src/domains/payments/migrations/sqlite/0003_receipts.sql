-- Receipts (docs/payments.md, "Receipts"; docs/adr/0027): one per payment, numbered in the
-- transaction that records the payment, per agency, Thai fiscal year (1 October to
-- 30 September, named by the Buddhist-era year it ends) and book (001: through a bank,
-- 002: at the agency's counter), with no gap and no repeat: BMA-2570-001-000001. The signed
-- PDF/A-3 is issued from the outbox by the documents module under the same number. A receipt
-- is never edited or deleted; a cancelled one keeps its number, why and by whom.
-- Same meaning as postgres/0003_receipts.sql.
CREATE TABLE receipts (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  payment_id INTEGER NOT NULL UNIQUE REFERENCES payments (id),
  bill_id INTEGER NOT NULL REFERENCES bills (id),
  agency TEXT NOT NULL,
  fiscal_year INTEGER NOT NULL,           -- Buddhist era
  book TEXT NOT NULL,                     -- '001' | '002'
  sequence INTEGER NOT NULL,
  amount_satang INTEGER NOT NULL CHECK (amount_satang >= 0),
  issued_at INTEGER NOT NULL,             -- when the payment was recorded
  cancelled_at INTEGER,
  cancelled_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  cancel_reason TEXT,
  UNIQUE (agency, fiscal_year, book, sequence)
) STRICT;
CREATE INDEX receipts_bill ON receipts (bill_id);
CREATE INDEX receipts_agency ON receipts (agency, issued_at);

-- The last receipt number taken per agency, fiscal year and book.
CREATE TABLE receipt_sequences (
  agency TEXT NOT NULL,
  fiscal_year INTEGER NOT NULL,
  book TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (agency, fiscal_year, book)
) STRICT;

-- A counter payment: how the cashier was paid and the cheque's or card slip's number.
ALTER TABLE payments ADD COLUMN method_reference TEXT;

-- Daily collections read an agency's payments by when they were paid.
CREATE INDEX payments_paid_at ON payments (paid_at);
