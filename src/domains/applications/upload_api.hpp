#pragma once
/// Resumable uploads over tus 1.0 (core, creation, termination, expiration) at
/// /api/v1/uploads, and the applicant's document wallet at /api/v1/wallet.

#include "domains/applications/upload_service.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::applications {

class UploadApi {
 public:
  UploadApi(UploadService& service, const web::Translations& translations);
  /// OPTIONS, POST /api/v1/uploads; HEAD, PATCH, DELETE /api/v1/uploads/{id}; GET
  /// /api/v1/wallet; GET /api/v1/wallet/{id}/content (the file itself); DELETE
  /// /api/v1/wallet/{id} (out of the wallet; applications keep their copy).
  web::Routes routes();

 private:
  Result<web::Response> options(const web::Request& request, web::RequestContext& context);
  Result<web::Response> create(const web::Request& request, web::RequestContext& context);
  Result<web::Response> head(const web::Request& request, web::RequestContext& context);
  Result<web::Response> patch(const web::Request& request, web::RequestContext& context);
  Result<web::Response> terminate(const web::Request& request, web::RequestContext& context);
  Result<web::Response> wallet(const web::Request& request, web::RequestContext& context);
  Result<web::Response> content(const web::Request& request, web::RequestContext& context);
  Result<web::Response> remove(const web::Request& request, web::RequestContext& context);
  /// Before a PATCH body is read: the partial upload it extends, or the refusal.
  Result<std::variant<web::PartialUpload, web::Response>> append_to(const web::Request& request,
                                                                    web::RequestContext& context);
  /// A tus answer for `error`: problem+json with Tus-Resumable (internal errors go back to the
  /// middleware, which logs them).
  Result<web::Response> refuse(const web::RequestContext& context, const Error& error) const;

  UploadService& service_;
  const web::Translations& translations_;
};

}  // namespace pratu::applications
