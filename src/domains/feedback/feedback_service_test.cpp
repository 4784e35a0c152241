#include "domains/feedback/feedback_service.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "domains/feedback/feedback_repository.hpp"
#include "support/test_databases.hpp"

namespace pratu::feedback {
namespace {

const std::string kTestKey = "feedback-throttle-key-for-the-tests-only-0123";

std::vector<std::string> field_keys(const Error& error) {
  std::vector<std::string> out;
  for (const auto& f : error.fields) out.push_back(f.field + "=" + f.message_key);
  return out;
}

std::vector<std::string> problems(const TypedFeedback& typed, int max = 1000) {
  auto checked = check_feedback(typed, max);
  return checked ? std::vector<std::string>{} : field_keys(checked.error());
}

TEST(CheckFeedback, NeedsARatingFromOneToFive) {
  EXPECT_EQ(problems({"", ""}), std::vector<std::string>{"rating=feedback.errors.rating_required"});
  for (const char* bad : {"0", "6", "12", "-1", "three", "4.5", "٣"}) {
    EXPECT_EQ(problems({bad, ""}),
              std::vector<std::string>{"rating=feedback.errors.rating_invalid"})
        << bad;
  }
  for (int r = 1; r <= 5; ++r) {
    auto checked = check_feedback({std::to_string(r), ""}, 1000);
    ASSERT_TRUE(checked);
    EXPECT_EQ(checked->rating, r);
    EXPECT_FALSE(checked->comment.has_value());
  }
}

TEST(CheckFeedback, CountsTheCommentInCharactersNotBytes) {
  // Eleven Thai characters are 33 bytes.
  const std::string ten_thai = "ประตูดีมากๆ";
  ASSERT_EQ(ten_thai.size(), 33u);
  EXPECT_TRUE(check_feedback({"5", ten_thai}, 11));
  EXPECT_EQ(problems({"5", ten_thai}, 10),
            std::vector<std::string>{"comment=feedback.errors.comment_too_long"});
  // A CR LF, as browsers send a line break, counts as one character.
  auto checked = check_feedback({"4", "ab\r\ncd"}, 5);
  ASSERT_TRUE(checked);
  EXPECT_EQ(*checked->comment, "ab\ncd");
}

TEST(CheckFeedback, TrimsTheCommentAndStoresNoneForBlank) {
  auto blank = check_feedback({"3", "  \r\n\t "}, 1000);
  ASSERT_TRUE(blank);
  EXPECT_FALSE(blank->comment.has_value());
  auto trimmed = check_feedback({"3", "  ดีมาก\n"}, 1000);
  ASSERT_TRUE(trimmed);
  EXPECT_EQ(*trimmed->comment, "ดีมาก");
}

TEST(CheckFeedback, StoresTheCommentInNfc) {
  auto checked = check_feedback({"5", "Rene\u0301e"}, 1000);
  ASSERT_TRUE(checked);
  EXPECT_EQ(*checked->comment, "Ren\u00e9e");
}

TEST(CheckFeedback, RefusesControlAndBidiCharacters) {
  for (const std::string& bad : {std::string("a\x01z"), std::string("a\x7fz"),
                                 std::string("a\u0085z"), std::string("a\x1b[31mz")}) {
    EXPECT_EQ(problems({"2", bad}),
              std::vector<std::string>{"comment=feedback.errors.comment_invalid"});
  }
  for (const char* bad : {"\u202Egnp.exe", "a\u2066b", "a\u200Fb"}) {
    EXPECT_EQ(problems({"2", bad}),
              std::vector<std::string>{"comment=feedback.errors.comment_bidi"});
  }
  EXPECT_EQ(problems({"2", "a\xff"}),
            std::vector<std::string>{"comment=feedback.errors.comment_invalid"});
  // Tabs and line breaks are how people write.
  EXPECT_TRUE(check_feedback({"2", "one\ttwo\nthree"}, 1000));
}

TEST(CheckFeedback, NamesEveryFieldThatIsWrong) {
  EXPECT_EQ(problems({"", std::string(11, 'x')}, 10),
            (std::vector<std::string>{"rating=feedback.errors.rating_required",
                                      "comment=feedback.errors.comment_too_long"}));
}

class FeedbackServiceTest : public pratu::test::DatabaseTest {
 protected:
  // A service with `settings`, its throttle holding the same limit.
  FeedbackService service(FeedbackSettings settings = {}) {
    throttle_ = std::make_unique<FeedbackThrottle>(clock_, kTestKey, settings.per_address_per_hour);
    return FeedbackService(database(), clock_, *throttle_, settings);
  }
  FakeClock clock_{1'781'524'800};  // 2026-06-15 19:00 in Thailand
  std::unique_ptr<FeedbackThrottle> throttle_;
};

TEST_P(FeedbackServiceTest, StatisticsCountThisMonthAndAllTime) {
  auto s = service({.per_address_per_hour = 100});
  ASSERT_TRUE(s.submit({"5", ""}, "192.0.2.1"));
  ASSERT_TRUE(s.submit({"2", "ช้าไปหน่อย"}, "192.0.2.1"));
  clock_.advance(std::chrono::days(20));  // July
  ASSERT_TRUE(s.submit({"4", ""}, "192.0.2.1"));
  ASSERT_TRUE(s.submit({"5", ""}, "192.0.2.1"));
  auto stats = s.statistics();
  ASSERT_TRUE(stats) << stats.error().detail;
  EXPECT_EQ(stats->this_month.count(), 2);
  EXPECT_EQ(stats->this_month.per_rating[3], 1);
  EXPECT_EQ(stats->this_month.per_rating[4], 1);
  EXPECT_DOUBLE_EQ(*stats->this_month.average(), 4.5);
  EXPECT_EQ(stats->all_time.count(), 4);
  EXPECT_EQ(stats->all_time.per_rating[1], 1);
  EXPECT_EQ(stats->all_time.per_rating[4], 2);
  EXPECT_DOUBLE_EQ(*stats->all_time.average(), 4.0);
}

TEST_P(FeedbackServiceTest, InvalidFeedbackStoresNothingAndCountsNothing) {
  auto s = service({.per_address_per_hour = 1});
  auto refused = s.submit({"9", ""}, "192.0.2.2");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(s.submit({"3", ""}, "192.0.2.2")) << "the invalid one must not use up the hour";
  EXPECT_EQ(s.statistics()->all_time.count(), 1);
}

TEST_P(FeedbackServiceTest, StoresNoAddressAndNoIdentity) {
  auto s = service();
  ASSERT_TRUE(s.submit({"4", "ok"}, "198.51.100.77"));
  auto rows = database().read_value<std::vector<storage::Row>>(
      [](storage::Connection& c) { return c.query("SELECT * FROM feedback"); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().size(), 4u) << "id, rating, comment, created_at and nothing else";
  for (const auto& value : rows->front().values()) {
    if (const auto* text = std::get_if<std::string>(&value)) {
      EXPECT_EQ(text->find("198.51"), std::string::npos);
    }
  }
}

TEST_P(FeedbackServiceTest, AfterTheLimitTheAddressWaitsForItsHour) {
  auto s = service({.per_address_per_hour = 3});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(s.submit({"5", ""}, "203.0.113.9"));
  clock_.advance(std::chrono::minutes(20));
  auto refused = s.submit({"5", "one more"}, "203.0.113.9");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(refused.error().message_key, kThrottledKey);
  EXPECT_EQ(refused.error().retry_after_seconds, 40 * 60);
  EXPECT_TRUE(s.submit({"5", ""}, "203.0.113.10")) << "another address is not held back";
  clock_.advance(std::chrono::minutes(40));
  EXPECT_TRUE(s.submit({"5", ""}, "203.0.113.9")) << "a new hour";
  EXPECT_EQ(s.statistics()->all_time.count(), 5);
}

TEST_P(FeedbackServiceTest, CommentsComeNewestFirstInPages) {
  auto s = service({.per_address_per_hour = 100});
  for (int i = 1; i <= 25; ++i) {
    ASSERT_TRUE(s.submit({"3", "comment " + std::to_string(i)}, "192.0.2.3"));
    ASSERT_TRUE(s.submit({"4", ""}, "192.0.2.3"));  // no comment: not listed
    clock_.advance(std::chrono::minutes(1));
  }
  auto first = s.comments(1);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ(first->total, 25);
  EXPECT_EQ(first->page_count(), 2);
  ASSERT_EQ(first->comments.size(), 20u);
  EXPECT_EQ(first->comments.front().comment, "comment 25");
  EXPECT_EQ(first->comments.front().rating, 3);
  auto second = s.comments(2);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->comments.size(), 5u);
  EXPECT_EQ(second->comments.back().comment, "comment 1");
  EXPECT_TRUE(s.comments(9)->comments.empty());
}

TEST_P(FeedbackServiceTest, OldCommentsAreDeletedAndTheirRatingsKept) {
  auto s = service({.keep_days = 30, .per_address_per_hour = 100});
  ASSERT_TRUE(s.submit({"1", "old and unhappy"}, "192.0.2.4"));
  clock_.advance(std::chrono::days(20));
  ASSERT_TRUE(s.submit({"5", "recent and happy"}, "192.0.2.4"));
  clock_.advance(std::chrono::days(11));
  auto forgotten = s.forget_old_comments();
  ASSERT_TRUE(forgotten) << forgotten.error().detail;
  EXPECT_EQ(*forgotten, 1);
  EXPECT_EQ(*s.forget_old_comments(), 0) << "running again changes nothing";
  auto comments = s.comments(1);
  ASSERT_EQ(comments->comments.size(), 1u);
  EXPECT_EQ(comments->comments.front().comment, "recent and happy");
  EXPECT_EQ(s.statistics()->all_time.count(), 2);
  EXPECT_EQ(s.statistics()->all_time.per_rating[0], 1);
}

PRATU_INSTANTIATE_ENGINE_TESTS(FeedbackServiceTest);

}  // namespace
}  // namespace pratu::feedback
