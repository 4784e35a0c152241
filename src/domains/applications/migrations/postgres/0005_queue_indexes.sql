-- The agency work queue at a million applications (bench/queue.sh; bench/README.md has the
-- plans and figures). Same meaning as sqlite/0005_queue_indexes.sql.

-- The draft clean-up's index only for drafts, as on SQLite (where it misled the planner).
DROP INDEX applications_draft_age;
CREATE INDEX applications_draft_age ON applications (updated_at) WHERE status = 'draft';

-- The queue of one agency, in its order (due_date IS NULL, due_date, submitted_at, id). One
-- state's page is read straight off in order; a page over several states or of one service,
-- and the applications of the applicants a name finds, come from an index-only scan (hence
-- id, service and user_id in it). Replaces (agency, state, due_date), which every query here
-- had to leave for the table.
DROP INDEX applications_agency_state;
CREATE INDEX applications_queue
  ON applications (agency, state, (due_date IS NULL), due_date, submitted_at, id, service, user_id)
  WHERE status = 'submitted';

-- The start of a name, given or family (LIKE 'prefix%'): text_pattern_ops compares bytes, so
-- the prefix is a range whatever the database's collation (th_TH or C.UTF-8 alike).
CREATE INDEX users_given_name ON users (given_name text_pattern_ops);
CREATE INDEX users_family_name ON users (family_name text_pattern_ops);
