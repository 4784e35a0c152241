-- Agency supervisors: a role of their own, with an agency like officers.
-- SQLite cannot change a CHECK constraint in place, so users is rebuilt. Foreign keys stay on
-- inside the migration's transaction, so sessions is rebuilt beside it (pointing at the new
-- table) and both are renamed into place: no row is lost and no cascade fires.

CREATE TABLE users_new (
  id INTEGER PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('applicant', 'officer', 'supervisor', 'admin')),
  agency_code TEXT,                        -- officers and supervisors only
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
  CHECK (role NOT IN ('officer', 'supervisor') OR agency_code IS NOT NULL)
);
INSERT INTO users_new (id, role, agency_code, national_id, email, mobile, title, given_name,
                       family_name, password_hash, created_at, updated_at, password_changed_at,
                       disabled)
  SELECT id, role, agency_code, national_id, email, mobile, title, given_name, family_name,
         password_hash, created_at, updated_at, password_changed_at, disabled
  FROM users;

CREATE TABLE sessions_new (
  id TEXT PRIMARY KEY,                     -- hex SHA-256 of the cookie secret
  user_id INTEGER NOT NULL REFERENCES users_new (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL
);
INSERT INTO sessions_new (id, user_id, csrf_token, created_at, last_seen_at, idle_expires_at,
                          absolute_expires_at)
  SELECT id, user_id, csrf_token, created_at, last_seen_at, idle_expires_at, absolute_expires_at
  FROM sessions;

DROP TABLE sessions;
DROP TABLE users;
-- Renaming rewrites sessions_new's reference to users_new as users.
ALTER TABLE users_new RENAME TO users;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_absolute_expires_at ON sessions (absolute_expires_at);
