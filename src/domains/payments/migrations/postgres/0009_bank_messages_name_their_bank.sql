-- A bank's message names its bank by code, without a foreign key (docs/adr/0035). The key had
-- every payment's transaction take a share lock on its bank's one row of bank_connections
-- until the commit: at a bank's rush, every payment in flight shared that lock, so each new
-- one made the server write a multixact and the row's lock again. Nothing is lost: a message
-- is kept only after its bank's row was read to check its signature, and no bank is ever
-- deleted (`pratu bank disable` keeps the row).
ALTER TABLE bank_messages DROP CONSTRAINT bank_messages_bank_fkey;
