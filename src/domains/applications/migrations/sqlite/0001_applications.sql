-- Applications: a draft as the applicant fills it in, then the application submitted. The
-- draft keeps every raw answer (JSON, by field id); a submission keeps the answers pruned to
-- what was asked, pinned to the form's version. `public_id` is random and is what URLs and the
-- API name, so ids cannot be guessed or counted. Times are Unix seconds.
-- Same meaning as postgres/0001_applications.sql.
CREATE TABLE applications (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  service TEXT NOT NULL,                   -- the service's slug
  agency TEXT NOT NULL,                    -- its agency's code
  form_version TEXT NOT NULL,              -- "sha256:<hex>" of the form.yaml filled in
  status TEXT NOT NULL,                    -- draft | submitted (the later steps add theirs)
  answers TEXT NOT NULL,                   -- JSON object: raw (draft) or pruned (submitted)
  revision INTEGER NOT NULL,               -- counts saves: a save names the one it follows
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expiry_warned_at INTEGER,                -- when the applicant was told the draft will go
  submitted_at INTEGER,
  submission_key TEXT,                     -- the one-time key of the submit that won
  reference TEXT UNIQUE,                   -- "DBD-2569-000123-K"
  due_date TEXT,                           -- YYYY-MM-DD: the service's time limit, worked out
  due_date_provisional INTEGER NOT NULL DEFAULT 0,
  CHECK ((status = 'draft') = (reference IS NULL))
) STRICT;
CREATE INDEX applications_user ON applications (user_id, status, updated_at);
CREATE INDEX applications_draft_age ON applications (status, updated_at);

-- What happened to an application, for its timeline.
CREATE TABLE application_events (
  id INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL                       -- started | submitted | ...
) STRICT;
CREATE INDEX application_events_application ON application_events (application_id, at);

-- The last reference number given, per agency and Buddhist-era year.
CREATE TABLE application_sequences (
  agency TEXT NOT NULL,
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (agency, year)
) STRICT;
