#pragma once
/// The check of a signed PDF someone hands us (shared/reference/standards.md §3.4): each
/// signature's ByteRange against the file's bytes, its CMS (crypto::verify_pades_cms), and
/// that the last signature covers the whole file. Built for hostile input: any bytes, up to
/// tens of megabytes, give a verdict without crashing or hanging; qpdf reads the file with its
/// recovery off, and every exception it throws becomes `damaged`.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/cms_verification.hpp"
#include "crypto/trust_anchors.hpp"

namespace pratu::pdf {

/// What a file is, as far as its signatures go; one specific outcome for each way it fails.
enum class SignatureOutcome {
  valid,                  // every signature verifies and the last covers the whole file
  not_pdf,                // no %PDF- header in the first 1024 octets
  damaged,                // qpdf cannot read it without recovery
  encrypted,              // it has an /Encrypt dictionary
  no_signature,           // no signature field with a value
  modified,               // bytes a signature covers have changed since (digest mismatch)
  changed_after_signing,  // an update was appended after the last signature
  bad_signature,          // a malformed ByteRange or CMS, a wrong signature value, no or a wrong
                          // signingCertificateV2, more than one SignerInfo
  untrusted_signer,       // no chain to a trust anchor, or a key not for signing documents
  bad_timestamp,          // no signature timestamp, or one that does not verify
};

/// The outcome's name as written above ("changed_after_signing").
std::string_view to_string(SignatureOutcome outcome);

/// One signature field and what its check found.
struct SignatureDetails {
  std::string field_name;  // the field's full name (/T of it and its parents, with '.')
  SignatureOutcome outcome = SignatureOutcome::bad_signature;  // of this signature alone
  std::string why;                                             // when not valid, for the log
  std::array<std::int64_t, 4> byte_range{};                    // as the dictionary gives it
  bool covers_whole_file = false;
  std::string signing_time;  // /M as written ("D:20260101120000+07'00'"), empty when none
  std::optional<crypto::CertificateSummary> signer;
  std::optional<std::int64_t> timestamp_time;  // the timestamp's genTime, when it verified
  std::string timestamp_authority;             // the TSA's subject, when known
};

/// The verdict on a whole file.
struct SignatureVerdict {
  SignatureOutcome outcome = SignatureOutcome::damaged;
  std::string why;     // when not valid, for the log (never shown to a person)
  std::string sha256;  // of the whole file, lower-case hex
  std::vector<SignatureDetails> signatures;  // in the order their ranges end in the file

  /// The signature that covers the most of the file, or null when there is none.
  const SignatureDetails* last() const { return signatures.empty() ? nullptr : &signatures.back(); }
};

/// Checks `bytes` against `anchors` at `now` (seconds since the epoch): the signer's chain at
/// the signature timestamp's time, the timestamp authority's at `now`. Never throws.
SignatureVerdict check_signed_pdf(std::string_view bytes, const crypto::TrustAnchors& anchors,
                                  std::int64_t now);

}  // namespace pratu::pdf
