#pragma once
/// What the payments module shows on /metrics (docs/architecture.md, "Operations"): the banks'
/// confirmations by outcome, and the receipts of their payments waiting to be numbered, so an
/// operator sees a rush, a bank misconfigured, or numbering that has stalled.

#include <cstdint>
#include <string_view>

#include "common/metrics.hpp"
#include "domains/payments/receipt_book.hpp"

namespace pratu::payments {

class PaymentMetrics {
 public:
  explicit PaymentMetrics(metrics::Registry& registry);

  /// A bank's confirmation answered: `outcome` recorded, duplicate, held or refused, with the
  /// reason of a held or refused one (a fixed set of words; "" for the others).
  void confirmation(std::string_view outcome, std::string_view reason);
  /// A numbering poll: the payments waiting when it began (`now` for the oldest one's age),
  /// and how many it numbered.
  void numbering(const WaitingReceipts& waiting, std::int64_t now, std::size_t numbered);

 private:
  metrics::Family<metrics::Counter>& confirmations_;
  metrics::Counter& numbered_;
  metrics::Gauge& waiting_;
  metrics::Gauge& oldest_;
};

}  // namespace pratu::payments
