#include "common/money.hpp"

namespace pratu {

std::string format_baht(std::int64_t satang) {
  const bool negative = satang < 0;
  // Negated in unsigned arithmetic, so INT64_MIN has a magnitude too.
  std::uint64_t value = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(satang)
                                 : static_cast<std::uint64_t>(satang);
  // Written backwards: the satang, the point, then the baht in groups of three.
  char buffer[40];
  char* at = buffer + sizeof buffer;
  *--at = static_cast<char>('0' + value % 10);
  value /= 10;
  *--at = static_cast<char>('0' + value % 10);
  value /= 10;
  *--at = '.';
  int digits = 0;
  do {
    if (digits > 0 && digits % 3 == 0) *--at = ',';
    *--at = static_cast<char>('0' + value % 10);
    value /= 10;
    ++digits;
  } while (value > 0);
  if (negative) *--at = '-';
  return std::string(at, static_cast<std::size_t>(buffer + sizeof buffer - at));
}

}  // namespace pratu
