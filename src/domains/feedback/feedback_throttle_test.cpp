#include "domains/feedback/feedback_throttle.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "domains/feedback/feedback_service.hpp"
#include "support/test_databases.hpp"

namespace pratu::feedback {
namespace {

const std::string kTestKey = "feedback-throttle-key-for-the-tests-only-0123";

TEST(ThrottleAddress, IsTheAddressOrAnIpv6Slash64) {
  EXPECT_EQ(throttle_address("192.0.2.77"), "192.0.2.77");
  EXPECT_EQ(throttle_address("::ffff:192.0.2.77"), "192.0.2.77");
  EXPECT_EQ(throttle_address("2001:db8:7:1234:5::1"), "2001:db8:7:1234::/64");
  EXPECT_EQ(throttle_address("not an address"), "not an address");
}

TEST(FeedbackThrottle, RefusesAShortKey) {
  FakeClock clock;
  EXPECT_THROW(FeedbackThrottle(clock, "short", 10), std::invalid_argument);
}

class FeedbackThrottleTest : public pratu::test::DatabaseTest {
 protected:
  int stored() {
    auto n =
        database().read_value<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM feedback"));
          return row->int64(0);
        });
    return n ? static_cast<int>(*n) : -1;
  }
  FakeClock clock_;
};

// The count, the check and the insert are one transaction: forty at once from one address,
// and no more than the limit are stored.
TEST_P(FeedbackThrottleTest, AParallelBurstStoresNoMoreThanTheLimit) {
  FeedbackThrottle throttle(clock_, kTestKey, 10);
  FeedbackService service(database(), clock_, throttle, {});
  std::atomic<int> through = 0;
  std::atomic<int> throttled = 0;
  std::vector<std::thread> threads;
  threads.reserve(40);
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&] {
      auto submitted = service.submit({"4", "burst"}, "198.51.100.4");
      if (submitted) {
        ++through;
      } else if (submitted.error().code == ErrorCode::rate_limited) {
        ++throttled;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(through.load(), 10);
  EXPECT_EQ(throttled.load(), 30);
  EXPECT_EQ(stored(), 10);
}

TEST_P(FeedbackThrottleTest, KeepsNoAddressInClearAndPurgesEndedHours) {
  FeedbackThrottle throttle(clock_, kTestKey, 10);
  FeedbackService service(database(), clock_, throttle, {});
  ASSERT_TRUE(service.submit({"5", ""}, "198.51.100.23"));
  clock_.advance(std::chrono::minutes(30));
  ASSERT_TRUE(service.submit({"5", ""}, "198.51.100.24"));
  auto rows = database().read_value<std::vector<storage::Row>>(
      [](storage::Connection& c) { return c.query("SELECT key_hash FROM feedback_throttle"); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  for (const auto& row : *rows) {
    EXPECT_EQ(row.text(0).size(), 64u);
    EXPECT_EQ(row.text(0).find("198.51"), std::string::npos);
  }
  clock_.advance(std::chrono::minutes(31));  // the first hour is over, the second is not
  auto purged = throttle.purge_stale(database());
  ASSERT_TRUE(purged) << purged.error().detail;
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(*throttle.purge_stale(database()), 0);
}

PRATU_INSTANTIATE_ENGINE_TESTS(FeedbackThrottleTest);

}  // namespace
}  // namespace pratu::feedback
