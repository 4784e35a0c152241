#pragma once
/// Checks a PDF someone uploads (docs/documents.md, "Verifying"): its signature against the
/// trust anchors, that the signature covers the whole file, its timestamp, and whether Pratu
/// issued exactly this file, and if so where the document stands now. Each way a file can
/// fail has its own outcome, so the person is told which.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domains/documents/document_service.hpp"
#include "domains/documents/signer_revocations.hpp"
#include "domains/documents/signing_keys.hpp"

namespace pratu::documents {

/// What a check of an uploaded file found.
struct FileVerdict {
  /// valid, not_pdf, damaged, encrypted, no_signature, modified, changed_after_signing,
  /// bad_signature, untrusted_signer, bad_timestamp; signer_withdrawn: signed after the
  /// agency's signing certificate was withdrawn; and not_issued: a good signature on a file
  /// Pratu has no record of issuing.
  std::string outcome;
  std::string sha256;                  // of the whole file, hex
  std::string signer;                  // the signing certificate's organisation and name
  std::int64_t signed_at = 0;          // the timestamp's time (0: none)
  std::optional<PublicView> document;  // when Pratu issued this very file
};

class Verifier {
 public:
  Verifier(SigningKeys& keys, DocumentService& documents, SignerRevocations& revocations,
           const Clock& clock)
      : keys_(keys), documents_(documents), revocations_(revocations), clock_(clock) {}

  /// Checks `bytes`; an error only when Pratu itself fails (its trust anchors, its database).
  Result<FileVerdict> check(std::string_view bytes);

 private:
  SigningKeys& keys_;
  DocumentService& documents_;
  SignerRevocations& revocations_;
  const Clock& clock_;
};

}  // namespace pratu::documents
