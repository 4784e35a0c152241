-- A renewal is a new application of the same service that starts from a licence's application
-- (docs/documents.md, "Renewing"): `renews` names the document it replaces, which the new
-- document then says. Same meaning as sqlite/0008_renewals.sql.
ALTER TABLE applications ADD COLUMN renews TEXT;  -- the document number renewed; NULL: none
