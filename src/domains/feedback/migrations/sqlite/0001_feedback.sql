-- Satisfaction feedback, anonymous: a rating, an optional comment and when, nothing else (no
-- address, no account). The throttle counts submissions per client address under an HMAC of
-- the address, so the table holds no address in clear. Times are Unix seconds.
-- Same meaning as postgres/0001_feedback.sql.
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment TEXT,                            -- NULL when none was given, or once it is deleted
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX feedback_created_at ON feedback (created_at);

CREATE TABLE feedback_throttle (
  key_hash TEXT PRIMARY KEY,               -- hex HMAC-SHA-256 of the client address
  submissions INTEGER NOT NULL,
  window_start INTEGER NOT NULL
) STRICT;
CREATE INDEX feedback_throttle_window_start ON feedback_throttle (window_start);
