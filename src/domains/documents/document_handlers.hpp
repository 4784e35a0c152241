#pragma once
/// The documents Pratu issued, over pages and the API (docs/documents.md):
///
// clang-format off
///   GET  /documents/issued/{number}              the holder or the issuing agency's staff: the signed PDF
///   GET  /agency/documents/{number}              the issuing agency's staff: the document, its history, its status form
///   POST /agency/documents/{number}/status       an officer of the issuing agency: suspend, reinstate or revoke, with a reason
///   POST /agency/documents/{number}/delivered    an officer of the issuing agency: posted (tracking number) or handed over
///   GET  /documents/issued/{number}/delivery     the holder: how a printed copy reaches them
///   POST /documents/issued/{number}/delivery     the holder: post, counter or download only
///   GET  /verify                                 anyone: check a document by number and code, or by uploading it
///   GET  /verify/lookup                          anyone: the number and code typed, sent on to /verify/{number}
///   GET  /verify/{number}                        anyone: where the document stands (the holder's name in full with ?c=<code>)
///   POST /verify                                 anyone: the uploaded PDF checked
///   GET  /api/v1/documents                       the person signed in: their documents
///   GET  /api/v1/documents/{number}              the holder or the issuing agency's staff: one document and its history
///   POST /api/v1/documents/{number}/status       an officer of the issuing agency: {"action", "reason"}
///   POST /api/v1/documents/{number}/delivery     the holder: {"delivery": "post" | "counter" | "download"}
///   POST /api/v1/documents/{number}/delivered    an officer of the issuing agency: {"tracking_number"} (post) or {}
///   POST /api/v1/verify                          anyone: a PDF in, a verdict out
///   GET  /pki/issuing-ca.crl                     anyone: the issuing CA's CRL of withdrawn signing certificates
///   POST /api/v1/admin/signers/{code}/withdrawal an administrator: withdraw agency {code}'s signing certificate
// clang-format on
///
/// Checking uploads is limited per client address (documents.verify_per_minute); an upload
/// over documents.verify_max_mib is refused before it is read.

#include <cstddef>

#include "common/rate_limiter.hpp"
#include "domains/documents/document_service.hpp"
#include "domains/documents/signer_revocations.hpp"
#include "domains/documents/signing_keys.hpp"
#include "domains/documents/verifier.hpp"
#include "storage/blob_store.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::documents {

class DocumentHandlers {
 public:
  DocumentHandlers(DocumentService& documents, Verifier& verifier, const storage::BlobStore& blobs,
                   const web::Renderer& renderer, RateLimiter& limiter,
                   std::size_t verify_max_bytes)
      : documents_(documents),
        verifier_(verifier),
        blobs_(blobs),
        renderer_(renderer),
        limiter_(limiter),
        verify_max_bytes_(verify_max_bytes) {}
  web::Routes routes();
  /// Where the signing keys and their withdrawals are, for the CRL and the administrator.
  void manage_signers(SigningKeys& keys, SignerRevocations& revocations, const Clock& clock) {
    keys_ = &keys;
    revocations_ = &revocations;
    clock_ = &clock;
  }

 private:
  Result<web::Response> file(const web::Request& request, web::RequestContext& context);
  Result<web::Response> agency_page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> change_status(const web::Request& request, web::RequestContext& context);
  Result<web::Response> record_delivery(const web::Request& request, web::RequestContext& context);
  Result<web::Response> delivery_page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> choose_delivery(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_delivery(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_delivered(const web::Request& request, web::RequestContext& context);
  web::Response render_delivery(const web::Request& request, web::RequestContext& context,
                                const IssuedDocument& document, const std::string& chosen,
                                const std::vector<FieldError>& errors, int status);
  Result<web::Response> verify_page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> lookup(const web::Request& request, web::RequestContext& context);
  Result<web::Response> status_page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> verify_upload(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_list(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_document(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_status(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_verify(const web::Request& request, web::RequestContext& context);
  Result<web::Response> crl(const web::Request& request, web::RequestContext& context);
  Result<web::Response> withdraw_signer(const web::Request& request, web::RequestContext& context);

  web::Response render_verify(const web::Request& request, web::RequestContext& context,
                              const std::string& number, const std::string& code,
                              const std::vector<FieldError>& errors, int status);
  web::Response render_agency(const web::Request& request, web::RequestContext& context,
                              const IssuedDocument& document, const std::string& action,
                              const std::string& reason, const std::vector<FieldError>& errors,
                              int status, const std::string& tracking = {});
  /// Refuses a check when the client's address has used its share: 0 or the seconds to wait.
  std::int64_t throttled(const web::Request& request);

  DocumentService& documents_;
  Verifier& verifier_;
  const storage::BlobStore& blobs_;
  const web::Renderer& renderer_;
  RateLimiter& limiter_;
  std::size_t verify_max_bytes_;
  SigningKeys* keys_ = nullptr;
  SignerRevocations* revocations_ = nullptr;
  const Clock* clock_ = nullptr;
};

}  // namespace pratu::documents
