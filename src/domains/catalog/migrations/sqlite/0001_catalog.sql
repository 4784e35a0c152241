-- The service catalogue, loaded from services/*.yaml (`pratu catalog load`, and at start).
-- Same meaning as postgres/0001_catalog.sql. Each row keeps the whole agency or service as
-- JSON (`document`) next to the columns that listing and search need.

CREATE TABLE agencies (
  code     TEXT PRIMARY KEY,
  name_th  TEXT NOT NULL,
  name_en  TEXT NOT NULL,
  document TEXT NOT NULL CHECK (json_valid(document))
) STRICT;

CREATE TABLE services (
  slug        TEXT    PRIMARY KEY,
  agency_code TEXT    NOT NULL REFERENCES agencies (code),
  name_th     TEXT    NOT NULL,
  name_en     TEXT    NOT NULL,
  category    TEXT    NOT NULL,
  level       INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),  -- computed e-Service level
  popularity  INTEGER NOT NULL CHECK (popularity >= 0),
  document    TEXT    NOT NULL CHECK (json_valid(document))
) STRICT;

CREATE INDEX services_agency ON services (agency_code);
CREATE INDEX services_popularity ON services (popularity DESC, slug);

-- Full-text index over text already split into words by ICU (Thai has no spaces between
-- words), so the tokenizer only splits at the spaces we put in. Thai vowels and tone marks
-- are combining marks (M*), which unicode61 would otherwise treat as separators.
-- Columns, most weighty first: names (th + en), summary, keywords (tags, agency names),
-- details (who may apply, documents, legal basis).
CREATE VIRTUAL TABLE service_search USING fts5 (
  slug UNINDEXED,
  names,
  summary,
  keywords,
  details,
  tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
);
