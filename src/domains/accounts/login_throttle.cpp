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

constexpr std::string_view kAccount = "account";
constexpr std::string_view kAddress = "address";

}  // namespace

// Keyed, so a copy of the table cannot be matched against the few billion possible national
// IDs or addresses; domain-separated, so an address never collides with an account.
std::string LoginThrottle::key_hash(std::string_view type, std::string_view key) const {
  return crypto::hmac_sha256_hex(hash_key_,
                                 "pratu.login_attempts." + std::string(type) + ":" + std::string(key));
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

Result<void> LoginThrottle::check(std::string_view account, std::string_view address) {
  std::int64_t now = clock_.now_seconds();
  auto account_hash = key_hash(kAccount, account);
  auto address_hash = key_hash(kAddress, address_key(address));
  PRATU_TRY(until, db_.read_value<std::int64_t>([&](storage::Connection& c) {
    return repository::locked_until(c, account_hash, address_hash);
  }));
  if (until > now) return locked_error(until, now);
  return ok();
}

Result<void> LoginThrottle::record_failure(std::string_view account, std::string_view address) {
  std::int64_t now = clock_.now_seconds();
  std::int64_t cutoff = now - std::int64_t{settings_.window_minutes} * 60;
  std::int64_t until = now + std::int64_t{settings_.lockout_minutes} * 60;
  struct Key {
    std::string_view type;
    std::string hash;
    int limit;
  };
  const Key keys[] = {
      {kAccount, key_hash(kAccount, account), settings_.account_max_failures},
      {kAddress, key_hash(kAddress, address_key(address)), settings_.address_max_failures}};
  PRATU_TRY(locked, db_.write_value<bool>([&](storage::Connection& c) -> Result<bool> {
    bool any = false;
    for (const auto& key : keys) {
      PRATU_TRY(counter, repository::add_failure(c, key.type, key.hash, now, cutoff));
      if (counter.failures >= key.limit) {
        PRATU_CHECK(repository::lock_key(c, key.type, key.hash, until, now));
        any = true;
      }
    }
    return any;
  }));
  if (locked) return locked_error(until, now);
  return ok();
}

Result<void> LoginThrottle::record_success(std::string_view account) {
  auto hash = key_hash(kAccount, account);
  return db_.write(
      [&](storage::Connection& c) { return repository::clear_key(c, kAccount, hash); });
}

Result<std::int64_t> LoginThrottle::purge_stale() {
  std::int64_t now = clock_.now_seconds();
  std::int64_t cutoff = now - std::int64_t{settings_.window_minutes} * 60;
  return db_.write_value<std::int64_t>(
      [&](storage::Connection& c) { return repository::delete_stale_attempts(c, cutoff, now); });
}

}  // namespace pratu::accounts
