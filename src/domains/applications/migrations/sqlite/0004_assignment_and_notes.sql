-- The agency's own work on an application (docs/workflows.md): which officer has it, and the
-- notes its officers keep, which the applicant never sees. An application an officer has
-- comes back to them when the applicant sends it back.
-- Same meaning as postgres/0004_assignment_and_notes.sql.
ALTER TABLE applications ADD COLUMN assigned_to INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE applications ADD COLUMN assigned_at INTEGER;
CREATE INDEX applications_agency_assignee ON applications (agency, assigned_to, due_date);

CREATE TABLE application_notes (
  id INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  body TEXT NOT NULL                       -- NFC, at most 4,000 characters
) STRICT;
CREATE INDEX application_notes_application ON application_notes (application_id, at);
