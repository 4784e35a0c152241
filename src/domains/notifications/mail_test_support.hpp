#pragma once
/// Reading back what the mail encoder wrote, for the tests: base64 and RFC 2047 B-words.

#include <string>
#include <string_view>
#include <vector>

#include "crypto/base64.hpp"

namespace pratu::notifications::test {

/// The bytes of base64 `text`, its lines joined (CR and LF dropped); "<not base64>" when the
/// rest is not strict, padded base64, so a test comparing it fails.
inline std::string base64_decode(std::string_view text) {
  std::string joined;
  for (char c : text) {
    if (c != '\r' && c != '\n') joined += c;
  }
  return crypto::decode_base64(joined, crypto::Base64Padding::required).value_or("<not base64>");
}

/// The encoded-words of a header value, in order (each "=?UTF-8?B?...?=").
inline std::vector<std::string> encoded_words(std::string_view value) {
  std::vector<std::string> out;
  for (auto at = value.find("=?"); at != std::string_view::npos; at = value.find("=?", at)) {
    const auto end = value.find("?=", at + 10);
    if (end == std::string_view::npos) break;
    out.emplace_back(value.substr(at, end + 2 - at));
    at = end + 2;
  }
  return out;
}

/// The UTF-8 bytes a B-word carries.
inline std::string decode_word(std::string_view word) {
  return base64_decode(word.substr(10, word.size() - 12));
}

/// A header value decoded: every B-word's bytes joined (whitespace between words dropped).
inline std::string decode_header(std::string_view value) {
  std::string out;
  for (const auto& word : encoded_words(value)) out += decode_word(word);
  return out;
}

}  // namespace pratu::notifications::test
