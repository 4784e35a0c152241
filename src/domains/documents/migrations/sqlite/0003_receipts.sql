-- Receipts are documents too (docs/adr/0027): kind 'receipt', numbered by the payments module
-- (per agency, Thai fiscal year and book) and issued, signed and checked here like a licence.
-- An application may have several receipts beside its one licence, so application_id is
-- unique only among the documents that are not receipts; a receipt is never revoked but may be
-- 'cancelled' (a refund, a wrong payer), and verification says so.
-- SQLite cannot change a CHECK or drop a UNIQUE in place, so documents is rebuilt, with
-- document_events beside it pointing at the new table; both are renamed into place. Foreign
-- keys stay on inside the migration's transaction, so no row is lost and nothing cascades.
-- Same meaning as postgres/0003_receipts.sql.
CREATE TABLE documents_new (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,            -- DBD-CR-2569-000123, BMA-2570-001-000001
  code TEXT NOT NULL,                     -- the short code the QR code carries
  application_id INTEGER NOT NULL REFERENCES applications (id),
  service TEXT NOT NULL,
  agency TEXT NOT NULL,
  holder_user_id INTEGER NOT NULL REFERENCES users (id),
  holder_name TEXT NOT NULL,              -- as the document shows it
  kind TEXT NOT NULL CHECK (kind IN ('licence', 'certificate', 'permit', 'receipt')),
  title_th TEXT NOT NULL,
  title_en TEXT NOT NULL,                 -- empty when written in Thai only
  issued_at INTEGER NOT NULL,             -- when the number was taken
  valid_from TEXT NOT NULL,               -- YYYY-MM-DD, Thailand's day of issue
  valid_until TEXT,                       -- YYYY-MM-DD, the last valid day; NULL: no term
  status TEXT NOT NULL
    CHECK (status IN ('issuing', 'valid', 'suspended', 'revoked', 'cancelled')),
  status_since INTEGER NOT NULL,
  status_reason TEXT,                     -- suspended, revoked, cancelled: why
  sha256 TEXT UNIQUE REFERENCES blobs (sha256),  -- the signed file; NULL while issuing
  size_bytes INTEGER,
  signer_serial TEXT,                     -- the signing certificate's serial (hex)
  delivery TEXT NOT NULL DEFAULT 'download' CHECK (delivery IN ('download', 'post', 'counter')),
  postal_address TEXT,
  tracking_number TEXT,
  delivered_at INTEGER,
  replaces TEXT
) STRICT;
INSERT INTO documents_new (id, number, code, application_id, service, agency, holder_user_id,
                           holder_name, kind, title_th, title_en, issued_at, valid_from,
                           valid_until, status, status_since, status_reason, sha256, size_bytes,
                           signer_serial, delivery, postal_address, tracking_number,
                           delivered_at, replaces)
  SELECT id, number, code, application_id, service, agency, holder_user_id, holder_name, kind,
         title_th, title_en, issued_at, valid_from, valid_until, status, status_since,
         status_reason, sha256, size_bytes, signer_serial, delivery, postal_address,
         tracking_number, delivered_at, replaces
  FROM documents;

CREATE TABLE document_events_new (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents_new (id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  reason TEXT,
  detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
INSERT INTO document_events_new (id, document_id, at, kind, actor_user_id, reason, detail)
  SELECT id, document_id, at, kind, actor_user_id, reason, detail FROM document_events;

DROP TABLE document_events;
DROP TABLE documents;
-- Renaming rewrites document_events_new's reference to documents_new as documents.
ALTER TABLE documents_new RENAME TO documents;
ALTER TABLE document_events_new RENAME TO document_events;
CREATE UNIQUE INDEX documents_one_per_application ON documents (application_id)
  WHERE kind <> 'receipt';
CREATE INDEX documents_application ON documents (application_id, kind);
CREATE INDEX documents_holder ON documents (holder_user_id, issued_at);
CREATE INDEX documents_agency ON documents (agency, issued_at);
CREATE INDEX document_events_document ON document_events (document_id, at);
