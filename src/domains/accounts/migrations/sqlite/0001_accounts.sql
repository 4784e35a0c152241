-- One account for every service: users, their sessions, and login throttling.
-- Times are Unix seconds.

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('applicant', 'officer', 'admin')),
  agency_code TEXT,                        -- officers only
  national_id TEXT UNIQUE,                 -- 13 digits; officers and admins may have none
  email TEXT UNIQUE,                       -- stored lower-cased
  mobile TEXT,                             -- 10 digits, 0[689]xxxxxxxx
  title TEXT NOT NULL DEFAULT '',          -- a code: mr | mrs | miss | ms
  given_name TEXT NOT NULL DEFAULT '',
  family_name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,             -- Argon2id PHC string
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  CHECK (national_id IS NOT NULL OR email IS NOT NULL),
  CHECK (role <> 'officer' OR agency_code IS NOT NULL)
);

-- The cookie holds a random secret; only its SHA-256 is stored, so a database leak
-- does not hand out live sessions.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,                     -- hex SHA-256 of the cookie secret
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_absolute_expires_at ON sessions (absolute_expires_at);

-- Failed logins per account and per client address, shared by every node.
CREATE TABLE login_attempts (
  key_type TEXT NOT NULL CHECK (key_type IN ('account', 'address')),
  key_hash TEXT NOT NULL,                  -- hex SHA-256: no personal data in clear
  failures INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (key_type, key_hash)
);
CREATE INDEX login_attempts_window_start ON login_attempts (window_start);
