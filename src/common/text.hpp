#pragma once
/// Small text helpers every layer shares.

#include <string_view>

namespace pratu {

/// HTTP's optional whitespace (RFC 9110 §5.6.3): spaces and tabs.
inline constexpr std::string_view kOptionalWhitespace = " \t";
/// ASCII whitespace, as people leave it around what they type.
inline constexpr std::string_view kAsciiWhitespace = " \t\r\n";

/// `text` without the leading and trailing characters found in `chars`.
constexpr std::string_view trim(std::string_view text,
                                std::string_view chars = kOptionalWhitespace) {
  const auto first = text.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(chars);
  return text.substr(first, last - first + 1);
}

}  // namespace pratu
