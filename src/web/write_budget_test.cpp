#include "web/write_budget.hpp"

#include <gtest/gtest.h>

namespace pratu::web {
namespace {

using namespace std::chrono_literals;

class WriteBudgetTest : public ::testing::Test {
 protected:
  WriteBudget budget(int per_second, int burst, std::size_t max_people = 100'000) {
    return WriteBudget(per_second, burst, max_people, [this] { return now_; });
  }
  int taken(WriteBudget& b, std::int64_t user, int tries) {
    int n = 0;
    for (int i = 0; i < tries; ++i) n += b.take(user) ? 0 : 1;
    return n;
  }
  std::chrono::steady_clock::time_point now_{std::chrono::steady_clock::now()};
};

TEST_F(WriteBudgetTest, ABurstIsTakenThenTheRateAndTheWaitIsSaid) {
  auto b = budget(2, 5);
  EXPECT_EQ(taken(b, 7, 5), 5);
  auto refused = b.take(7);
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused, 1);
  now_ += 500ms;  // one change back
  EXPECT_FALSE(b.take(7));
  EXPECT_TRUE(b.take(7));
  now_ += 10s;  // never more than the burst
  EXPECT_EQ(taken(b, 7, 10), 5);
}

TEST_F(WriteBudgetTest, OnePersonsBurstLeavesEveryoneElsesWhole) {
  auto b = budget(1, 3);
  EXPECT_EQ(taken(b, 1, 10), 3);
  EXPECT_EQ(taken(b, 2, 3), 3);
  EXPECT_EQ(taken(b, 3, 3), 3);
}

TEST_F(WriteBudgetTest, ASlowRateSaysHowManySecondsToWait) {
  auto b = budget(1, 1);
  EXPECT_FALSE(b.take(9));
  EXPECT_EQ(b.take(9).value_or(0), 1);
  auto slow = budget(1, 2);
  EXPECT_EQ(taken(slow, 9, 2), 2);
  now_ += 100ms;
  EXPECT_EQ(slow.take(9).value_or(0), 1);
}

TEST_F(WriteBudgetTest, NoRateMeansNoLimit) {
  auto b = budget(0, 1);
  EXPECT_EQ(taken(b, 1, 1000), 1000);
}

// The table is bounded: a crowd of newcomers neither grows it for ever nor shuts anyone out,
// and someone still owing is forgotten only when nobody has their budget back.
TEST_F(WriteBudgetTest, AFullTableMakesRoomAndNeverRefusesANewcomer) {
  auto b = budget(1, 2, 16);      // one bucket a shard
  EXPECT_EQ(taken(b, 16, 2), 2);  // user 16 owes (shard 0)
  EXPECT_TRUE(b.take(16));
  now_ += 1ms;
  EXPECT_FALSE(b.take(32));  // shard 0 is full of a debtor: the one idle longest goes
  EXPECT_FALSE(b.take(32));
  EXPECT_TRUE(b.take(32));
  now_ += 5s;  // 32 has its budget back: a newcomer replaces it
  EXPECT_FALSE(b.take(48));
}

}  // namespace
}  // namespace pratu::web
