#pragma once
/// Slows down password guessing without letting a stranger lock an owner out (ADR 0007).
/// Attempts are counted, before the password is checked, per (account, client address) pair
/// and per address, and those keys are locked for a while at their limits; failures on an
/// account from everywhere only make addresses it never logged in from wait a doubling delay.
/// Counters live in the database, so every node sees them.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::accounts {

/// Limits, from the `login` config section.
struct ThrottleSettings {
  int account_max_failures = 5;   // per account from one address (IPv6: /64), then locked
  int address_max_failures = 20;  // per client address (IPv6: per /64) within the window
  int account_slow_after = 5;     // per account from anywhere, then new addresses wait
  int window_minutes = 15;
  int lockout_minutes = 15;  // also the longest delay
  int known_address_days = 90;
  int account_window_hours = 24;  // failures on an account count towards its delay this long
};

/// The locale key of the "locked" message; its text takes {minutes} (or {seconds} in the
/// `_seconds` variant).
inline constexpr std::string_view kLoginLockedKey = "accounts.errors.login_locked";

/// The locale key of the "wait a moment" message of an account under attack; takes {seconds}.
inline constexpr std::string_view kLoginSlowedKey = "accounts.errors.login_slowed";

/// Minutes to show for a retry delay: rounded up, at least 1.
int retry_minutes(int retry_after_seconds);

/// The throttle key of a client address: the address itself, or its /64 for IPv6 (one
/// subscriber usually holds a whole /64).
std::string address_key(std::string_view address);

/// The name of the shared secret (storage::shared_secret) that keys the throttle's hashes.
inline constexpr std::string_view kThrottleSecretName = "login_throttle";

/// A login attempt the throttle let through; it was counted before the password was checked.
struct LoginAttempt {
  std::string account_hash;
  std::string pair_hash;
  std::string address_hash;
  std::string known_hash;
  std::int64_t pair_failures = 0;  // counted within the window, this attempt included
  std::int64_t address_failures = 0;
};

/// Counts login attempts. Keys are stored as HMAC-SHA-256 under `hash_key` (shared by every
/// node), never in clear. Thread-safe.
class LoginThrottle {
 public:
  static constexpr std::size_t kMinHashKeyBytes = 32;

  /// Throws std::invalid_argument when `hash_key` is shorter than kMinHashKeyBytes.
  LoginThrottle(storage::Database& db, const Clock& clock, std::string hash_key,
                ThrottleSettings settings = {});

  /// Counts an attempt on `account` from `address` in one transaction with the check, so
  /// parallel attempts cannot pass a limit. Fails with ErrorCode::rate_limited (message
  /// kLoginLockedKey, retry_after_seconds set), counting nothing, while the pair or the address
  /// is locked or, for an address the account never logged in from, the account's delay runs.
  Result<LoginAttempt> begin(std::string_view account, std::string_view address);

  /// The password was wrong. Fails with ErrorCode::rate_limited when this failure reaches the
  /// pair's or the address's limit and locks it.
  Result<void> record_failure(const LoginAttempt& attempt);

  /// The password was right: gives the attempt back, forgets the pair's failures and remembers
  /// the address as one the account logs in from.
  Result<void> record_success(const LoginAttempt& attempt);
  /// `record_success` inside the caller's write transaction `c` (what else the login writes
  /// commits with it: one commit, not two).
  Result<void> record_success(storage::Connection& c, const LoginAttempt& attempt);

  /// Deletes counters that no longer matter (for a periodic job); returns how many.
  Result<std::int64_t> purge_stale();

  /// A short opaque tag of `account` for log lines: the same account gives the same tag, and
  /// nobody without the hash key can tell whose it is.
  std::string log_tag(std::string_view account) const;

  /// The limits in force.
  const ThrottleSettings& settings() const { return settings_; }

 private:
  Error locked_error(std::int64_t until, std::int64_t now) const;
  Error slowed_error(std::int64_t until, std::int64_t now) const;
  std::string key_hash(std::string_view type, std::string_view key) const;
  std::int64_t delay_seconds(std::int64_t account_failures) const;

  storage::Database& db_;
  const Clock& clock_;
  std::string hash_key_;
  ThrottleSettings settings_;
};

}  // namespace pratu::accounts
