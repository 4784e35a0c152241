#pragma once
/// Bills and bank confirmations over pages and the API (docs/payments.md):
///
// clang-format off
///   GET  /bills/{bill}                         the applicant billed, or the billing agency's staff: the bill, with its Thai QR code
///   GET  /api/v1/bills/{bill}                  the same, as JSON
///   POST /api/v1/banks/{bank}/confirmations    a bank: a payment confirmation, signed (docs/bank-webhook.md)
///   POST /api/v1/agency/statements             an agency finance officer: the bank's daily statement file, imported once
///   GET  /api/v1/agency/statements/{import}    an agency finance officer: an import and what each line was matched to
///   GET  /api/v1/agency/payment-exceptions     an agency finance officer: the lines waiting to be settled
///   POST /api/v1/agency/payment-exceptions/{line}/resolution  an agency finance officer: {"action", "note"}
///   POST /bills/{bill}/counter-payment         the bill's agency's cashiers: money taken at the counter (form)
///   POST /bills/{bill}/receipt-cancellation    the bill's agency's finance officers: cancel its receipt with a reason (form)
///   POST /api/v1/agency/bills/{bill}/counter-payment  the same as JSON: {"method", "reference", "amount_satang"}
///   POST /api/v1/agency/receipts/{receipt}/cancellation  an agency finance officer: {"reason"}
// clang-format on
///
/// A bank's confirmation carries no session and no CSRF token: it is authenticated by its
/// HMAC alone, and a body over the confirmation limit is refused before it is read.

#include <boost/json/object.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/rate_limiter.hpp"
#include "domains/payments/bill_service.hpp"
#include "domains/payments/confirmation_service.hpp"
#include "domains/payments/payment_metrics.hpp"
#include "domains/payments/receipt_book.hpp"
#include "domains/payments/statement_import.hpp"
#include "platform/issued_documents.hpp"
#include "platform/service_directory.hpp"
#include "platform/services.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::payments {

class PaymentHandlers {
 public:
  /// `registry` finds the documents module's platform::IssuedDocuments when a receipt is shown.
  PaymentHandlers(BillService& bills, ConfirmationService& confirmations,
                  StatementImports& statements, ReceiptDesk& desk,
                  const platform::ServiceDirectory& services, const platform::Services& registry,
                  const web::Renderer& renderer, const Clock& clock, PaymentMetrics& metrics,
                  int failed_per_minute, int failed_burst)
      : failed_auth_(clock, failed_per_minute, failed_burst),
        metrics_(metrics),
        bills_(bills),
        confirmations_(confirmations),
        statements_(statements),
        desk_(desk),
        services_(services),
        services_registry_(registry),
        renderer_(renderer) {}

  web::Routes routes();

 private:
  /// A paid bill's receipt as the page (in `locale`) and the API (nullopt) show it.
  Result<boost::json::object> receipt_json(const Receipt& receipt,
                                           std::optional<web::Locale> locale) const;
  Result<web::Response> bill_page(const web::Request& request, web::RequestContext& context);
  /// The bill's page, with the counter's forms for its agency's staff; `errors` and `typed`
  /// from a refused form.
  Result<web::Response> render_bill(const web::Request& request, web::RequestContext& context,
                                    const BillView& view, const std::vector<FieldError>& errors,
                                    const std::map<std::string, std::string>& typed, int status);
  Result<web::Response> counter_payment(const web::Request& request, web::RequestContext& context);
  Result<web::Response> cancel_receipt_page(const web::Request& request,
                                            web::RequestContext& context);
  Result<web::Response> api_counter_payment(const web::Request& request,
                                            web::RequestContext& context);
  Result<web::Response> api_cancel_receipt(const web::Request& request,
                                           web::RequestContext& context);
  Result<web::Response> api_bill(const web::Request& request, web::RequestContext& context);
  Result<web::Response> confirmation(const web::Request& request, web::RequestContext& context);
  Result<web::Response> import_statement(const web::Request& request, web::RequestContext& context);
  Result<web::Response> statement(const web::Request& request, web::RequestContext& context);
  Result<web::Response> exceptions(const web::Request& request, web::RequestContext& context);
  Result<web::Response> resolve(const web::Request& request, web::RequestContext& context);

  RateLimiter failed_auth_;  // confirmations that failed to authenticate, per client address
  PaymentMetrics& metrics_;
  BillService& bills_;
  ConfirmationService& confirmations_;
  StatementImports& statements_;
  ReceiptDesk& desk_;
  const platform::ServiceDirectory& services_;
  const platform::Services& services_registry_;
  const web::Renderer& renderer_;
};

}  // namespace pratu::payments
