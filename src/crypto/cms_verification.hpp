#pragma once
/// The check of a PAdES CMS signature (shared/reference/standards.md §3.4): message digest,
/// signature value, signingCertificateV2, the signer's chain and key usage, and the
/// signature timestamp. What the PDF around it says is src/pdf/signature_check's part.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/timestamp.hpp"
#include "crypto/trust_anchors.hpp"

namespace pratu::crypto {

/// The verdict on one CMS signature: the first failure found.
enum class CmsOutcome {
  valid,
  bad_signature,     // not a one-signer detached CMS, a wrong signature value, or no or a
                     // wrong signingCertificateV2
  digest_mismatch,   // the signed content is not what the messageDigest attribute says
  untrusted_signer,  // no chain to a trust anchor, or a key not for signing documents
  bad_timestamp,     // no signature timestamp, or one that does not verify
};

/// Who a certificate names, for people and the log.
struct CertificateSummary {
  std::string common_name;             // CN, UTF-8
  std::string organization;            // O, UTF-8
  std::string subject;                 // the whole subject, one line (RFC 2253 order), UTF-8
  std::string serial_hex;              // upper-case hex
  std::string sha256_fingerprint_hex;  // of the DER, lower-case hex
};

/// What verify_pades_cms found.
struct CmsVerification {
  CmsOutcome outcome = CmsOutcome::bad_signature;
  std::string why;                           // when not valid: what failed, for the log
  std::optional<CertificateSummary> signer;  // when the signer's certificate was found
  std::optional<TimestampCheck> timestamp;   // when a signature timestamp was there
};

/// Checks `cms_der` as a detached signature over the concatenation of `signed_parts`: one
/// SignerInfo; messageDigest (SHA-256, -384 or -512) equal to the parts' digest; the
/// signature over the signed attributes; signingCertificateV2 naming the signer's
/// certificate; a signature timestamp over the signature value from a TSA chaining to
/// `anchors` at `now`; and the signer's chain to `anchors` at the timestamp's time (at `now`
/// without one), with digitalSignature or nonRepudiation and no extended key usage that
/// excludes documents. Never throws; any bytes give a verdict.
CmsVerification verify_pades_cms(std::string_view cms_der,
                                 const std::vector<std::string_view>& signed_parts,
                                 const TrustAnchors& anchors, std::int64_t now);

}  // namespace pratu::crypto
