-- A bank's payment whose receipt is still to be numbered (docs/adr/0033). The confirmation's
-- transaction records the payment and adds its row here, and takes no number: the agency's
-- counter row is then not locked through every payment's commit. Every
-- `payments.numbering_poll_seconds` the receipts of all the payments waiting are numbered in
-- one transaction, which takes each book's counter once, writes the receipts, queues them for
-- issue and removes their rows. Numbers stay gap-free: they are taken only in the transaction
-- that writes their receipts. A row left by a stop is numbered by the next server.
-- Same meaning as postgres/0007_receipts_to_number.sql.
CREATE TABLE receipts_to_number (
  payment_id INTEGER PRIMARY KEY REFERENCES payments (id)
) STRICT;
