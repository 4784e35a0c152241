-- A receipt cancelled because it was wrong (the payer's name, or another mistake) is
-- replaced by a new receipt for the same payment, numbered next in its book, which says which
-- receipt it replaces and why (ETDA's purpose code) (docs/payments.md, "Correcting a
-- receipt"; docs/adr/0031). A payment may so have several receipts, of which at most one is not
-- cancelled; a receipt is replaced at most once. Same meaning as
-- sqlite/0006_replacement_receipts.sql.
ALTER TABLE receipts DROP CONSTRAINT receipts_payment_id_key;
-- why it was cancelled: withdrawn (not replaced), wrong_name, other
ALTER TABLE receipts ADD COLUMN cancel_purpose TEXT
  CHECK (cancel_purpose IN ('withdrawn', 'wrong_name', 'other'));
-- the receipt this one replaces
ALTER TABLE receipts ADD COLUMN replaces_id BIGINT UNIQUE REFERENCES receipts (id);
UPDATE receipts SET cancel_purpose = 'withdrawn' WHERE cancelled_at IS NOT NULL;
CREATE INDEX receipts_payment ON receipts (payment_id);
-- One receipt in force a payment.
CREATE UNIQUE INDEX receipts_in_force ON receipts (payment_id) WHERE cancelled_at IS NULL;
