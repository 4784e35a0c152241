#pragma once
/// Reads a holiday file (datasets/holidays/<calendar>.yaml): whole years of holidays, each
/// year marked provisional until it is announced. Problems name the file and line.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "common/working_days.hpp"

namespace pratu::platform {

/// One holiday as a holiday file names it.
struct NamedHoliday {
  std::chrono::year_month_day date;
  std::string name_th;
  std::string name_en;
};

/// One year of a holiday file: its holidays in the file's order.
struct HolidayListYear {
  int year = 0;
  bool provisional = false;
  std::vector<NamedHoliday> holidays;
};

/// The years of `file`, in order, with their holidays' names. Refused: an unknown key, a year
/// without its holidays, years that do not follow one another, a date outside its year or given
/// twice, a holiday without its Thai and English names.
Result<std::vector<HolidayListYear>> read_holiday_file(const std::filesystem::path& file);

/// The calendar of `years` (the names left out).
WorkingDayCalendar calendar_of(const std::vector<HolidayListYear>& years);

/// The calendar in `file`: read_holiday_file, then calendar_of.
Result<WorkingDayCalendar> load_holiday_file(const std::filesystem::path& file);

}  // namespace pratu::platform
