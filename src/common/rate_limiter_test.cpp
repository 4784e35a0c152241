#include "common/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "common/clock.hpp"

namespace pratu {
namespace {

class SteppedClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return at; }
  std::chrono::system_clock::time_point at{std::chrono::seconds(1'800'000'000)};
};

TEST(RateLimiterTest, AllowsABurstThenAsksToWaitUntilATokenReturns) {
  SteppedClock clock;
  RateLimiter limiter(clock, 6, 3);  // one every 10 s, three at once
  EXPECT_EQ(limiter.take("a"), 0);
  EXPECT_EQ(limiter.take("a"), 0);
  EXPECT_EQ(limiter.take("a"), 0);
  EXPECT_EQ(limiter.take("a"), 10);
  clock.at += std::chrono::seconds(4);
  EXPECT_EQ(limiter.take("a"), 6);
  clock.at += std::chrono::seconds(6);
  EXPECT_EQ(limiter.take("a"), 0);
  EXPECT_EQ(limiter.take("a"), 10);
}

TEST(RateLimiterTest, WaitingLooksWithoutTaking) {
  SteppedClock clock;
  RateLimiter limiter(clock, 6, 2);    // one every 10 s, two at once
  EXPECT_EQ(limiter.waiting("a"), 0);  // never seen
  EXPECT_EQ(limiter.waiting("a"), 0);
  EXPECT_EQ(limiter.take("a"), 0);
  EXPECT_EQ(limiter.waiting("a"), 0);  // one left: looking did not spend it
  EXPECT_EQ(limiter.take("a"), 0);
  EXPECT_EQ(limiter.waiting("a"), 10);
  clock.at += std::chrono::seconds(10);
  EXPECT_EQ(limiter.waiting("a"), 0);
}

TEST(RateLimiterTest, CountsEachKeyOnItsOwn) {
  SteppedClock clock;
  RateLimiter limiter(clock, 60, 1);
  EXPECT_EQ(limiter.take("a"), 0);
  EXPECT_GT(limiter.take("a"), 0);
  EXPECT_EQ(limiter.take("b"), 0);
}

TEST(RateLimiterTest, ForgetsTheLeastRecentlyUsedKeyWhenFull) {
  SteppedClock clock;
  RateLimiter limiter(clock, 1, 1, 2);
  EXPECT_EQ(limiter.take("a"), 0);
  EXPECT_EQ(limiter.take("b"), 0);
  EXPECT_GT(limiter.take("a"), 0);  // a is now the most recently used
  EXPECT_EQ(limiter.take("c"), 0);  // b is forgotten to make room
  EXPECT_GT(limiter.take("a"), 0);  // a was kept, still empty
  EXPECT_EQ(limiter.take("b"), 0);  // b starts afresh
}

}  // namespace
}  // namespace pratu
