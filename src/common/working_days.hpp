#pragma once
/// Working-day arithmetic for legal time limits (shared/reference/workflows.md §3): Monday to
/// Friday, less a calendar's holidays. A period's first day is the first working day strictly
/// after the day it starts from (Administrative Procedure Act B.E. 2539 §64(1)); the due date is
/// the Nth working day. A calendar covers whole years; nothing is computed past them.

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "common/result.hpp"

namespace pratu {

/// One year's holidays of a calendar, and whether the year is still provisional (not yet
/// announced: its lunar holidays computed, its special holidays unknown).
struct HolidayYear {
  std::set<std::chrono::sys_days> holidays;
  bool provisional = false;
};

/// A due date, and whether it rests on a provisional year.
struct DueDate {
  std::chrono::year_month_day date;
  bool provisional = false;
};

class WorkingDayCalendar {
 public:
  WorkingDayCalendar() = default;
  /// The calendar of `years`, by year; the years must follow one another.
  explicit WorkingDayCalendar(std::map<int, HolidayYear> years) : years_(std::move(years)) {}

  /// Whether `day` is a weekday and no holiday; nullopt outside the years covered.
  std::optional<bool> is_working_day(std::chrono::year_month_day day) const;
  /// The `n`th working day after `start` (n ≥ 1), as a legal time limit of n working days
  /// counted from `start`. Fails when the count runs past the years covered, so no deadline is
  /// guessed from an unknown year.
  Result<DueDate> add_working_days(std::chrono::year_month_day start, int n) const;

  /// The working days after `after` up to and including `through` (0 when `through` is not
  /// later); nullopt when a day between lies outside the years covered.
  std::optional<int> working_days_between(std::chrono::year_month_day after,
                                          std::chrono::year_month_day through) const;

  /// The first and last year covered, or nullopt when empty.
  std::optional<std::pair<int, int>> years() const;

 private:
  std::map<int, HolidayYear> years_;
};

}  // namespace pratu
