#include "common/civil_date.hpp"

namespace pratu {

std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t length) -> std::optional<int> {
    int out = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      out = out * 10 + (text[i] - '0');
    }
    return out;
  };
  const auto y = number(0, 4);
  const auto m = number(5, 2);
  const auto d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*y},
                                         std::chrono::month{static_cast<unsigned>(*m)},
                                         std::chrono::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string iso_date(std::chrono::year_month_day date) {
  auto padded = [](long value, std::size_t width) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    return value < 0 ? "-" + digits : digits;
  };
  return padded(static_cast<int>(date.year()), 4) + "-" +
         padded(static_cast<unsigned>(date.month()), 2) + "-" +
         padded(static_cast<unsigned>(date.day()), 2);
}

std::chrono::year_month_day thai_date(std::int64_t epoch_seconds) {
  constexpr std::int64_t kThaiOffset = 7 * 3600;
  const std::chrono::sys_seconds at{std::chrono::seconds(epoch_seconds + kThaiOffset)};
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(at)};
}

int thai_fiscal_year(std::chrono::year_month_day date) {
  const int year = static_cast<int>(date.year()) + 543;
  return date.month() >= std::chrono::October ? year + 1 : year;
}

}  // namespace pratu
