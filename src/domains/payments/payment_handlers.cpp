#include "domains/payments/payment_handlers.hpp"

#include <boost/json.hpp>

#include "common/baht_words.hpp"
#include "common/money.hpp"
#include "pdf/qr_image.hpp"
#include "web/access.hpp"
#include "web/dates.hpp"

namespace pratu::payments {

namespace json = boost::json;
using web::Access;
using web::Locale;

namespace {

// A bank's confirmation is small (docs/bank-webhook.md); anything larger is refused unread.
constexpr std::size_t kConfirmationBody = kMaxConfirmationBytes;

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
  if (b.paid_at > 0) model["paid_at"] = web::format_date_time(locale, b.paid_at);
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

}  // namespace pratu::payments
