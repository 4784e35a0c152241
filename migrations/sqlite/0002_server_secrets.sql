-- Secrets every node must share, created once by whichever node asks first. The first is
-- 'login_throttle': login_attempts.key_hash is HMAC-SHA-256 under it from now on, so a copy of
-- that table cannot be matched against every possible national ID. Counters hashed the old
-- way simply go stale and are purged. Same meaning as postgres/0002_server_secrets.sql.
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  secret TEXT NOT NULL CHECK (length(secret) >= 32)
);
