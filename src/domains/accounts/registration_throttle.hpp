#pragma once
/// Slows down registering in bulk and probing which national IDs and emails have accounts:
/// registration attempts are counted per client address and per network in the database (so
/// every node sees them), and an answer saying an ID or email is taken costs several attempts.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::accounts {

/// Limits, from the `registration` config section.
struct RegistrationThrottleSettings {
  int address_max_attempts = 10;  // per client address (IPv6: per /64) within the window
  int network_max_attempts = 50;  // per network (IPv4 /24, IPv6 /48) within the window
  int window_minutes = 60;
  int taken_cost = 5;  // attempts an "already has an account" answer counts as
};

/// The locale key of the over-limit message; its text takes {minutes}.
inline constexpr std::string_view kRegisterThrottledKey = "accounts.errors.register_throttled";

/// The network of a client address for throttling: an IPv4 /24 or an IPv6 /48.
std::string network_key(std::string_view address);

/// Counts registration attempts under HMAC-SHA-256 keys (the login throttle's shared secret,
/// another domain), in the login throttle's table. Thread-safe.
class RegistrationThrottle {
 public:
  /// Throws std::invalid_argument when `hash_key` is shorter than 32 bytes.
  RegistrationThrottle(storage::Database& db, const Clock& clock, std::string hash_key,
                       RegistrationThrottleSettings settings = {});

  /// Counts one attempt from `address`, atomically with the check: fails with
  /// ErrorCode::rate_limited (kRegisterThrottledKey, retry_after_seconds) and counts nothing
  /// when the address or its network has used up its attempts.
  Result<void> begin(std::string_view address);

  /// Charges the rest of taken_cost before an answer says an ID or email is taken; fails with
  /// ErrorCode::rate_limited when that uses up the address's or network's attempts, and the
  /// answer must then not be given.
  Result<void> charge_taken(std::string_view address);

  /// The limits in force.
  const RegistrationThrottleSettings& settings() const { return settings_; }

 private:
  Result<void> count(std::string_view address, int attempts, bool refuse_over_limit);
  std::string key_hash(std::string_view type, std::string_view key) const;

  storage::Database& db_;
  const Clock& clock_;
  std::string hash_key_;
  RegistrationThrottleSettings settings_;
};

}  // namespace pratu::accounts
