#include "platform/settings.hpp"

#include <charconv>

namespace pratu::platform {

std::optional<std::string> parse_integer(const std::string& text, int min, int max, int& out) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return "must be a whole number, got \"" + text + "\"";
  }
  if (value < min || value > max) {
    return "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
           text;
  }
  out = value;
  return std::nullopt;
}

std::optional<std::string> parse_text(const std::string& text, const std::set<std::string>& allowed,
                                      std::string& out) {
  if (!allowed.empty() && !allowed.contains(text)) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return "must be one of " + list + ", got \"" + text + "\"";
  }
  if (allowed.empty() && text.empty()) return std::string("must not be empty");
  out = text;
  return std::nullopt;
}

std::optional<std::string> parse_boolean(const std::string& text, bool& out) {
  if (text != "true" && text != "false") return "must be true or false, got \"" + text + "\"";
  out = text == "true";
  return std::nullopt;
}

Setting integer(std::string key, std::string description, int& field, int min, int max) {
  return Setting{
      std::move(key), std::move(description), [&field] { return std::to_string(field); },
      [&field, min, max](const std::string& text) { return parse_integer(text, min, max, field); }};
}

Setting text(std::string key, std::string description, std::string& field,
             std::set<std::string> allowed) {
  return Setting{std::move(key), std::move(description), [&field] { return field; },
                 [&field, allowed = std::move(allowed)](const std::string& value) {
    return parse_text(value, allowed, field);
                 }};
}

Setting optional_text(std::string key, std::string description, std::string& field) {
  return Setting{std::move(key), std::move(description), [&field] { return field; },
                 [&field](const std::string& value) -> std::optional<std::string> {
                   field = value;
                   return std::nullopt;
                 }};
}

Setting boolean(std::string key, std::string description, bool& field) {
  return Setting{std::move(key), std::move(description),
                 [&field] { return std::string(field ? "true" : "false"); },
                 [&field](const std::string& value) { return parse_boolean(value, field); }};
}

}  // namespace pratu::platform
