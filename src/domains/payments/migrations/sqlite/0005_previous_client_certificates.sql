-- While a bank renews its client certificate, both are accepted: `pratu bank pin` keeps the
-- certificate pinned before as the previous one until `pratu bank end-rotation`
-- (docs/bank-webhook.md, "Mutual TLS"). The SHA-256 of its DER, lower-case hex; NULL: none.
ALTER TABLE bank_connections ADD COLUMN previous_client_certificate_sha256 TEXT
  CHECK (previous_client_certificate_sha256 IS NULL
         OR length(previous_client_certificate_sha256) = 64);
