#include "domains/notifications/notifications.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace pratu::notifications {

namespace {
constexpr std::string_view kUndeliverableKey = "notifications.undeliverable";
}

std::chrono::seconds retry_delay(int attempt, double unit, int first) {
  const double kBase = std::max(1, first);
  constexpr double kCap = 6 * 3600;
  // 2^20 is far past the cap already; bounding the exponent keeps the arithmetic finite.
  const int exponent = std::clamp(attempt - 1, 0, 20);
  const double base = std::min(kCap, kBase * std::ldexp(1.0, exponent));
  const double jitter = 0.5 + 0.5 * std::clamp(unit, 0.0, 1.0);
  return std::chrono::seconds(static_cast<std::int64_t>(std::llround(base * jitter)));
}

Error undeliverable(std::string why) {
  return Error{ErrorCode::invalid_input, std::string(kUndeliverableKey), std::move(why), {}, 0};
}

bool is_undeliverable(const Error& error) { return error.message_key == kUndeliverableKey; }

Payload Payload::parse(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return Payload(boost::json::object{});
  return Payload(std::move(value.as_object()));
}

Payload::Payload(boost::json::object object) : object_(std::move(object)) {}

const boost::json::value* Payload::at(std::string_view key) const {
  return object_.if_contains(key);
}

std::string Payload::text(std::string_view key) const {
  const auto* v = at(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<std::int64_t> Payload::integer(std::string_view key) const {
  const auto* v = at(key);
  if (v == nullptr || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

std::optional<bool> Payload::flag(std::string_view key) const {
  const auto* v = at(key);
  if (v == nullptr || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

bool Payload::has(std::string_view key) const { return at(key) != nullptr; }

std::string Payload::localized(std::string_view key, web::Locale locale) const {
  const auto* v = at(key);
  if (v == nullptr || !v->is_object()) return {};
  const Payload text(v->get_object());
  std::string said = text.text(web::locale_code(locale));
  return said.empty() ? text.text(locale == web::Locale::en ? "th" : "en") : said;
}

}  // namespace pratu::notifications
