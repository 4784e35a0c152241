#pragma once
/// Reads a holiday file (datasets/holidays/<calendar>.yaml): whole years of holidays, each
/// year marked provisional until it is announced. Problems name the file and line.

#include <filesystem>

#include "common/result.hpp"
#include "common/working_days.hpp"

namespace pratu::platform {

/// The calendar in `file`. Refused: an unknown key, a year without its holidays, years that do
/// not follow one another, a date outside its year or given twice, a holiday without its Thai
/// and English names.
Result<WorkingDayCalendar> load_holiday_file(const std::filesystem::path& file);

}  // namespace pratu::platform
