-- The message thread of an application (docs/workflows.md): the applicant and the agency write
-- to each other on it, the applicant with a file from their wallet if they like (a copy of its
-- details, as an answer keeps them: the file stays however the wallet changes). Each side's
-- last message read tells what is unread. Same meaning as postgres/0006_messages.sql.
CREATE TABLE application_messages (
  id INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  from_agency INTEGER NOT NULL,               -- 1: an officer or supervisor wrote it; 0: the applicant
  body TEXT NOT NULL,                      -- NFC, at most 4,000 characters
  file_sha256 TEXT,                        -- the attached file, by content (the blob store)
  file_name TEXT,
  file_media_type TEXT,
  file_size INTEGER
) STRICT;
CREATE INDEX application_messages_application ON application_messages (application_id, at);

ALTER TABLE applications ADD COLUMN applicant_read_upto INTEGER;  -- the last message the applicant read (id)
ALTER TABLE applications ADD COLUMN agency_read_upto INTEGER;     -- the last the agency's people read
