#pragma once
/// Slows down password guessing: failed logins are counted per account and per client
/// address in the database (so every node sees them), and a key with too many failures in a
/// window is locked for a while.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::accounts {

/// Limits, from the `accounts.throttle` config section.
struct ThrottleSettings {
  int account_max_failures = 5;   // per account within the window, then locked
  int address_max_failures = 20;  // per client address (IPv6: per /64) within the window
  int window_minutes = 15;
  int lockout_minutes = 15;
};

/// The locale key of the "locked" message; its text takes {minutes}.
inline constexpr std::string_view kLoginLockedKey = "accounts.errors.login_locked";

/// Minutes to show for a retry delay: rounded up, at least 1.
int retry_minutes(int retry_after_seconds);

/// The throttle key of a client address: the address itself, or its /64 for IPv6 (one
/// subscriber usually holds a whole /64).
std::string address_key(std::string_view address);

/// The name of the shared secret (storage::shared_secret) that keys the throttle's hashes.
inline constexpr std::string_view kThrottleSecretName = "login_throttle";

/// Counts failed logins. Keys are stored as HMAC-SHA-256 under `hash_key` (shared by every
/// node), never in clear. Thread-safe.
class LoginThrottle {
 public:
  static constexpr std::size_t kMinHashKeyBytes = 32;

  /// Throws std::invalid_argument when `hash_key` is shorter than kMinHashKeyBytes.
  LoginThrottle(storage::Database& db, const Clock& clock, std::string hash_key,
                ThrottleSettings settings = {});

  /// Fails with ErrorCode::rate_limited (message kLoginLockedKey, retry_after_seconds set)
  /// while `account` or `address` is locked.
  Result<void> check(std::string_view account, std::string_view address);

  /// Counts one failure for `account` and `address`. Fails with ErrorCode::rate_limited when
  /// this failure reaches a limit and locks the key.
  Result<void> record_failure(std::string_view account, std::string_view address);

  /// Forgets the failures of `account` after a successful login (the address keeps its count).
  Result<void> record_success(std::string_view account);

  /// Deletes counters that no longer matter (for a periodic job); returns how many.
  Result<std::int64_t> purge_stale();

  /// The limits in force.
  const ThrottleSettings& settings() const { return settings_; }

 private:
  Error locked_error(std::int64_t until, std::int64_t now) const;
  std::string key_hash(std::string_view type, std::string_view key) const;

  storage::Database& db_;
  const Clock& clock_;
  std::string hash_key_;
  ThrottleSettings settings_;
};

}  // namespace pratu::accounts
