-- Duties an agency's staff hold beside their role (docs/adr/0028): 'cashier' takes money at the
-- counter, 'finance' imports bank statements, resolves exceptions, reads the collections and
-- cancels receipts. A small office gives both to one officer; a large one to people of their
-- own. Only officers and supervisors hold duties; the service layer checks that.
-- Same meaning as postgres/0004_staff_duties.sql.
CREATE TABLE staff_duties (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  duty TEXT NOT NULL CHECK (duty IN ('cashier', 'finance')),
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, duty)
) STRICT;
