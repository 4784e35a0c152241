#pragma once
/// Limits how much feedback one client address sends in an hour. Counted in the database (so
/// every node sees the same count) under an HMAC-SHA-256 of the address with a secret every
/// node shares: the table holds no address in clear.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::feedback {

/// The name of the throttle's key in server_secrets.
inline constexpr std::string_view kThrottleSecretName = "feedback_throttle";
/// The locale key of the over-limit message; its text takes {minutes}.
inline constexpr std::string_view kThrottledKey = "feedback.errors.throttled";

/// What the throttle counts by: an IPv4 address, or an IPv6 address's /64 (one household's
/// or device's network, which can change its low bits at will).
std::string throttle_address(std::string_view address);

class FeedbackThrottle {
 public:
  /// The shortest hash key accepted, in bytes.
  static constexpr std::size_t kMinHashKeyBytes = 32;
  static constexpr std::int64_t kWindowSeconds = 3600;

  /// Throws std::invalid_argument when `hash_key` is shorter than kMinHashKeyBytes.
  FeedbackThrottle(const Clock& clock, std::string hash_key, int per_address_per_hour);

  /// Counts one submission from `address` in the caller's transaction, atomically with the
  /// check: fails with ErrorCode::rate_limited (kThrottledKey, retry_after_seconds) when the
  /// address has used up its hour; the caller's rollback then leaves the count as it was.
  Result<void> count(storage::Connection& c, std::string_view address) const;

  /// Deletes the counters of windows that have ended; returns how many.
  Result<std::int64_t> purge_stale(storage::Database& db) const;

 private:
  std::string key_hash(std::string_view address) const;

  const Clock& clock_;
  std::string hash_key_;
  int limit_;
};

}  // namespace pratu::feedback
