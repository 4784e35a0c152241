#include "domains/feedback/feedback_throttle.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "crypto/digest.hpp"
#include "domains/feedback/feedback_repository.hpp"

namespace pratu::feedback {

std::string throttle_address(std::string_view address) {
  std::string text(address);
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, text.c_str(), bytes) != 1) return text;
  const bool v4_mapped = std::all_of(bytes, bytes + 10, [](unsigned char b) { return b == 0; }) &&
                         bytes[10] == 0xFF && bytes[11] == 0xFF;
  if (v4_mapped) {
    char v4[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, bytes + 12, v4, sizeof v4) != nullptr) return v4;
    return text;
  }
  std::memset(bytes + 8, 0, 8);
  char v6[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, bytes, v6, sizeof v6) != nullptr) return std::string(v6) + "/64";
  return text;
}

FeedbackThrottle::FeedbackThrottle(const Clock& clock, std::string hash_key,
                                   int per_address_per_hour)
    : clock_(clock), hash_key_(std::move(hash_key)), limit_(per_address_per_hour) {
  if (hash_key_.size() < kMinHashKeyBytes) {
    throw std::invalid_argument("feedback throttle hash key must be at least 32 bytes");
  }
}

// A domain of its own in the hash, so a key shared with another table could never match.
std::string FeedbackThrottle::key_hash(std::string_view address) const {
  return crypto::hmac_sha256_hex(hash_key_, "pratu.feedback.address:" + throttle_address(address));
}

Result<void> FeedbackThrottle::count(storage::Connection& c, std::string_view address) const {
  const std::int64_t now = clock_.now_seconds();
  PRATU_TRY(counter, repository::count_submission(c, key_hash(address), now, now - kWindowSeconds));
  if (counter.submissions <= limit_) return ok();
  Error e;
  e.code = ErrorCode::rate_limited;
  e.message_key = std::string(kThrottledKey);
  e.detail = "feedback throttled";
  e.retry_after_seconds =
      static_cast<int>(std::max<std::int64_t>(1, counter.window_start + kWindowSeconds - now));
  return e;
}

Result<std::int64_t> FeedbackThrottle::purge_stale(storage::Database& db) const {
  const std::int64_t cutoff = clock_.now_seconds() - kWindowSeconds;
  return db.write_value<std::int64_t>(
      [&](storage::Connection& c) { return repository::delete_throttle_before(c, cutoff); });
}

}  // namespace pratu::feedback
