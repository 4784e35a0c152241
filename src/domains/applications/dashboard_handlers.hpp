#pragma once
/// The supervisor's dashboard of their agency, a page without JavaScript: charts drawn on the
/// server as SVG, each with a table of the same figures (docs/workflows.md).
///
// clang-format off
///   GET  /agency/dashboard    the agency's supervisors only
// clang-format on

#include "domains/applications/application_service.hpp"
#include "domains/applications/dashboard.hpp"
#include "platform/service_directory.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::applications {

class DashboardHandlers {
 public:
  /// `applications` gives the page's today (in Thailand).
  DashboardHandlers(Dashboard dashboard, const ApplicationService& applications,
                    const platform::ServiceDirectory& services, const web::Renderer& renderer)
      : dashboard_(std::move(dashboard)),
        applications_(applications),
        services_(services),
        renderer_(renderer) {}
  /// GET /agency/dashboard, for the agency's supervisors (web::Access::agency_supervisor).
  web::Routes routes();

 private:
  Result<web::Response> show(const web::Request& request, web::RequestContext& context);

  Dashboard dashboard_;
  const ApplicationService& applications_;
  const platform::ServiceDirectory& services_;
  const web::Renderer& renderer_;
};

}  // namespace pratu::applications
