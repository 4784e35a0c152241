#pragma once
/// Agency signing certificates withdrawn before their end (docs/documents.md, "Withdrawing a
/// signing key"): an administrator withdraws an agency's current signer with a reason; the
/// issuing CA's CRL (/pki/issuing-ca.crl) lists it from then on, made afresh from this list on
/// each request; the issuer signs nothing more with it, and a signature made after it was
/// withdrawn does not verify.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "crypto/pki.hpp"
#include "storage/database.hpp"

namespace pratu::documents {

/// "key_compromise" -> 1, "superseded" -> 4, "cessation_of_operation" -> 5 (RFC 5280).
std::optional<int> crl_reason_of(std::string_view key);

class SignerRevocations {
 public:
  SignerRevocations(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// Withdraws the certificate `serial_hex` of `agency` by `who` for `reason` (CRLReason);
  /// conflict when it was withdrawn already.
  Result<crypto::RevokedCertificate> withdraw(std::string_view agency, std::string_view serial_hex,
                                              int reason, std::int64_t who);
  /// Every withdrawn certificate, oldest first.
  Result<std::vector<crypto::RevokedCertificate>> all();
  /// When `serial_hex` was withdrawn, if it was.
  Result<std::optional<std::int64_t>> withdrawn_at(std::string_view serial_hex);

 private:
  storage::Database& db_;
  const Clock& clock_;
};

}  // namespace pratu::documents
