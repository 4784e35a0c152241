#include "domains/applications/application_api.hpp"

#include <boost/json.hpp>

#include "domains/applications/document_path.hpp"
#include "platform/billing.hpp"
#include "web/dates.hpp"
#include "web/json_body.hpp"

namespace pratu::applications {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxPatchBody = 256 * 1024;
constexpr std::size_t kMaxKey = 200;  // an Idempotency-Key: a UUID is 36

Error invalid(std::string key, std::string detail, std::vector<FieldError> fields = {}) {
  return Error{ErrorCode::invalid_input, std::move(key), std::move(detail), std::move(fields), 0};
}

std::string message_of(const web::Translations& t, web::Locale locale, const AnswerProblem& p) {
  if (p.text) return p.text->in(locale);
  std::string text = t.text(locale, p.key);
  for (const auto& [name, value] : p.args) {
    const std::string placeholder = "{" + name + "}";
    for (auto at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

bool concerns(const AnswerProblem& p, const std::string& field) {
  return p.field == field || p.field.starts_with(field + ".");
}

Error already_submitted(std::string detail) {
  return Error{
      ErrorCode::conflict, "applications.errors.already_submitted", std::move(detail), {}, 0};
}

// A document path whose group has no such item.
Error no_such_item() {
  return invalid("applications.errors.document_question", "item",
                 {{"question", "applications.errors.document_question"}});
}

// The document question `text` names in `form`, or the 422 that says it names none.
Result<DocumentPath> document_path_in(const Form& form, std::string_view text) {
  auto path = parse_document_path(text);
  if (!path || document_question(form, *path) == nullptr) {
    return invalid("applications.errors.document_question", "question",
                   {{"question", "applications.errors.document_question"}});
  }
  return std::move(*path);
}

}  // namespace

ApplicationApi::ApplicationApi(ApplicationService& service, UploadService& uploads,
                               WorkflowService& workflows, const web::Translations& translations)
    : service_(service), uploads_(uploads), workflows_(workflows), translations_(translations) {}

Result<std::pair<Application, const Form*>> ApplicationApi::editable_draft(
    std::int64_t user, std::string_view id, std::string_view change) {
  PRATU_TRY(draft, service_.find(user, id));
  if (draft.status != Status::draft) return already_submitted(std::string(change));
  const Form* form = service_.form(draft.service);
  if (form == nullptr) return service_closed();
  return std::pair<Application, const Form*>(std::move(draft), form);
}

Result<void> ApplicationApi::check_documents(std::int64_t user, const Field& field,
                                             const std::string& path, json::value& value,
                                             std::vector<AnswerProblem>& found) {
  if (field.type == FieldType::group && value.is_array()) {
    for (auto& item : value.get_array()) {
      auto* object = item.if_object();
      const auto* key = object != nullptr ? object->if_contains("_key") : nullptr;
      if (key == nullptr || !key->is_string()) continue;
      for (const auto& f : field.fields) {
        if (auto* answer = object->if_contains(f.id)) {
          const std::string at = path + "." + std::string(key->get_string()) + "." + f.id;
          PRATU_CHECK(check_documents(user, f, at, *answer, found));
        }
      }
    }
    return ok();
  }
  if (field.type != FieldType::document || !value.is_object()) return ok();
  const auto* blob = value.get_object().if_contains("blob");
  if (blob == nullptr || !blob->is_string()) return ok();  // the form's own checks say why
  PRATU_TRY(held, uploads_.document_with_blob(user, blob->get_string()));
  if (!held) {
    found.push_back({path, "applications.errors.document_not_in_wallet", {}, std::nullopt});
    return ok();
  }
  value = document_answer(*held, "wallet");
  return ok();
}

json::object ApplicationApi::view(const Application& a, bool full) {
  json::object out{{"id", a.public_id},
                   {"service", a.service},
                   {"agency", a.agency},
                   {"status", status_key(a.status)},
                   {"form_version", a.form_version},
                   {"revision", a.revision},
                   {"created_at", web::iso_date_time(a.created_at)},
                   {"updated_at", web::iso_date_time(a.updated_at)}};
  if (a.status == Status::draft) {
    if (const Form* form = service_.form(a.service)) {
      FormEvaluation evaluation = service_.evaluate(*form, a.answers);
      out["answers"] = evaluation.pruned();  // what expressions and a submission would see
      const Page* incomplete = evaluation.first_incomplete();
      out["complete"] = incomplete == nullptr;
      out["next_page"] = incomplete == nullptr ? json::value(nullptr) : json::value(incomplete->id);
    } else {
      out["answers"] = a.answers;
      out["complete"] = false;
      out["next_page"] = nullptr;
    }
  } else {
    out["answers"] = a.answers;
    out["reference"] = a.reference;
    out["submitted_at"] = web::iso_date_time(a.submitted_at);
    out["due_date"] = a.due_date.empty() ? json::value(nullptr) : json::value(a.due_date);
    out["due_date_provisional"] = a.due_date_provisional;
    out["state"] = a.state;  // in the service's workflow: GET …/steps gives its label
    out["state_since"] = web::iso_date_time(a.state_since);
    // Its bills (docs/payments.md): what to pay, and where the bill is.
    auto* billing = bills_in_ != nullptr ? bills_in_->find<platform::Billing>() : nullptr;
    if (full && billing != nullptr) {
      json::array bills;
      if (auto found = billing->bills_of(a.public_id)) {
        for (const auto& b : *found) {
          json::object bill{{"id", b.id},
                            {"status", b.status},
                            {"total_satang", b.total_satang},
                            {"due_date", b.due_date},
                            {"url", "/api/v1/bills/" + b.id}};
          if (b.paid_at > 0) bill["paid_at"] = web::iso_date_time(b.paid_at);
          bills.push_back(std::move(bill));
        }
      }
      out["bills"] = std::move(bills);
    }
  }
  if (full) {
    json::array timeline;
    if (auto events = service_.timeline(a)) {
      for (const auto& e : *events) {
        json::object entry{{"at", web::iso_date_time(e.at)}, {"event", e.kind}};
        if (e.kind == "transition") {
          entry["transition"] = e.transition;
          entry["state"] = e.to_state;
          // The applicant sees that the agency acted, never which officer.
          entry["by"] = e.actor_role == "applicant" ? "applicant" : "agency";
          if (!e.reason.empty()) entry["reason"] = e.reason;
          if (const auto* items = e.detail.if_contains("items")) entry["items"] = *items;
        }
        timeline.push_back(std::move(entry));
      }
    }
    out["timeline"] = std::move(timeline);
  }
  return out;
}

web::Response ApplicationApi::problems(const web::RequestContext& context,
                                       const std::vector<AnswerProblem>& found,
                                       std::string_view detail_key) {
  json::array errors;
  for (const auto& p : found) {
    std::string code = p.key;
    if (auto dot = code.rfind('.'); dot != std::string::npos) code = code.substr(dot + 1);
    errors.push_back(json::object{{"field", p.field},
                                  {"code", p.text ? std::string("rule") : code},
                                  {"message", message_of(translations_, context.locale, p)}});
  }
  json::object body{{"type", "/problems/invalid-input"},
                    {"title", translations_.text(context.locale, "errors.invalid_input")},
                    {"status", 422},
                    {"detail", translations_.text(context.locale, detail_key)},
                    {"instance", "urn:pratu:request:" + context.request_id},
                    {"errors", std::move(errors)}};
  auto response = web::Response::json(json::serialize(body), 422);
  response.content_type = "application/problem+json";
  return response;
}

Result<web::Response> ApplicationApi::create(const web::Request& request,
                                             web::RequestContext& context) {
  PRATU_TRY(body, web::parse_json_body(request.body, {4096, 4}));
  const auto* service = body.is_object() ? body.as_object().if_contains("service") : nullptr;
  if (service == nullptr || !service->is_string()) {
    return invalid("errors.invalid_input", "no service",
                   {{"service", "applications.errors.service_required"}});
  }
  const std::int64_t user = context.user->user_id;
  PRATU_TRY(before, service_.list(user, Status::draft));
  PRATU_TRY(draft, service_.start(user, service->get_string()));
  bool existed = false;
  for (const auto& a : before) existed |= a.public_id == draft.public_id;
  auto response = web::Response::json(json::serialize(view(draft, false)), existed ? 200 : 201);
  response.set_header("Location", "/api/v1/applications/" + draft.public_id);
  return response;
}

Result<web::Response> ApplicationApi::list(const web::Request& request,
                                           web::RequestContext& context) {
  std::optional<Status> status;
  if (auto wanted = request.query_param("status"); wanted && !wanted->empty()) {
    status = status_of(*wanted);
    if (!status) {
      return invalid("applications.errors.unknown_status", "status",
                     {{"status", "applications.errors.unknown_status"}});
    }
  }
  PRATU_TRY(found, service_.list(context.user->user_id, status));
  json::array items;
  for (const auto& a : found) {
    json::object item{{"id", a.public_id},
                      {"service", a.service},
                      {"status", status_key(a.status)},
                      {"updated_at", web::iso_date_time(a.updated_at)}};
    if (a.status != Status::draft) {
      item["reference"] = a.reference;
      item["due_date"] = a.due_date.empty() ? json::value(nullptr) : json::value(a.due_date);
    }
    items.push_back(std::move(item));
  }
  return web::Response::json(json::serialize(json::object{{"applications", std::move(items)}}));
}

Result<web::Response> ApplicationApi::show(const web::Request& request,
                                           web::RequestContext& context) {
  PRATU_TRY(found, service_.find(context.user->user_id, request.path_param("id")));
  return web::Response::json(json::serialize(view(found, true)));
}

Result<web::Response> ApplicationApi::patch(const web::Request& request,
                                            web::RequestContext& context) {
  PRATU_TRY(body, web::parse_json_body(request.body, {kMaxPatchBody, 8}));
  const auto* object = body.if_object();
  const auto* answers = object != nullptr ? object->if_contains("answers") : nullptr;
  if (answers == nullptr || !answers->is_object()) {
    return invalid("applications.errors.answers_required", "no answers",
                   {{"answers", "applications.errors.answers_required"}});
  }
  std::optional<std::int64_t> revision;
  if (const auto* r = object->if_contains("revision")) {
    if (!r->is_int64()) {
      return invalid("errors.invalid_input", "revision",
                     {{"revision", "applications.errors.revision_number"}});
    }
    revision = r->get_int64();
  }
  const std::int64_t user = context.user->user_id;
  PRATU_TRY(editable, editable_draft(user, request.path_param("id"), "patch"));
  auto& [draft, form] = editable;
  // Only the form's own questions, and no problem in any answer given: all or nothing.
  std::vector<AnswerProblem> found;
  // A document is named by its SHA-256 and described by the wallet, never by the client.
  json::object changes = answers->get_object();
  for (auto& [id, value] : changes) {
    if (const Field* field = form->field(id).second) {
      PRATU_CHECK(check_documents(user, *field, std::string(id), value, found));
    }
  }
  json::object merged = draft.answers;
  for (const auto& [id, value] : changes) {
    if (form->field(id).second == nullptr) {
      found.push_back({std::string(id), "applications.errors.unknown_field", {}, std::nullopt});
      continue;
    }
    if (value.is_null()) {
      merged.erase(id);
    } else {
      merged[id] = value;
    }
  }
  // Unknown questions are left out of the merge, so the rest are still checked: every
  // problem of the change is reported at once.
  FormEvaluation evaluation = service_.evaluate(*form, merged);
  for (const auto& p : evaluation.problems()) {
    const bool required_gap = p.key.ends_with("_required") || p.key.ends_with(".required") ||
                              p.key.ends_with("group_empty");
    for (const auto& [id, value] : changes) {
      // A question left unanswered is not an error of this change, only of a submission.
      if (concerns(p, std::string(id)) && !(required_gap && value.is_null())) {
        found.push_back(p);
      }
    }
  }
  if (!found.empty()) return problems(context, found, "applications.errors.answers_invalid");
  PRATU_TRY(saved, service_.save(user, draft, changes, revision));
  return web::Response::json(json::serialize(view(saved, false)));
}

Result<web::Response> ApplicationApi::refusal(const web::RequestContext& context,
                                              const Error& error) {
  if (error.code != ErrorCode::invalid_input || error.fields.empty()) return error;
  std::vector<AnswerProblem> found;
  for (const auto& f : error.fields) found.push_back({f.field, f.message_key, {}, std::nullopt});
  return problems(context, found, error.message_key);
}

Result<WalletDocument> ApplicationApi::chosen_document(std::int64_t user,
                                                       const json::string* document,
                                                       const json::string* upload) {
  if (document != nullptr) {
    auto held = uploads_.document(user, *document);
    if (!held && held.error().code == ErrorCode::not_found) {
      return invalid("applications.errors.wallet_document_unknown", "document",
                     {{"document", "applications.errors.wallet_document_unknown"}});
    }
    return held;
  }
  const auto unknown = invalid("applications.errors.upload_unknown", "upload",
                               {{"upload", "applications.errors.upload_unknown"}});
  // The upload's URL, as its creation answered in Location, or its id alone.
  std::string_view id = *upload;
  if (const auto slash = id.rfind('/'); slash != std::string_view::npos)
    id.remove_prefix(slash + 1);
  auto state = uploads_.status(user, id);
  if (!state && state.error().code == ErrorCode::not_found) return unknown;
  if (!state) return state.error();
  if (state->record.sha256.empty()) {
    return Error{ErrorCode::conflict, "applications.errors.upload_unfinished", "upload", {}, 0};
  }
  PRATU_TRY(held, uploads_.document_with_blob(user, state->record.sha256));
  if (!held) return unknown;
  return std::move(*held);
}

Result<web::Response> ApplicationApi::attach(const web::Request& request,
                                             web::RequestContext& context) {
  PRATU_TRY(body, web::parse_json_body(request.body, {4096, 4}));
  const auto* object = body.if_object();
  auto text = [&](std::string_view key) -> const json::string* {
    const auto* v = object != nullptr ? object->if_contains(key) : nullptr;
    return v != nullptr ? v->if_string() : nullptr;
  };
  const json::string* question = text("question");
  if (question == nullptr) {
    return refusal(context, invalid("applications.errors.question_required", "no question",
                                    {{"question", "applications.errors.question_required"}}));
  }
  const json::string* document = text("document");
  const json::string* upload = text("upload");
  if ((document == nullptr) == (upload == nullptr)) {
    return refusal(context, invalid("applications.errors.document_or_upload", "document or upload",
                                    {{"document", "applications.errors.document_or_upload"}}));
  }
  const std::int64_t user = context.user->user_id;
  PRATU_TRY(editable, editable_draft(user, request.path_param("id"), "attach"));
  auto& [draft, form] = editable;
  auto path = document_path_in(*form, *question);
  if (!path) return refusal(context, path.error());
  auto held = chosen_document(user, document, upload);
  if (!held) return refusal(context, held.error());
  auto change = change_at(draft.answers, *path,
                          document_answer(*held, upload != nullptr ? "upload" : "wallet"));
  if (!change) return refusal(context, no_such_item());
  // The form's own checks of this file (its size, its kind), as a PATCH would make them.
  json::object merged = draft.answers;
  merged[path->question] = change->at(path->question);
  std::vector<AnswerProblem> found;
  for (const auto& p : service_.evaluate(*form, merged).problems()) {
    if (concerns(p, path->text())) found.push_back(p);
  }
  if (!found.empty()) return problems(context, found, "applications.errors.answers_invalid");
  // A group's items are rewritten whole: refused if another save changed them meanwhile.
  const auto revision = path->item.empty() ? std::nullopt : std::optional(draft.revision);
  PRATU_TRY(saved, service_.save(user, draft, *change, revision));
  return web::Response::json(json::serialize(view(saved, false)));
}

Result<web::Response> ApplicationApi::detach(const web::Request& request,
                                             web::RequestContext& context) {
  const std::int64_t user = context.user->user_id;
  PRATU_TRY(editable, editable_draft(user, request.path_param("id"), "detach"));
  auto& [draft, form] = editable;
  auto path = document_path_in(*form, request.path_param("question"));
  if (!path) return refusal(context, path.error());
  auto change = change_at(draft.answers, *path, nullptr);
  if (!change) return refusal(context, no_such_item());
  // A required document left unattached is a gap for the submission to name, not an error.
  const auto revision = path->item.empty() ? std::nullopt : std::optional(draft.revision);
  PRATU_TRY(saved, service_.save(user, draft, *change, revision));
  return web::Response::json(json::serialize(view(saved, false)));
}

Result<web::Response> ApplicationApi::submit(const web::Request& request,
                                             web::RequestContext& context) {
  const std::string key(request.header("Idempotency-Key"));
  if (key.empty() || key.size() > kMaxKey) {
    return invalid("applications.errors.idempotency_key", "Idempotency-Key",
                   {{"Idempotency-Key", "applications.errors.idempotency_key"}});
  }
  const std::int64_t user = context.user->user_id;
  auto submitted = service_.submit(user, request.path_param("id"), key);
  if (!submitted) {
    const Error& e = submitted.error();
    if (e.code != ErrorCode::invalid_input) return e;
    PRATU_TRY(draft, service_.find(user, request.path_param("id")));
    const Form* form = service_.form(draft.service);
    if (form == nullptr) return e;
    return problems(context, service_.evaluate(*form, draft.answers).problems(),
                    "applications.errors.incomplete");
  }
  if (!submitted->same_key) {
    return Error{ErrorCode::conflict, "applications.errors.already_submitted", "submit", {}, 0};
  }
  const Application& a = submitted->application;
  json::object out{
      {"id", a.public_id},
      {"service", a.service},
      {"reference", a.reference},
      {"status", status_key(a.status)},
      {"submitted_at", web::iso_date_time(a.submitted_at)},
      {"due_date", a.due_date.empty() ? json::value(nullptr) : json::value(a.due_date)},
      {"due_date_provisional", a.due_date_provisional}};
  auto response = web::Response::json(json::serialize(out), 201);
  response.set_header("Location", "/api/v1/applications/" + a.public_id);
  return response;
}

Result<web::Response> ApplicationApi::amend(const web::Request& request,
                                            web::RequestContext& context) {
  PRATU_TRY(body, web::parse_json_body(request.body, {kMaxPatchBody, 8}));
  const auto* object = body.if_object();
  const auto* answers = object != nullptr ? object->if_contains("answers") : nullptr;
  if (answers == nullptr || !answers->is_object()) {
    return invalid("applications.errors.answers_required", "no answers",
                   {{"answers", "applications.errors.answers_required"}});
  }
  // The application as the client last saw it: a change since is never overwritten unseen.
  const auto* revision = object->if_contains("revision");
  if (revision == nullptr || !revision->is_int64()) {
    return invalid("errors.invalid_input", "revision",
                   {{"revision", "applications.errors.revision_number"}});
  }
  bool send = false;
  if (const auto* s = object->if_contains("send"); s != nullptr && !s->is_null()) {
    if (!s->is_bool()) {
      return invalid("errors.invalid_input", "send", {{"send", "applications.errors.send_flag"}});
    }
    send = s->get_bool();
  }
  const std::int64_t user = context.user->user_id;
  PRATU_TRY(found, service_.find(user, request.path_param("id")));
  const auto not_now = Error{ErrorCode::conflict, "applications.errors.step_not_now", "", {}, 0};
  if (found.status == Status::draft) return not_now;
  const Form* form = service_.form(found.service);
  if (form == nullptr) return service_closed();
  PRATU_TRY(asked, workflows_.open_request(found));
  if (!asked || asked->items.empty()) return not_now;
  if (revision->get_int64() != found.revision) {
    return Error{ErrorCode::conflict, "applications.errors.step_changed_meanwhile", "", {}, 0};
  }
  // A document is named by its SHA-256 and described by the wallet, as on a draft.
  json::object changes = answers->get_object();
  std::vector<AnswerProblem> found_problems;
  for (auto& [id, value] : changes) {
    if (const Field* field = form->field(id).second) {
      PRATU_CHECK(check_documents(user, *field, std::string(id), value, found_problems));
    }
  }
  if (!found_problems.empty()) {
    return problems(context, found_problems, "applications.errors.answers_invalid");
  }
  auto amended = service_.amend(user, found, changes, asked->items);
  if (!amended) return refusal(context, amended.error());
  if (!amended->problems.empty()) {
    return problems(context, amended->problems, "applications.errors.answers_invalid");
  }
  Application now = std::move(amended->application);
  if (send) {
    // Given back: the applicant's step out of this state, at the revision just saved.
    PRATU_TRY(workflow, workflows_.workflow_of(now));
    const auto steps = workflows_.steps_for(*context.user, now, *workflow);
    if (steps.empty()) return not_now;
    StepRequest step;
    step.transition = steps.front()->id;
    step.revision = now.revision;
    PRATU_TRY(taken, workflows_.take(*context.user, now.public_id, step));
    now = std::move(taken);
  }
  return web::Response::json(json::serialize(view(now, false)));
}

web::Routes ApplicationApi::routes() {
  web::Routes r;
  auto route = [&](std::string method, std::string pattern, std::string name, auto member) {
    r.push_back(web::route(std::move(method), std::move(pattern), web::Access::applicant,
                           web::Surface::api, std::move(name), web::bound(this, member)));
    r.back().body_limit = r.back().method == "GET" ? 0 : kMaxPatchBody;
  };
  route("POST", "/api/v1/applications", "api_applications_create", &ApplicationApi::create);
  route("GET", "/api/v1/applications", "api_applications", &ApplicationApi::list);
  route("GET", "/api/v1/applications/{id}", "api_application", &ApplicationApi::show);
  route("PATCH", "/api/v1/applications/{id}", "api_application_patch", &ApplicationApi::patch);
  route("POST", "/api/v1/applications/{id}/submit", "api_application_submit",
        &ApplicationApi::submit);
  route("POST", "/api/v1/applications/{id}/documents", "api_application_attach",
        &ApplicationApi::attach);
  route("DELETE", "/api/v1/applications/{id}/documents/{question}", "api_application_detach",
        &ApplicationApi::detach);
  route("POST", "/api/v1/applications/{id}/amendment", "api_application_amend",
        &ApplicationApi::amend);
  return r;
}

}  // namespace pratu::applications
