#include "common/shared_calendar.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace pratu {
namespace {

namespace chr = std::chrono;

chr::year_month_day ymd(int y, unsigned m, unsigned d) {
  return chr::year_month_day{chr::year(y), chr::month(m), chr::day(d)};
}

// 2026 with only Constitution Day (Thursday 10 December), and `extra` besides when given.
WorkingDayCalendar calendar_2026(std::optional<chr::year_month_day> extra = std::nullopt) {
  HolidayYear year;
  year.holidays.insert(chr::sys_days(ymd(2026, 12, 10)));
  if (extra) year.holidays.insert(chr::sys_days(*extra));
  return WorkingDayCalendar({{2026, year}});
}

TEST(SharedCalendar, CountsWithTheCalendarItWasLastGiven) {
  SharedCalendar shared(calendar_2026());
  // Wednesday 2 December 2026, three working days on: Monday the 7th.
  auto due = shared.add_working_days(ymd(2026, 12, 2), 3);
  ASSERT_TRUE(due) << due.error().detail;
  EXPECT_EQ(due->date, ymd(2026, 12, 7));
  shared.replace(calendar_2026(ymd(2026, 12, 4)));
  due = shared.add_working_days(ymd(2026, 12, 2), 3);
  ASSERT_TRUE(due) << due.error().detail;
  EXPECT_EQ(due->date, ymd(2026, 12, 8));
  EXPECT_EQ(shared.is_working_day(ymd(2026, 12, 4)), false);
  EXPECT_EQ(shared.working_days_between(ymd(2026, 12, 2), ymd(2026, 12, 11)), 5);
}

TEST(SharedCalendar, ACalendarHeldStaysAsItWasWhenReplaced) {
  SharedCalendar shared(calendar_2026());
  const auto held = shared.current();
  shared.replace(calendar_2026(ymd(2026, 12, 4)));
  EXPECT_EQ(held->is_working_day(ymd(2026, 12, 4)), true);
  EXPECT_EQ(shared.current()->is_working_day(ymd(2026, 12, 4)), false);
}

TEST(SharedCalendar, NoneCountsNothing) {
  EXPECT_FALSE(SharedCalendar::none().current()->years());
  EXPECT_FALSE(SharedCalendar::none().add_working_days(ymd(2026, 12, 2), 1));
  EXPECT_FALSE(SharedCalendar().is_working_day(ymd(2026, 12, 2)));
}

TEST(SharedCalendar, ReadersSeeOneWholeCalendarWhileItIsReplaced) {
  SharedCalendar shared(calendar_2026());
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  readers.reserve(4);
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        // Either calendar gives the 7th or the 8th; anything else would be a torn read.
        auto due = shared.add_working_days(ymd(2026, 12, 2), 3);
        if (!due || (due->date != ymd(2026, 12, 7) && due->date != ymd(2026, 12, 8))) ++torn;
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    shared.replace(i % 2 == 0 ? calendar_2026(ymd(2026, 12, 4)) : calendar_2026());
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(torn.load(), 0);
}

}  // namespace
}  // namespace pratu
