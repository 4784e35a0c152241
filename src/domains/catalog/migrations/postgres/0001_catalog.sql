-- The service catalogue, loaded from services/*.yaml (`pratu catalog load`, and at start).
-- Same meaning as sqlite/0001_catalog.sql. Each row keeps the whole agency or service as
-- JSON (`document`) next to the columns that listing and search need.

CREATE TABLE agencies (
  code     TEXT PRIMARY KEY,
  name_th  TEXT NOT NULL,
  name_en  TEXT NOT NULL,
  document TEXT NOT NULL CHECK (document::jsonb IS NOT NULL)
);

CREATE TABLE services (
  slug          TEXT     PRIMARY KEY,
  agency_code   TEXT     NOT NULL REFERENCES agencies (code),
  name_th       TEXT     NOT NULL,
  name_en       TEXT     NOT NULL,
  category      TEXT     NOT NULL,
  level         SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 3),  -- computed e-Service level
  popularity    BIGINT   NOT NULL CHECK (popularity >= 0),
  document      TEXT     NOT NULL CHECK (document::jsonb IS NOT NULL),
  -- Words split by ICU (Thai has no spaces between words), case-folded, weighted A (names),
  -- B (summary), C (tags, agency names), D (who may apply, documents, legal basis). Written
  -- as a tsvector literal rather than through to_tsvector('simple', ...), whose parser
  -- depends on the server's locale for Thai vowel and tone marks; the lexemes are the same.
  search_vector TSVECTOR NOT NULL
);

CREATE INDEX services_agency ON services (agency_code);
CREATE INDEX services_popularity ON services (popularity DESC, slug);
CREATE INDEX services_search ON services USING GIN (search_vector);
