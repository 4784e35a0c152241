#include "domains/payments/bill.hpp"

#include <array>
#include <cstdio>

namespace pratu::payments {

std::string_view bill_status_key(BillStatus status) {
  switch (status) {
    case BillStatus::awaiting: return "awaiting";
    case BillStatus::paid: return "paid";
    case BillStatus::cancelled: return "cancelled";
  }
  return "cancelled";
}

BillStatus bill_status_of(std::string_view key) {
  if (key == "awaiting") return BillStatus::awaiting;
  if (key == "paid") return BillStatus::paid;
  return BillStatus::cancelled;
}

namespace {

// The Luhn check digit of `digits` (which must all be digits).
char luhn_digit(std::string_view digits) {
  int sum = 0;
  bool twice = true;  // the rightmost digit of the payload is doubled
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

}  // namespace

std::string bill_ref1(int buddhist_year, std::int64_t sequence) {
  std::array<char, 16> buffer{};
  const int year = ((buddhist_year % 100) + 100) % 100;
  const auto n = std::snprintf(buffer.data(), buffer.size(), "%02d%09lld", year,
                               static_cast<long long>(sequence % 1'000'000'000));
  std::string out(buffer.data(), static_cast<std::size_t>(n));
  out.push_back(luhn_digit(out));
  return out;
}

bool is_bill_ref1(std::string_view ref1) {
  if (ref1.size() != 12) return false;
  for (char c : ref1) {
    if (c < '0' || c > '9') return false;
  }
  return luhn_digit(ref1.substr(0, 11)) == ref1.back();
}

std::string bill_ref2(std::string_view due_date) {
  // YYYY-MM-DD → the Buddhist-era year's last two digits, the month, the day.
  if (due_date.size() != 10) return {};
  int year = 0, month = 0, day = 0;
  if (std::sscanf(std::string(due_date).c_str(), "%4d-%2d-%2d", &year, &month, &day) != 3)
    return {};
  std::array<char, 16> buffer{};
  const auto n =
      std::snprintf(buffer.data(), buffer.size(), "%02d%02d%02d", (year + 543) % 100, month, day);
  return std::string(buffer.data(), static_cast<std::size_t>(n));
}

}  // namespace pratu::payments
