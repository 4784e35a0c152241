-- The government's holidays that working-day deadlines skip (docs/workflows.md, "Editing the
-- holidays"): the years the calendar covers, each provisional until announced, and their
-- holidays. A year of the holiday file (applications.holidays) that is not here is copied in
-- at start; from then on an administrator's changes in the portal are what counts. Every change
-- is kept in holiday_changes, with who made it and when (nobody: copied from the file).
-- Same meaning as postgres/0007_holidays.sql.
CREATE TABLE holiday_years (
  year INTEGER PRIMARY KEY,                -- Gregorian
  provisional INTEGER NOT NULL CHECK (provisional IN (0, 1)),  -- 1: not yet announced
  changed_by INTEGER REFERENCES users (id) ON DELETE SET NULL, -- NULL: from the holiday file
  changed_at INTEGER NOT NULL
) STRICT;

CREATE TABLE holidays (
  day TEXT PRIMARY KEY,                    -- YYYY-MM-DD
  year INTEGER NOT NULL REFERENCES holiday_years (year),
  name_th TEXT NOT NULL,                   -- NFC, at most 100 characters
  name_en TEXT NOT NULL,
  changed_by INTEGER REFERENCES users (id) ON DELETE SET NULL, -- NULL: from the holiday file
  changed_at INTEGER NOT NULL
) STRICT;
CREATE INDEX holidays_year ON holidays (year, day);

CREATE TABLE holiday_changes (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  changed_by INTEGER REFERENCES users (id) ON DELETE SET NULL, -- NULL: from the holiday file
  year INTEGER NOT NULL,
  change TEXT NOT NULL CHECK (change IN ('seeded', 'added', 'removed', 'announced', 'provisional')),
  day TEXT,                                -- added, removed: the holiday
  name_th TEXT,
  name_en TEXT
) STRICT;
CREATE INDEX holiday_changes_year ON holiday_changes (year, at);
