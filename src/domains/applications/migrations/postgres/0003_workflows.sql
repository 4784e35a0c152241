-- Workflows (docs/workflows.md): a submitted application is in a state of its service's
-- workflow, pinned to the workflow's version as it is to its form's; each move is an event
-- naming the transition, who took it (their user and role: the applicant sees only the
-- agency), the reason and what was asked for. Every version of a workflow file Pratu has run
-- is kept, so an application goes on under the version it was submitted under.
-- Same meaning as sqlite/0003_workflows.sql.
ALTER TABLE applications ADD COLUMN workflow_version TEXT;  -- "sha256:<hex>" of workflow.yaml
ALTER TABLE applications ADD COLUMN state TEXT;             -- the workflow's state, once submitted
ALTER TABLE applications ADD COLUMN state_since BIGINT;    -- when it entered that state
-- Applications submitted before workflows entered the first state of every demo workflow.
UPDATE applications SET state = 'submitted', state_since = submitted_at WHERE status = 'submitted';
CREATE INDEX applications_agency_state ON applications (agency, state, due_date);

ALTER TABLE application_events ADD COLUMN transition TEXT;     -- the workflow's transition taken
ALTER TABLE application_events ADD COLUMN from_state TEXT;
ALTER TABLE application_events ADD COLUMN to_state TEXT;
ALTER TABLE application_events ADD COLUMN actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE application_events ADD COLUMN actor_role TEXT;     -- applicant | officer | supervisor
ALTER TABLE application_events ADD COLUMN reason TEXT;         -- shown to the applicant
ALTER TABLE application_events ADD COLUMN detail TEXT;         -- JSON: items asked for, checklist
CREATE INDEX application_events_transition ON application_events (application_id, transition);

CREATE TABLE workflow_versions (
  version TEXT PRIMARY KEY,                -- "sha256:<hex>" of the file
  service TEXT NOT NULL,
  source TEXT NOT NULL,                    -- the file as it was
  first_seen_at BIGINT NOT NULL
);
