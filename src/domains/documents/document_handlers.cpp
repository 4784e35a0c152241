#include "domains/documents/document_handlers.hpp"

#include <boost/json.hpp>

#include <cctype>

#include "common/civil_date.hpp"
#include "common/log.hpp"
#include "domains/documents/document_sheet.hpp"
#include "web/access.hpp"
#include "web/components.hpp"
#include "web/dates.hpp"
#include "web/file_response.hpp"
#include "web/form.hpp"
#include "web/json_body.hpp"

namespace pratu::documents {

namespace json = boost::json;
using web::Access;
using web::Locale;

namespace {

constexpr std::size_t kMaxNumber = 64;
constexpr std::size_t kMaxCode = 32;
constexpr std::size_t kStatusBody = 8192;

// A document number as typed: trimmed, upper case; empty when it cannot be one.
std::string typed_number(std::string_view raw) {
  std::string out;
  for (char ch : raw) {
    if (ch == ' ' || ch == '\t') continue;
    const auto c = static_cast<unsigned char>(ch);
    if (!std::isalnum(c) && ch != '-') return {};
    out += static_cast<char>(std::toupper(c));
  }
  return out.size() > kMaxNumber ? std::string() : out;
}

// A code as typed: letters and digits, upper case, at most kMaxCode.
std::string typed_code(std::string_view raw) {
  std::string out;
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) out += static_cast<char>(std::toupper(c));
  }
  return out.size() > kMaxCode ? std::string() : out;
}

std::string title_in(const IssuedDocument& d, Locale locale) {
  return locale == Locale::en && !d.title_en.empty() ? d.title_en : d.title_th;
}

// How long `d` is valid, as its pages say it; empty for a receipt, which has no term.
std::string valid_until_text(const IssuedDocument& d, const web::Translations& t, Locale locale) {
  if (d.kind == "receipt") return {};
  return d.valid_until.empty() ? t.text(locale, "documents.verify.no_term")
                               : day_text(locale, d.valid_until);
}

json::object document_json(const IssuedDocument& d, const std::string& state,
                           const std::string& verify_url) {
  json::object out{
      {"number", d.number},
      {"kind", d.kind},
      {"title", json::object{{"th", d.title_th}, {"en", d.title_en}}},
      {"service", d.service},
      {"agency", d.agency},
      {"status", state},
      {"status_since", web::iso_date_time(d.status_since)},
      {"issued_at", web::iso_date_time(d.issued_at)},
      {"valid_from", d.valid_from},
      {"valid_until", d.valid_until.empty() ? json::value(nullptr) : json::value(d.valid_until)},
      {"verify_url", verify_url}};
  if (!d.status_reason.empty()) out["status_reason"] = d.status_reason;
  if (!d.replaces.empty()) out["replaces"] = d.replaces;
  json::object delivery{{"method", d.delivery}, {"can_post", !d.postal_address.empty()}};
  if (d.delivered_at != 0) delivery["delivered_at"] = web::iso_date_time(d.delivered_at);
  if (!d.tracking_number.empty()) delivery["tracking_number"] = d.tracking_number;
  out["delivery"] = std::move(delivery);
  if (d.status != DocumentStatus::issuing) {
    out["file"] = "/api/v1/documents/" + d.number + "/file";
    out["sha256"] = d.sha256;
    out["size_bytes"] = d.size_bytes;
  }
  return out;
}

}  // namespace

std::int64_t DocumentHandlers::throttled(const web::Request& request) {
  return limiter_.take(request.remote_address);
}

Result<web::Response> DocumentHandlers::file(const web::Request& request,
                                             web::RequestContext& context) {
  PRATU_TRY(document, documents_.for_person(*context.user, request.path_param("number")));
  if (document.status == DocumentStatus::issuing ||
      !storage::BlobStore::is_sha256(document.sha256)) {
    return Error::not_found("document still being issued");
  }
  return web::file_response(blobs_.path_of(document.sha256).string(), "application/pdf",
                            document.number + ".pdf");
}

web::Response DocumentHandlers::render_agency(const web::Request& request,
                                              web::RequestContext& context, const IssuedDocument& d,
                                              const std::string& action, const std::string& reason,
                                              const std::vector<FieldError>& errors, int status,
                                              const std::string& tracking) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  json::array summary;
  std::map<std::string, std::string> inline_errors;
  for (const auto& e : errors) {
    const std::string message = t.text(locale, e.message_key);
    summary.push_back(json::object{{"field", e.field}, {"message", message}});
    inline_errors.emplace(e.field, message);
  }
  auto error_of = [&](const std::string& field) {
    auto it = inline_errors.find(field);
    return it == inline_errors.end() ? std::string() : it->second;
  };
  const std::string today = documents_.today();
  const std::string state = DocumentService::state_on(d, today);
  json::array history;
  if (auto events = documents_.history(d)) {
    for (const auto& e : *events) {
      history.push_back(json::object{{"what", t.text(locale, "documents.history." + e.kind)},
                                     {"reason", e.reason},
                                     {"at", web::format_date_time(locale, e.at)},
                                     {"at_iso", web::iso_date_time(e.at)}});
    }
  }
  // A receipt is cancelled from its bill by the finance side, not suspended or revoked here.
  std::vector<web::Choice> actions;
  const bool licence = d.kind != "receipt";
  if (licence && d.status == DocumentStatus::valid) {
    actions.push_back({"suspend", t.text(locale, "documents.agency.suspend"), ""});
  }
  if (licence && d.status == DocumentStatus::suspended) {
    actions.push_back({"reinstate", t.text(locale, "documents.agency.reinstate"), ""});
  }
  if (licence && (d.status == DocumentStatus::valid || d.status == DocumentStatus::suspended)) {
    actions.push_back({"revoke", t.text(locale, "documents.agency.revoke"), ""});
  }
  json::object model{
      {"title", title_in(d, locale) + " " + d.number},
      {"errors", std::move(summary)},
      {"number", d.number},
      {"document_title", title_in(d, locale)},
      {"holder", d.holder_name},
      {"state", state},
      {"state_text", t.text(locale, "documents.state." + state)},
      {"since", web::format_date_time(locale, d.status_since)},
      {"reason_shown", d.status_reason},
      {"issued_on", day_text(locale, d.valid_from)},
      {"valid_until", valid_until_text(d, t, locale)},
      {"file_url",
       d.status == DocumentStatus::issuing ? std::string() : DocumentService::download_url(d)},
      {"history", std::move(history)},
      {"can_change", !actions.empty() && context.user->role != web::Role::admin},
      {"action_path", "/agency/documents/" + d.number + "/status"}};
  model["action"] = web::radios(
      {"action", t.text(locale, "documents.agency.action_label"), "", error_of("action")}, actions,
      action);
  model["reason"] =
      web::textarea({"reason", t.text(locale, "documents.agency.reason_label"),
                     t.text(locale, "documents.agency.reason_hint"), error_of("reason")},
                    reason, 4);
  // How the printed copy reaches the holder, and what is left for the agency to do.
  json::object delivery{{"text", t.text(locale, "documents.delivery.chosen_" + d.delivery)},
                        {"method", d.delivery},
                        {"post", d.delivery == "post"},
                        {"address", d.postal_address},
                        {"pending", d.delivery != "download" && d.delivered_at == 0 &&
                                        d.status == DocumentStatus::valid},
                        {"action_path", "/agency/documents/" + d.number + "/delivered"}};
  if (d.delivered_at != 0) {
    delivery["done"] = t.format(
        locale,
        d.delivery == "post" ? "documents.delivery.posted_on" : "documents.delivery.handed_on",
        {{"date", web::format_date_time(locale, d.delivered_at)}, {"tracking", d.tracking_number}});
  }
  delivery["tracking"] = web::text_input(
      {"tracking_number", t.text(locale, "documents.delivery.tracking_label"),
       t.text(locale, "documents.delivery.tracking_hint"), error_of("tracking_number")},
      tracking);
  model["delivery"] = std::move(delivery);
  if (request.query_param("changed")) {
    model["banner"] = web::notification_banner(web::BannerKind::success,
                                               t.text(locale, "documents.agency.changed_title"),
                                               t.text(locale, "documents.agency.changed"));
  }
  return renderer_.page(request, context, "documents/agency_document", std::move(model), status);
}

Result<web::Response> DocumentHandlers::record_delivery(const web::Request& request,
                                                        web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const std::string number(request.path_param("number"));
  const std::string tracking = form->value("tracking_number");
  PRATU_TRY(document, documents_.for_person(*context.user, number));
  auto done = documents_.record_delivery(*context.user, number, tracking);
  if (!done) {
    if (done.error().code != ErrorCode::invalid_input && done.error().code != ErrorCode::conflict) {
      return done.error();
    }
    std::vector<FieldError> errors = done.error().fields;
    if (errors.empty()) errors.push_back({"tracking_number", done.error().message_key});
    return render_agency(request, context, document, "", "", errors, 422, tracking);
  }
  return web::Response::redirect("/agency/documents/" + number + "?changed=1");
}

web::Response DocumentHandlers::render_delivery(const web::Request& request,
                                                web::RequestContext& context,
                                                const IssuedDocument& d, const std::string& chosen,
                                                const std::vector<FieldError>& errors, int status) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  json::array summary;
  std::string error;
  for (const auto& e : errors) {
    const std::string message = t.text(locale, e.message_key);
    summary.push_back(json::object{{"field", e.field}, {"message", message}});
    if (error.empty()) error = message;
  }
  std::vector<web::Choice> choices{{"download", t.text(locale, "documents.delivery.download"), ""}};
  if (!d.postal_address.empty()) {
    choices.push_back({"post", t.text(locale, "documents.delivery.post"), d.postal_address});
  }
  choices.push_back({"counter", t.text(locale, "documents.delivery.counter"), ""});
  json::object model{{"title", t.text(locale, "documents.delivery.title")},
                     {"errors", std::move(summary)},
                     {"number", d.number},
                     {"document_title", title_in(d, locale)},
                     {"no_address", d.postal_address.empty()},
                     {"closed", d.delivered_at != 0 || d.status != DocumentStatus::valid},
                     {"action_path", "/documents/issued/" + d.number + "/delivery"}};
  model["delivery"] =
      web::radios({"delivery", t.text(locale, "documents.delivery.label"), "", error}, choices,
                  chosen.empty() ? d.delivery : chosen);
  return renderer_.page(request, context, "documents/delivery", std::move(model), status);
}

Result<web::Response> DocumentHandlers::delivery_page(const web::Request& request,
                                                      web::RequestContext& context) {
  PRATU_TRY(document, documents_.for_person(*context.user, request.path_param("number")));
  if (document.holder_user_id != context.user->user_id) return Error::not_found("document");
  return render_delivery(request, context, document, "", {}, 200);
}

Result<web::Response> DocumentHandlers::choose_delivery(const web::Request& request,
                                                        web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const std::string number(request.path_param("number"));
  PRATU_TRY(document, documents_.for_person(*context.user, number));
  if (document.holder_user_id != context.user->user_id) return Error::not_found("document");
  const std::string chosen = form->value("delivery");
  auto delivery = delivery_of(chosen);
  if (!delivery) {
    return render_delivery(request, context, document, chosen,
                           {{"delivery", "documents.errors.delivery_required"}}, 422);
  }
  auto done = documents_.choose_delivery(*context.user, number, *delivery);
  if (!done) {
    if (done.error().code != ErrorCode::invalid_input) return done.error();
    return render_delivery(request, context, document, chosen, done.error().fields, 422);
  }
  return web::Response::redirect("/documents?delivery=" + number);
}

Result<web::Response> DocumentHandlers::api_delivery(const web::Request& request,
                                                     web::RequestContext& context) {
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kStatusBody, 2}));
  const auto* body = parsed.if_object();
  const auto* value = body != nullptr ? body->if_contains("delivery") : nullptr;
  auto delivery = value != nullptr && value->is_string() ? delivery_of(value->get_string())
                                                         : std::optional<Delivery>();
  if (!delivery) return Error::invalid({{"delivery", "documents.errors.delivery_required"}});
  PRATU_TRY(d, documents_.choose_delivery(*context.user, request.path_param("number"), *delivery));
  const std::string today = documents_.today();
  return web::Response::json(json::serialize(
      document_json(d, DocumentService::state_on(d, today), documents_.verify_url(d))));
}

Result<web::Response> DocumentHandlers::api_delivered(const web::Request& request,
                                                      web::RequestContext& context) {
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kStatusBody, 2}));
  const auto* body = parsed.if_object();
  const auto* value = body != nullptr ? body->if_contains("tracking_number") : nullptr;
  const std::string tracking =
      value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
  PRATU_TRY(d, documents_.record_delivery(*context.user, request.path_param("number"), tracking));
  const std::string today = documents_.today();
  return web::Response::json(json::serialize(
      document_json(d, DocumentService::state_on(d, today), documents_.verify_url(d))));
}

Result<web::Response> DocumentHandlers::agency_page(const web::Request& request,
                                                    web::RequestContext& context) {
  PRATU_TRY(document, documents_.for_person(*context.user, request.path_param("number")));
  return render_agency(request, context, document, "", "", {}, 200);
}

Result<web::Response> DocumentHandlers::change_status(const web::Request& request,
                                                      web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const std::string number(request.path_param("number"));
  const std::string action = form->value("action");
  const std::string reason = form->value("reason");
  PRATU_TRY(document, documents_.for_person(*context.user, number));
  auto chosen = status_action_of(action);
  if (!chosen) {
    return render_agency(request, context, document, action, reason,
                         {{"action", "documents.errors.action_required"}}, 422);
  }
  auto changed = documents_.change_status(*context.user, number, *chosen, reason);
  if (!changed) {
    if (changed.error().code != ErrorCode::invalid_input &&
        changed.error().code != ErrorCode::conflict) {
      return changed.error();
    }
    std::vector<FieldError> errors = changed.error().fields;
    if (errors.empty()) errors.push_back({"action", changed.error().message_key});
    return render_agency(request, context, document, action, reason, errors, 422);
  }
  return web::Response::redirect("/agency/documents/" + number + "?changed=1");
}

web::Response DocumentHandlers::render_verify(const web::Request& request,
                                              web::RequestContext& context,
                                              const std::string& number, const std::string& code,
                                              const std::vector<FieldError>& errors, int status) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  json::array summary;
  std::map<std::string, std::string> inline_errors;
  for (const auto& e : errors) {
    const std::string message = t.format(
        locale, e.message_key, {{"max", std::to_string(verify_max_bytes_ / (1024 * 1024))}});
    summary.push_back(json::object{{"field", e.field}, {"message", message}});
    inline_errors.emplace(e.field, message);
  }
  auto error_of = [&](const std::string& field) {
    auto it = inline_errors.find(field);
    return it == inline_errors.end() ? std::string() : it->second;
  };
  json::object model{{"title", t.text(locale, "documents.verify.title")},
                     {"errors", std::move(summary)}};
  model["number"] =
      web::text_input({"number", t.text(locale, "documents.verify.number_label"),
                       t.text(locale, "documents.verify.number_hint"), error_of("number")},
                      number);
  model["code"] = web::text_input({"c", t.text(locale, "documents.verify.code_label"),
                                   t.text(locale, "documents.verify.code_hint"), error_of("c")},
                                  code);
  model["file"] =
      web::file_upload({"file", t.text(locale, "documents.verify.file_label"),
                        t.format(locale, "documents.verify.file_hint",
                                 {{"max", std::to_string(verify_max_bytes_ / (1024 * 1024))}}),
                        error_of("file")},
                       "application/pdf,.pdf");
  return renderer_.page(request, context, "documents/verify", std::move(model), status);
}

Result<web::Response> DocumentHandlers::verify_page(const web::Request& request,
                                                    web::RequestContext& context) {
  return render_verify(request, context, "", "", {}, 200);
}

Result<web::Response> DocumentHandlers::lookup(const web::Request& request,
                                               web::RequestContext& context) {
  const std::string raw_number(request.query_param("number").value_or(""));
  const std::string raw_code(request.query_param("c").value_or(""));
  const std::string number = typed_number(raw_number);
  const std::string code = typed_code(raw_code);
  std::vector<FieldError> errors;
  if (number.empty()) errors.push_back({"number", "documents.errors.number_required"});
  if (!raw_code.empty() && code.empty()) errors.push_back({"c", "documents.errors.code_malformed"});
  if (!errors.empty()) return render_verify(request, context, raw_number, raw_code, errors, 422);
  return web::Response::redirect("/verify/" + number + (code.empty() ? "" : "?c=" + code));
}

Result<web::Response> DocumentHandlers::status_page(const web::Request& request,
                                                    web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  const std::string number = typed_number(request.path_param("number"));
  const std::string code = typed_code(request.query_param("c").value_or(""));
  auto view = number.empty() ? Result<PublicView>(Error::not_found())
                             : documents_.public_view(number, code);
  if (!view) {
    if (view.error().code != ErrorCode::not_found) return view.error();
    // Unknown: said plainly, with the form to try again; the same for every unknown number.
    return render_verify(request, context, std::string(request.path_param("number")), code,
                         {{"number", "documents.errors.number_unknown"}}, 404);
  }
  const auto& d = view->document;
  json::object model{{"title", t.text(locale, "documents.verify.result_title")},
                     {"number", d.number},
                     {"document_title", title_in(d, locale)},
                     {"state", view->state},
                     {"state_text", t.text(locale, "documents.state." + view->state)},
                     {"good", view->state == "valid"},
                     {"since", web::format_date_time(locale, view->since)},
                     {"since_iso", web::iso_date_time(view->since)},
                     {"holder", view->holder_shown},
                     {"masked", !view->code_matches},
                     {"agency", d.agency},
                     {"issued_on", day_text(locale, d.valid_from)},
                     {"valid_until", valid_until_text(d, t, locale)}};
  if (view->state == "suspended" || view->state == "revoked" || view->state == "cancelled") {
    model["reason"] = d.status_reason;
  }
  if (!view->replaced_by.empty()) model["replaced_by"] = view->replaced_by;
  return renderer_.page(request, context, "documents/status", std::move(model));
}

Result<web::Response> DocumentHandlers::verify_upload(const web::Request& request,
                                                      web::RequestContext& context) {
  if (const auto wait = throttled(request)) {
    return Error{ErrorCode::rate_limited,
                 "documents.errors.too_many_checks",
                 "",
                 {},
                 static_cast<int>(wait)};
  }
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const web::FilePart* part = form->file("file");
  if (part == nullptr || part->bytes.empty()) {
    return render_verify(request, context, "", "", {{"file", "documents.errors.file_required"}},
                         422);
  }
  PRATU_TRY(verdict, verifier_.check(part->bytes));
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  json::object model{
      {"title", t.text(locale, "documents.verify.file_title")},
      {"outcome", verdict.outcome},
      {"outcome_title", t.text(locale, "documents.outcome." + verdict.outcome + ".title")},
      {"outcome_text", t.text(locale, "documents.outcome." + verdict.outcome + ".text")},
      {"good", verdict.outcome == "valid"},
      {"sha256", verdict.sha256},
      {"signer", verdict.signer}};
  if (verdict.signed_at > 0) {
    model["signed_at"] = web::format_date_time(locale, verdict.signed_at);
    model["signed_at_iso"] = web::iso_date_time(verdict.signed_at);
  }
  if (verdict.document) {
    const auto& view = *verdict.document;
    const auto& d = view.document;
    model["document"] = json::object{
        {"number", d.number},
        {"title", title_in(d, locale)},
        {"holder", view.holder_shown},
        {"state", view.state},
        {"state_text", t.text(locale, "documents.state." + view.state)},
        {"current", view.state == "valid"},
        {"since", web::format_date_time(locale, view.since)},
        {"reason", view.state == "suspended" || view.state == "revoked" || view.state == "cancelled"
                       ? d.status_reason
                       : ""},
        {"replaced_by", view.replaced_by},
        {"valid_until", valid_until_text(d, t, locale)}};
  }
  return renderer_.page(request, context, "documents/file_result", std::move(model));
}

Result<web::Response> DocumentHandlers::api_list(const web::Request& /*request*/,
                                                 web::RequestContext& context) {
  PRATU_TRY(mine, documents_.of_holder(context.user->user_id));
  json::array items;
  for (const auto& s : mine) {
    json::object item{
        {"number", s.number},
        {"kind", s.kind},
        {"status", s.status},
        {"title", json::object{{"th", s.title_th}, {"en", s.title_en}}},
        {"issued_at", web::iso_date_time(s.issued_at)},
        {"valid_until", s.valid_until.empty() ? json::value(nullptr) : json::value(s.valid_until)},
        {"verify_url", s.verify_url}};
    if (!s.download_url.empty()) item["file"] = "/api/v1/documents/" + s.number + "/file";
    items.push_back(std::move(item));
  }
  return web::Response::json(json::serialize(json::object{{"documents", std::move(items)}}));
}

Result<web::Response> DocumentHandlers::api_document(const web::Request& request,
                                                     web::RequestContext& context) {
  PRATU_TRY(d, documents_.for_person(*context.user, request.path_param("number")));
  const std::string today = documents_.today();
  json::object out =
      document_json(d, DocumentService::state_on(d, today), documents_.verify_url(d));
  json::array history;
  PRATU_TRY(events, documents_.history(d));
  for (const auto& e : events) {
    json::object item{{"kind", e.kind}, {"at", web::iso_date_time(e.at)}};
    if (!e.reason.empty()) item["reason"] = e.reason;
    history.push_back(std::move(item));
  }
  out["history"] = std::move(history);
  return web::Response::json(json::serialize(out));
}

Result<web::Response> DocumentHandlers::api_status(const web::Request& request,
                                                   web::RequestContext& context) {
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kStatusBody, 3}));
  const auto* body = parsed.if_object();
  auto text = [&](std::string_view key) {
    const auto* v = body != nullptr ? body->if_contains(key) : nullptr;
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  auto action = status_action_of(text("action"));
  if (!action) return Error::invalid({{"action", "documents.errors.action_required"}});
  PRATU_TRY(d, documents_.change_status(*context.user, request.path_param("number"), *action,
                                        text("reason")));
  const std::string today = documents_.today();
  return web::Response::json(json::serialize(
      document_json(d, DocumentService::state_on(d, today), documents_.verify_url(d))));
}

Result<web::Response> DocumentHandlers::api_verify(const web::Request& request,
                                                   web::RequestContext& /*context*/) {
  if (const auto wait = throttled(request)) {
    return Error{ErrorCode::rate_limited,
                 "documents.errors.too_many_checks",
                 "",
                 {},
                 static_cast<int>(wait)};
  }
  const auto type = request.header("Content-Type");
  if (!type.starts_with("application/pdf") && !type.starts_with("application/octet-stream")) {
    return Error{ErrorCode::unsupported_media_type, "documents.errors.not_a_pdf_body", "", {}, 0};
  }
  PRATU_TRY(verdict, verifier_.check(request.body));
  json::object out{{"outcome", verdict.outcome},
                   {"valid", verdict.outcome == "valid"},
                   {"sha256", verdict.sha256}};
  if (!verdict.signer.empty()) out["signer"] = verdict.signer;
  if (verdict.signed_at > 0) out["signed_at"] = web::iso_date_time(verdict.signed_at);
  if (verdict.document) {
    const auto& view = *verdict.document;
    json::object doc =
        document_json(view.document, view.state, documents_.verify_url(view.document));
    doc.erase("file");
    doc.erase("verify_url");
    doc["holder"] = view.holder_shown;
    if (!view.replaced_by.empty()) doc["replaced_by"] = view.replaced_by;
    out["document"] = std::move(doc);
  }
  return web::Response::json(json::serialize(out));
}

Result<web::Response> DocumentHandlers::crl(const web::Request& /*request*/,
                                            web::RequestContext& /*context*/) {
  if (keys_ == nullptr || revocations_ == nullptr) return Error::not_found("no signers");
  PRATU_TRY(revoked, revocations_->all());
  PRATU_TRY(der, keys_->issuing_crl(revoked, clock_->now_seconds()));
  web::Response response;
  response.content_type = "application/pkix-crl";
  response.body = std::move(der);
  // Made afresh on each request: a withdrawal shows at once.
  response.set_header("Cache-Control", "no-cache");
  return response;
}

Result<web::Response> DocumentHandlers::withdraw_signer(const web::Request& request,
                                                        web::RequestContext& context) {
  if (keys_ == nullptr || revocations_ == nullptr) return Error::not_found("no signers");
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kStatusBody, 2}));
  const auto* body = parsed.if_object();
  const auto* value = body != nullptr ? body->if_contains("reason") : nullptr;
  auto reason = value != nullptr && value->is_string() ? crl_reason_of(value->get_string())
                                                       : std::optional<int>();
  if (!reason) return Error::invalid({{"reason", "documents.errors.withdrawal_reason"}});
  const std::string agency(request.path_param("code"));
  auto serial = keys_->signer_serial(agency);
  if (!serial) return Error::not_found("no signer for agency " + agency);
  PRATU_TRY(withdrawn, revocations_->withdraw(agency, *serial, *reason, context.user->user_id));
  log::info("signing certificate withdrawn", context.request_id,
            {{"agency", agency}, {"serial", withdrawn.serial_hex}});
  return web::Response::json(
      json::serialize(json::object{{"agency", agency},
                                   {"serial", withdrawn.serial_hex},
                                   {"withdrawn_at", web::iso_date_time(withdrawn.revoked_at)},
                                   {"crl", "/pki/issuing-ca.crl"}}),
      201);
}

web::Routes DocumentHandlers::routes() {
  using web::route;
  using web::Surface;
  web::Routes r;
  auto owner = [this](const web::Request& request,
                      const web::RequestContext& context) -> Result<std::string> {
    // Only the agency's people are looked for: anyone else is refused by role (403) for every
    // number alike; another agency's officer finds no such document (404), as for a number
    // that does not exist.
    if (!web::is_agency_role(context.user->role)) return std::string();
    PRATU_TRY(found, documents_.for_person(*context.user, request.path_param("number")));
    return found.agency;
  };
  // The holder's or the agency's file: who may see it is decided against the document itself.
  r.push_back(route("GET", "/documents/issued/{number}", Access::signed_in, Surface::page,
                    "document_file", web::bound(this, &DocumentHandlers::file)));
  r.back().work = web::Work::documents;
  r.push_back(route("GET", "/agency/documents/{number}", Access::agency_officer, Surface::page,
                    "agency_document", web::bound(this, &DocumentHandlers::agency_page)));
  r.back().owner = owner;
  r.push_back(route("POST", "/agency/documents/{number}/status", Access::agency_officer,
                    Surface::page, "agency_document_status",
                    web::bound(this, &DocumentHandlers::change_status)));
  r.back().owner = owner;
  r.back().body_limit = kStatusBody;
  // Anyone checks a document: no account, no enumeration beyond "unknown number".
  r.push_back(route("POST", "/agency/documents/{number}/delivered", Access::agency_officer,
                    Surface::page, "agency_document_delivered",
                    web::bound(this, &DocumentHandlers::record_delivery)));
  r.back().owner = owner;
  r.back().body_limit = kStatusBody;
  r.push_back(route("GET", "/documents/issued/{number}/delivery", Access::applicant, Surface::page,
                    "document_delivery", web::bound(this, &DocumentHandlers::delivery_page)));
  r.push_back(route("POST", "/documents/issued/{number}/delivery", Access::applicant, Surface::page,
                    "document_delivery_choose",
                    web::bound(this, &DocumentHandlers::choose_delivery)));
  r.back().body_limit = kStatusBody;
  r.push_back(route("POST", "/api/v1/documents/{number}/delivery", Access::applicant, Surface::api,
                    "api_document_delivery", web::bound(this, &DocumentHandlers::api_delivery)));
  r.back().body_limit = kStatusBody;
  r.push_back(route("POST", "/api/v1/documents/{number}/delivered", Access::agency_officer,
                    Surface::api, "api_document_delivered",
                    web::bound(this, &DocumentHandlers::api_delivered)));
  r.back().owner = owner;
  r.back().body_limit = kStatusBody;
  r.push_back(route("GET", "/verify", Access::anyone, Surface::page, "verify",
                    web::bound(this, &DocumentHandlers::verify_page)));
  r.back().forms = web::Forms::anonymous;
  r.push_back(route("GET", "/verify/lookup", Access::anyone, Surface::page, "verify_lookup",
                    web::bound(this, &DocumentHandlers::lookup)));
  r.back().forms = web::Forms::anonymous;
  r.push_back(route("GET", "/verify/{number}", Access::anyone, Surface::page, "verify_status",
                    web::bound(this, &DocumentHandlers::status_page)));
  r.back().forms = web::Forms::anonymous;
  r.push_back(route("POST", "/verify", Access::anyone, Surface::page, "verify_upload",
                    web::bound(this, &DocumentHandlers::verify_upload)));
  r.back().forms = web::Forms::anonymous;
  r.back().work = web::Work::documents;
  r.back().body_limit = verify_max_bytes_ + 64 * 1024;  // the file and the form around it
  r.push_back(route("GET", "/api/v1/documents", Access::signed_in, Surface::api, "api_documents",
                    web::bound(this, &DocumentHandlers::api_list)));
  r.push_back(route("GET", "/api/v1/documents/{number}", Access::signed_in, Surface::api,
                    "api_document", web::bound(this, &DocumentHandlers::api_document)));
  r.push_back(route("GET", "/api/v1/documents/{number}/file", Access::signed_in, Surface::api,
                    "api_document_file", web::bound(this, &DocumentHandlers::file)));
  r.back().work = web::Work::documents;
  r.push_back(route("POST", "/api/v1/documents/{number}/status", Access::agency_officer,
                    Surface::api, "api_document_status",
                    web::bound(this, &DocumentHandlers::api_status)));
  r.back().owner = owner;
  r.back().body_limit = kStatusBody;
  r.push_back(route("GET", "/pki/issuing-ca.crl", Access::anyone, Surface::operations, "crl",
                    web::bound(this, &DocumentHandlers::crl)));
  r.push_back(route("POST", "/api/v1/admin/signers/{code}/withdrawal", Access::admin, Surface::api,
                    "api_signer_withdrawal", web::bound(this, &DocumentHandlers::withdraw_signer)));
  r.back().body_limit = kStatusBody;
  r.push_back(route("POST", "/api/v1/verify", Access::anyone, Surface::api, "api_verify",
                    web::bound(this, &DocumentHandlers::api_verify)));
  r.back().work = web::Work::documents;
  r.back().body_limit = verify_max_bytes_;
  return r;
}

}  // namespace pratu::documents
