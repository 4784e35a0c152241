#pragma once
/// The keys documents are signed with and checked against (docs/adr/0024, 0025), from
/// documents.pki_dir: each agency's signer (agencies/<code>.key with agencies/<code>-chain.pem;
/// the key may instead be a `pkcs11:` URI in agencies/<code>.uri), the timestamp authority
/// (documents.timestamp_url, or in this process from tsa.key and tsa-chain.pem), and the trust
/// anchors a verification accepts (root-ca.pem, with issuing-ca.pem offered for chains). An
/// agency's signer is loaded the first time it signs and kept; thread-safe.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "crypto/cms_signature.hpp"
#include "crypto/pki.hpp"
#include "crypto/timestamp.hpp"
#include "crypto/trust_anchors.hpp"

namespace pratu::documents {

/// What a signature dictionary says in words.
struct SignatureText {
  std::string name;      // who signs: the agency
  std::string reason;    // what for: the document's title and number
  std::string location;  // where
};

/// A signed file, and the serial number of the certificate that signed it (hex).
struct SignedPdf {
  std::string bytes;
  std::string signer_serial;
};

class SigningKeys {
 public:
  /// Keys under `pki_dir`; timestamps from `timestamp` (owned), or, when null, from the
  /// directory's tsa.* in this process, loaded at the first signature.
  SigningKeys(std::filesystem::path pki_dir, const Clock& clock, Random& random,
              std::unique_ptr<crypto::TimestampAuthority> timestamp = nullptr);
  ~SigningKeys();

  /// Signs `pdf` as agency `agency` at `at` (PAdES B-T, an incremental update).
  Result<SignedPdf> sign(std::string_view agency, std::string_view pdf, const SignatureText& text,
                         std::int64_t at);

  /// The serial number (hex, upper case) of agency `agency`'s signing certificate.
  Result<std::string> signer_serial(std::string_view agency);

  /// The issuing CA's CRL (DER) listing `revoked`, made now with the CA's key in the key
  /// directory; not_found where Pratu holds no CA key (the CA publishes its own).
  Result<std::string> issuing_crl(const std::vector<crypto::RevokedCertificate>& revoked,
                                  std::int64_t now);

  /// The roots verification trusts, loaded once.
  Result<const crypto::TrustAnchors*> anchors();

 private:
  Result<crypto::Signer*> signer(std::string_view agency);
  Result<crypto::TimestampAuthority*> timestamper();

  std::filesystem::path dir_;
  const Clock& clock_;
  Random& random_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<crypto::Signer>, std::less<>> signers_;
  std::unique_ptr<crypto::TimestampAuthority> timestamp_;
  std::optional<crypto::TrustAnchors> anchors_;
};

}  // namespace pratu::documents
