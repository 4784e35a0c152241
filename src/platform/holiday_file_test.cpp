#include "platform/holiday_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace pratu::platform {
namespace {

namespace chr = std::chrono;
using ::testing::HasSubstr;

chr::year_month_day ymd(int y, unsigned m, unsigned d) {
  return chr::year_month_day{chr::year(y), chr::month(m), chr::day(d)};
}

const WorkingDayCalendar& government() {
  static const WorkingDayCalendar calendar = [] {
    auto loaded = load_holiday_file(PRATU_SOURCE_DIR "/datasets/holidays/th-government.yaml");
    EXPECT_TRUE(loaded) << loaded.error().detail;
    return loaded ? std::move(*loaded) : WorkingDayCalendar();
  }();
  return calendar;
}

struct Vector {
  chr::year_month_day received;
  int n;
  chr::year_month_day due;
  const char* why;
};

// shared/reference/workflows.md §3.5: every vector, from the 2026 government calendar.
TEST(WorkingDays, TheReferenceVectorsHold) {
  const Vector vectors[] = {
      {ymd(2026, 2, 27), 2, ymd(2026, 3, 4), "skips Makha Bucha"},
      {ymd(2026, 4, 10), 5, ymd(2026, 4, 22), "skips Songkran"},
      {ymd(2026, 4, 11), 1, ymd(2026, 4, 16), "weekend receipt before Songkran"},
      {ymd(2026, 5, 12), 1, ymd(2026, 5, 14), "Royal Ploughing 13 May"},
      {ymd(2026, 5, 29), 2, ymd(2026, 6, 4), "substitution 1 Jun and 3 Jun"},
      {ymd(2026, 7, 27), 3, ymd(2026, 8, 4), "three holidays in a row"},
      {ymd(2026, 12, 4), 3, ymd(2026, 12, 11), "substitution 7 Dec and 10 Dec"},
      {ymd(2026, 12, 29), 3, ymd(2027, 1, 5), "31 Dec and 1 Jan across the year end"},
      {ymd(2026, 12, 30), 1, ymd(2027, 1, 4), "year end"},
      {ymd(2026, 1, 1), 1, ymd(2026, 1, 5), "received on a holiday; skips 2 Jan"},
  };
  for (const auto& v : vectors) {
    auto due = government().add_working_days(v.received, v.n);
    ASSERT_TRUE(due) << v.why << ": " << due.error().detail;
    EXPECT_EQ(due->date, v.due) << v.why;
  }
}

TEST(WorkingDays, ADeadlineInAProvisionalYearSaysSo) {
  auto inside = government().add_working_days(ymd(2026, 6, 1), 10);
  ASSERT_TRUE(inside);
  EXPECT_FALSE(inside->provisional);
  auto across = government().add_working_days(ymd(2026, 12, 29), 3);
  ASSERT_TRUE(across);
  EXPECT_TRUE(across->provisional);  // 2027 is not announced yet
}

TEST(WorkingDays, NothingIsCountedPastTheYearsCovered) {
  auto beyond = government().add_working_days(ymd(2027, 12, 20), 30);
  ASSERT_FALSE(beyond);
  EXPECT_THAT(beyond.error().detail, HasSubstr("does not cover 2028"));
  EXPECT_FALSE(government().add_working_days(ymd(2026, 3, 1), 0));
  EXPECT_EQ(government().is_working_day(ymd(2025, 12, 31)), std::nullopt);
  EXPECT_EQ(government().is_working_day(ymd(2026, 4, 13)), false);   // Songkran
  EXPECT_EQ(government().is_working_day(ymd(2026, 5, 1)), true);     // Labour Day: offices open
  EXPECT_EQ(government().is_working_day(ymd(2026, 12, 12)), false);  // a Saturday
}

TEST(WorkingDays, TheDaysBetweenTwoDatesCountOnlyWorkingDays) {
  // Fri 10 Apr 2026 → Wed 22 Apr: Songkran (13–15 Apr) and two weekends left out.
  EXPECT_EQ(government().working_days_between(ymd(2026, 4, 10), ymd(2026, 4, 22)), 5);
  // What add_working_days adds, working_days_between counts back.
  auto due = government().add_working_days(ymd(2026, 7, 27), 3);
  ASSERT_TRUE(due);
  EXPECT_EQ(government().working_days_between(ymd(2026, 7, 27), due->date), 3);
  EXPECT_EQ(government().working_days_between(ymd(2026, 4, 10), ymd(2026, 4, 10)), 0);
  EXPECT_EQ(government().working_days_between(ymd(2026, 4, 22), ymd(2026, 4, 10)), 0);
  // A Saturday to the Sunday after: none.
  EXPECT_EQ(government().working_days_between(ymd(2026, 4, 18), ymd(2026, 4, 19)), 0);
  EXPECT_FALSE(government().working_days_between(ymd(2026, 4, 10), ymd(2031, 1, 5)));
}

TEST(HolidayFile, RefusesWhatCannotBeACalendar) {
  test::TempDir dir;
  auto refused = [&](const std::string& text) {
    auto loaded = load_holiday_file(dir.write("h.yaml", text));
    return loaded ? std::string() : loaded.error().detail;
  };
  EXPECT_THAT(
      refused("years:\n  - year: 2026\n    holidays:\n      - {date: 2026-02-30, th: ก, en: A}\n"),
      HasSubstr("h.yaml:4: date must be YYYY-MM-DD, a real date"));
  EXPECT_THAT(
      refused("years:\n  - year: 2026\n    holidays:\n      - {date: 2027-01-01, th: ก, en: A}\n"),
      HasSubstr("2027-01-01 is not in 2026"));
  EXPECT_THAT(
      refused("years:\n  - year: 2026\n    holidays:\n      - {date: 2026-01-01, th: ก, en: A}\n"
              "      - {date: 2026-01-01, th: ก, en: A}\n"),
      HasSubstr("2026-01-01 is given twice"));
  EXPECT_THAT(refused("years:\n  - {year: 2026, holidays: []}\n  - {year: 2028, holidays: []}\n"),
              HasSubstr("2028 does not follow 2026"));
  EXPECT_THAT(refused("years:\n  - year: 2026\n    holidays:\n      - {date: 2026-01-01, th: ก}\n"),
              HasSubstr("needs its name in en"));
  EXPECT_THAT(refused("calendar: x\n"), HasSubstr("must have years"));
}

TEST(HolidayFile, KeepsEachHolidaysNamesForTheDatabaseToBeSeededWith) {
  test::TempDir dir;
  auto years = read_holiday_file(
      dir.write("h.yaml",
                "years:\n  - year: 2026\n    holidays:\n"
                "      - {date: 2026-12-10, th: วันรัฐธรรมนูญ, en: Constitution Day}\n"
                "  - year: 2027\n    provisional: true\n    holidays: []\n"));
  ASSERT_TRUE(years) << years.error().detail;
  ASSERT_EQ(years->size(), 2u);
  EXPECT_EQ((*years)[0].year, 2026);
  EXPECT_FALSE((*years)[0].provisional);
  ASSERT_EQ((*years)[0].holidays.size(), 1u);
  EXPECT_EQ((*years)[0].holidays[0].date, ymd(2026, 12, 10));
  EXPECT_EQ((*years)[0].holidays[0].name_th, "วันรัฐธรรมนูญ");
  EXPECT_EQ((*years)[0].holidays[0].name_en, "Constitution Day");
  EXPECT_TRUE((*years)[1].provisional);
  const auto calendar = calendar_of(*years);
  EXPECT_EQ(calendar.years(), std::make_pair(2026, 2027));
  EXPECT_EQ(calendar.is_working_day(ymd(2026, 12, 10)), false);
}

}  // namespace
}  // namespace pratu::platform
