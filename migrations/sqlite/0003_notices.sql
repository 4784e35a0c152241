-- What each person is told in the portal: one row per notice, written in the same transaction
-- as the change it tells of (and its outbox row), read on /notifications and over the API.
-- payload holds what the text is made from (the service, the status), never the answers or a
-- message's words. Same meaning as postgres/0003_notices.sql.
CREATE TABLE notices (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id     INTEGER NOT NULL,
  topic       TEXT    NOT NULL,
  application TEXT    NOT NULL DEFAULT '',  -- the public id of the application it is about
  payload     TEXT    NOT NULL CHECK (json_valid(payload)),
  created_at  INTEGER NOT NULL,
  read_at     INTEGER
) STRICT;

-- A person's notices, newest first, and their unread ones counted.
CREATE INDEX notices_by_user ON notices (user_id, id);
CREATE INDEX notices_unread ON notices (user_id, id) WHERE read_at IS NULL;

-- Notices past their keeping time go, oldest first.
CREATE INDEX notices_by_age ON notices (created_at);
