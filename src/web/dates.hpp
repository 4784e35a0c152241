#pragma once
/// Dates as people read them: the Buddhist era in Thai, the Gregorian calendar in English.

#include <cstdint>
#include <string>
#include <string_view>

#include "web/context.hpp"

namespace pratu::web {

/// A long date in Asia/Bangkok, e.g. "24 พฤศจิกายน 2569" or "24 November 2026".
std::string format_date(Locale locale, std::int64_t epoch_seconds);

/// A civil date written YYYY-MM-DD (a due date, a day of issue) as format_date writes it;
/// the text itself when it is not such a date.
std::string format_day(Locale locale, std::string_view iso_date);
/// Date and time in Asia/Bangkok, e.g. "24 พ.ย. 2569 14:05" or "24 Nov 2026, 14:05".
std::string format_date_time(Locale locale, std::int64_t epoch_seconds);

/// For machines: ISO 8601 in Thai time with its offset, "2026-12-02T14:05:00+07:00".
std::string iso_date_time(std::int64_t epoch_seconds);

}  // namespace pratu::web
