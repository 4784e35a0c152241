-- An outbox row's and a notice's payload is checked to be JSON text, as SQLite's json_valid
-- checks it, and no longer made into jsonb for the check: that built a binary copy of every
-- payload, which nothing kept, in the transaction of every notice (a bank's payment writes a
-- notice and two outbox rows; bench/payments.sh, docs/adr/0035). Nothing reads a payload in
-- SQL. The rows there were checked as jsonb, which accepts less than json.
ALTER TABLE outbox DROP CONSTRAINT outbox_payload_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_payload_check CHECK (payload::json IS NOT NULL);
ALTER TABLE notices DROP CONSTRAINT notices_payload_check;
ALTER TABLE notices ADD CONSTRAINT notices_payload_check CHECK (payload::json IS NOT NULL);
