#include "app/page_cache.hpp"

#include <gtest/gtest.h>

namespace pratu::app {
namespace {

struct ManualClock {
  std::chrono::steady_clock::time_point now{};
  PageCache::Clock function() {
    return [this] { return now; };
  }
};

TEST(PageCache, ServesAStoredResponseUntilItExpires) {
  ManualClock clock;
  PageCache cache(10, std::chrono::seconds(60), clock.function());
  web::Response page;
  page.body = "<p>บริการ</p>";
  cache.store("th GET /", page);
  ASSERT_TRUE(cache.find("th GET /").has_value());
  EXPECT_EQ(cache.find("th GET /")->body, "<p>บริการ</p>");
  EXPECT_FALSE(cache.find("en GET /").has_value());
  clock.now += std::chrono::seconds(61);
  EXPECT_FALSE(cache.find("th GET /").has_value());
}

TEST(PageCache, StaysWithinItsCapacity) {
  ManualClock clock;
  PageCache cache(2, std::chrono::seconds(60), clock.function());
  web::Response page;
  cache.store("a", page);
  cache.store("b", page);
  cache.store("c", page);
  int kept = cache.find("a").has_value() + cache.find("b").has_value() + cache.find("c").has_value();
  EXPECT_LE(kept, 2);
  EXPECT_TRUE(cache.find("c").has_value());
}

TEST(PageCache, ClearForgetsEverything) {
  PageCache cache(10, std::chrono::seconds(60));
  cache.store("a", web::Response{});
  cache.clear();
  EXPECT_FALSE(cache.find("a").has_value());
}

}  // namespace
}  // namespace pratu::app
