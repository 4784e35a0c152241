#include "domains/applications/tus.hpp"

#include <array>
#include <limits>

#include "crypto/base64.hpp"

namespace pratu::applications::tus {

namespace {

bool valid_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    // Printable ASCII without space or comma (the separators).
    if (c <= ' ' || c > '~' || c == ',') return false;
  }
  return true;
}

}  // namespace

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
      auto value = crypto::decode_base64(item.substr(space + 1), crypto::Base64Padding::required);
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
