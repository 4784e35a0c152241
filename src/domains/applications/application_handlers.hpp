#pragma once
/// The applicant's pages: start a service's form, fill it in page by page (each page saved on
/// the server as the person moves on, without JavaScript), check the answers, submit once, and
/// read the confirmation, the receipt and "My applications".
///
// clang-format off
///   GET  /services/{slug}/apply                  what the form asks for, and the Start button
///   POST /services/{slug}/apply                  start, or carry on with the draft one has
///   GET  /applications                           My applications
///   GET  /applications/{id}                      a draft: its first unanswered page; else the
///                                                application
///   GET  /applications/{id}/pages/{page}         one page of questions
///   POST /applications/{id}/pages/{page}         save it; continue, update a list, add or
///                                                remove an item, attach a document (a file
///                                                sent multipart, or one from the wallet) or
///                                                remove it, or autosave (JSON answer)
///   GET  /applications/{id}/check                check your answers and the declaration
///   POST /applications/{id}/submit               submit (a one-time key makes a repeat harmless)
///   GET  /applications/{id}/confirmation         reference, what happens next, by when
///   POST /applications/{id}/profile              take the mobile number it gave into the profile
///   GET  /applications/{id}/receipt              the same, to print
///   GET  /applications/{id}/documents/{path}     a file attached to it, shown in the browser
///                                                (path: question, or group.item.question)
///   GET  /applications/{id}/amend                the answers the agency asked to change
///   POST /applications/{id}/amend                save them; with "send", send them back too
///   POST /applications/{id}/steps                take a step of the applicant's (send back)
///   POST /applications/{id}/messages             write to the agency (a wallet file if liked)
///   GET  /applications/{id}/messages/{n}/file    the file attached to message n
///
/// And the agency's side, for its officers and supervisors:
///   GET  /agency/applications                    the work queue: earliest due first, by
///                                                service and state, a reference or a name
///   GET  /agency/applications/{id}               one application, its timeline, and a form
///                                                for each step they may take
///   POST /agency/applications/{id}/steps         take one (refused when someone else moved
///                                                it since the page was shown)
///   POST /agency/applications/{id}/assignment    take it, give it back, or (a supervisor)
///                                                give it to one of the agency's people
///   POST /agency/applications/{id}/notes         keep a note the applicant never sees
///   POST /agency/applications/{id}/messages      write to the applicant
///   GET  /agency/applications/{id}/messages/{n}/file   the file the applicant attached
///   GET  /agency/applications/{id}/documents/{path}   a file attached to it
// clang-format on

#include <boost/json/object.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domains/applications/application_service.hpp"
#include "domains/applications/message_service.hpp"
#include "domains/applications/upload_service.hpp"
#include "domains/applications/workflow_service.hpp"
#include "platform/service_directory.hpp"
#include "platform/services.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::web {
class Form;
}  // namespace pratu::web

namespace pratu::applications {

class ApplicationHandlers {
 public:
  ApplicationHandlers(ApplicationService& service, UploadService& uploads,
                      WorkflowService& workflows, MessageService& messages,
                      const web::Renderer& renderer, const platform::ServiceDirectory& services,
                      Random& random);
  web::Routes routes();
  /// Where the documents issued for applications are found when a page shows one (the
  /// documents module offers them once it starts).
  void find_issued_in(const platform::Services& services) { issued_in_ = &services; }

 private:
  Result<web::Response> before_start(const web::Request& request, web::RequestContext& context);
  // A renewal of the application's licence: a new draft from its answers (POST, page and API).
  Result<Application> renewal(const web::RequestContext& context, std::string_view public_id);
  Result<web::Response> renew(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_renew(const web::Request& request, web::RequestContext& context);
  Result<web::Response> start(const web::Request& request, web::RequestContext& context);
  Result<web::Response> list(const web::Request& request, web::RequestContext& context);
  Result<web::Response> resume(const web::Request& request, web::RequestContext& context);
  Result<web::Response> page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> save_page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> check(const web::Request& request, web::RequestContext& context);
  Result<web::Response> submit(const web::Request& request, web::RequestContext& context);
  Result<web::Response> confirmation(const web::Request& request, web::RequestContext& context);
  Result<web::Response> update_profile(const web::Request& request, web::RequestContext& context);
  Result<web::Response> receipt(const web::Request& request, web::RequestContext& context);
  Result<web::Response> document(const web::Request& request, web::RequestContext& context);
  Result<web::Response> amend(const web::Request& request, web::RequestContext& context);
  Result<web::Response> save_amendment(const web::Request& request, web::RequestContext& context);
  Result<web::Response> applicant_step(const web::Request& request, web::RequestContext& context);
  // The questions the agency asked to change, with what is kept or was given and what is wrong.
  web::Response render_amend(const web::Request& request, web::RequestContext& context,
                             const Application& application, const InformationRequest& asked,
                             const std::vector<AnswerProblem>& problems, int status);
  // The answers `fields` hold in a posted page (those it showed), files attached included.
  Result<boost::json::object> posted_answers(std::int64_t user, const web::Form& body,
                                             const std::vector<const Field*>& fields,
                                             const Application& found, web::Locale locale,
                                             std::vector<AnswerProblem>& refused);

  // The page of questions, with what is kept or was typed and the problems to show.
  web::Response render_page(const web::Request& request, web::RequestContext& context,
                            const Application& application, const Form& form, const Page& page,
                            const std::vector<AnswerProblem>& problems, int status);
  web::Response render_check(const web::Request& request, web::RequestContext& context,
                             const Application& application, const Form& form,
                             const std::vector<AnswerProblem>& problems, int status,
                             const std::string& notice = {});
  web::Response render_submitted(const web::Request& request, web::RequestContext& context,
                                 const Application& application, std::string_view template_name,
                                 const std::string& notice = {},
                                 const boost::json::object& extra = {});
  // What the page's document question at `path` holds after the post: the file sent (kept
  // in the wallet) or the wallet document picked, null when removed; nullopt keeps the
  // answer. A file refused for its content adds its reason to `problems`.
  Result<std::optional<boost::json::value>> attachment(std::int64_t user, const web::Form& body,
                                                       const std::string& path,
                                                       const std::string& action,
                                                       const boost::json::value* current,
                                                       std::vector<AnswerProblem>& problems);
  // An error of the service as the page the person sees: its own message, never a generic one.
  Result<web::Response> refusal(const web::Request& request, web::RequestContext& context,
                                const Error& error);

  Result<web::Response> queue(const web::Request& request, web::RequestContext& context);
  Result<web::Response> agency_application(const web::Request& request,
                                           web::RequestContext& context);
  Result<web::Response> take_step(const web::Request& request, web::RequestContext& context);
  Result<web::Response> agency_document(const web::Request& request, web::RequestContext& context);
  Result<web::Response> assign(const web::Request& request, web::RequestContext& context);
  Result<web::Response> add_note(const web::Request& request, web::RequestContext& context);
  // An action on application `id` refused as a whole (409, 403...): the agency's view of it as
  // it is now with why in a banner; not found stays not found.
  Result<web::Response> agency_refusal(const web::Request& request, web::RequestContext& context,
                                       const std::string& id, const Error& error);
  Result<web::Response> post_message(const web::Request& request, web::RequestContext& context);
  Result<web::Response> agency_post_message(const web::Request& request,
                                            web::RequestContext& context);
  Result<web::Response> message_file(const web::Request& request, web::RequestContext& context);
  // The application's page for its applicant (`extra` over what it shows; `status`).
  Result<web::Response> applicant_view(const web::Request& request, web::RequestContext& context,
                                       const Application& a, boost::json::object extra, int status);
  // The thread as the page shows it (read now, so marked read for this side), and the box to
  // write in, into `model`.
  boost::json::array messages_model(web::RequestContext& context, const Application& a,
                                    bool agency_view, const std::vector<StaffMember>& staff,
                                    boost::json::object& model);
  // Who has `a`, and the buttons `context`'s person may press about it.
  boost::json::object assignment_model(web::RequestContext& context, const Application& a);
  // The agency's view of `a` with a form per step; `errors` (field → message) and `typed`
  // show a refused step again, `banner` what just happened.
  web::Response render_agency_view(const web::Request& request, web::RequestContext& context,
                                   const Application& a, const std::string& failed_step,
                                   const std::map<std::string, std::string>& errors,
                                   const web::Form* typed, const boost::json::object& banner,
                                   int status);

  // The status of submitted application `a` as its workflow names it in `locale`, and whether
  // it is decided (a final state).
  std::pair<std::string, bool> status_of(const Application& a, web::Locale locale);

  ApplicationService& service_;
  UploadService& uploads_;
  WorkflowService& workflows_;
  MessageService& messages_;
  const web::Renderer& renderer_;
  const platform::ServiceDirectory& services_;
  const platform::Services* issued_in_ = nullptr;
  Random& random_;
};

}  // namespace pratu::applications
