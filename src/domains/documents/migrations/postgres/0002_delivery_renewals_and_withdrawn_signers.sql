-- What a renewal replaces, how the holder receives a document besides downloading it, and the
-- signing certificates withdrawn (docs/documents.md, "Delivery"):
-- a printed copy by post, to the address the application gave (kept as it was when the
-- document was issued), or at the agency's counter. The officer records the posting with its
-- tracking number, or the hand-over; delivered_at says when. Same meaning as
-- sqlite/0002_delivery_renewals_and_withdrawn_signers.sql.
ALTER TABLE documents ADD COLUMN postal_address TEXT;   -- NULL: the application gave none
ALTER TABLE documents ADD COLUMN tracking_number TEXT;  -- post: the Thai Post S10 number
ALTER TABLE documents ADD COLUMN delivered_at BIGINT;  -- posted or handed over
ALTER TABLE documents ADD COLUMN replaces TEXT;  -- a renewal: the number of the document it replaces

-- Agency signing certificates withdrawn before their end (a key compromised, superseded, the
-- agency ceased), listed in the issuing CA's CRL at /pki/issuing-ca.crl. A document signed
-- after its signer was withdrawn does not verify; none is signed with it any more.
CREATE TABLE signer_revocations (
  serial TEXT PRIMARY KEY,                 -- the certificate's serial number, hex upper case
  agency TEXT NOT NULL,
  reason BIGINT NOT NULL,                  -- RFC 5280 CRLReason
  revoked_at BIGINT NOT NULL,
  revoked_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
