-- The documents Pratu issues (docs/documents.md, docs/adr/0025): one per application whose
-- service issues one, numbered per agency prefix and Buddhist-era year, drawn as PDF/A-3,
-- signed by the agency and timestamped. The signed file is a blob; its SHA-256 is what
-- verification looks up. A document is 'issuing' from the moment its number is taken until
-- the signed file is kept. Every change of status is kept in document_events.
-- Same meaning as postgres/0001_documents.sql.
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,            -- DBD-CR-2569-000123
  code TEXT NOT NULL,                     -- the short code the QR code carries
  application_id INTEGER NOT NULL UNIQUE REFERENCES applications (id),
  service TEXT NOT NULL,
  agency TEXT NOT NULL,
  holder_user_id INTEGER NOT NULL REFERENCES users (id),
  holder_name TEXT NOT NULL,              -- as the document shows it
  kind TEXT NOT NULL CHECK (kind IN ('licence', 'certificate', 'permit')),
  title_th TEXT NOT NULL,
  title_en TEXT NOT NULL,                 -- empty when written in Thai only
  issued_at INTEGER NOT NULL,             -- when the number was taken
  valid_from TEXT NOT NULL,               -- YYYY-MM-DD, Thailand's day of issue
  valid_until TEXT,                       -- YYYY-MM-DD, the last valid day; NULL: no term
  status TEXT NOT NULL CHECK (status IN ('issuing', 'valid', 'suspended', 'revoked')),
  status_since INTEGER NOT NULL,
  status_reason TEXT,                     -- suspended, revoked: why
  sha256 TEXT UNIQUE REFERENCES blobs (sha256),  -- the signed file; NULL while issuing
  size_bytes INTEGER,
  signer_serial TEXT,                     -- the signing certificate's serial (hex)
  delivery TEXT NOT NULL DEFAULT 'download' CHECK (delivery IN ('download', 'post', 'counter'))
) STRICT;
CREATE INDEX documents_holder ON documents (holder_user_id, issued_at);
CREATE INDEX documents_agency ON documents (agency, issued_at);

-- The last number taken per prefix and Buddhist-era year.
CREATE TABLE document_sequences (
  prefix TEXT NOT NULL,
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (prefix, year)
) STRICT;

-- What happened to each document, in order: issued, suspended, reinstated, revoked, posted,
-- handed over; by whom (NULL: Pratu itself) and why.
CREATE TABLE document_events (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  reason TEXT,
  detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
CREATE INDEX document_events_document ON document_events (document_id, at);
