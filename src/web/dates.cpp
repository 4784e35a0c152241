#include "web/dates.hpp"

#include <ctime>
#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <chrono>
#include <memory>

#include "common/civil_date.hpp"

namespace pratu::web {

namespace {

enum class Style { date, date_time };

// ICU formatters are costly to build and not thread-safe to share: one per thread and kind.
icu::DateFormat& formatter(Locale locale, Style style) {
  thread_local std::unique_ptr<icu::DateFormat> cache[2][2];
  auto& slot = cache[locale == Locale::en ? 1 : 0][style == Style::date ? 0 : 1];
  if (!slot) {
    icu::Locale icu_locale =
        locale == Locale::en ? icu::Locale("en", "GB") : icu::Locale("th_TH@calendar=buddhist");
    if (style == Style::date) {
      slot.reset(icu::DateFormat::createDateInstance(icu::DateFormat::kLong, icu_locale));
    } else {
      slot.reset(icu::DateFormat::createDateTimeInstance(icu::DateFormat::kMedium,
                                                         icu::DateFormat::kShort, icu_locale));
    }
    slot->adoptTimeZone(icu::TimeZone::createTimeZone("Asia/Bangkok"));
  }
  return *slot;
}

std::string format(Locale locale, Style style, std::int64_t epoch_seconds) {
  icu::UnicodeString text;
  formatter(locale, style).format(static_cast<UDate>(epoch_seconds) * 1000.0, text);
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace

std::string format_date(Locale locale, std::int64_t epoch_seconds) {
  return format(locale, Style::date, epoch_seconds);
}

std::string format_date_time(Locale locale, std::int64_t epoch_seconds) {
  return format(locale, Style::date_time, epoch_seconds);
}

std::string iso_date_time(std::int64_t epoch_seconds) {
  constexpr std::int64_t kThaiOffset = 7 * 3600;
  const std::time_t t = static_cast<std::time_t>(epoch_seconds + kThaiOffset);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+07:00", &tm);
  return text;
}

std::string format_day(Locale locale, std::string_view iso_date) {
  auto day = parse_iso_date(iso_date);
  if (!day) return std::string(iso_date);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::sys_days(*day).time_since_epoch())
                           .count();
  // Noon, so that the day is the same in Thailand whatever the offset.
  return format_date(locale, seconds + 12 * 3600);
}

}  // namespace pratu::web
