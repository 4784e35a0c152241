#include "domains/accounts/login_throttle.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "crypto/digest.hpp"
#include "domains/accounts/accounts_test_fixture.hpp"

namespace pratu::accounts {
namespace {

using pratu::accounts::testing::kTestThrottleKey;

class LoginThrottleTest : public pratu::test::DatabaseTest {
 protected:
  // A second node: its own connection pool on the same database.
  std::unique_ptr<storage::Database> second_node() {
    auto db = storage::open_database(test_database().settings());
    EXPECT_TRUE(db) << (db ? "" : db.error().detail);
    return db ? std::move(*db) : nullptr;
  }
  std::int64_t stored_failures(std::string_view type) {
    auto row = database().read_value<std::optional<storage::Row>>([&](storage::Connection& c) {
      return c.query_one("SELECT failures FROM login_attempts WHERE key_type = $1",
                         {std::string(type)});
    });
    return row && *row ? (*row)->int64(0) : -1;
  }
  FakeClock clock_;
};

TEST_P(LoginThrottleTest, ALockSetOnOneNodeHoldsOnAnother) {
  auto other_db = second_node();
  ASSERT_TRUE(other_db);
  LoginThrottle node_a(database(), clock_, kTestThrottleKey);
  LoginThrottle node_b(*other_db, clock_, kTestThrottleKey);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(node_a.record_failure("user:7", "192.0.2.1"));
  auto locking = node_b.record_failure("user:7", "192.0.2.2");
  ASSERT_FALSE(locking);
  EXPECT_EQ(locking.error().code, ErrorCode::rate_limited);
  auto checked = node_a.check("user:7", "192.0.2.3");
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().retry_after_seconds, 900);
  EXPECT_TRUE(node_a.check("user:8", "192.0.2.3"));
}

TEST_P(LoginThrottleTest, CountsEveryFailureWhenNodesRecordAtOnce) {
  auto other_db = second_node();
  ASSERT_TRUE(other_db);
  ThrottleSettings roomy;
  roomy.account_max_failures = 1000;
  roomy.address_max_failures = 1000;
  LoginThrottle node_a(database(), clock_, kTestThrottleKey, roomy);
  LoginThrottle node_b(*other_db, clock_, kTestThrottleKey, roomy);
  std::vector<std::thread> threads;
  for (auto* node : {&node_a, &node_b, &node_a, &node_b}) {
    threads.emplace_back([node] {
      for (int i = 0; i < 10; ++i) EXPECT_TRUE(node->record_failure("user:1", "192.0.2.9"));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(stored_failures("account"), 40);
  EXPECT_EQ(stored_failures("address"), 40);
}

TEST_P(LoginThrottleTest, StoresNoAddressOrLoginInClear) {
  LoginThrottle throttle(database(), clock_, kTestThrottleKey);
  ASSERT_TRUE(throttle.record_failure("login:someone@example.org", "198.51.100.23"));
  auto rows = database().read_value<std::vector<storage::Row>>(
      [](storage::Connection& c) { return c.query("SELECT key_hash FROM login_attempts"); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  for (const auto& row : *rows) {
    EXPECT_EQ(row.text(0).size(), 64u);
    EXPECT_EQ(row.text(0).find("someone"), std::string::npos);
    EXPECT_EQ(row.text(0).find("198.51"), std::string::npos);
  }
}

// Without the key, a copy of the table cannot be matched against every possible ID: the
// stored hash is not the plain SHA-256 anyone could compute, and another key gives another.
TEST_P(LoginThrottleTest, HashesAreKeyedByTheSharedSecret) {
  auto stored = [this] {
    auto rows = database().read_value<std::vector<storage::Row>>([](storage::Connection& c) {
      return c.query("SELECT key_hash FROM login_attempts WHERE key_type = 'account'");
    });
    return rows && rows->size() == 1 ? (*rows)[0].text(0) : std::string();
  };
  LoginThrottle throttle(database(), clock_, kTestThrottleKey);
  ASSERT_TRUE(throttle.record_failure("user:1234567890121", "192.0.2.1"));
  const std::string with_key = stored();
  EXPECT_EQ(with_key, crypto::hmac_sha256_hex(kTestThrottleKey,
                                              "pratu.login_attempts.account:user:1234567890121"));
  EXPECT_NE(with_key, crypto::sha256_hex("pratu.login_attempts.account:user:1234567890121"));

  ASSERT_TRUE(throttle.record_success("user:1234567890121"));
  LoginThrottle other_key(database(), clock_, std::string(40, 'z'));
  ASSERT_TRUE(other_key.record_failure("user:1234567890121", "192.0.2.1"));
  EXPECT_NE(stored(), with_key);
  EXPECT_THROW(LoginThrottle(database(), clock_, "too short"), std::invalid_argument);
}

TEST_P(LoginThrottleTest, PurgesCountersThatNoLongerMatter) {
  LoginThrottle throttle(database(), clock_, kTestThrottleKey);
  ASSERT_TRUE(throttle.record_failure("user:1", "192.0.2.1"));
  clock_.advance(std::chrono::minutes(16));
  ASSERT_TRUE(throttle.record_failure("user:2", "192.0.2.2"));
  auto purged = throttle.purge_stale();
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 2);  // user:1 and its address; user:2's window is still open
}

PRATU_INSTANTIATE_ENGINE_TESTS(LoginThrottleTest);

}  // namespace
}  // namespace pratu::accounts
