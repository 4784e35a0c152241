#include "common/rate_limiter.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace pratu {

RateLimiter::RateLimiter(const Clock& clock, int per_minute, int burst, std::size_t max_keys)
    : clock_(clock),
      per_ms_(std::max(per_minute, 1) / 60000.0),
      burst_(std::max(burst, 1)),
      max_keys_(std::max<std::size_t>(max_keys, 1)) {}

void RateLimiter::refill(Bucket& bucket, std::int64_t now_ms) const {
  if (now_ms > bucket.at_ms) {
    bucket.tokens =
        std::min(burst_, bucket.tokens + static_cast<double>(now_ms - bucket.at_ms) * per_ms_);
  }
  bucket.at_ms = now_ms;
}

std::int64_t RateLimiter::take(std::string_view key) {
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch())
          .count();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      // Forget the least recently used key: its bucket has been refilling longest.
      buckets_.erase(order_.front());
      order_.pop_front();
    }
    order_.emplace_back(key);
    it = buckets_.emplace(std::string(key), Bucket{burst_, now_ms, std::prev(order_.end())}).first;
  } else {
    order_.splice(order_.end(), order_, it->second.order);
  }
  Bucket& bucket = it->second;
  refill(bucket, now_ms);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  const double wait_ms = (1.0 - bucket.tokens) / per_ms_;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait_ms / 1000.0)));
}

std::int64_t RateLimiter::waiting(std::string_view key) {
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch())
          .count();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) return 0;
  Bucket& bucket = it->second;
  refill(bucket, now_ms);
  if (bucket.tokens >= 1.0) return 0;
  const double wait_ms = (1.0 - bucket.tokens) / per_ms_;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait_ms / 1000.0)));
}

}  // namespace pratu
