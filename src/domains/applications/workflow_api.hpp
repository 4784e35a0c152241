#pragma once
/// A submitted application's steps, for programs (src/domains/applications/openapi.json):
///
// clang-format off
///   GET  /api/v1/applications/{id}/steps   where it stands (state, since when, revision) and
///                                          the steps the caller may take now
///   POST /api/v1/applications/{id}/steps   {"transition", "revision", "reason"?, "items"?,
///                                          "checklist_confirmed"?}: takes one; 409 when
///                                          someone else moved it since `revision`
///   GET  /api/v1/agency/applications       the caller's agency's work queue (officers and
///                                          supervisors): ?service, ?state, ?q (a reference
///                                          or the start of a name), ?assigned=me|none,
///                                          ?decided=1, ?page
///   POST /api/v1/applications/{id}/assignment   {"assignee", "expected"} (user ids or null):
///                                          take it, give it back, or (a supervisor) give it
///   GET  /api/v1/applications/{id}/messages      the thread (read: marked so for the caller's
///                                          side), and how many were unread
///   POST /api/v1/applications/{id}/messages      {"body", "document"?}: writes one
///   GET  /api/v1/agency/staff              the agency's officers and supervisors (user ids)
///   GET  /api/v1/applications/{id}/notes   the agency's notes on it (officers, supervisors)
///   POST /api/v1/applications/{id}/notes   {"body"}: keeps one more
// clang-format on
///
/// For the applicant (their own applications) and the officers and supervisors of the agency
/// that owns it; to anyone else the application is not found.

#include "domains/applications/message_service.hpp"
#include "domains/applications/workflow_service.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::applications {

class WorkflowApi {
 public:
  WorkflowApi(WorkflowService& service, MessageService& messages, const Clock& clock);
  web::Routes routes();

 private:
  Result<web::Response> show(const web::Request& request, web::RequestContext& context);
  Result<web::Response> take(const web::Request& request, web::RequestContext& context);
  Result<web::Response> queue(const web::Request& request, web::RequestContext& context);
  Result<web::Response> assign(const web::Request& request, web::RequestContext& context);
  Result<web::Response> notes(const web::Request& request, web::RequestContext& context);
  Result<web::Response> staff(const web::Request& request, web::RequestContext& context);
  Result<web::Response> messages(const web::Request& request, web::RequestContext& context);
  Result<web::Response> post_message(const web::Request& request, web::RequestContext& context);
  Result<web::Response> add_note(const web::Request& request, web::RequestContext& context);

  // Where `application` stands and what `who` may do now.
  Result<boost::json::object> view(const web::Principal& who, const Application& application);
  // The same, with who has it for the agency's people.
  Result<boost::json::object> agency_view(const web::Principal& who,
                                          const Application& application);

  WorkflowService& service_;
  MessageService& messages_;
  const Clock& clock_;
};

}  // namespace pratu::applications
