#include "domains/feedback/feedback.hpp"

#include <gtest/gtest.h>

namespace pratu::feedback {
namespace {

TEST(RatingTotals, CountAndAverageOfWhatWasGiven) {
  RatingTotals totals;
  EXPECT_EQ(totals.count(), 0);
  EXPECT_FALSE(totals.average().has_value());
  totals.per_rating = {1, 0, 0, 1, 2};  // 1 + 4 + 5 + 5
  EXPECT_EQ(totals.count(), 4);
  EXPECT_DOUBLE_EQ(*totals.average(), 3.75);
}

TEST(ThaiMonthStart, IsMidnightOfTheFirstInThailand) {
  // 2026-06-15 12:00 UTC is in June in Thailand; June 1st 00:00 +07:00 is May 31st 17:00 UTC.
  EXPECT_EQ(thai_month_start(1'781'524'800), 1'780'246'800);
  // 2026-05-31 18:00 UTC is already June 1st 01:00 in Thailand.
  EXPECT_EQ(thai_month_start(1'780'250'400), 1'780'246'800);
  // 2026-05-31 16:59:59 UTC is still May in Thailand.
  EXPECT_EQ(thai_month_start(1'780'246'799), 1'777'568'400);
}

TEST(CommentPage, CountsPagesRoundingUp) {
  CommentPage page;
  page.page_size = 20;
  EXPECT_EQ(page.page_count(), 1);
  page.total = 20;
  EXPECT_EQ(page.page_count(), 1);
  page.total = 21;
  EXPECT_EQ(page.page_count(), 2);
}

TEST(RatingKey, NamesEachAnswer) {
  EXPECT_EQ(rating_key(1), "feedback.ratings.very_dissatisfied");
  EXPECT_EQ(rating_key(5), "feedback.ratings.very_satisfied");
}

}  // namespace
}  // namespace pratu::feedback
