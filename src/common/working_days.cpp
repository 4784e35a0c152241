#include "common/working_days.hpp"

namespace pratu {

namespace chr = std::chrono;

std::optional<bool> WorkingDayCalendar::is_working_day(chr::year_month_day day) const {
  auto year = years_.find(static_cast<int>(day.year()));
  if (year == years_.end() || !day.ok()) return std::nullopt;
  const chr::sys_days date(day);
  const chr::weekday weekday(date);
  if (weekday == chr::Saturday || weekday == chr::Sunday) return false;
  return !year->second.holidays.contains(date);
}

Result<DueDate> WorkingDayCalendar::add_working_days(chr::year_month_day start, int n) const {
  if (n < 1 || !start.ok()) {
    return Error::internal("a time limit counts at least one working day from a real date");
  }
  DueDate due{start, false};
  chr::sys_days day(start);
  int counted = 0;
  while (counted < n) {
    day += chr::days(1);
    const chr::year_month_day ymd(day);
    const auto year = years_.find(static_cast<int>(ymd.year()));
    if (year == years_.end()) {
      return Error::unavailable("the holiday calendar does not cover " +
                                std::to_string(static_cast<int>(ymd.year())) +
                                ": add the year's holidays before counting into it");
    }
    due.provisional = due.provisional || year->second.provisional;
    if (*is_working_day(ymd)) ++counted;
  }
  due.date = chr::year_month_day(day);
  return due;
}

std::optional<int> WorkingDayCalendar::working_days_between(chr::year_month_day after,
                                                            chr::year_month_day through) const {
  if (!after.ok() || !through.ok()) return std::nullopt;
  int counted = 0;
  for (chr::sys_days day = chr::sys_days(after) + chr::days(1); day <= chr::sys_days(through);
       day += chr::days(1)) {
    const auto working = is_working_day(chr::year_month_day(day));
    if (!working) return std::nullopt;
    counted += *working ? 1 : 0;
  }
  return counted;
}

std::optional<std::pair<int, int>> WorkingDayCalendar::years() const {
  if (years_.empty()) return std::nullopt;
  return std::make_pair(years_.begin()->first, years_.rbegin()->first);
}

}  // namespace pratu
