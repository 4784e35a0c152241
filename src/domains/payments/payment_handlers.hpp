#pragma once
/// Bills and bank confirmations over pages and the API (docs/payments.md):
///
// clang-format off
///   GET  /bills/{bill}                         the applicant billed, or the billing agency's staff: the bill, with its Thai QR code
///   GET  /api/v1/bills/{bill}                  the same, as JSON
///   POST /api/v1/banks/{bank}/confirmations    a bank: a payment confirmation, signed (docs/bank-webhook.md)
///   POST /api/v1/agency/statements             an agency supervisor: the bank's daily statement file, imported once
///   GET  /api/v1/agency/statements/{import}    an agency supervisor: an import and what each line was matched to
///   GET  /api/v1/agency/payment-exceptions     an agency supervisor: the lines waiting for an officer
///   POST /api/v1/agency/payment-exceptions/{line}/resolution  an agency supervisor: {"action", "note"}
// clang-format on
///
/// A bank's confirmation carries no session and no CSRF token: it is authenticated by its
/// HMAC alone, and a body over the confirmation limit is refused before it is read.

#include "domains/payments/bill_service.hpp"
#include "domains/payments/confirmation_service.hpp"
#include "domains/payments/statement_import.hpp"
#include "platform/service_directory.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::payments {

class PaymentHandlers {
 public:
  PaymentHandlers(BillService& bills, ConfirmationService& confirmations,
                  StatementImports& statements, const platform::ServiceDirectory& services,
                  const web::Renderer& renderer)
      : bills_(bills),
        confirmations_(confirmations),
        statements_(statements),
        services_(services),
        renderer_(renderer) {}

  web::Routes routes();

 private:
  Result<web::Response> bill_page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_bill(const web::Request& request, web::RequestContext& context);
  Result<web::Response> confirmation(const web::Request& request, web::RequestContext& context);
  Result<web::Response> import_statement(const web::Request& request, web::RequestContext& context);
  Result<web::Response> statement(const web::Request& request, web::RequestContext& context);
  Result<web::Response> exceptions(const web::Request& request, web::RequestContext& context);
  Result<web::Response> resolve(const web::Request& request, web::RequestContext& context);

  BillService& bills_;
  ConfirmationService& confirmations_;
  StatementImports& statements_;
  const platform::ServiceDirectory& services_;
  const web::Renderer& renderer_;
};

}  // namespace pratu::payments
