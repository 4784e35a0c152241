#include "domains/applications/workflow_api.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "common/civil_date.hpp"
#include "common/text.hpp"

#include "web/dates.hpp"
#include "web/json_body.hpp"

namespace pratu::applications {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxStepBody = 16 * 1024;
constexpr std::size_t kMaxItems = 200;
// A note of kMaxNoteCharacters, each up to 4 bytes, and some JSON around it.
constexpr std::size_t kMaxNoteBody = 20 * 1024;

Error invalid_field(std::string field, std::string detail) {
  return Error{ErrorCode::invalid_input,
               "errors.invalid_input",
               std::move(detail),
               {{field, "applications.errors.step_field_" + field}},
               0};
}

}  // namespace

WorkflowApi::WorkflowApi(WorkflowService& service, MessageService& messages, const Clock& clock)
    : service_(service), messages_(messages), clock_(clock) {}

Result<web::Response> WorkflowApi::queue(const web::Request& request,
                                         web::RequestContext& context) {
  constexpr int kPage = 50;
  QueueFilter filter;
  filter.service = request.query_param("service").value_or("");
  filter.state = request.query_param("state").value_or("");
  search_for(filter, request.query_param("q").value_or(""));
  if (auto assigned = request.query_param("assigned")) {
    if (*assigned == "me") {
      filter.assigned_to = context.user->user_id;
    } else if (*assigned == "none") {
      filter.assigned_to = 0;
    } else {
      return invalid_field("assigned", "assigned");
    }
  }
  int page = 1;
  if (auto wanted = request.query_param("page"); wanted && !wanted->empty()) {
    const auto [end, error] =
        std::from_chars(wanted->data(), wanted->data() + wanted->size(), page);
    if (error != std::errc() || end != wanted->data() + wanted->size() || page < 1 ||
        page > 10000) {
      return invalid_field("page", "page");
    }
  }
  filter.limit = kPage + 1;  // one more tells whether there is a next page
  filter.offset = (page - 1) * kPage;
  PRATU_TRY(rows, service_.queue(*context.user, filter,
                                 request.query_param("decided").value_or("") == "1"));
  const bool more = rows.size() > static_cast<std::size_t>(kPage);
  if (more) rows.pop_back();
  const std::string today = iso_date(thai_date(clock_.now_seconds()));
  json::array items;
  for (const auto& row : rows) {
    json::object item{
        {"id", row.public_id},
        {"reference", row.reference},
        {"service", row.service},
        {"applicant", row.applicant},
        {"submitted_at", web::iso_date_time(row.submitted_at)},
        {"state", row.state},
        {"state_since", web::iso_date_time(row.state_since)},
        {"due_date", row.due_date.empty() ? json::value(nullptr) : json::value(row.due_date)}};
    const WorkflowState* state = service_.current_state(row.service, row.state);
    if (state != nullptr) item["state_label"] = text_json(state->label);
    item["overdue"] = is_overdue(row, state, today);
    item["unread_messages"] = row.unread_messages;
    item["assigned_to"] =
        row.assigned_to == 0
            ? json::value(nullptr)
            : json::value(json::object{{"id", row.assigned_to}, {"name", row.assignee}});
    items.push_back(std::move(item));
  }
  return web::Response::json(json::serialize(
      json::object{{"applications", std::move(items)},
                   {"next_page", more ? json::value(page + 1) : json::value(nullptr)}}));
}

Result<json::object> WorkflowApi::view(const web::Principal& who, const Application& a) {
  PRATU_TRY(workflow, service_.workflow_of(a));
  json::object state{{"id", a.state}};
  if (const WorkflowState* s = workflow->state(a.state)) state = state_json(*s);
  state["since"] = web::iso_date_time(a.state_since);
  json::array steps;
  for (const Transition* t : service_.steps_for(who, a, *workflow)) {
    steps.push_back(transition_json(*t));
  }
  json::object out{{"id", a.public_id},
                   {"reference", a.reference},
                   {"service", a.service},
                   {"agency", a.agency},
                   {"workflow_version", workflow->version},
                   {"revision", a.revision},
                   {"state", std::move(state)},
                   {"steps", std::move(steps)}};
  // While the agency waits for the applicant: what it asked them to change, and why (the
  // applicant answers with POST /api/v1/applications/{id}/amendment).
  PRATU_TRY(asked, service_.open_request(a));
  if (asked && !asked->items.empty()) {
    json::array items;
    for (const auto& item : asked->items) items.push_back(json::string(item));
    out["information_request"] = json::object{{"transition", asked->transition},
                                              {"reason", asked->reason},
                                              {"items", std::move(items)},
                                              {"at", web::iso_date_time(asked->at)}};
  }
  return out;
}

Result<json::object> WorkflowApi::agency_view(const web::Principal& who, const Application& a) {
  PRATU_TRY(out, view(who, a));
  // Which officer has it is the agency's to know, not the applicant's.
  if (web::is_agency_role(who.role)) {
    out["assigned_to"] = a.assigned_to == 0 ? json::value(nullptr) : json::value(a.assigned_to);
  }
  return out;
}

Result<web::Response> WorkflowApi::show(const web::Request& request, web::RequestContext& context) {
  PRATU_TRY(found, service_.find_for(*context.user, request.path_param("id")));
  PRATU_TRY(body, agency_view(*context.user, found));
  return web::Response::json(json::serialize(body));
}

Result<web::Response> WorkflowApi::take(const web::Request& request, web::RequestContext& context) {
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kMaxStepBody, 4}));
  if (!parsed.is_object()) return invalid_field("transition", "not an object");
  const json::object& body = parsed.as_object();
  StepRequest step;
  const auto* transition = body.if_contains("transition");
  if (transition == nullptr || !transition->is_string()) {
    return invalid_field("transition", "transition");
  }
  step.transition = transition->get_string();
  const auto* revision = body.if_contains("revision");
  if (revision == nullptr || !revision->is_int64()) return invalid_field("revision", "revision");
  step.revision = revision->get_int64();
  if (const auto* reason = body.if_contains("reason"); reason != nullptr && !reason->is_null()) {
    if (!reason->is_string()) return invalid_field("reason", "reason");
    step.reason = reason->get_string();
  }
  if (const auto* items = body.if_contains("items"); items != nullptr && !items->is_null()) {
    if (!items->is_array() || items->get_array().size() > kMaxItems) {
      return invalid_field("items", "items");
    }
    for (const auto& item : items->get_array()) {
      if (!item.is_string()) return invalid_field("items", "items");
      step.items.emplace_back(item.get_string());
    }
  }
  if (const auto* confirmed = body.if_contains("checklist_confirmed");
      confirmed != nullptr && !confirmed->is_null()) {
    if (!confirmed->is_int64() || confirmed->get_int64() < 0) {
      return invalid_field("checklist_confirmed", "checklist_confirmed");
    }
    step.confirmed = static_cast<std::size_t>(confirmed->get_int64());
  }
  PRATU_TRY(moved, service_.take(*context.user, request.path_param("id"), step));
  PRATU_TRY(answer, agency_view(*context.user, moved));
  return web::Response::json(json::serialize(answer));
}

Result<web::Response> WorkflowApi::assign(const web::Request& request,
                                          web::RequestContext& context) {
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kMaxStepBody, 4}));
  if (!parsed.is_object()) return invalid_field("assignee", "not an object");
  const json::object& body = parsed.as_object();
  // A user id, or null for nobody; each must be there, so that nothing is assumed.
  auto person = [&](std::string_view name) -> std::optional<std::int64_t> {
    const auto* v = body.if_contains(name);
    if (v == nullptr) return std::nullopt;
    if (v->is_null()) return 0;
    if (!v->is_int64() || v->get_int64() <= 0) return std::nullopt;
    return v->get_int64();
  };
  const auto to = person("assignee");
  if (!to) return invalid_field("assignee", "assignee");
  const auto expected = person("expected");
  if (!expected) return invalid_field("expected", "expected");
  PRATU_TRY(done, service_.assign(*context.user, request.path_param("id"), *to, *expected));
  PRATU_TRY(answer, agency_view(*context.user, done));
  return web::Response::json(json::serialize(answer));
}

Result<web::Response> WorkflowApi::staff(const web::Request&, web::RequestContext& context) {
  PRATU_TRY(people, service_.staff(*context.user));
  json::array out;
  for (const auto& m : people) {
    out.push_back(json::object{{"id", m.user_id},
                               {"name", m.name},
                               {"role", m.role},
                               {"you", m.user_id == context.user->user_id}});
  }
  return web::Response::json(json::serialize(json::object{{"staff", std::move(out)}}));
}

Result<web::Response> WorkflowApi::messages(const web::Request& request,
                                            web::RequestContext& context) {
  PRATU_TRY(found, service_.find_for(*context.user, request.path_param("id")));
  PRATU_TRY(unread, messages_.unread(*context.user, found));
  PRATU_TRY(thread, messages_.thread(*context.user, found, true));
  const bool agency = web::is_agency_role(context.user->role);
  json::array out;
  for (const auto& m : thread) {
    json::object item{{"id", m.id},
                      {"at", web::iso_date_time(m.at)},
                      {"from", m.from_agency ? "agency" : "applicant"},
                      {"body", m.body}};
    // Which officer wrote is the agency's to know.
    if (agency && m.from_agency) item["author_user_id"] = m.author_user_id;
    if (!m.file_sha256.empty()) {
      item["file"] = json::object{{"name", m.file_name},
                                  {"media_type", m.file_media_type},
                                  {"size", m.file_size},
                                  {"sha256", m.file_sha256}};
    }
    out.push_back(std::move(item));
  }
  return web::Response::json(
      json::serialize(json::object{{"messages", std::move(out)}, {"unread", unread}}));
}

Result<web::Response> WorkflowApi::post_message(const web::Request& request,
                                                web::RequestContext& context) {
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kMaxNoteBody, 4}));
  const json::object* body = parsed.if_object();
  const auto* text = body != nullptr ? body->if_contains("body") : nullptr;
  if (text == nullptr || !text->is_string()) return invalid_field("message", "body");
  std::string document;
  if (const auto* d = body->if_contains("document"); d != nullptr && !d->is_null()) {
    if (!d->is_string()) return invalid_field("document", "document");
    document = d->get_string();
  }
  PRATU_CHECK(
      messages_.post(*context.user, request.path_param("id"), text->get_string(), document));
  auto listed = messages(request, context);
  if (listed) listed->status = 201;
  return listed;
}

Result<web::Response> WorkflowApi::notes(const web::Request& request,
                                         web::RequestContext& context) {
  PRATU_TRY(found, service_.find_for(*context.user, request.path_param("id")));
  PRATU_TRY(kept, service_.notes(*context.user, found));
  json::array out;
  for (const auto& note : kept) {
    out.push_back(json::object{
        {"at", web::iso_date_time(note.at)}, {"author", note.author}, {"body", note.body}});
  }
  return web::Response::json(json::serialize(json::object{{"notes", std::move(out)}}));
}

Result<web::Response> WorkflowApi::add_note(const web::Request& request,
                                            web::RequestContext& context) {
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kMaxNoteBody, 4}));
  const auto* body = parsed.is_object() ? parsed.as_object().if_contains("body") : nullptr;
  if (body == nullptr || !body->is_string()) return invalid_field("note", "body");
  PRATU_CHECK(service_.add_note(*context.user, request.path_param("id"), body->get_string()));
  auto listed = notes(request, context);
  if (listed) listed->status = 201;
  return listed;
}

web::Routes WorkflowApi::routes() {
  web::Routes r;
  r.push_back(web::route("GET", "/api/v1/applications/{id}/steps", web::Access::signed_in,
                         web::Surface::api, "api_application_steps",
                         web::bound(this, &WorkflowApi::show)));
  r.back().body_limit = 0;
  r.push_back(web::route("POST", "/api/v1/applications/{id}/steps", web::Access::signed_in,
                         web::Surface::api, "api_application_step",
                         web::bound(this, &WorkflowApi::take)));
  r.back().body_limit = kMaxStepBody;
  // The agency's own: its officers and supervisors; anyone else is refused by role (403) for
  // every id alike, so nothing is learnt about which exist.
  auto agency = [&](std::string method, std::string pattern, std::string name, auto member) {
    r.push_back(web::route(std::move(method), std::move(pattern), web::Access::agency_officer,
                           web::Surface::api, std::move(name), web::bound(this, member)));
    r.back().owner = [this](const web::Request& request,
                            const web::RequestContext& context) -> Result<std::string> {
      if (!web::is_agency_role(context.user->role)) return std::string();
      PRATU_TRY(found, service_.find_for(*context.user, request.path_param("id")));
      return found.agency;
    };
  };
  agency("POST", "/api/v1/applications/{id}/assignment", "api_application_assignment",
         &WorkflowApi::assign);
  r.back().body_limit = kMaxStepBody;
  agency("GET", "/api/v1/applications/{id}/notes", "api_application_notes", &WorkflowApi::notes);
  r.back().body_limit = 0;
  agency("POST", "/api/v1/applications/{id}/notes", "api_application_note", &WorkflowApi::add_note);
  r.back().body_limit = kMaxNoteBody;
  r.push_back(web::route("GET", "/api/v1/applications/{id}/messages", web::Access::signed_in,
                         web::Surface::api, "api_application_messages",
                         web::bound(this, &WorkflowApi::messages)));
  r.back().body_limit = 0;
  r.push_back(web::route("POST", "/api/v1/applications/{id}/messages", web::Access::signed_in,
                         web::Surface::api, "api_application_message",
                         web::bound(this, &WorkflowApi::post_message)));
  r.back().body_limit = kMaxNoteBody;
  r.push_back(web::route("GET", "/api/v1/agency/staff", web::Access::agency_officer,
                         web::Surface::api, "api_agency_staff",
                         web::bound(this, &WorkflowApi::staff)));
  r.back().body_limit = 0;
  r.push_back(web::route("GET", "/api/v1/agency/applications", web::Access::agency_officer,
                         web::Surface::api, "api_agency_queue",
                         web::bound(this, &WorkflowApi::queue)));
  r.back().body_limit = 0;
  return r;
}

}  // namespace pratu::applications
