#pragma once
/// The agency's counter for its cashiers (docs/payments.md, "Who handles the money"), with
/// script off:
///
// clang-format off
///   GET  /agency/counter            a form to find a bill by its Ref. 1 or id, and the cashier's takings today
///   GET  /agency/counter?bill=...   the bill of the cashier's agency it names: 303 to its page, where
///                                   the payment is taken; otherwise the form again, saying so
// clang-format on
///
/// A bill of another agency is answered as one that does not exist, so the form tells nobody
/// which references other agencies have issued.

#include "common/clock.hpp"
#include "domains/payments/bill_service.hpp"
#include "domains/payments/receipt_book.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::payments {

class CounterPage {
 public:
  CounterPage(BillService& bills, ReceiptDesk& desk, const web::Renderer& renderer,
              const Clock& clock)
      : bills_(bills), desk_(desk), renderer_(renderer), clock_(clock) {}

  /// The route above, for web::Access::agency_cashier.
  web::Routes routes();

 private:
  Result<web::Response> page(const web::Request& request, web::RequestContext& context);

  BillService& bills_;
  ReceiptDesk& desk_;
  const web::Renderer& renderer_;
  const Clock& clock_;
};

}  // namespace pratu::payments
