#pragma once
/// The applicant's documents ("My documents"): every file they uploaded, to open or to take
/// out of their wallet. Applications a file is attached to keep it.
///
// clang-format off
///   GET  /documents                  the wallet, newest first
///   GET  /documents/{id}             one file, shown in the browser
///   POST /documents/{id}/remove      take it out of the wallet
// clang-format on

#include "domains/applications/upload_service.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::applications {

class WalletHandlers {
 public:
  WalletHandlers(UploadService& uploads, const web::Renderer& renderer)
      : uploads_(uploads), renderer_(renderer) {}
  web::Routes routes();

 private:
  Result<web::Response> list(const web::Request& request, web::RequestContext& context);
  Result<web::Response> view(const web::Request& request, web::RequestContext& context);
  Result<web::Response> remove(const web::Request& request, web::RequestContext& context);

  UploadService& uploads_;
  const web::Renderer& renderer_;
};

}  // namespace pratu::applications
