#include "domains/notifications/inbox.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domains/notifications/inbox_handlers.hpp"
#include "platform/notices.hpp"
#include "support/test_databases.hpp"
#include "web/render.hpp"

namespace pratu::notifications {
namespace {

namespace json = boost::json;

class InboxTest : public pratu::test::DatabaseTest {
 protected:
  // Tells `user` of `topic` as a module does: in its own transaction.
  void tell(std::int64_t user, std::string topic, json::object payload,
            platform::Channels channels = platform::kPortalAndMail) {
    payload["user_id"] = user;
    auto told = database().write([&](storage::Connection& c) {
      return platform::notify(c, topic, payload, clock_.now_seconds(), channels);
    });
    ASSERT_TRUE(told) << told.error().detail;
    clock_.advance(std::chrono::seconds(60));
  }
  std::int64_t count(const std::string& sql) {
    auto n =
        database().read_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(row, c.query_one(sql));
          return row ? row->int64(0) : -1;
        });
    EXPECT_TRUE(n);
    return n ? *n : -1;
  }
  FakeClock clock_{1'780'000'000};
};

TEST_P(InboxTest, ANoticeGoesToThePortalAndToTheOutboxInOneTransaction) {
  tell(7, "applications.step_taken", {{"application", "abc"}, {"service", "s"}});
  tell(7, "applications.message", {{"application", "abc"}}, platform::kPortalOnly);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notices WHERE user_id = 7"), 2);
  // Only the one with mail has an outbox row.
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE topic = 'applications.step_taken'"), 1);
  // Every channel: one row each, so a retried text never sends the mail again.
  tell(8, "applications.step_taken", {{"application", "abd"}}, platform::kEveryChannel);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%abd%'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE topic = 'sms.applications.step_taken'"), 1);

  // A rolled-back change leaves neither.
  auto failed = database().write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(platform::notify(c, "applications.step_taken",
                                 json::object{{"user_id", 7}, {"application", "x"}}, 1));
    return Error::internal("the change failed");
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notices"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 3);

  // A notice for nobody is refused.
  auto nobody = database().write([&](storage::Connection& c) {
    return platform::notify(c, "applications.step_taken", json::object{{"application", "x"}}, 1);
  });
  EXPECT_FALSE(nobody);
}

TEST_P(InboxTest, PagesNewestFirstCountsUnreadAndMarksOnlyItsOwn) {
  for (int i = 0; i < 5; ++i) tell(1, "applications.step_taken", {{"application", "a"}});
  tell(2, "applications.step_taken", {{"application", "b"}});
  Inbox inbox(database(), clock_);

  auto first = inbox.page(1, std::nullopt, 2);
  ASSERT_TRUE(first) << first.error().detail;
  ASSERT_EQ(first->notices.size(), 2u);
  EXPECT_GT(first->notices[0].id, first->notices[1].id);
  EXPECT_EQ(first->unread, 5);
  ASSERT_TRUE(first->older_than);
  EXPECT_EQ(*first->older_than, first->notices[1].id);

  auto rest = inbox.page(1, first->older_than, 10);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->notices.size(), 3u);
  EXPECT_FALSE(rest->older_than);
  EXPECT_LT(rest->notices[0].id, first->notices[1].id);

  // Marking the first page read leaves the older ones unread.
  auto marked = inbox.mark_read(1, first->notices[0].id, first->notices[1].id);
  ASSERT_TRUE(marked);
  EXPECT_EQ(*marked, 2);
  EXPECT_EQ(*inbox.unread(1), 3);

  // Person 1 naming person 2's notice id marks nothing of person 2's.
  auto theirs = inbox.page(2, std::nullopt);
  ASSERT_TRUE(theirs);
  ASSERT_EQ(theirs->notices.size(), 1u);
  EXPECT_EQ(*inbox.mark_read(1, theirs->notices[0].id + 1000), 3);
  EXPECT_EQ(*inbox.unread(1), 0);
  EXPECT_EQ(*inbox.unread(2), 1);
  EXPECT_EQ(*inbox.mark_read(1, theirs->notices[0].id + 1000), 0);  // nothing left to mark
}

TEST_P(InboxTest, ForgetsNoticesOnlyPastTheirKeepingTime) {
  tell(1, "applications.step_taken", {{"application", "old"}});
  clock_.advance(std::chrono::seconds(Inbox::kKeepSeconds));
  tell(1, "applications.step_taken", {{"application", "new"}});
  Inbox inbox(database(), clock_);
  auto gone = inbox.sweep();
  ASSERT_TRUE(gone);
  EXPECT_EQ(*gone, 1);
  auto left = inbox.page(1, std::nullopt);
  ASSERT_TRUE(left);
  ASSERT_EQ(left->notices.size(), 1u);
  EXPECT_EQ(left->notices[0].application, "new");
}

PRATU_INSTANTIATE_ENGINE_TESTS(InboxTest);

class InboxWordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = web::Translations::load(PRATU_SOURCE_DIR "/locales");
    ASSERT_TRUE(loaded) << loaded.error().detail;
    t_ = std::make_unique<web::Translations>(std::move(*loaded));
  }
  Notice notice(std::string topic, json::object payload) {
    Notice n;
    n.id = 1;
    n.topic = std::move(topic);
    n.application = "0123abcd";
    n.payload = std::move(payload);
    return n;
  }
  std::unique_ptr<web::Translations> t_;
};

TEST_F(InboxWordsTest, SaysEachTopicInThePersonsLanguageAndLeadsToTheirSide) {
  auto step = notice("applications.step_taken",
                     {{"service", "unknown-service"},
                      {"status", {{"th", "ขอข้อมูลเพิ่มเติม"}, {"en", "More information needed"}}},
                      {"next", {{"th", "แก้ไขคำขอ"}, {"en", "Change your answers"}}}});
  auto th = describe(step, web::Locale::th, *t_, nullptr, false);
  EXPECT_NE(th.text.find("ขอข้อมูลเพิ่มเติม"), std::string::npos) << th.text;
  EXPECT_NE(th.text.find("แก้ไขคำขอ"), std::string::npos) << th.text;
  EXPECT_EQ(th.link, "/applications/0123abcd");
  auto en = describe(step, web::Locale::en, *t_, nullptr, false);
  EXPECT_NE(en.text.find("More information needed"), std::string::npos) << en.text;

  auto to_officer =
      describe(notice("applications.message",
                      {{"service", "s"}, {"reference", "BMA-2569-000042"}, {"from_agency", false}}),
               web::Locale::en, *t_, nullptr, true);
  EXPECT_NE(to_officer.text.find("BMA-2569-000042"), std::string::npos) << to_officer.text;
  EXPECT_EQ(to_officer.link, "/agency/applications/0123abcd#messages");

  auto to_applicant =
      describe(notice("applications.message", {{"service", "s"}, {"from_agency", true}}),
               web::Locale::th, *t_, nullptr, false);
  EXPECT_EQ(to_applicant.link, "/applications/0123abcd#messages");
  EXPECT_NE(to_applicant.text, to_officer.text);

  auto overdue =
      describe(notice("applications.overdue", {{"reference", "R-1"}, {"due_date", "2026-12-07"}}),
               web::Locale::th, *t_, nullptr, true);
  EXPECT_NE(overdue.text.find("2569"), std::string::npos) << overdue.text;  // Buddhist era
  EXPECT_NE(overdue.text.find("R-1"), std::string::npos);
}

// The step a payment took says what was received (ADR 0034); the payment's own notice, sent
// only when the application did not move, says it was received.
TEST_F(InboxWordsTest, APaymentsStepSaysTheAmountReceivedAndTheNewStatus) {
  auto step = notice("applications.step_taken",
                     {{"service", "unknown-service"},
                      {"status", {{"th", "ชำระค่าธรรมเนียมแล้ว"}, {"en", "Fee paid"}}},
                      {"bill", "BL7Q2X"},
                      {"paid_satang", 123456789}});
  auto th = describe(step, web::Locale::th, *t_, nullptr, false);
  EXPECT_NE(th.text.find("ได้รับชำระค่าธรรมเนียม"), std::string::npos) << th.text;
  EXPECT_NE(th.text.find("1,234,567.89 บาท"), std::string::npos) << th.text;
  EXPECT_NE(th.text.find("ชำระค่าธรรมเนียมแล้ว"), std::string::npos) << th.text;
  EXPECT_EQ(th.link, "/applications/0123abcd");
  auto en = describe(step, web::Locale::en, *t_, nullptr, false);
  EXPECT_NE(en.text.find("payment of 1,234,567.89 baht"), std::string::npos) << en.text;
  EXPECT_NE(en.text.find("Fee paid"), std::string::npos) << en.text;

  auto alone = describe(notice("payments.paid", {{"service", "s"}, {"reference", "R-2"}}),
                        web::Locale::th, *t_, nullptr, false);
  EXPECT_NE(alone.text.find("R-2"), std::string::npos) << alone.text;
  EXPECT_NE(alone.text.find("ได้รับชำระ"), std::string::npos) << alone.text;
}

}  // namespace
}  // namespace pratu::notifications
