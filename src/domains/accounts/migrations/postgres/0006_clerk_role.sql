-- Clerks: an agency's staff who take its money at the counter or keep its books, and do not
-- read its applications (docs/adr/0032).

ALTER TABLE users DROP CONSTRAINT users_role_known;
ALTER TABLE users ADD CONSTRAINT users_role_known
  CHECK (role IN ('applicant', 'officer', 'supervisor', 'clerk', 'admin'));
ALTER TABLE users DROP CONSTRAINT users_agency_roles_have_an_agency;
ALTER TABLE users ADD CONSTRAINT users_agency_roles_have_an_agency
  CHECK (role NOT IN ('officer', 'supervisor', 'clerk') OR agency_code IS NOT NULL);
