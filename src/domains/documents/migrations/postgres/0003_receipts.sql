-- Receipts are documents too (docs/adr/0027): kind 'receipt', numbered by the payments module
-- (per agency, Thai fiscal year and book) and issued, signed and checked here like a licence.
-- An application may have several receipts beside its one licence, so application_id is
-- unique only among the documents that are not receipts; a receipt is never revoked but may be
-- 'cancelled' (a refund, a wrong payer), and verification says so.
-- Same meaning as sqlite/0003_receipts.sql.
ALTER TABLE documents DROP CONSTRAINT documents_application_id_key;
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check
  CHECK (kind IN ('licence', 'certificate', 'permit', 'receipt'));
ALTER TABLE documents DROP CONSTRAINT documents_status_check;
ALTER TABLE documents ADD CONSTRAINT documents_status_check
  CHECK (status IN ('issuing', 'valid', 'suspended', 'revoked', 'cancelled'));
CREATE UNIQUE INDEX documents_one_per_application ON documents (application_id)
  WHERE kind <> 'receipt';
CREATE INDEX documents_application ON documents (application_id, kind);
