#pragma once
/// The applicant's documents ("My documents"): the documents agencies issued them (signed,
/// from the documents module), and every file they uploaded, to open or to take out of their
/// wallet. Applications a file is attached to keep it.
///
// clang-format off
///   GET  /documents                  the wallet, newest first
///   GET  /documents/{id}             one file, shown in the browser
///   POST /documents/{id}/remove      take it out of the wallet
// clang-format on

#include "domains/applications/upload_service.hpp"
#include "platform/services.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::applications {

class WalletHandlers {
 public:
  WalletHandlers(UploadService& uploads, const web::Renderer& renderer)
      : uploads_(uploads), renderer_(renderer) {}
  web::Routes routes();
  /// Where the documents issued to the applicant are found (offered by the documents module).
  void find_issued_in(const platform::Services& services) { issued_in_ = &services; }

 private:
  Result<web::Response> list(const web::Request& request, web::RequestContext& context);
  Result<web::Response> view(const web::Request& request, web::RequestContext& context);
  Result<web::Response> remove(const web::Request& request, web::RequestContext& context);

  UploadService& uploads_;
  const web::Renderer& renderer_;
  const platform::Services* issued_in_ = nullptr;
};

}  // namespace pratu::applications
