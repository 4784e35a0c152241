#include "domains/applications/holiday_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "domains/applications/applications_test_fixture.hpp"
#include "domains/applications/holiday_repository.hpp"

namespace pratu::applications {
namespace {

namespace chr = std::chrono;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

chr::year_month_day ymd(int y, unsigned m, unsigned d) {
  return chr::year_month_day{chr::year(y), chr::month(m), chr::day(d)};
}

// The field and message key of each problem, as "field=key".
std::vector<std::string> problems(const Error& error) {
  std::vector<std::string> out;
  for (const auto& f : error.fields) out.push_back(f.field + "=" + f.message_key);
  return out;
}

class HolidayServiceTest : public testing::ApplicantsTest {
 protected:
  void SetUp() override {
    testing::ApplicantsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto file =
        platform::read_holiday_file(PRATU_SOURCE_DIR "/datasets/holidays/th-government.yaml");
    ASSERT_TRUE(file) << file.error().detail;
    file_ = std::move(*file);
    service_ = std::make_unique<HolidayService>(database(), clock_, calendar_);
    auto seeded = service_->seed(file_);
    ASSERT_TRUE(seeded) << seeded.error().detail;
    ASSERT_EQ(*seeded, 2);  // 2026 and 2027
    admin_ = add_admin("Anong", "Srisuk", "admin@pratu.example");
  }

  std::int64_t add_admin(const std::string& given, const std::string& family,
                         const std::string& email) {
    auto id =
        database().write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(row, c.query_one("INSERT INTO users (role, email, given_name, family_name, "
                                     "password_hash, created_at, updated_at, password_changed_at) "
                                     "VALUES ('admin', $1, $2, $3, 'x', 0, 0, 0) RETURNING id",
                                     {email, given, family}));
          return row->int64(0);
        });
    EXPECT_TRUE(id) << id.error().detail;
    return id ? *id : 0;
  }

  std::vector<platform::HolidayListYear> file_;
  SharedCalendar calendar_;
  std::unique_ptr<HolidayService> service_;
  std::int64_t admin_ = 0;
};

TEST_P(HolidayServiceTest, TheFileSeedsTheCalendarAndTheServicesCountWithIt) {
  auto years = calendar_.current()->years();
  ASSERT_TRUE(years);
  EXPECT_EQ(*years, std::make_pair(2026, 2027));
  // shared/reference/workflows.md §3.5: Friday 4 December 2026, 3 working days: Friday the 11th.
  auto due = calendar_.add_working_days(ymd(2026, 12, 4), 3);
  ASSERT_TRUE(due) << due.error().detail;
  EXPECT_EQ(due->date, ymd(2026, 12, 11));
  EXPECT_FALSE(due->provisional);
  auto view = service_->view();
  ASSERT_TRUE(view) << view.error().detail;
  ASSERT_EQ(view->years.size(), 2u);
  EXPECT_EQ(view->years[0].year, 2026);
  EXPECT_TRUE(view->years[0].stored);
  EXPECT_FALSE(view->years[0].provisional);
  EXPECT_EQ(view->years[0].holidays.size(), file_[0].holidays.size());
  EXPECT_EQ(view->years[0].holidays.front().name_th, "วันขึ้นปีใหม่");
  EXPECT_EQ(view->years[0].holidays.front().name_en, "New Year's Day");
  EXPECT_EQ(view->years[0].holidays.front().changed.user_id, 0);  // from the file
  EXPECT_TRUE(view->years[1].provisional);
  ASSERT_EQ(view->changes.size(), 2u);
  EXPECT_EQ(view->changes[0].kind, HolidayChangeKind::seeded);
}

TEST_P(HolidayServiceTest, TheAdministratorsChangesSurviveTheNextStart) {
  ASSERT_TRUE(service_->remove(admin_, "2026-12-10"));
  ASSERT_TRUE(service_->add(admin_, {"2026-12-24", "วันหยุดพิเศษ", "Special holiday"}));
  // The next start seeds from the same file: the years are there, so nothing is copied back.
  SharedCalendar restarted;
  HolidayService again(database(), clock_, restarted);
  auto seeded = again.seed(file_);
  ASSERT_TRUE(seeded) << seeded.error().detail;
  EXPECT_EQ(*seeded, 0);
  EXPECT_EQ(restarted.is_working_day(ymd(2026, 12, 10)), true);
  EXPECT_EQ(restarted.is_working_day(ymd(2026, 12, 24)), false);
}

TEST_P(HolidayServiceTest, AYearTheDatabaseLacksIsCopiedInFromTheFile) {
  auto later = file_;
  later.push_back({2028, true, {{ymd(2028, 1, 3), "ชดเชยวันขึ้นปีใหม่", "New Year (substitution)"}}});
  auto seeded = service_->seed(later);
  ASSERT_TRUE(seeded) << seeded.error().detail;
  EXPECT_EQ(*seeded, 1);
  EXPECT_EQ(calendar_.is_working_day(ymd(2028, 1, 3)), false);
  EXPECT_EQ(calendar_.current()->years()->second, 2028);
}

TEST_P(HolidayServiceTest, AHolidayAddedCountsAtOnceAndIsRecordedWithWhoAndWhen) {
  // Thursday 24 December 2026: a working day until it is made a holiday.
  auto before = calendar_.add_working_days(ymd(2026, 12, 23), 1);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->date, ymd(2026, 12, 24));
  const auto held = calendar_.current();
  auto added = service_->add(admin_, {"2026-12-24", "  วันหยุดพิเศษ  ", "Special holiday"});
  ASSERT_TRUE(added) << added.error().detail;
  EXPECT_EQ(added->name_th, "วันหยุดพิเศษ");
  auto after = calendar_.add_working_days(ymd(2026, 12, 23), 1);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->date, ymd(2026, 12, 25));
  EXPECT_EQ(held->is_working_day(ymd(2026, 12, 24)), true);  // a count under way keeps its own

  auto view = service_->view();
  ASSERT_TRUE(view);
  const auto& changes = view->changes;
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes[0].kind, HolidayChangeKind::added);
  EXPECT_EQ(changes[0].day, "2026-12-24");
  EXPECT_EQ(changes[0].name_en, "Special holiday");
  EXPECT_EQ(changes[0].changed.user_id, admin_);
  EXPECT_EQ(changes[0].changed.name, "Anong Srisuk");
  EXPECT_EQ(changes[0].changed.at, clock_.now_seconds());
  bool shown = false;
  for (const auto& h : view->years[0].holidays) {
    if (h.date == ymd(2026, 12, 24)) {
      shown = true;
      EXPECT_EQ(h.changed.name, "Anong Srisuk");
    }
  }
  EXPECT_TRUE(shown);
}

TEST_P(HolidayServiceTest, ARemovedHolidayIsAWorkingDayAgainAndTheRemovalIsRecorded) {
  clock_.advance(chr::minutes(5));
  auto removed = service_->remove(admin_, "2026-12-10");
  ASSERT_TRUE(removed) << removed.error().detail;
  EXPECT_EQ(removed->name_en, "Constitution Day");
  EXPECT_EQ(calendar_.is_working_day(ymd(2026, 12, 10)), true);
  auto view = service_->view();
  ASSERT_TRUE(view);
  EXPECT_EQ(view->changes[0].kind, HolidayChangeKind::removed);
  EXPECT_EQ(view->changes[0].name_th, "วันรัฐธรรมนูญ");
  EXPECT_EQ(view->changes[0].changed.user_id, admin_);
  EXPECT_EQ(view->changes[0].changed.at, clock_.now_seconds());
  // Not a holiday (any more), or not this year or next: nothing to remove.
  auto again = service_->remove(admin_, "2026-12-10");
  ASSERT_FALSE(again);
  EXPECT_THAT(problems(again.error()),
              ElementsAre("calendar=applications.holidays.errors.remove_unknown"));
  EXPECT_FALSE(service_->remove(admin_, "2025-12-10"));
  EXPECT_FALSE(service_->remove(admin_, "not a date"));
}

TEST_P(HolidayServiceTest, AYearIsMarkedAnnouncedOrProvisional) {
  ASSERT_TRUE(service_->mark_year(admin_, 2027, false));
  auto due = calendar_.add_working_days(ymd(2026, 12, 29), 3);
  ASSERT_TRUE(due);
  EXPECT_FALSE(due->provisional);
  ASSERT_TRUE(service_->mark_year(admin_, 2026, true));
  auto view = service_->view();
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->years[0].provisional);
  EXPECT_EQ(view->years[0].changed.user_id, admin_);
  EXPECT_FALSE(view->years[1].provisional);
  EXPECT_EQ(view->changes[0].kind, HolidayChangeKind::provisional);
  EXPECT_EQ(view->changes[1].kind, HolidayChangeKind::announced);
  auto outside = service_->mark_year(admin_, 2028, false);
  ASSERT_FALSE(outside);
  EXPECT_THAT(problems(outside.error()),
              ElementsAre("calendar=applications.holidays.errors.year_unknown"));
}

TEST_P(HolidayServiceTest, WhatIsWrongWithAHolidayIsSaidFieldByField) {
  auto refused = [&](const TypedHoliday& typed) {
    auto added = service_->add(admin_, typed);
    EXPECT_FALSE(added);
    return added ? std::vector<std::string>{} : problems(added.error());
  };
  EXPECT_THAT(refused({"", "", ""}),
              UnorderedElementsAre("date=errors.date.missing",
                                   "name_th=applications.holidays.errors.name_th_missing",
                                   "name_en=applications.holidays.errors.name_en_missing"));
  EXPECT_THAT(refused({"2028-01-03", "ก", "A"}),
              ElementsAre("date=applications.holidays.errors.date_outside"));
  EXPECT_THAT(refused({"2025-12-31", "ก", "A"}),
              ElementsAre("date=applications.holidays.errors.date_outside"));
  EXPECT_THAT(refused({"2027-02-30", "ก", "A"}), ElementsAre("date=errors.date.not_a_date"));
  EXPECT_THAT(refused({"2027-03-01", std::string(101, 'x'), "A\nB"}),
              ElementsAre("name_th=applications.holidays.errors.name_th_too_long",
                          "name_en=applications.holidays.errors.name_invalid"));
  EXPECT_THAT(refused({"2027-03-01", "ก", std::string(101, 'x')}),
              ElementsAre("name_en=applications.holidays.errors.name_en_too_long"));
  // A hundred Thai characters are a hundred, however many bytes.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "ก";
  EXPECT_TRUE(service_->add(admin_, {"2027-03-01", hundred, "A"}));
  EXPECT_THAT(refused({"2026-12-10", "ซ้ำ", "Again"}),
              ElementsAre("date=applications.holidays.errors.date_taken"));
  EXPECT_THAT(refused({"2027-03-02", "ชื่อ\u202E", "Name"}),
              ElementsAre("name_th=applications.holidays.errors.name_invalid"));
}

TEST_P(HolidayServiceTest, AHolidayInAYearNotInTheCalendarAddsTheYearAsProvisional) {
  // A year later, 2028 is "next year" and not in the calendar (the file stops at 2027).
  clock_.advance(chr::days(366));
  auto view = service_->view();
  ASSERT_TRUE(view);
  EXPECT_EQ(view->years[1].year, 2028);
  EXPECT_FALSE(view->years[1].stored);
  ASSERT_TRUE(service_->add(admin_, {"2028-01-03", "ชดเชยวันขึ้นปีใหม่", "New Year (substitution)"}));
  view = service_->view();
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->years[1].stored);
  EXPECT_TRUE(view->years[1].provisional);
  EXPECT_EQ(calendar_.is_working_day(ymd(2028, 1, 3)), false);
}

TEST_P(HolidayServiceTest, AnotherNodeSeesAChangeAtItsNextReload) {
  SharedCalendar other;
  HolidayService other_node(database(), clock_, other);
  ASSERT_TRUE(other_node.reload());
  ASSERT_TRUE(service_->add(admin_, {"2026-12-24", "วันหยุดพิเศษ", "Special holiday"}));
  EXPECT_EQ(other.is_working_day(ymd(2026, 12, 24)), true);  // not yet
  ASSERT_TRUE(other_node.reload());
  EXPECT_EQ(other.is_working_day(ymd(2026, 12, 24)), false);
}

TEST_P(HolidayServiceTest, TheRepositoryKeepsOneHolidayADay) {
  auto added = database().write_value<bool>([&](storage::Connection& c) {
    return repository::add_holiday(c, Holiday{ymd(2026, 12, 10), "ซ้ำ", "Again", {admin_, "", 1}});
  });
  ASSERT_TRUE(added) << added.error().detail;
  EXPECT_FALSE(*added);
  auto years = database().read_value<std::vector<CalendarYear>>(
      [](storage::Connection& c) { return repository::holiday_years(c, 2026, 2026); });
  ASSERT_TRUE(years);
  ASSERT_EQ(years->size(), 1u);
  for (const auto& h : years->front().holidays) {
    if (h.date == ymd(2026, 12, 10)) EXPECT_EQ(h.name_en, "Constitution Day");
  }
}

PRATU_INSTANTIATE_ENGINE_TESTS(HolidayServiceTest);

}  // namespace
}  // namespace pratu::applications
