#include "domains/accounts/login_throttle.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "crypto/digest.hpp"
#include "domains/accounts/accounts_repository.hpp"

namespace pratu::accounts {

namespace {

// Row types of login_attempts: keys about an account, keys about a client address.
constexpr std::string_view kAccountRow = "account";
constexpr std::string_view kAddressRow = "address";
// Hash domains within them.
constexpr std::string_view kAccount = "account";
constexpr std::string_view kPair = "pair";
constexpr std::string_view kKnown = "known";
constexpr std::string_view kAddress = "address";

constexpr std::int64_t kLogTagHexDigits = 12;

}  // namespace

// Keyed, so a copy of the table cannot be matched against the few billion possible national
// IDs or addresses; domain-separated, so an address never collides with an account.
std::string LoginThrottle::key_hash(std::string_view type, std::string_view key) const {
  return crypto::hmac_sha256_hex(
      hash_key_, "pratu.login_attempts." + std::string(type) + ":" + std::string(key));
}

int retry_minutes(int retry_after_seconds) { return std::max(1, (retry_after_seconds + 59) / 60); }

std::string address_key(std::string_view address) {
  std::string text(address);
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
    bool v4_mapped = std::all_of(bytes, bytes + 10, [](unsigned char b) { return b == 0; }) &&
                     bytes[10] == 0xFF && bytes[11] == 0xFF;
    if (v4_mapped) {
      char v4[INET_ADDRSTRLEN];
      if (inet_ntop(AF_INET, bytes + 12, v4, sizeof v4) != nullptr) return v4;
    }
    std::memset(bytes + 8, 0, 8);
    char v6[INET6_ADDRSTRLEN];
    if (inet_ntop(AF_INET6, bytes, v6, sizeof v6) != nullptr) return std::string(v6) + "/64";
  }
  return text;
}

LoginThrottle::LoginThrottle(storage::Database& db, const Clock& clock, std::string hash_key,
                             ThrottleSettings settings)
    : db_(db), clock_(clock), hash_key_(std::move(hash_key)), settings_(settings) {
  if (hash_key_.size() < kMinHashKeyBytes) {
    throw std::invalid_argument("login throttle hash key must be at least 32 bytes");
  }
}

Error LoginThrottle::locked_error(std::int64_t until, std::int64_t now) const {
  Error e;
  e.code = ErrorCode::rate_limited;
  e.message_key = std::string(kLoginLockedKey);
  e.detail = "login throttled";
  e.retry_after_seconds = static_cast<int>(std::max<std::int64_t>(1, until - now));
  return e;
}

// 1 s at account_slow_after failures, doubling with each one, at most lockout_minutes.
std::int64_t LoginThrottle::delay_seconds(std::int64_t account_failures) const {
  std::int64_t longest = std::int64_t{settings_.lockout_minutes} * 60;
  std::int64_t doublings = account_failures - settings_.account_slow_after;
  if (doublings < 0) return 0;
  if (doublings >= 30) return longest;
  return std::min(longest, std::int64_t{1} << doublings);
}

std::string LoginThrottle::log_tag(std::string_view account) const {
  return crypto::hmac_sha256_hex(hash_key_, "pratu.log_tag:" + std::string(account))
      .substr(0, kLogTagHexDigits);
}

Error LoginThrottle::slowed_error(std::int64_t until, std::int64_t now) const {
  Error e = locked_error(until, now);
  e.message_key = std::string(kLoginSlowedKey);
  e.detail = "login slowed: account under attack";
  return e;
}

Result<LoginAttempt> LoginThrottle::begin(std::string_view account, std::string_view address) {
  std::int64_t now = clock_.now_seconds();
  std::int64_t cutoff = now - std::int64_t{settings_.window_minutes} * 60;
  std::int64_t account_cutoff = now - std::int64_t{settings_.account_window_hours} * 3600;
  std::int64_t lockout = now + std::int64_t{settings_.lockout_minutes} * 60;
  std::string from = address_key(address);
  std::string pair = std::string(account) + "\n" + from;
  LoginAttempt attempt{key_hash(kAccount, account), key_hash(kPair, pair), key_hash(kAddress, from),
                       key_hash(kKnown, pair)};
  // An error rolls the transaction back: a refused attempt counts for nothing. Relaxed: a
  // count lost to a power cut is one guess, and a sync here would idle a hashing thread.
  return db_.write_value<LoginAttempt>(
      [&](storage::Connection& c) -> Result<LoginAttempt> {
        PRATU_TRY(pair_count,
                  repository::add_attempts(c, kAccountRow, attempt.pair_hash, 1, now, cutoff));
        if (pair_count.locked_until > now) return locked_error(pair_count.locked_until, now);
        if (pair_count.failures > settings_.account_max_failures) return locked_error(lockout, now);
        PRATU_TRY(address_count,
                  repository::add_attempts(c, kAddressRow, attempt.address_hash, 1, now, cutoff));
        if (address_count.locked_until > now) return locked_error(address_count.locked_until, now);
        if (address_count.failures > settings_.address_max_failures)
          return locked_error(lockout, now);
        PRATU_TRY(known_until, repository::key_locked_until(c, kAccountRow, attempt.known_hash));
        PRATU_TRY(account_count, repository::add_attempts(c, kAccountRow, attempt.account_hash, 1,
                                                          now, account_cutoff));
        bool known = known_until > now;
        if (!known && account_count.locked_until > now) {
          return slowed_error(account_count.locked_until, now);
        }
        // Set the delay now, not after the password check, so parallel attempts all wait for it.
        if (auto delay = delay_seconds(account_count.failures); delay > 0) {
          PRATU_CHECK(
              repository::raise_locked_until(c, kAccountRow, attempt.account_hash, now + delay));
        }
        attempt.pair_failures = pair_count.failures;
        attempt.address_failures = address_count.failures;
        return attempt;
      },
      storage::Durability::relaxed);
}

Result<void> LoginThrottle::record_failure(const LoginAttempt& attempt) {
  bool lock_pair = attempt.pair_failures >= settings_.account_max_failures;
  bool lock_address = attempt.address_failures >= settings_.address_max_failures;
  if (!lock_pair && !lock_address) return ok();  // counted already, by begin
  std::int64_t now = clock_.now_seconds();
  std::int64_t until = now + std::int64_t{settings_.lockout_minutes} * 60;
  auto locked = db_.write([&](storage::Connection& c) -> Result<void> {
    if (lock_pair) PRATU_CHECK(repository::lock_key(c, kAccountRow, attempt.pair_hash, until, now));
    if (lock_address) {
      PRATU_CHECK(repository::lock_key(c, kAddressRow, attempt.address_hash, until, now));
    }
    return ok();
  });
  if (!locked) return locked.error();
  return locked_error(until, now);
}

Result<void> LoginThrottle::record_success(const LoginAttempt& attempt) {
  return db_.write([&](storage::Connection& c) { return record_success(c, attempt); },
                   storage::Durability::relaxed);
}

Result<void> LoginThrottle::record_success(storage::Connection& c, const LoginAttempt& attempt) {
  std::int64_t now = clock_.now_seconds();
  std::int64_t known_until = now + std::int64_t{settings_.known_address_days} * 86400;
  PRATU_CHECK(repository::clear_key(c, kAccountRow, attempt.pair_hash));
  PRATU_CHECK(repository::refund_attempt(c, kAddressRow, attempt.address_hash));
  PRATU_CHECK(repository::refund_attempt(c, kAccountRow, attempt.account_hash));
  return repository::remember_key(c, kAccountRow, attempt.known_hash, now, known_until);
}

Result<std::int64_t> LoginThrottle::purge_stale() {
  std::int64_t now = clock_.now_seconds();
  std::int64_t longest = std::max(std::int64_t{settings_.window_minutes} * 60,
                                  std::int64_t{settings_.account_window_hours} * 3600);
  return db_.write_value<std::int64_t>([&](storage::Connection& c) {
    return repository::delete_stale_attempts(c, now - longest, now);
  });
}

}  // namespace pratu::accounts
