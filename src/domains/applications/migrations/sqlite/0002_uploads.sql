-- Resumable uploads (tus 1.0) and the applicant's document wallet. An upload is a partial
-- file in the blob store's uploads/ (`writer_id`) until its last byte arrives; its content is
-- then checked and it becomes a content-addressed blob (`sha256`) and a wallet document.
-- `public_id` is random and is what URLs name. Times are Unix seconds.
-- Same meaning as postgres/0002_uploads.sql.
CREATE TABLE uploads (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  length INTEGER NOT NULL CHECK (length > 0),  -- Upload-Length, declared at creation
  upload_offset INTEGER NOT NULL DEFAULT 0,     -- bytes received, as last recorded
  writer_id TEXT NOT NULL,                      -- the blob store's partial upload
  filename TEXT NOT NULL DEFAULT '',            -- Upload-Metadata, as the client named it
  filetype TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  sha256 TEXT REFERENCES blobs (sha256)         -- once complete and accepted
) STRICT;
CREATE INDEX uploads_user ON uploads (user_id, sha256);
CREATE INDEX uploads_expiry ON uploads (expires_at);

-- Documents an applicant holds, to attach to applications.
CREATE TABLE wallet_documents (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL REFERENCES blobs (sha256),
  media_type TEXT NOT NULL,                     -- by content: application/pdf, image/jpeg, image/png
  size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
  filename TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX wallet_documents_user ON wallet_documents (user_id, created_at);
