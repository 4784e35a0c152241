#include "domains/accounts/registration_throttle.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "domains/accounts/accounts_test_fixture.hpp"

namespace pratu::accounts {
namespace {

using pratu::accounts::testing::kTestThrottleKey;

TEST(NetworkKey, IsTheSlash24OrSlash48OfAnAddress) {
  EXPECT_EQ(network_key("192.0.2.77"), "192.0.2.0/24");
  EXPECT_EQ(network_key("::ffff:192.0.2.77"), "192.0.2.0/24");
  EXPECT_EQ(network_key("2001:db8:7:1234:5::1"), "2001:db8:7::/48");
  EXPECT_EQ(network_key("not an address"), "not an address");
}

class RegistrationThrottleTest : public pratu::test::DatabaseTest {
 protected:
  FakeClock clock_;
};

// The check and the count are one transaction: forty attempts at once, and no more than the
// limit get through.
TEST_P(RegistrationThrottleTest, ParallelAttemptsGetThroughNoMoreThanTheLimit) {
  RegistrationThrottle throttle(database(), clock_, kTestThrottleKey);
  std::atomic<int> through = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&] {
      if (throttle.begin("198.51.100.4")) ++through;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(through.load(), throttle.settings().address_max_attempts);
}

TEST_P(RegistrationThrottleTest, WithholdsTheTakenAnswerOnceItUsesUpTheLimit) {
  RegistrationThrottle throttle(database(), clock_, kTestThrottleKey);
  ASSERT_TRUE(throttle.begin("192.0.2.8"));
  EXPECT_TRUE(throttle.charge_taken("192.0.2.8"));  // 1 + 4 of 10
  ASSERT_TRUE(throttle.begin("192.0.2.8"));
  EXPECT_TRUE(throttle.charge_taken("192.0.2.8"));  // 10 of 10
  auto third = throttle.begin("192.0.2.8");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(third.error().message_key, kRegisterThrottledKey);
  EXPECT_EQ(third.error().retry_after_seconds, 3600);
}

TEST_P(RegistrationThrottleTest, StoresNoAddressInClearAndOutlivesTheLoginPurge) {
  RegistrationThrottle throttle(database(), clock_, kTestThrottleKey);
  ASSERT_TRUE(throttle.begin("198.51.100.23"));
  clock_.advance(std::chrono::minutes(30));
  // A login purge with a 15-minute horizon must not forget a registration window of an hour.
  ThrottleSettings short_windows;
  short_windows.account_window_hours = 0;
  LoginThrottle logins(database(), clock_, kTestThrottleKey, short_windows);
  ASSERT_TRUE(logins.purge_stale());
  auto rows = database().read_value<std::vector<storage::Row>>(
      [](storage::Connection& c) { return c.query("SELECT key_hash FROM login_attempts"); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);  // the address and its network, still counting
  for (const auto& row : *rows) {
    EXPECT_EQ(row.text(0).size(), 64u);
    EXPECT_EQ(row.text(0).find("198.51"), std::string::npos);
  }
}

PRATU_INSTANTIATE_ENGINE_TESTS(RegistrationThrottleTest);

}  // namespace
}  // namespace pratu::accounts
