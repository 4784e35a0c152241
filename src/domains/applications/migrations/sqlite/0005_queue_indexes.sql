-- The agency work queue at a million applications (bench/queue.sh; bench/README.md has the
-- plans and figures). Pratu never runs ANALYZE: without statistics SQLite's planner judges
-- indexes by their shape alone, so each query here must find one whose shape fits.
-- Same meaning as postgres/0005_queue_indexes.sql.

-- The draft clean-up's index only for drafts: on (status, updated_at) it looked as good as any
-- for status = 'submitted', and the queue scanned every submitted application through it.
DROP INDEX applications_draft_age;
CREATE INDEX applications_draft_age ON applications (updated_at) WHERE status = 'draft';

-- The queue of one agency, in its order (due_date IS NULL, due_date, submitted_at, id: id is
-- the rowid, named so the order is whole). One state's page is read straight off in order; a
-- page over several states takes the first rows of each in order (SQLite stops each once the
-- page is full); a service and an applicant are checked in the index, not the table.
-- Replaces (agency, state, due_date), which every query here had to leave for the table.
DROP INDEX applications_agency_state;
CREATE INDEX applications_queue
  ON applications (agency, state, due_date IS NULL, due_date, submitted_at, id, service, user_id)
  WHERE status = 'submitted';

-- The start of a name, given or family (LIKE 'prefix%'): SQLite's LIKE ignores ASCII case by
-- default, so only a NOCASE index serves it (Thai has no case; the collation changes nothing).
CREATE INDEX users_given_name ON users (given_name COLLATE NOCASE);
CREATE INDEX users_family_name ON users (family_name COLLATE NOCASE);
