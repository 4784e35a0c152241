#include "domains/payments/payment_handlers.hpp"

#include <boost/json.hpp>

#include "common/baht_words.hpp"
#include "common/money.hpp"
#include "pdf/qr_image.hpp"
#include "web/access.hpp"
#include "web/dates.hpp"
#include "web/json_body.hpp"

namespace pratu::payments {

namespace json = boost::json;
using web::Access;
using web::Locale;

namespace {

// A bank's confirmation is small (docs/bank-webhook.md); anything larger is refused unread.
constexpr std::size_t kConfirmationBody = kMaxConfirmationBytes;
// A day's statement file: 256 characters a line, so 16 MiB is some 60,000 payments.
constexpr std::size_t kStatementBody = 16 * 1024 * 1024;
// An action and a note of at most 2,000 characters (up to 4 bytes each in UTF-8).
constexpr std::size_t kResolutionBody = 16 * 1024;

// A path parameter of digits as a number; nullopt for anything else.
std::optional<std::int64_t> id_param(std::string_view raw) {
  if (raw.empty() || raw.size() > 15) return std::nullopt;
  std::int64_t id = 0;
  for (char c : raw) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

json::object statement_line_json(const StatementLineView& l) {
  json::object out{{"id", l.id},
                   {"sequence", l.sequence},
                   {"payment_date", l.payment_date},
                   {"paid_at", web::iso_date_time(l.paid_at)},
                   {"ref1", l.ref1},
                   {"ref2", l.ref2},
                   {"amount_satang", l.amount_satang},
                   {"kind", l.kind == "D" ? "debit" : "credit"},
                   {"channel", l.channel},
                   {"outcome", l.outcome}};
  if (!l.bill.empty()) out["bill"] = l.bill;
  if (!l.reason.empty()) out["reason"] = l.reason;
  if (!l.resolution.empty()) out["resolution"] = l.resolution;
  return out;
}

json::object statement_json(const StatementImportView& v) {
  json::array lines;
  for (const auto& l : v.lines) lines.push_back(statement_line_json(l));
  return {{"id", v.id},
          {"sha256", v.sha256},
          {"agency", v.agency},
          {"bank_code", v.bank_code},
          {"company_account", v.company_account},
          {"imported_at", web::iso_date_time(v.imported_at)},
          {"line_count", v.line_count},
          {"credit_satang", v.credit_satang},
          {"matched", v.matched},
          {"exceptions", v.exceptions},
          {"already_imported", v.already},
          {"lines", std::move(lines)}};
}

std::string service_name(const platform::ServiceDirectory& services, std::string_view slug,
                         Locale locale) {
  const platform::ServiceInfo* s = services.service(slug);
  if (s == nullptr) return std::string(slug);
  return locale == Locale::th ? s->name_th : s->name_en;
}

json::object line_json(const platform::BillLineSpec& l) {
  json::object out{{"code", l.code},
                   {"label", json::object{{"th", l.label_th}, {"en", l.label_en}}},
                   {"unit_satang", l.unit_satang},
                   {"quantity", l.quantity},
                   {"amount_satang", l.amount_satang},
                   {"stamp_duty", l.stamp_duty}};
  if (!l.unit_th.empty()) out["unit"] = json::object{{"th", l.unit_th}, {"en", l.unit_en}};
  if (l.item > 0) out["item"] = l.item;
  return out;
}

}  // namespace

web::Routes PaymentHandlers::routes() {
  using web::route;
  using web::Surface;
  web::Routes r;
  // Who may see a bill is decided against the bill itself: its applicant or its agency's staff.
  r.push_back(route("GET", "/bills/{bill}", Access::signed_in, Surface::page, "bill",
                    web::bound(this, &PaymentHandlers::bill_page)));
  r.push_back(route("GET", "/api/v1/bills/{bill}", Access::signed_in, Surface::api, "api_bill",
                    web::bound(this, &PaymentHandlers::api_bill)));
  // A bank: no account and no session; its HMAC is its credential.
  r.push_back(route("POST", "/api/v1/banks/{bank}/confirmations", Access::anyone, Surface::api,
                    "api_bank_confirmation", web::bound(this, &PaymentHandlers::confirmation)));
  r.back().body_limit = kConfirmationBody;
  // The agency's finance side: its supervisors (who import, and see what did not match).
  r.push_back(route("POST", "/api/v1/agency/statements", Access::agency_supervisor, Surface::api,
                    "api_statement_import", web::bound(this, &PaymentHandlers::import_statement)));
  r.back().body_limit = kStatementBody;
  r.push_back(route("GET", "/api/v1/agency/statements/{import}", Access::agency_supervisor,
                    Surface::api, "api_statement", web::bound(this, &PaymentHandlers::statement)));
  r.push_back(route("GET", "/api/v1/agency/payment-exceptions", Access::agency_supervisor,
                    Surface::api, "api_payment_exceptions",
                    web::bound(this, &PaymentHandlers::exceptions)));
  r.push_back(route("POST", "/api/v1/agency/payment-exceptions/{line}/resolution",
                    Access::agency_supervisor, Surface::api, "api_payment_exception_resolution",
                    web::bound(this, &PaymentHandlers::resolve)));
  r.back().body_limit = kResolutionBody;
  return r;
}

Result<web::Response> PaymentHandlers::bill_page(const web::Request& request,
                                                 web::RequestContext& context) {
  PRATU_TRY(view, bills_.find_for(*context.user, request.path_param("bill")));
  const Locale locale = context.locale;
  const auto& t = renderer_.translations();
  const Bill& b = view.bill;
  json::array lines;
  for (const auto& l : b.lines) {
    json::object line{{"label", locale == Locale::th ? l.label_th : l.label_en},
                      {"amount", format_baht(l.amount_satang)},
                      {"stamp_duty", l.stamp_duty}};
    if (!l.unit_th.empty()) {
      line["quantity"] = t.format(locale, "payments.bill.quantity",
                                  {{"quantity", std::to_string(l.quantity)},
                                   {"unit", locale == Locale::th ? l.unit_th : l.unit_en},
                                   {"rate", format_baht(l.unit_satang)}});
    }
    if (l.item > 0) {
      line["item"] = t.format(locale, "payments.bill.item", {{"item", std::to_string(l.item)}});
    }
    lines.push_back(std::move(line));
  }
  const std::string total = format_baht(b.total_satang);
  PRATU_TRY(qr, pdf::qr_svg(view.qr_payload, t.text(locale, "payments.bill.qr_label")));
  json::object model{
      {"title", t.text(locale, "payments.bill.title")},
      {"status", std::string(bill_status_key(b.status))},
      {"status_text", t.text(locale, "payments.status." + std::string(bill_status_key(b.status)))},
      {"awaiting", b.status == BillStatus::awaiting},
      {"paid", b.status == BillStatus::paid},
      {"service", service_name(services_, b.service, locale)},
      {"reference", b.reference},
      {"application", b.application},
      {"lines", std::move(lines)},
      {"total", total},
      {"total_words",
       locale == Locale::th ? baht_words(b.total_satang) : baht_words_en(b.total_satang)},
      {"due", web::format_day(locale, b.due_date)},
      {"due_iso", b.due_date},
      {"payee", locale == Locale::th ? view.biller->name_th : view.biller->name_en},
      {"biller_id", b.biller_id},
      {"ref1", b.ref1},
      {"ref2", b.ref2},
      {"qr_svg", qr},
      {"qr_payload", view.qr_payload}};
  if (b.paid_at > 0) {
    model["paid_at"] = t.format(locale, "payments.bill.paid_on",
                                {{"date", web::format_date_time(locale, b.paid_at)}});
  }
  model["cancelled"] = b.status == BillStatus::cancelled;
  return renderer_.page(request, context, "payments/bill", std::move(model));
}

Result<web::Response> PaymentHandlers::api_bill(const web::Request& request,
                                                web::RequestContext& context) {
  PRATU_TRY(view, bills_.find_for(*context.user, request.path_param("bill")));
  const Bill& b = view.bill;
  json::array lines;
  for (const auto& l : b.lines) lines.push_back(line_json(l));
  json::object out{
      {"id", b.public_id},
      {"application", b.application},
      {"reference", b.reference},
      {"service", b.service},
      {"agency", b.agency},
      {"status", std::string(bill_status_key(b.status))},
      {"lines", std::move(lines)},
      {"total_satang", b.total_satang},
      {"total_baht", format_baht(b.total_satang)},
      {"total_words_th", baht_words(b.total_satang)},
      {"due_date", b.due_date},
      {"payee", json::object{{"th", view.biller->name_th}, {"en", view.biller->name_en}}},
      {"biller_id", b.biller_id},
      {"ref1", b.ref1},
      {"ref2", b.ref2},
      {"thai_qr", view.qr_payload},
      {"barcode", view.barcode},
      {"created_at", web::iso_date_time(b.created_at)}};
  if (b.paid_at > 0) out["paid_at"] = web::iso_date_time(b.paid_at);
  return web::Response::json(json::serialize(out));
}

Result<web::Response> PaymentHandlers::confirmation(const web::Request& request,
                                                    web::RequestContext& /*context*/) {
  auto result = confirmations_.receive(request.path_param("bank"), request.header(kTimestampHeader),
                                       request.header(kSignatureHeader), request.body);
  if (!result) {
    // The bank's own words for what is wrong, as the problem's code (docs/bank-webhook.md).
    return result.error();
  }
  json::object out{{"status", std::string(confirmation_outcome_key(result->outcome))}};
  if (!result->reason.empty()) out["reason"] = result->reason;
  if (!result->bill.empty()) out["bill"] = result->bill;
  // Held for reconciliation: accepted, not applied.
  const int status = result->outcome == ConfirmationOutcome::held ? 202 : 200;
  return web::Response::json(json::serialize(out), status);
}

Result<web::Response> PaymentHandlers::import_statement(const web::Request& request,
                                                        web::RequestContext& context) {
  PRATU_TRY(imported, statements_.import(*context.user, request.body));
  const int status = imported.already ? 200 : 201;
  auto response = web::Response::json(json::serialize(statement_json(imported)), status);
  response.set_header("Location", "/api/v1/agency/statements/" + std::to_string(imported.id));
  return response;
}

Result<web::Response> PaymentHandlers::statement(const web::Request& request,
                                                 web::RequestContext& context) {
  const auto id = id_param(request.path_param("import"));
  if (!id) return Error::not_found("statement import");
  PRATU_TRY(found, statements_.find(*context.user, *id));
  return web::Response::json(json::serialize(statement_json(found)));
}

Result<web::Response> PaymentHandlers::exceptions(const web::Request& /*request*/,
                                                  web::RequestContext& context) {
  PRATU_TRY(open, statements_.open_exceptions(*context.user));
  json::array items;
  for (const auto& l : open) items.push_back(statement_line_json(l));
  return web::Response::json(json::serialize(json::object{{"items", std::move(items)}}));
}

Result<web::Response> PaymentHandlers::resolve(const web::Request& request,
                                               web::RequestContext& context) {
  const auto line = id_param(request.path_param("line"));
  if (!line) return Error::not_found("statement line");
  PRATU_TRY(body, web::parse_json_body(request.body, {kResolutionBody, 4}));
  const auto* object = body.if_object();
  StatementImports::Resolution resolution;
  if (object != nullptr) {
    if (const auto* action = object->if_contains("action"); action && action->is_string()) {
      resolution.action = std::string(action->get_string());
    }
    if (const auto* note = object->if_contains("note"); note && note->is_string()) {
      resolution.note = std::string(note->get_string());
    }
  }
  PRATU_TRY(resolved, statements_.resolve(*context.user, *line, resolution));
  return web::Response::json(json::serialize(statement_line_json(resolved)));
}

}  // namespace pratu::payments
