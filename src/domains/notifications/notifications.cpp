#include "domains/notifications/notifications.hpp"

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

}  // namespace pratu::notifications
