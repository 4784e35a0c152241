-- Core tables the features build on. Same meaning as sqlite/0001_core.sql.
-- Times are Unix seconds (BIGINT).

-- Background work, written in the same transaction as the change that causes it, then
-- claimed by a worker (SELECT ... FOR UPDATE SKIP LOCKED): claimed_by/claimed_until form a
-- lease; done_at marks it finished.
CREATE TABLE outbox (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic         TEXT   NOT NULL,
  payload       TEXT   NOT NULL CHECK (payload::jsonb IS NOT NULL),
  created_at    BIGINT NOT NULL,
  available_at  BIGINT NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  claimed_by    TEXT,
  claimed_until BIGINT,
  done_at       BIGINT,
  last_error    TEXT
);

-- Workers look for pending work that is due, oldest first.
CREATE INDEX outbox_pending ON outbox (available_at, id) WHERE done_at IS NULL;

-- Metadata of content-addressed files; the bytes live in the blob store under the hash.
CREATE TABLE blobs (
  sha256     TEXT   PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
  media_type TEXT   NOT NULL,
  created_at BIGINT NOT NULL
);
