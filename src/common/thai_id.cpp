#include "common/thai_id.hpp"

#include <initializer_list>

namespace pratu {

namespace {

constexpr std::size_t kIdLength = 13;

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Inserts '-' between groups of the given sizes; assumes 13 digits.
std::string group(std::string_view digits, std::initializer_list<std::size_t> sizes) {
  std::string out;
  std::size_t pos = 0;
  for (auto size : sizes) {
    if (!out.empty()) out.push_back('-');
    out.append(digits.substr(pos, size));
    pos += size;
  }
  return out;
}

ThaiIdCheck check(std::string_view input, bool juristic) {
  auto digits = normalize_thai_id(input);
  if (!digits) return {ThaiIdStatus::malformed, {}};
  ThaiIdCheck result{ThaiIdStatus::valid, std::move(*digits)};
  char first = result.digits.front();
  bool category_ok = juristic ? first == '0' : (first != '0' && first != '9');
  if (!category_ok) {
    result.status = ThaiIdStatus::wrong_category;
  } else if (thai_id_check_digit(result.digits) != result.digits.back()) {
    result.status = ThaiIdStatus::bad_check_digit;
  }
  return result;
}

}  // namespace

std::optional<std::string> normalize_thai_id(std::string_view input) {
  std::string out;
  for (std::size_t i = 0; i < input.size(); ++i) {
    char c = input[i];
    if (c >= '0' && c <= '9') {
      out.push_back(c);
    } else if (c == '-' || c == ' ') {
      continue;
    } else if (i + 2 < input.size() && static_cast<unsigned char>(c) == 0xE0 &&
               static_cast<unsigned char>(input[i + 1]) == 0xB9 &&
               static_cast<unsigned char>(input[i + 2]) >= 0x90 &&
               static_cast<unsigned char>(input[i + 2]) <= 0x99) {
      // Thai digits U+0E50..U+0E59 (UTF-8 E0 B9 90..99), typed on a Thai keyboard.
      out.push_back(static_cast<char>('0' + (static_cast<unsigned char>(input[i + 2]) - 0x90)));
      i += 2;
    } else {
      return std::nullopt;
    }
    if (out.size() > kIdLength) return std::nullopt;
  }
  if (out.size() != kIdLength) return std::nullopt;
  return out;
}

char thai_id_check_digit(std::string_view digits) {
  int sum = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    sum += (digits[i] - '0') * static_cast<int>(13 - i);
  }
  return static_cast<char>('0' + (11 - sum % 11) % 10);
}

ThaiIdCheck check_citizen_id(std::string_view input) { return check(input, false); }

ThaiIdCheck check_juristic_id(std::string_view input) { return check(input, true); }

std::string format_citizen_id(std::string_view digits) {
  if (digits.size() != kIdLength || !all_digits(digits)) return std::string(digits);
  return group(digits, {1, 4, 5, 2, 1});
}

std::string format_juristic_id(std::string_view digits) {
  if (digits.size() != kIdLength || !all_digits(digits)) return std::string(digits);
  return group(digits, {1, 2, 1, 3, 5, 1});
}

std::string mask_citizen_id(std::string_view digits) {
  // Never echo something that is not an ID: it might be another piece of personal data.
  if (digits.size() != kIdLength || !all_digits(digits)) return {};
  std::string masked(digits);
  for (std::size_t i = 5; i < 12; ++i) masked[i] = 'x';
  return group(masked, {1, 4, 5, 2, 1});
}

}  // namespace pratu
