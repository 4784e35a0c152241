-- A check of a document names the document that replaced it: a licence's renewal, or a
-- cancelled receipt's replacement (docs/payments.md, "Correcting a receipt"). They are found by
-- the number they replace. Same meaning as postgres/0004_replaced_by.sql.
CREATE INDEX documents_replaces ON documents (replaces);
