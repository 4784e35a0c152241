#pragma once
/// Reading back what the mail encoder wrote, for the tests: base64 and RFC 2047 B-words.

#include <string>
#include <string_view>
#include <vector>

namespace pratu::notifications::test {

/// The bytes of base64 `text` (CR and LF ignored).
inline std::string base64_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) continue;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
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
