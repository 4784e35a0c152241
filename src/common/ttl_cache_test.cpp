#include "common/ttl_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pratu {
namespace {

struct ManualClock {
  std::chrono::steady_clock::time_point now{};
  TtlCache<std::string>::Clock function() {
    return [this] { return now; };
  }
};

TEST(TtlCache, ServesAStoredValueUntilItExpires) {
  ManualClock clock;
  TtlCache<std::string> cache(10, std::chrono::seconds(60), clock.function());
  cache.store("th GET /", "<p>บริการ</p>");
  ASSERT_TRUE(cache.find("th GET /").has_value());
  EXPECT_EQ(*cache.find("th GET /"), "<p>บริการ</p>");
  EXPECT_TRUE(cache.contains("th GET /"));
  EXPECT_FALSE(cache.find("en GET /").has_value());
  clock.now += std::chrono::seconds(59);
  EXPECT_TRUE(cache.contains("th GET /"));
  clock.now += std::chrono::seconds(2);
  EXPECT_FALSE(cache.find("th GET /").has_value());
  EXPECT_FALSE(cache.contains("th GET /"));
}

TEST(TtlCache, StaysWithinItsCapacity) {
  ManualClock clock;
  TtlCache<std::string> cache(2, std::chrono::seconds(60), clock.function());
  cache.store("a", "1");
  cache.store("b", "2");
  cache.store("c", "3");
  int kept = cache.contains("a") + cache.contains("b") + cache.contains("c");
  EXPECT_LE(kept, 2);
  EXPECT_EQ(cache.find("c"), "3");
}

TEST(TtlCache, ReplacesAValueWithoutStartingOver) {
  TtlCache<std::string> cache(2, std::chrono::seconds(60));
  cache.store("a", "1");
  cache.store("b", "2");
  cache.store("b", "two");
  EXPECT_EQ(cache.find("a"), "1");
  EXPECT_EQ(cache.find("b"), "two");
}

TEST(TtlCache, ZeroCapacityKeepsNothing) {
  TtlCache<std::string> cache(0, std::chrono::seconds(60));
  cache.store("a", "1");
  EXPECT_FALSE(cache.contains("a"));
}

TEST(TtlCache, ClearForgetsEverything) {
  TtlCache<std::string> cache(10, std::chrono::seconds(60));
  cache.store("a", "1");
  cache.clear();
  EXPECT_FALSE(cache.find("a").has_value());
}

}  // namespace
}  // namespace pratu
