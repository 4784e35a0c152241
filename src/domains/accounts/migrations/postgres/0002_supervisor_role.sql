-- Agency supervisors: a role of their own, with an agency like officers.
-- The CHECK constraints were unnamed in 0003, so they are found by what they say.

DO $$
DECLARE
  name TEXT;
BEGIN
  FOR name IN
    SELECT conname FROM pg_constraint
    WHERE conrelid = 'users'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%role%'
  LOOP
    EXECUTE format('ALTER TABLE users DROP CONSTRAINT %I', name);
  END LOOP;
END
$$;

ALTER TABLE users ADD CONSTRAINT users_role_known
  CHECK (role IN ('applicant', 'officer', 'supervisor', 'admin'));
ALTER TABLE users ADD CONSTRAINT users_agency_roles_have_an_agency
  CHECK (role NOT IN ('officer', 'supervisor') OR agency_code IS NOT NULL);
