#include "domains/feedback/feedback_repository.hpp"

#include <gtest/gtest.h>

#include "support/test_databases.hpp"

namespace pratu::feedback {
namespace {

class FeedbackRepositoryTest : public pratu::test::DatabaseTest {
 protected:
  template <class T, class F>
  T write(F&& work) {
    auto out = database().write_value<T>(std::forward<F>(work));
    EXPECT_TRUE(out) << out.error().detail;
    return out ? *out : T{};
  }
};

TEST_P(FeedbackRepositoryTest, TotalsCountOnlyWhatCameSince) {
  write<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
    PRATU_CHECK(repository::insert_feedback(c, {5, std::nullopt}, 100));
    PRATU_CHECK(repository::insert_feedback(c, {5, "ดี"}, 200));
    return repository::insert_feedback(c, {1, std::nullopt}, 300);
  });
  auto totals = database().read_value<RatingTotals>(
      [](storage::Connection& c) { return repository::rating_totals(c, 200); });
  ASSERT_TRUE(totals) << totals.error().detail;
  EXPECT_EQ(totals->per_rating[4], 1);
  EXPECT_EQ(totals->per_rating[0], 1);
  EXPECT_EQ(totals->count(), 2);
}

TEST_P(FeedbackRepositoryTest, TheDatabaseRefusesARatingOutOfRange) {
  auto refused = database().write([](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(repository::insert_feedback(c, {6, std::nullopt}, 100));
    return ok();
  });
  EXPECT_FALSE(refused);
}

TEST_P(FeedbackRepositoryTest, ACounterStartsANewWindowOnceItsOwnHasEnded) {
  auto count = [&](std::int64_t now) {
    return write<repository::ThrottleCounter>([now](storage::Connection& c) {
      return repository::count_submission(c, "hash", now, now - 3600);
    });
  };
  EXPECT_EQ(count(1000).submissions, 1);
  EXPECT_EQ(count(2000).submissions, 2);
  auto later = count(4600);  // the window that began at 1000 ended at 4600
  EXPECT_EQ(later.submissions, 1);
  EXPECT_EQ(later.window_start, 4600);
}

PRATU_INSTANTIATE_ENGINE_TESTS(FeedbackRepositoryTest);

}  // namespace
}  // namespace pratu::feedback
