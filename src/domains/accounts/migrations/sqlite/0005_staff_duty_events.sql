-- Who granted or withdrew which duty of an agency's staff, and when (docs/adr/0028): the
-- agency's supervisors change them on /agency/duties; `pratu user create --duty` grants them
-- with no one named. Kept with the agency the person belonged to then, for its history.
-- Same meaning as postgres/0005_staff_duty_events.sql.
CREATE TABLE staff_duty_events (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  agency_code TEXT NOT NULL,
  duty TEXT NOT NULL CHECK (duty IN ('cashier', 'finance')),
  action TEXT NOT NULL CHECK (action IN ('granted', 'withdrawn')),
  by_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,  -- NULL: the command line
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX staff_duty_events_agency ON staff_duty_events (agency_code, at);
