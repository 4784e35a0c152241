-- pratu:rebuild
-- Clerks: an agency's staff who take its money at the counter or keep its books, and do not
-- read its applications (docs/adr/0032). SQLite cannot change a CHECK constraint in place, so
-- users is rebuilt. The migration runs with foreign keys off (the marker above): some twenty
-- tables refer to users, several with ON DELETE CASCADE or SET NULL, and none of them must
-- fire. Every reference is checked before the commit, and the indexes other modules made on
-- users (users_given_name, users_family_name) are made again by the runner.

CREATE TABLE users_new (
  id INTEGER PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('applicant', 'officer', 'supervisor', 'clerk', 'admin')),
  agency_code TEXT,                        -- an agency's staff only
  national_id TEXT UNIQUE,                 -- 13 digits; staff and admins may have none
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
  locale TEXT NOT NULL DEFAULT '' CHECK (locale IN ('', 'th', 'en')),
  CHECK (national_id IS NOT NULL OR email IS NOT NULL),
  CHECK (role NOT IN ('officer', 'supervisor', 'clerk') OR agency_code IS NOT NULL)
);
INSERT INTO users_new (id, role, agency_code, national_id, email, mobile, title, given_name,
                       family_name, password_hash, created_at, updated_at, password_changed_at,
                       disabled, locale)
  SELECT id, role, agency_code, national_id, email, mobile, title, given_name, family_name,
         password_hash, created_at, updated_at, password_changed_at, disabled, locale
  FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
