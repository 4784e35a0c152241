#include "domains/payments/payment_metrics.hpp"

#include <algorithm>
#include <string>

namespace pratu::payments {

PaymentMetrics::PaymentMetrics(metrics::Registry& registry)
    : confirmations_(registry.counter("pratu_payments_confirmations_total",
                                      "Banks' payment confirmations answered, by outcome and "
                                      "the reason of one held or refused",
                                      {"outcome", "reason"})),
      numbered_(registry
                    .counter("pratu_payments_receipts_numbered_total",
                             "Receipts of banks' payments numbered after their commit")
                    .get()),
      waiting_(registry
                   .gauge("pratu_payments_receipts_waiting",
                          "Banks' payments waiting for their receipt's number when the last "
                          "numbering began")
                   .get()),
      oldest_(registry
                  .gauge("pratu_payments_receipts_waiting_oldest_seconds",
                         "How long the oldest of those had waited, in seconds (0: none)")
                  .get()) {}

void PaymentMetrics::confirmation(std::string_view outcome, std::string_view reason) {
  confirmations_.with({std::string(outcome), std::string(reason)}).inc();
}

void PaymentMetrics::numbering(const WaitingReceipts& waiting, std::int64_t now,
                               std::size_t numbered) {
  waiting_.set(static_cast<double>(waiting.count));
  oldest_.set(waiting.count == 0 ? 0.0
                                 : static_cast<double>(std::max<std::int64_t>(
                                       0, now - waiting.oldest_recorded_at)));
  numbered_.inc(static_cast<double>(numbered));
}

}  // namespace pratu::payments
