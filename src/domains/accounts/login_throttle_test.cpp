#include "domains/accounts/login_throttle.hpp"

#include <gtest/gtest.h>

#include <atomic>
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
  std::int64_t stored_failures(const std::string& hash) {
    auto row = database().read_value<std::optional<storage::Row>>([&](storage::Connection& c) {
      return c.query_one("SELECT failures FROM login_attempts WHERE key_hash = $1", {hash});
    });
    return row && *row ? (*row)->int64(0) : -1;
  }
  // One wrong password: the attempt is let through, then recorded as failed.
  static Result<void> fail(LoginThrottle& throttle, std::string_view account,
                           std::string_view address) {
    PRATU_TRY(attempt, throttle.begin(account, address));
    return throttle.record_failure(attempt);
  }
  FakeClock clock_;
};

TEST_P(LoginThrottleTest, ALockSetOnOneNodeHoldsOnAnother) {
  auto other_db = second_node();
  ASSERT_TRUE(other_db);
  LoginThrottle node_a(database(), clock_, kTestThrottleKey);
  LoginThrottle node_b(*other_db, clock_, kTestThrottleKey);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(fail(node_a, "user:7", "192.0.2.1"));
  auto locking = fail(node_b, "user:7", "192.0.2.1");
  ASSERT_FALSE(locking);
  EXPECT_EQ(locking.error().code, ErrorCode::rate_limited);
  auto checked = node_a.begin("user:7", "192.0.2.1");
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().retry_after_seconds, 900);
  EXPECT_TRUE(node_a.begin("user:8", "192.0.2.1"));
}

TEST_P(LoginThrottleTest, CountsEveryAttemptWhenNodesCountAtOnce) {
  auto other_db = second_node();
  ASSERT_TRUE(other_db);
  ThrottleSettings roomy;
  roomy.account_max_failures = 1000;
  roomy.address_max_failures = 1000;
  roomy.account_slow_after = 1000;
  LoginThrottle node_a(database(), clock_, kTestThrottleKey, roomy);
  LoginThrottle node_b(*other_db, clock_, kTestThrottleKey, roomy);
  std::vector<std::thread> threads;
  for (auto* node : {&node_a, &node_b, &node_a, &node_b}) {
    threads.emplace_back([node] {
      for (int i = 0; i < 10; ++i) EXPECT_TRUE(fail(*node, "user:1", "192.0.2.9"));
    });
  }
  for (auto& t : threads) t.join();
  auto last = node_a.begin("user:1", "192.0.2.9");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->pair_failures, 41);
  EXPECT_EQ(last->address_failures, 41);
  EXPECT_EQ(stored_failures(last->account_hash), 41);
}

// The check and the count are one transaction: 40 guesses at once, and no more than the limit
// get to the password check.
TEST_P(LoginThrottleTest, ParallelGuessesGetPastTheCheckNoMoreThanTheLimit) {
  auto other_db = second_node();
  ASSERT_TRUE(other_db);
  LoginThrottle node_a(database(), clock_, kTestThrottleKey);
  LoginThrottle node_b(*other_db, clock_, kTestThrottleKey);
  std::atomic<int> through = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      LoginThrottle& node = i % 2 == 0 ? node_a : node_b;
      auto attempt = node.begin("user:5", "192.0.2.5");
      if (!attempt) return;
      ++through;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the password check
      (void)node.record_failure(*attempt);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(through.load(), 1);
  EXPECT_LE(through.load(), node_a.settings().account_max_failures);
}

TEST_P(LoginThrottleTest, ARefusedAttemptCountsForNothing) {
  LoginThrottle throttle(database(), clock_, kTestThrottleKey);
  for (int i = 0; i < 5; ++i) (void)fail(throttle, "user:3", "192.0.2.3");
  for (int i = 0; i < 30; ++i) EXPECT_FALSE(throttle.begin("user:3", "192.0.2.3"));
  // Thirty refusals did not push the address towards its own limit of 20.
  auto other = throttle.begin("user:4", "192.0.2.3");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->address_failures, 6);
}

TEST_P(LoginThrottleTest, AccountFailuresOnlyDelayAddressesItNeverLoggedInFrom) {
  LoginThrottle throttle(database(), clock_, kTestThrottleKey);
  auto home = throttle.begin("user:9", "203.0.113.1");
  ASSERT_TRUE(home);
  ASSERT_TRUE(throttle.record_success(*home));
  int delayed = 0;
  for (int i = 0; i < 7; ++i) {
    auto guess = throttle.begin("user:9", "198.51.100." + std::to_string(i));
    if (!guess) {
      EXPECT_LE(guess.error().retry_after_seconds, 4);
      ++delayed;
      clock_.advance(std::chrono::seconds(guess.error().retry_after_seconds));
      guess = throttle.begin("user:9", "198.51.100." + std::to_string(i));
    }
    ASSERT_TRUE(guess) << i;
    (void)throttle.record_failure(*guess);
  }
  EXPECT_EQ(delayed, 2);  // the sixth and seventh guesses waited 1 s and 2 s
  auto stranger = throttle.begin("user:9", "192.0.2.200");
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().retry_after_seconds, 4);
  EXPECT_EQ(stranger.error().message_key, kLoginSlowedKey);
  EXPECT_TRUE(throttle.begin("user:9", "203.0.113.1"));  // home is not delayed
}

TEST_P(LoginThrottleTest, StoresNoAddressOrLoginInClear) {
  LoginThrottle throttle(database(), clock_, kTestThrottleKey);
  auto attempt = throttle.begin("login:someone@example.org", "198.51.100.23");
  ASSERT_TRUE(attempt);
  ASSERT_TRUE(throttle.record_success(*attempt));
  ASSERT_TRUE(fail(throttle, "login:someone@example.org", "198.51.100.23"));
  auto rows = database().read_value<std::vector<storage::Row>>(
      [](storage::Connection& c) { return c.query("SELECT key_hash FROM login_attempts"); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 4u);  // account, pair, address, known address
  for (const auto& row : *rows) {
    EXPECT_EQ(row.text(0).size(), 64u);
    EXPECT_EQ(row.text(0).find("someone"), std::string::npos);
    EXPECT_EQ(row.text(0).find("198.51"), std::string::npos);
  }
  EXPECT_EQ(throttle.log_tag("login:someone@example.org").size(), 12u);
  EXPECT_EQ(throttle.log_tag("login:someone@example.org"),
            throttle.log_tag("login:someone@example.org"));
  EXPECT_NE(throttle.log_tag("login:someone@example.org"), throttle.log_tag("user:1"));
}

// Without the key, a copy of the table cannot be matched against every possible ID: the
// stored hash is not the plain SHA-256 anyone could compute, and another key gives another.
TEST_P(LoginThrottleTest, HashesAreKeyedByTheSharedSecret) {
  LoginThrottle throttle(database(), clock_, kTestThrottleKey);
  auto attempt = throttle.begin("user:1234567890121", "192.0.2.1");
  ASSERT_TRUE(attempt);
  EXPECT_EQ(
      attempt->account_hash,
      crypto::hmac_sha256_hex(kTestThrottleKey, "pratu.login_attempts.account:user:1234567890121"));
  EXPECT_NE(attempt->account_hash,
            crypto::sha256_hex("pratu.login_attempts.account:user:1234567890121"));
  EXPECT_EQ(stored_failures(attempt->account_hash), 1);

  LoginThrottle other_key(database(), clock_, std::string(40, 'z'));
  auto other = other_key.begin("user:1234567890121", "192.0.2.1");
  ASSERT_TRUE(other);
  EXPECT_NE(other->account_hash, attempt->account_hash);
  EXPECT_NE(other_key.log_tag("user:1"), throttle.log_tag("user:1"));
  EXPECT_THROW(LoginThrottle(database(), clock_, "too short"), std::invalid_argument);
}

TEST_P(LoginThrottleTest, PurgesCountersThatNoLongerMatter) {
  LoginThrottle throttle(database(), clock_, kTestThrottleKey);
  auto known = throttle.begin("user:1", "192.0.2.1");
  ASSERT_TRUE(known);
  ASSERT_TRUE(throttle.record_success(*known));
  ASSERT_TRUE(fail(throttle, "user:1", "192.0.2.1"));
  clock_.advance(std::chrono::hours(25));
  ASSERT_TRUE(fail(throttle, "user:2", "192.0.2.2"));
  auto purged = throttle.purge_stale();
  ASSERT_TRUE(purged);
  // user:1's account, pair and address counters; its known address and user:2's stay.
  EXPECT_EQ(*purged, 3);
}

PRATU_INSTANTIATE_ENGINE_TESTS(LoginThrottleTest);

}  // namespace
}  // namespace pratu::accounts
