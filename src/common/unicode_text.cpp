#include "common/unicode_text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
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

std::optional<std::string> nfc_trimmed(std::string_view text) {
  if (text.size() > 0x7fffffff || !is_valid_utf8(text)) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::nullopt;
  const icu::UnicodeString normal =
      nfc->normalize(icu::UnicodeString::fromUTF8(
                         icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size()))),
                     status);
  if (U_FAILURE(status)) return std::nullopt;
  std::int32_t start = 0;
  std::int32_t end = normal.length();
  while (start < end && u_isUWhiteSpace(normal.char32At(start))) {
    start = normal.moveIndex32(start, 1);
  }
  while (end > start) {
    const std::int32_t before = normal.moveIndex32(end, -1);
    if (!u_isUWhiteSpace(normal.char32At(before))) break;
    end = before;
  }
  std::string out;
  normal.tempSubStringBetween(start, end).toUTF8String(out);
  return out;
}

std::string with_ascii_digits(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    // ๐..๙ are E0 B9 90..99 in UTF-8.
    if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE0 &&
        static_cast<unsigned char>(text[i + 1]) == 0xB9 &&
        static_cast<unsigned char>(text[i + 2]) >= 0x90 &&
        static_cast<unsigned char>(text[i + 2]) <= 0x99) {
      out.push_back(static_cast<char>('0' + (static_cast<unsigned char>(text[i + 2]) - 0x90)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace pratu
