#pragma once
/// A submitted application's steps, for programs (src/domains/applications/openapi.json):
///
// clang-format off
///   GET  /api/v1/applications/{id}/steps   where it stands (state, since when, revision) and
///                                          the steps the caller may take now
///   POST /api/v1/applications/{id}/steps   {"transition", "revision", "reason"?, "items"?,
///                                          "checklist_confirmed"?}: takes one; 409 when
///                                          someone else moved it since `revision`
// clang-format on
///
/// For the applicant (their own applications) and the officers and supervisors of the agency
/// that owns it; to anyone else the application is not found.

#include "domains/applications/workflow_service.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::applications {

class WorkflowApi {
 public:
  explicit WorkflowApi(WorkflowService& service);
  web::Routes routes();

 private:
  Result<web::Response> show(const web::Request& request, web::RequestContext& context);
  Result<web::Response> take(const web::Request& request, web::RequestContext& context);

  // Where `application` stands and what `who` may do now.
  Result<boost::json::object> view(const web::Principal& who, const Application& application);

  WorkflowService& service_;
};

}  // namespace pratu::applications
