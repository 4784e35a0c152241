-- The language Pratu writes to a person in (e-mail, SMS): the one they registered in, then the
-- one they last chose while signed in. '' for accounts made before: Thai.
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT '' CHECK (locale IN ('', 'th', 'en'));
