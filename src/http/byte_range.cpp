#include "http/byte_range.hpp"

#include <charconv>
#include <optional>

namespace pratu::http {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Digits only (no sign, no spaces), within 64 bits.
std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

ByteRange parse_byte_range(std::string_view header, std::uint64_t size) {
  const ByteRange whole;
  header = trimmed(header);
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() <= kUnit.size()) return whole;
  for (std::size_t i = 0; i < kUnit.size(); ++i) {
    const char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kUnit[i]) return whole;
  }
  const std::string_view spec = trimmed(header.substr(kUnit.size()));
  if (spec.find(',') != std::string_view::npos) return whole;
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view from = trimmed(spec.substr(0, dash));
  const std::string_view to = trimmed(spec.substr(dash + 1));
  ByteRange range;
  range.kind = ByteRange::Kind::part;
  if (from.empty()) {
    // The last N bytes.
    const auto suffix = number(to);
    if (!suffix) return whole;
    if (*suffix == 0 || size == 0) return {ByteRange::Kind::unsatisfiable, 0, 0};
    range.first = *suffix >= size ? 0 : size - *suffix;
    range.last = size - 1;
    return range;
  }
  const auto first = number(from);
  if (!first) return whole;
  std::optional<std::uint64_t> last;
  if (!to.empty()) {
    last = number(to);
    if (!last || *last < *first) return whole;
  }
  if (*first >= size) return {ByteRange::Kind::unsatisfiable, 0, 0};
  range.first = *first;
  range.last = last && *last < size ? *last : size - 1;
  return range;
}

}  // namespace pratu::http
