#include "common/unicode_text.hpp"

#include <unicode/unistr.h>

#include <cstdint>
#include <string>

namespace pratu {

bool is_valid_utf8(std::string_view text) {
  auto decoded = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
  std::string round_trip;
  decoded.toUTF8String(round_trip);
  return round_trip == text;
}

bool is_bidi_control(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

std::size_t code_point_count(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;  // every byte but a continuation byte starts one
  }
  return count;
}

}  // namespace pratu
