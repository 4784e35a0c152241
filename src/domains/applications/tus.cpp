#include "domains/applications/tus.hpp"

#include <array>
#include <limits>

namespace pratu::applications::tus {

namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool valid_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    // Printable ASCII without space or comma (the separators).
    if (c <= ' ' || c > '~' || c == ',') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::array<int, 4> v{};
    int padding = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=') {
        // Padding only at the end of the last quantum, in its last two places.
        if (!last || j < 2) return std::nullopt;
        ++padding;
        v[j] = 0;
        continue;
      }
      if (padding > 0) return std::nullopt;
      v[j] = base64_value(c);
      if (v[j] < 0) return std::nullopt;
    }
    const unsigned bits = (static_cast<unsigned>(v[0]) << 18) |
                          (static_cast<unsigned>(v[1]) << 12) | (static_cast<unsigned>(v[2]) << 6) |
                          static_cast<unsigned>(v[3]);
    out.push_back(static_cast<char>((bits >> 16) & 0xFF));
    if (padding < 2) out.push_back(static_cast<char>((bits >> 8) & 0xFF));
    if (padding < 1) out.push_back(static_cast<char>(bits & 0xFF));
  }
  return out;
}

std::optional<std::vector<MetadataPair>> parse_metadata(std::string_view header) {
  std::vector<MetadataPair> pairs;
  if (header.empty()) return pairs;
  std::size_t start = 0;
  while (start <= header.size()) {
    auto comma = header.find(',', start);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view item = header.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    const auto space = item.find(' ');
    const std::string_view key = item.substr(0, space);
    if (!valid_key(key)) return std::nullopt;
    MetadataPair pair{std::string(key), {}};
    if (space != std::string_view::npos) {
      auto value = decode_base64(item.substr(space + 1));
      if (!value) return std::nullopt;
      pair.value = std::move(*value);
    }
    for (const auto& seen : pairs) {
      if (seen.key == pair.key) return std::nullopt;
    }
    pairs.push_back(std::move(pair));
    start = comma + 1;
  }
  return pairs;
}

std::optional<std::int64_t> parse_size(std::string_view header) {
  if (header.empty() || header.size() > 19) return std::nullopt;
  std::int64_t value = 0;
  for (char c : header) {
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::optional<Kind> sniff(std::string_view head) {
  if (head.starts_with("%PDF-")) return Kind::pdf;
  if (head.starts_with("\xFF\xD8\xFF")) return Kind::jpeg;
  if (head.starts_with(std::string_view("\x89PNG\r\n\x1A\n", 8))) return Kind::png;
  return std::nullopt;
}

std::string_view media_type(Kind kind) {
  switch (kind) {
    case Kind::pdf: return "application/pdf";
    case Kind::jpeg: return "image/jpeg";
    case Kind::png: return "image/png";
  }
  return "application/octet-stream";
}

}  // namespace pratu::applications::tus
