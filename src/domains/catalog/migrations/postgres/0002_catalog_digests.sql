-- Loads that stay quick at thousands of services. Same meaning as sqlite/0002_catalog_digests.sql.
-- Every agency and service row keeps a digest of what it was written from, and catalog_state
-- the digest of the whole catalogue: a load rewrites only the rows that changed, and nothing
-- at all when the catalogue is the one already stored. (The search vector lives in the
-- service's own row here, so it is already found by the primary key.) Digests start empty,
-- so the next load rewrites each row once.

ALTER TABLE services ADD COLUMN digest TEXT NOT NULL DEFAULT '';  -- SHA-256 of what the row holds
ALTER TABLE agencies ADD COLUMN digest TEXT NOT NULL DEFAULT '';

-- One row: the digest of the catalogue stored last ('' before the first load). A load locks
-- it, so nodes starting at once load one after the other and the later ones find it stored.
CREATE TABLE catalog_state (
  id     SMALLINT PRIMARY KEY CHECK (id = 1),
  digest TEXT     NOT NULL
);
INSERT INTO catalog_state (id, digest) VALUES (1, '');
