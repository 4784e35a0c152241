-- Less written for each bank's payment (bench/payments.sh, docs/adr/0033).
-- Confirmations kept for reconciliation are found by when they came; those that paid are not
-- looked for there, and no longer add an entry to it.
DROP INDEX bank_messages_exceptions;
CREATE INDEX bank_messages_exceptions ON bank_messages (received_at) WHERE outcome = 'exception';
-- Same meaning as postgres/0008_lighter_payment_writes.sql, whose bills also leave room on each
-- page for the update that marks them paid (SQLite has no fill factor).
