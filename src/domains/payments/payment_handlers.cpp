#include "domains/payments/payment_handlers.hpp"

#include <boost/json.hpp>

#include "common/baht_words.hpp"
#include "common/money.hpp"
#include "pdf/barcode128.hpp"
#include "pdf/qr_image.hpp"
#include "web/access.hpp"
#include "web/client_certificate.hpp"
#include "web/components.hpp"
#include "web/dates.hpp"
#include "web/form.hpp"
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
// A counter payment's method, reference and amount, or a cancellation's reason.
constexpr std::size_t kCounterBody = 8 * 1024;

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
  // The agency's finance side: its finance officers (who import, and see what did not match).
  r.push_back(route("POST", "/api/v1/agency/statements", Access::agency_finance, Surface::api,
                    "api_statement_import", web::bound(this, &PaymentHandlers::import_statement)));
  r.back().body_limit = kStatementBody;
  r.push_back(route("GET", "/api/v1/agency/statements/{import}", Access::agency_finance,
                    Surface::api, "api_statement", web::bound(this, &PaymentHandlers::statement)));
  r.push_back(route("GET", "/api/v1/agency/payment-exceptions", Access::agency_finance,
                    Surface::api, "api_payment_exceptions",
                    web::bound(this, &PaymentHandlers::exceptions)));
  r.push_back(route("POST", "/api/v1/agency/payment-exceptions/{line}/resolution",
                    Access::agency_finance, Surface::api, "api_payment_exception_resolution",
                    web::bound(this, &PaymentHandlers::resolve)));
  r.back().body_limit = kResolutionBody;
  // The agency's counter (its cashiers) and its finance side (its finance officers).
  // Only the people the rule admits are looked for: anyone else is refused by role alike, and
  // another agency's staff find no such bill (404), as for one that does not exist.
  auto owner_for = [this](web::Duty duty) {
    return [this, duty](const web::Request& request,
                        const web::RequestContext& context) -> Result<std::string> {
      const web::Principal& who = *context.user;
      if (!web::works_for_agency(who.role) || !who.has(duty)) return std::string();
      PRATU_TRY(view, bills_.find_for(who, request.path_param("bill")));
      return view.bill.agency;
    };
  };
  auto bill_owner = owner_for(web::Duty::cashier);
  r.push_back(route("POST", "/bills/{bill}/counter-payment", Access::agency_cashier, Surface::page,
                    "bill_counter_payment", web::bound(this, &PaymentHandlers::counter_payment)));
  r.back().owner = bill_owner;
  r.back().body_limit = kCounterBody;
  r.push_back(route("POST", "/bills/{bill}/receipt-cancellation", Access::agency_finance,
                    Surface::page, "bill_receipt_cancellation",
                    web::bound(this, &PaymentHandlers::cancel_receipt_page)));
  r.back().owner = owner_for(web::Duty::finance);
  r.back().body_limit = kCounterBody;
  r.push_back(route("POST", "/api/v1/agency/bills/{bill}/counter-payment", Access::agency_cashier,
                    Surface::api, "api_counter_payment",
                    web::bound(this, &PaymentHandlers::api_counter_payment)));
  r.back().owner = bill_owner;
  r.back().body_limit = kCounterBody;
  r.push_back(route("POST", "/api/v1/agency/receipts/{receipt}/cancellation",
                    Access::agency_finance, Surface::api, "api_receipt_cancellation",
                    web::bound(this, &PaymentHandlers::api_cancel_receipt)));
  r.back().owner = [this](const web::Request& request,
                          const web::RequestContext& context) -> Result<std::string> {
    const web::Principal& who = *context.user;
    if (!web::works_for_agency(who.role) || !who.has(web::Duty::finance)) return std::string();
    PRATU_TRY(agency, desk_.agency_of(request.path_param("receipt")));
    if (agency != context.user->agency_code) return Error::not_found("receipt");
    return agency;
  };
  r.back().body_limit = kCounterBody;
  return r;
}

Result<json::object> PaymentHandlers::receipt_json(const Receipt& receipt,
                                                   std::optional<Locale> locale) const {
  json::object out{{"number", receipt.number},
                   {"amount_satang", receipt.amount_satang},
                   {"fiscal_year", receipt.fiscal_year},
                   {"book", receipt.book},
                   {"cancelled", receipt.cancelled_at != 0}};
  // The signed file, once the documents module has issued it.
  std::string status = "issuing";
  if (auto* documents = services_registry_.find<platform::IssuedDocuments>()) {
    PRATU_TRY(issued, documents->by_number(receipt.number));
    if (issued) {
      status = issued->status;
      if (!issued->download_url.empty()) out["download_url"] = issued->download_url;
      out["verify_url"] = issued->verify_url;
    }
  }
  out["status"] = status;
  if (locale) {
    out["status_text"] = renderer_.translations().text(*locale, "documents.state." + status);
    out["ready"] = out.contains("download_url");
  }
  if (receipt.cancelled_at != 0) out["cancel_reason"] = receipt.cancel_reason;
  if (!receipt.replaces.empty()) out["replaces"] = receipt.replaces;
  return out;
}

Result<web::Response> PaymentHandlers::bill_page(const web::Request& request,
                                                 web::RequestContext& context) {
  PRATU_TRY(view, bills_.find_for(*context.user, request.path_param("bill")));
  return render_bill(request, context, view, {}, {}, 200);
}

Result<web::Response> PaymentHandlers::render_bill(const web::Request& request,
                                                   web::RequestContext& context,
                                                   const BillView& view,
                                                   const std::vector<FieldError>& errors,
                                                   const std::map<std::string, std::string>& typed,
                                                   int status) {
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
  // The Bank of Thailand's bill-payment barcode, for a bank's counter to scan off the printout.
  PRATU_TRY(barcode, pdf::code128_svg(view.barcode, t.text(locale, "payments.bill.barcode_label")));
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
      {"barcode_svg", barcode},
      {"qr_payload", view.qr_payload}};
  if (b.paid_at > 0) {
    model["paid_at"] = t.format(locale, "payments.bill.paid_on",
                                {{"date", web::format_date_time(locale, b.paid_at)}});
  }
  model["cancelled"] = b.status == BillStatus::cancelled;
  if (view.receipt) {
    PRATU_TRY(receipt, receipt_json(*view.receipt, locale));
    model["receipt"] = std::move(receipt);
  }
  // A bank's payment is numbered within a second of its commit (docs/adr/0033).
  model["receipt_pending"] = b.status == BillStatus::paid && !view.receipt;
  // The agency's counter: its cashiers take the money for an awaiting bill; its finance officers
  // cancel a receipt. Each form keeps what was typed when it is refused.
  json::object shown = web::form_errors_model(t, locale, errors);
  const json::object& inline_errors = shown.at("field_errors").as_object();
  auto error_of = [&](const std::string& field) {
    const auto* message = inline_errors.if_contains(field);
    return message != nullptr ? std::string(message->as_string()) : std::string();
  };
  auto typed_value = [&](const std::string& field) {
    auto it = typed.find(field);
    return it == typed.end() ? std::string() : it->second;
  };
  model["errors"] = shown.at("errors");
  const web::Principal& who = *context.user;
  const bool staff = web::works_for_agency(who.role) && who.agency_code == b.agency;
  // Back to where the person works from: their own application, the agency's view of it, or
  // for a clerk, who does not read applications (docs/adr/0032), the counter or the books.
  std::string back_path, back_key = "payments.bill.back";
  if (who.role == web::Role::applicant) {
    back_path = "/applications/" + b.application;
  } else if (web::is_agency_role(who.role)) {
    back_path = "/agency/applications/" + b.application;
  } else if (staff && who.has(web::Duty::cashier)) {
    back_path = "/agency/counter", back_key = "payments.bill.back_counter";
  } else if (staff && who.has(web::Duty::finance)) {
    back_path = "/agency/statements", back_key = "payments.bill.back_statements";
  }
  if (!back_path.empty()) {
    model["back"] = json::object{{"path", back_path}, {"text", t.text(locale, back_key)}};
  }
  web::TextInputOptions reference_options;
  reference_options.width = "medium";
  reference_options.spellcheck = false;
  if (staff && who.has(web::Duty::cashier) && b.status == BillStatus::awaiting) {
    std::vector<web::Choice> methods{{"cash", t.text(locale, "payments.counter.cash"), ""},
                                     {"cheque", t.text(locale, "payments.counter.cheque"), ""},
                                     {"card", t.text(locale, "payments.counter.card"), ""}};
    model["counter"] = json::object{
        {"action_path", "/bills/" + b.public_id + "/counter-payment"},
        {"confirm_label", t.format(locale, "payments.counter.confirm_amount", {{"amount", total}})},
        {"method", web::radios({"method", t.text(locale, "payments.counter.method_label"), "",
                                error_of("method")},
                               methods, typed_value("method"))},
        {"reference",
         web::text_input({"reference", t.text(locale, "payments.counter.reference_label"),
                          t.text(locale, "payments.counter.reference_hint"), error_of("reference")},
                         typed_value("reference"), reference_options)},
        {"amount_error", error_of("amount")}};
  }
  if (staff && who.has(web::Duty::finance) && view.receipt && view.receipt->cancelled_at == 0) {
    std::vector<web::Choice> purposes;
    for (const char* key : {"wrong_name", "other", "withdrawn"}) {
      const std::string at = std::string("payments.receipt.purpose.") + key;
      purposes.push_back({key, t.text(locale, at), t.text(locale, at + "_hint")});
    }
    model["cancel_receipt"] = json::object{
        {"action_path", "/bills/" + b.public_id + "/receipt-cancellation"},
        {"purpose", web::radios({"purpose", t.text(locale, "payments.receipt.purpose_label"), "",
                                 error_of("purpose")},
                                purposes, typed_value("purpose"))},
        {"reason",
         web::textarea({"reason", t.text(locale, "payments.receipt.reason_label"),
                        t.text(locale, "payments.receipt.reason_hint"), error_of("reason")},
                       typed_value("reason"), 3)}};
  }
  if (request.query_param("paid")) {
    model["banner"] = web::notification_banner(web::BannerKind::success,
                                               t.text(locale, "payments.counter.done_title"),
                                               t.text(locale, "payments.counter.done"));
  } else if (request.query_param("cancelled")) {
    model["banner"] = web::notification_banner(web::BannerKind::success,
                                               t.text(locale, "payments.receipt.cancelled_title"),
                                               t.text(locale, "payments.receipt.cancelled"));
  } else if (request.query_param("replaced")) {
    model["banner"] = web::notification_banner(web::BannerKind::success,
                                               t.text(locale, "payments.receipt.replaced_title"),
                                               t.text(locale, "payments.receipt.replaced"));
  }
  return renderer_.page(request, context, "payments/bill", std::move(model), status);
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
  if (view.receipt) {
    PRATU_TRY(receipt, receipt_json(*view.receipt, std::nullopt));
    out["receipt"] = std::move(receipt);
  }
  return web::Response::json(json::serialize(out));
}

Result<web::Response> PaymentHandlers::confirmation(const web::Request& request,
                                                    web::RequestContext& /*context*/) {
  // An address that keeps failing to authenticate is refused before any work: a bank signs
  // every confirmation, so failures are someone guessing, or a bank misconfigured.
  if (const auto wait = failed_auth_.waiting(request.remote_address)) {
    metrics_.confirmation("refused", "too_many_failures");
    return Error{ErrorCode::rate_limited,
                 "payments.confirmation.too_many_failures",
                 "",
                 {},
                 static_cast<int>(wait)};
  }
  auto result = confirmations_.receive(request.path_param("bank"), request.header(kTimestampHeader),
                                       request.header(kSignatureHeader), request.body,
                                       web::client_certificate_pem(request));
  if (!result) {
    const ErrorCode code = result.error().code;
    if (code == ErrorCode::unauthorized || code == ErrorCode::not_found) {
      (void)failed_auth_.take(request.remote_address);
    }
    // Refused for what was sent (its problem's code names why: a fixed set), or failed here.
    const std::string& key = result.error().message_key;
    const bool refused = code == ErrorCode::unauthorized || code == ErrorCode::not_found ||
                         code == ErrorCode::invalid_input;
    metrics_.confirmation(refused ? "refused" : "failed",
                          refused ? std::string_view(key).substr(key.rfind('.') + 1) : "");
    // The bank's own words for what is wrong, as the problem's code (docs/bank-webhook.md).
    return result.error();
  }
  // A held one's reason is one of five; a duplicate's is the first's outcome, not counted.
  metrics_.confirmation(confirmation_outcome_key(result->outcome),
                        result->outcome == ConfirmationOutcome::held ? result->reason : "");
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

namespace {

// The amount a cashier typed, in baht ("1,500.00", "1500" or "1500.5"), as satang.
std::optional<std::int64_t> typed_satang(std::string_view text) {
  std::string digits;
  for (char ch : text) {
    if (ch == ',' || ch == ' ') continue;
    digits += ch;
  }
  const auto dot = digits.find('.');
  const std::string whole = digits.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : digits.substr(dot + 1);
  if (whole.empty() || whole.size() > 12 || fraction.size() > 2) return std::nullopt;
  fraction.resize(2, '0');
  std::int64_t out = 0;
  for (char ch : whole + fraction) {
    if (ch < '0' || ch > '9') return std::nullopt;
    out = out * 10 + (ch - '0');
  }
  return out;
}

std::string body_text(const json::object* body, std::string_view key) {
  const auto* v = body != nullptr ? body->if_contains(key) : nullptr;
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::object receipt_result_json(const Receipt& r) {
  json::object out{{"number", r.number},
                   {"amount_satang", r.amount_satang},
                   {"fiscal_year", r.fiscal_year},
                   {"book", r.book},
                   {"cancelled", r.cancelled_at != 0}};
  if (r.cancelled_at != 0) {
    out["cancelled_at"] = web::iso_date_time(r.cancelled_at);
    out["cancel_reason"] = r.cancel_reason;
    out["cancel_purpose"] = r.cancel_purpose;
  }
  if (!r.replaces.empty()) out["replaces"] = r.replaces;
  return out;
}

// A cancellation: the receipt cancelled, and the receipt replacing it, if any.
json::object cancellation_json(const Cancellation& done) {
  json::object out = receipt_result_json(done.cancelled);
  if (!done.replacement.number.empty()) out["replaced_by"] = receipt_result_json(done.replacement);
  return out;
}

}  // namespace

Result<web::Response> PaymentHandlers::counter_payment(const web::Request& request,
                                                       web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const std::string bill(request.path_param("bill"));
  PRATU_TRY(view, bills_.find_for(*context.user, bill));
  CounterPayment payment;
  payment.method = form->value("method");
  payment.reference = form->value("reference");
  // The form's amount is the bill's total, shown to the cashier; they confirm it was taken.
  payment.amount_satang =
      form->value("confirm_amount") == "1" ? view.bill.total_satang : std::int64_t{-1};
  auto taken = desk_.take(*context.user, bill, payment);
  if (!taken) {
    if (taken.error().code != ErrorCode::invalid_input &&
        taken.error().code != ErrorCode::conflict) {
      return taken.error();
    }
    std::vector<FieldError> errors = taken.error().fields;
    if (errors.empty()) errors.push_back({"method", taken.error().message_key});
    PRATU_TRY(fresh, bills_.find_for(*context.user, bill));
    return render_bill(request, context, fresh, errors,
                       {{"method", payment.method}, {"reference", payment.reference}}, 422);
  }
  return web::Response::redirect("/bills/" + bill + "?paid=1");
}

Result<web::Response> PaymentHandlers::cancel_receipt_page(const web::Request& request,
                                                           web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const std::string bill(request.path_param("bill"));
  PRATU_TRY(view, bills_.find_for(*context.user, bill));
  const std::string purpose = form->value("purpose");
  const std::string reason = form->value("reason");
  if (!view.receipt) return Error::not_found("receipt of bill " + bill);
  auto cancelled = desk_.cancel(*context.user, view.receipt->number, purpose, reason);
  if (!cancelled) {
    if (cancelled.error().code != ErrorCode::invalid_input &&
        cancelled.error().code != ErrorCode::conflict) {
      return cancelled.error();
    }
    std::vector<FieldError> errors = cancelled.error().fields;
    if (errors.empty()) errors.push_back({"reason", cancelled.error().message_key});
    return render_bill(request, context, view, errors, {{"purpose", purpose}, {"reason", reason}},
                       422);
  }
  return web::Response::redirect(
      "/bills/" + bill + (cancelled->replacement.number.empty() ? "?cancelled=1" : "?replaced=1"));
}

Result<web::Response> PaymentHandlers::api_counter_payment(const web::Request& request,
                                                           web::RequestContext& context) {
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kCounterBody, 3}));
  const auto* body = parsed.if_object();
  CounterPayment payment;
  payment.method = body_text(body, "method");
  payment.reference = body_text(body, "reference");
  const auto* amount = body != nullptr ? body->if_contains("amount_satang") : nullptr;
  if (amount == nullptr || !amount->is_int64()) {
    // Also as baht text, as a till writes it.
    auto baht = typed_satang(body_text(body, "amount_baht"));
    if (!baht) return Error::invalid({{"amount", "payments.counter.amount"}});
    payment.amount_satang = *baht;
  } else {
    payment.amount_satang = amount->as_int64();
  }
  PRATU_TRY(receipt, desk_.take(*context.user, request.path_param("bill"), payment));
  return web::Response::json(json::serialize(receipt_result_json(receipt)), 201);
}

Result<web::Response> PaymentHandlers::api_cancel_receipt(const web::Request& request,
                                                          web::RequestContext& context) {
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kCounterBody, 3}));
  const auto* body = parsed.if_object();
  // Without a purpose the receipt is withdrawn, as before purposes were asked for.
  const bool named = body != nullptr && body->contains("purpose");
  PRATU_TRY(done, desk_.cancel(*context.user, request.path_param("receipt"),
                               named ? body_text(body, "purpose") : std::string("withdrawn"),
                               body_text(body, "reason")));
  return web::Response::json(json::serialize(cancellation_json(done)));
}

}  // namespace pratu::payments
