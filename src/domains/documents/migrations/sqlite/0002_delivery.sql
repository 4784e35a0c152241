-- What a renewal replaces, and how the holder receives a document besides downloading it (docs/documents.md, "Delivery"):
-- a printed copy by post, to the address the application gave (kept as it was when the
-- document was issued), or at the agency's counter. The officer records the posting with its
-- tracking number, or the hand-over; delivered_at says when. Same meaning as
-- postgres/0002_delivery.sql.
ALTER TABLE documents ADD COLUMN postal_address TEXT;   -- NULL: the application gave none
ALTER TABLE documents ADD COLUMN tracking_number TEXT;  -- post: the Thai Post S10 number
ALTER TABLE documents ADD COLUMN delivered_at INTEGER;  -- posted or handed over
ALTER TABLE documents ADD COLUMN replaces TEXT;  -- a renewal: the number of the document it replaces
