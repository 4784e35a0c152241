#pragma once
/// The same journey for programs, in the OpenAPI document (src/domains/applications/openapi.json):
///
// clang-format off
///   POST   /api/v1/applications                 {"service": slug} → 201 a draft (200: the one
///                                               they have)
///   GET    /api/v1/applications?status=…        the caller's applications
///   GET    /api/v1/applications/{id}            one, with its effective answers and what is
///                                               missing
///   PATCH  /api/v1/applications/{id}            {"answers": {…}, "revision"?: n}; 422 lists each
///                                               field's problem
///   POST   /api/v1/applications/{id}/documents  {"question", "document" | "upload"}: attach a
///                                               wallet document or a finished upload
///   DELETE /api/v1/applications/{id}/documents/{question}   take the file off again
///   POST   /api/v1/applications/{id}/submit     Idempotency-Key: the same body on every
///                                               repetition
///   POST   /api/v1/applications/{id}/amendment  {"answers": {…}, "revision": n, "send"?: bool}:
///                                               change what the agency asked about; "send"
///                                               gives it back to the agency
// clang-format on
///
/// Signed in with a bearer token (POST /api/v1/tokens) or the session cookie and X-CSRF-Token.

#include "domains/applications/application_service.hpp"
#include "domains/applications/upload_service.hpp"
#include "domains/applications/workflow_service.hpp"
#include "platform/services.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::applications {

class ApplicationApi {
 public:
  ApplicationApi(ApplicationService& service, UploadService& uploads, WorkflowService& workflows,
                 const web::Translations& translations);
  web::Routes routes();
  /// Where platform::Billing is offered: a submitted application's bills go with it.
  void find_bills_in(const platform::Services& services) { bills_in_ = &services; }

 private:
  Result<web::Response> create(const web::Request& request, web::RequestContext& context);
  Result<web::Response> list(const web::Request& request, web::RequestContext& context);
  Result<web::Response> show(const web::Request& request, web::RequestContext& context);
  Result<web::Response> patch(const web::Request& request, web::RequestContext& context);
  Result<web::Response> submit(const web::Request& request, web::RequestContext& context);
  Result<web::Response> attach(const web::Request& request, web::RequestContext& context);
  Result<web::Response> detach(const web::Request& request, web::RequestContext& context);
  Result<web::Response> amend(const web::Request& request, web::RequestContext& context);

  // The application as the API shows it; `full` adds the timeline.
  boost::json::object view(const Application& application, bool full);
  // 422 problem+json naming each field's problem in the caller's language.
  web::Response problems(const web::RequestContext& context,
                         const std::vector<AnswerProblem>& problems, std::string_view detail_key);

  // `error` as the answer to a document request: a refusal naming its field is 422 in the shape
  // of the answers' problems (field, code, message), so a program reads every 422 alike.
  Result<web::Response> refusal(const web::RequestContext& context, const Error& error);

  // The caller's draft `id` and its form, to change: not_found if not theirs, conflict once
  // submitted (`change` names the attempt), the service's closure when its form is gone.
  Result<std::pair<Application, const Form*>> editable_draft(std::int64_t user, std::string_view id,
                                                             std::string_view change);
  // Checks each document answer in `value` (the answer to `field` at `path`) against the
  // person's wallet, and rewrites it from what the wallet holds: a file is attached by its
  // SHA-256 only once it has been uploaded by this person. Problems go to `found`.
  Result<void> check_documents(std::int64_t user, const Field& field, const std::string& path,
                               boost::json::value& value, std::vector<AnswerProblem>& found);

  // The caller's wallet document named by its id (`document`) or by the upload that made it
  // (`upload`: its URL or id): 422 when they hold none such, 409 while the upload is unfinished.
  Result<WalletDocument> chosen_document(std::int64_t user, const boost::json::string* document,
                                         const boost::json::string* upload);

  ApplicationService& service_;
  UploadService& uploads_;
  WorkflowService& workflows_;
  const web::Translations& translations_;
  const platform::Services* bills_in_ = nullptr;
};

}  // namespace pratu::applications
