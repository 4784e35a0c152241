#pragma once
/// Civil dates as ISO 8601 text ("2026-12-02"), as answers, holiday files and form definitions
/// write them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pratu {

/// "YYYY-MM-DD", a real calendar date; nullopt otherwise.
std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text);

/// The date as "YYYY-MM-DD".
std::string iso_date(std::chrono::year_month_day date);

/// The date in Thailand (UTC+7, no daylight saving) at `epoch_seconds`.
std::chrono::year_month_day thai_date(std::int64_t epoch_seconds);

/// The Thai government's fiscal year that `date` falls in, in the Buddhist era: it runs from
/// 1 October to 30 September and is named by the year it ends, so 1 October 2026 to
/// 30 September 2027 is fiscal year 2570.
int thai_fiscal_year(std::chrono::year_month_day date);

}  // namespace pratu
