#pragma once
/// SQL for the holiday calendar (migrations 0007_holidays), the same on both engines. Functions
/// take a connection inside a transaction; the service decides the transactions. A user id of
/// 0 is stored as nobody (NULL): a change copied from the holiday file.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "common/result.hpp"
#include "common/working_days.hpp"
#include "domains/applications/holidays.hpp"
#include "storage/database.hpp"

namespace pratu::applications::repository {

/// Adds year `year` unless the calendar has it; whether it was added.
Result<bool> add_holiday_year(storage::Connection& c, int year, bool provisional, std::int64_t by,
                              std::int64_t at);

/// Marks `year` provisional or announced, adding it when the calendar lacks it.
Result<void> mark_holiday_year(storage::Connection& c, int year, bool provisional, std::int64_t by,
                               std::int64_t at);

/// Adds `holiday` to its year (which must be in the calendar); false, with nothing changed,
/// when its day is a holiday already.
Result<bool> add_holiday(storage::Connection& c, const Holiday& holiday);

/// Removes the holiday on `day`: it as it was, or nullopt when `day` was none.
Result<std::optional<Holiday>> remove_holiday(storage::Connection& c,
                                              std::chrono::year_month_day day);

/// Records `change`.
Result<void> record_holiday_change(storage::Connection& c, const HolidayChange& change);

/// The years from `first` to `last` that the calendar has, with their holidays by date.
Result<std::vector<CalendarYear>> holiday_years(storage::Connection& c, int first, int last);

/// The latest `limit` changes to the years from `first` to `last`, the latest first.
Result<std::vector<HolidayChange>> holiday_changes(storage::Connection& c, int first, int last,
                                                   int limit);

/// Every year of the calendar, for counting working days.
Result<std::map<int, HolidayYear>> working_day_years(storage::Connection& c);

}  // namespace pratu::applications::repository
