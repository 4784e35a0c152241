#include "platform/settings.hpp"

#include <charconv>

namespace pratu::platform {

Setting integer(std::string key, std::string description, int& field, int min, int max) {
  return Setting{std::move(key), std::move(description), [&field] { return std::to_string(field); },
                 [&field, min, max](const std::string& text) -> std::optional<std::string> {
                   int value = 0;
                   auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
                   if (ec != std::errc() || end != text.data() + text.size()) {
                     return "must be a whole number, got \"" + text + "\"";
                   }
                   if (value < min || value > max) {
                     return "must be between " + std::to_string(min) + " and " +
                            std::to_string(max) + ", got " + text;
                   }
                   field = value;
                   return std::nullopt;
                 }};
}

Setting text(std::string key, std::string description, std::string& field,
             std::set<std::string> allowed) {
  return Setting{std::move(key), std::move(description), [&field] { return field; },
                 [&field, allowed = std::move(allowed)](
                     const std::string& value) -> std::optional<std::string> {
                   if (!allowed.empty() && !allowed.contains(value)) {
                     std::string list;
                     for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
                     return "must be one of " + list + ", got \"" + value + "\"";
                   }
                   if (allowed.empty() && value.empty()) return std::string("must not be empty");
                   field = value;
                   return std::nullopt;
                 }};
}

Setting boolean(std::string key, std::string description, bool& field) {
  return Setting{std::move(key), std::move(description),
                 [&field] { return std::string(field ? "true" : "false"); },
                 [&field](const std::string& value) -> std::optional<std::string> {
                   if (value != "true" && value != "false") {
                     return "must be true or false, got \"" + value + "\"";
                   }
                   field = value == "true";
                   return std::nullopt;
                 }};
}

}  // namespace pratu::platform
