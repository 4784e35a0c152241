#include "domains/documents/verifier.hpp"

#include "common/log.hpp"
#include "pdf/signature_check.hpp"

namespace pratu::documents {

Result<FileVerdict> Verifier::check(std::string_view bytes) {
  PRATU_TRY(anchors, keys_.anchors());
  const auto verdict = pdf::check_signed_pdf(bytes, *anchors, clock_.now_seconds());
  FileVerdict out;
  out.outcome = std::string(pdf::to_string(verdict.outcome));
  out.sha256 = verdict.sha256;
  if (const auto* last = verdict.last()) {
    if (last->signer) {
      out.signer = last->signer->organization.empty()
                       ? last->signer->common_name
                       : last->signer->organization + " (" + last->signer->common_name + ")";
    }
    if (last->timestamp_time) out.signed_at = *last->timestamp_time;
  }
  if (verdict.outcome != pdf::SignatureOutcome::valid) {
    // What failed, for the operator; the file and who sent it are not logged.
    log::info("document check failed", {}, {{"outcome", out.outcome}, {"why", verdict.why}});
    return out;
  }
  // A signature made after its certificate was withdrawn counts for nothing; one made before
  // (its timestamp says when) stands.
  if (const auto* last = verdict.last(); last != nullptr && last->signer) {
    PRATU_TRY(withdrawn, revocations_.withdrawn_at(last->signer->serial_hex));
    if (withdrawn && (out.signed_at == 0 || out.signed_at >= *withdrawn)) {
      out.outcome = "signer_withdrawn";
      return out;
    }
  }
  // A good signature says the agency signed it; only Pratu's register says it issued this
  // very file and where the document stands now.
  PRATU_TRY(document, documents_.by_file(verdict.sha256));
  if (!document) {
    out.outcome = "not_issued";
    return out;
  }
  // Whoever holds the file has read the holder's name in it: nothing to hide.
  PRATU_TRY(view, documents_.public_view(document->number, document->code));
  out.document = std::move(view);
  return out;
}

}  // namespace pratu::documents
