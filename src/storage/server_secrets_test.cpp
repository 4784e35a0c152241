#include "storage/server_secrets.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "support/test_databases.hpp"

namespace pratu::storage {
namespace {

class ServerSecretsTest : public test::DatabaseTest {};

TEST_P(ServerSecretsTest, TheFirstSecretStoredIsTheOneEveryoneGets) {
  const std::string first(40, 'a');
  auto created = shared_secret(database(), "throttle", [&] { return first; });
  ASSERT_TRUE(created) << created.error().detail;
  EXPECT_EQ(*created, first);
  auto again = shared_secret(database(), "throttle", [] { return std::string(40, 'b'); });
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(*again, first);
  auto other = shared_secret(database(), "another", [] { return std::string(40, 'c'); });
  ASSERT_TRUE(other);
  EXPECT_EQ(*other, std::string(40, 'c'));
}

TEST_P(ServerSecretsTest, NodesStartingAtOnceAgreeOnOneSecret) {
  std::vector<std::unique_ptr<Database>> nodes;
  for (int i = 0; i < 4; ++i) {
    auto node = open_database(test_database().settings());
    ASSERT_TRUE(node) << node.error().detail;
    nodes.push_back(std::move(*node));
  }
  std::mutex mutex;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    threads.emplace_back([&, i] {
      auto secret = shared_secret(*nodes[i], "throttle",
                                  [i] { return std::string(40, static_cast<char>('k' + i)); });
      std::lock_guard lock(mutex);
      seen.insert(secret ? *secret : "error: " + secret.error().detail);
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(seen.size(), 1u) << *seen.begin();
  EXPECT_EQ(seen.begin()->size(), 40u);
}

TEST_P(ServerSecretsTest, RefusesAShortSecret) {
  auto refused = shared_secret(database(), "throttle", [] { return std::string("short"); });
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("throttle"), std::string::npos);
}

PRATU_INSTANTIATE_ENGINE_TESTS(ServerSecretsTest);

}  // namespace
}  // namespace pratu::storage
