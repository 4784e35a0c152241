#include "domains/accounts/registration_throttle.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "crypto/digest.hpp"
#include "domains/accounts/accounts_repository.hpp"
#include "domains/accounts/login_throttle.hpp"

namespace pratu::accounts {

namespace {

// Rows of the login throttle's table keyed by a client address; the hash domains below keep
// them apart from the login counters.
constexpr std::string_view kAddressRow = "address";
constexpr std::string_view kRegisterAddress = "register_address";
constexpr std::string_view kRegisterNetwork = "register_network";

}  // namespace

std::string network_key(std::string_view address) {
  std::string text(address);
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
    bool v4_mapped = std::all_of(bytes, bytes + 10, [](unsigned char b) { return b == 0; }) &&
                     bytes[10] == 0xFF && bytes[11] == 0xFF;
    if (!v4_mapped) {
      std::memset(bytes + 6, 0, 10);
      char v6[INET6_ADDRSTRLEN];
      if (inet_ntop(AF_INET6, bytes, v6, sizeof v6) != nullptr) return std::string(v6) + "/48";
      return text;
    }
    std::memmove(bytes, bytes + 12, 4);
  } else if (inet_pton(AF_INET, text.c_str(), bytes) != 1) {
    return text;
  }
  bytes[3] = 0;
  char v4[INET_ADDRSTRLEN];
  if (inet_ntop(AF_INET, bytes, v4, sizeof v4) != nullptr) return std::string(v4) + "/24";
  return text;
}

RegistrationThrottle::RegistrationThrottle(storage::Database& db, const Clock& clock,
                                           std::string hash_key,
                                           RegistrationThrottleSettings settings)
    : db_(db), clock_(clock), hash_key_(std::move(hash_key)), settings_(settings) {
  if (hash_key_.size() < LoginThrottle::kMinHashKeyBytes) {
    throw std::invalid_argument("registration throttle hash key must be at least 32 bytes");
  }
}

// Keyed like the login throttle's hashes, in a domain of its own.
std::string RegistrationThrottle::key_hash(std::string_view type, std::string_view key) const {
  return crypto::hmac_sha256_hex(
      hash_key_, "pratu.login_attempts." + std::string(type) + ":" + std::string(key));
}

Result<void> RegistrationThrottle::begin(std::string_view address) {
  return count(address, 1, true);
}

Result<void> RegistrationThrottle::charge_taken(std::string_view address) {
  return count(address, std::max(0, settings_.taken_cost - 1), false);
}

Result<void> RegistrationThrottle::count(std::string_view address, int attempts,
                                         bool refuse_over_limit) {
  if (attempts <= 0) return ok();
  std::int64_t now = clock_.now_seconds();
  std::int64_t window = std::int64_t{settings_.window_minutes} * 60;
  struct Key {
    std::string hash;
    int limit;
  };
  const Key keys[] = {
      {key_hash(kRegisterAddress, address_key(address)), settings_.address_max_attempts},
      {key_hash(kRegisterNetwork, network_key(address)), settings_.network_max_attempts}};
  auto throttled = [&](std::int64_t retry_after) {
    Error e;
    e.code = ErrorCode::rate_limited;
    e.message_key = std::string(kRegisterThrottledKey);
    e.detail = "registration throttled";
    e.retry_after_seconds = static_cast<int>(std::max<std::int64_t>(1, retry_after));
    return e;
  };
  // The count and the check in one transaction, so parallel attempts cannot pass a limit; a
  // refused attempt rolls back and counts for nothing.
  PRATU_TRY(retry_after,
            db_.write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
              std::int64_t retry = 0;
              for (const auto& key : keys) {
                // The row is kept (locked_until) until its window ends, for the purge to leave it
                // alone.
                PRATU_TRY(counter, repository::add_attempts(c, kAddressRow, key.hash, attempts, now,
                                                            now - window, now + window));
                if (counter.failures > key.limit) {
                  retry = std::max(retry, counter.window_start + window - now);
                }
              }
              if (retry > 0 && refuse_over_limit) return throttled(retry);
              return retry;
            }));
  if (retry_after > 0) return throttled(retry_after);
  return ok();
}

}  // namespace pratu::accounts
