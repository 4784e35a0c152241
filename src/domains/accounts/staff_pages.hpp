#pragma once
/// The agency's staff and their duties, for its supervisors (docs/adr/0028): `/agency/duties`
/// lists the officers and supervisors with a form each to grant or withdraw the cashier and
/// finance duties, and the latest changes with who made them; the same over the API at
/// `/api/v1/agency/duties`.

#include "domains/accounts/staff_duties.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::accounts {

class StaffPages {
 public:
  StaffPages(StaffDuties& duties, const web::Renderer& renderer)
      : duties_(duties), renderer_(renderer) {}

  web::Routes routes();

 private:
  Result<web::Response> page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> change(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_list(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_change(const web::Request& request, web::RequestContext& context);

  StaffDuties& duties_;
  const web::Renderer& renderer_;
};

}  // namespace pratu::accounts
