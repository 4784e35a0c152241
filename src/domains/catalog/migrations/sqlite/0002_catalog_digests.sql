-- Loads that stay quick at thousands of services. Same meaning as postgres/0002_catalog_digests.sql.
-- - services gets an integer key, `id`, which is also the rowid of its row in service_search:
--   a service's search row is found by that key instead of by scanning the index's slug
--   column, which made every load quadratic in the number of services.
-- - Every agency and service row keeps a digest of what it was written from, and
--   catalog_state the digest of the whole catalogue: a load rewrites only the rows that
--   changed, and nothing at all when the catalogue is the one already stored.
-- Rows and search rows are kept; their digests start empty, so the next load rewrites each once.

CREATE TABLE services_new (
  id          INTEGER PRIMARY KEY,
  slug        TEXT    NOT NULL UNIQUE,
  agency_code TEXT    NOT NULL REFERENCES agencies (code),
  name_th     TEXT    NOT NULL,
  name_en     TEXT    NOT NULL,
  category    TEXT    NOT NULL,
  level       INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),  -- computed e-Service level
  popularity  INTEGER NOT NULL CHECK (popularity >= 0),
  document    TEXT    NOT NULL CHECK (json_valid(document)),
  digest      TEXT    NOT NULL DEFAULT ''  -- SHA-256 of what the row and its search row hold
) STRICT;
INSERT INTO services_new (slug, agency_code, name_th, name_en, category, level, popularity, document)
  SELECT slug, agency_code, name_th, name_en, category, level, popularity, document
  FROM services ORDER BY slug;
DROP TABLE services;
ALTER TABLE services_new RENAME TO services;
CREATE INDEX services_agency ON services (agency_code);
CREATE INDEX services_popularity ON services (popularity DESC, slug);

ALTER TABLE agencies ADD COLUMN digest TEXT NOT NULL DEFAULT '';

-- The search rows, now keyed by services.id (rowid) and without a slug column.
ALTER TABLE service_search RENAME TO service_search_old;
CREATE VIRTUAL TABLE service_search USING fts5 (
  names,
  summary,
  keywords,
  details,
  tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
);
INSERT INTO service_search (rowid, names, summary, keywords, details)
  SELECT s.id, f.names, f.summary, f.keywords, f.details
  FROM service_search_old f JOIN services s ON s.slug = f.slug;
DROP TABLE service_search_old;
INSERT INTO service_search (service_search) VALUES ('optimize');

-- One row: the digest of the catalogue stored last ('' before the first load).
CREATE TABLE catalog_state (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  digest TEXT    NOT NULL
) STRICT;
INSERT INTO catalog_state (id, digest) VALUES (1, '');
