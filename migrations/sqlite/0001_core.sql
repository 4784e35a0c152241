-- Core tables the features build on. Same meaning as postgres/0001_core.sql.
-- Times are Unix seconds (INTEGER). STRICT tables reject values of the wrong type, as
-- PostgreSQL does.

-- Background work, written in the same transaction as the change that causes it, then
-- claimed by a worker: claimed_by/claimed_until form a lease; done_at marks it finished.
CREATE TABLE outbox (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  topic         TEXT    NOT NULL,
  payload       TEXT    NOT NULL CHECK (json_valid(payload)),
  created_at    INTEGER NOT NULL,
  available_at  INTEGER NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  claimed_by    TEXT,
  claimed_until INTEGER,
  done_at       INTEGER,
  last_error    TEXT
) STRICT;

-- Workers look for pending work that is due, oldest first.
CREATE INDEX outbox_pending ON outbox (available_at, id) WHERE done_at IS NULL;

-- Metadata of content-addressed files; the bytes live in the blob store under the hash.
CREATE TABLE blobs (
  sha256     TEXT    PRIMARY KEY
             CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
  media_type TEXT    NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
