#include "domains/payments/payment_metrics.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pratu::payments {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(PaymentMetrics, CountsEachAnswerByOutcomeAndReason) {
  metrics::Registry registry;
  PaymentMetrics m(registry);
  m.confirmation("recorded", "");
  m.confirmation("recorded", "");
  m.confirmation("held", "already_paid");
  const std::string text = registry.expose();
  EXPECT_TRUE(
      has_line(text, "pratu_payments_confirmations_total{outcome=\"recorded\",reason=\"\"} 2"))
      << text;
  EXPECT_TRUE(has_line(
      text, "pratu_payments_confirmations_total{outcome=\"held\",reason=\"already_paid\"} 1"))
      << text;
}

// The gauges say what waited when the last numbering began; a poll that found nothing clears
// them, and the counter adds what each numbered.
TEST(PaymentMetrics, ShowsWhatWaitedAtTheLastNumberingAndHowLong) {
  metrics::Registry registry;
  PaymentMetrics m(registry);
  m.numbering({3, 1000}, 1040, 0);  // a poll whose numbering failed
  std::string text = registry.expose();
  EXPECT_TRUE(has_line(text, "pratu_payments_receipts_waiting 3")) << text;
  EXPECT_TRUE(has_line(text, "pratu_payments_receipts_waiting_oldest_seconds 40")) << text;
  EXPECT_TRUE(has_line(text, "pratu_payments_receipts_numbered_total 0")) << text;
  m.numbering({5, 1000}, 1045, 5);
  m.numbering({0, 0}, 1046, 0);
  text = registry.expose();
  EXPECT_TRUE(has_line(text, "pratu_payments_receipts_waiting 0")) << text;
  EXPECT_TRUE(has_line(text, "pratu_payments_receipts_waiting_oldest_seconds 0")) << text;
  EXPECT_TRUE(has_line(text, "pratu_payments_receipts_numbered_total 5")) << text;
  // A clock behind the database's never shows a negative age.
  m.numbering({1, 2000}, 1990, 1);
  EXPECT_TRUE(has_line(registry.expose(), "pratu_payments_receipts_waiting_oldest_seconds 0"));
}

}  // namespace
}  // namespace pratu::payments
