#pragma once
/// Amounts of money as figures: whole satang (1 baht = 100 satang) in, Thai-style text out.

#include <cstdint>
#include <string>

namespace pratu {

/// Baht with thousands separators and two decimals: 150000 → "1,500.00", -5 → "-0.05".
std::string format_baht(std::int64_t satang);

}  // namespace pratu
