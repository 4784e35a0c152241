#include "domains/applications/reference_number.hpp"

#include <cctype>
#include <cstdio>
#include <vector>

namespace pratu::applications {

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

int value_of(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return -1;
}

// The running product of ISO/IEC 7064's hybrid system MOD 37,36 after `body`.
int product_after(std::string_view body) {
  int product = 36;
  for (char c : body) {
    const int v = value_of(c);
    if (v < 0) continue;
    int sum = (product + v) % 36;
    if (sum == 0) sum = 36;
    product = (sum * 2) % 37;
  }
  return product;
}

}  // namespace

char reference_check_character(std::string_view body) {
  // The check value c makes (product + c) mod 36 equal 1.
  const int c = (1 - product_after(body) % 36 + 36) % 36;
  return kAlphabet[static_cast<std::size_t>(c)];
}

std::string reference_number(std::string_view agency, int year, std::int64_t sequence) {
  std::string out;
  for (char c : agency) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  char digits[40];
  std::snprintf(digits, sizeof digits, "-%d-%06lld", year, static_cast<long long>(sequence));
  out += digits;
  out += '-';
  out += reference_check_character(out);
  return out;
}

std::optional<std::string> read_reference(std::string_view typed) {
  // Split into runs of letters and digits; a reference is four: agency, year, sequence, check.
  std::vector<std::string> parts(1);
  for (char c : typed) {
    if (value_of(c) >= 0) {
      parts.back() += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (c == '-' || c == ' ') {
      if (!parts.back().empty()) parts.emplace_back();
    } else {
      return std::nullopt;
    }
  }
  if (parts.back().empty()) parts.pop_back();
  if (parts.size() != 4) return std::nullopt;
  const auto all = [](const std::string& s, auto predicate) {
    for (char c : s) {
      if (!predicate(static_cast<unsigned char>(c))) return false;
    }
    return !s.empty();
  };
  if (!all(parts[0], [](unsigned char c) { return std::isalpha(c) != 0; }) ||
      parts[0].size() > 10 ||
      !all(parts[1], [](unsigned char c) { return std::isdigit(c) != 0; }) ||
      parts[1].size() != 4 ||
      !all(parts[2], [](unsigned char c) { return std::isdigit(c) != 0; }) || parts[2].size() < 6 ||
      parts[2].size() > 12 || parts[3].size() != 1) {
    return std::nullopt;
  }
  std::string written = parts[0] + "-" + parts[1] + "-" + parts[2] + "-";
  if (reference_check_character(written) != parts[3][0]) return std::nullopt;
  return written + parts[3];
}

}  // namespace pratu::applications
