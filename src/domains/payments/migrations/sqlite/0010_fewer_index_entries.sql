-- Fewer index entries for each payment and its receipt (bench/payments.sh, docs/adr/0036).
-- Same meaning as postgres/0010_fewer_index_entries.sql, except that receipts.replaces_id keeps
-- its column's UNIQUE here: SQLite drops it only by building the table again.

-- A payment's receipts are found through its bill (one payment a bill, receipts_bill); the one
-- in force through receipts_in_force.
DROP INDEX receipts_payment;

-- A cashier's takings of a day, the only reader of when a payment was recorded: the counter's
-- payments alone, by cashier and time. A bank's payment no longer adds an entry.
DROP INDEX payments_recorded;
CREATE INDEX payments_at_counter ON payments (cashier_user_id, recorded_at)
  WHERE source = 'cashier';
