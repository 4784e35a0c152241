-- A bank connection may pin the client certificate its confirmations must come with, when the
-- operator runs mutual TLS in a proxy in front of Pratu (docs/bank-webhook.md, "Mutual TLS"):
-- the SHA-256 of the certificate's DER, lower-case hex. NULL: the HMAC alone authenticates.
ALTER TABLE bank_connections ADD COLUMN client_certificate_sha256 TEXT
  CHECK (client_certificate_sha256 IS NULL OR length(client_certificate_sha256) = 64);
