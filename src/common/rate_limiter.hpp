#pragma once
/// How often one key (a client address) may do something costly on this node: a token bucket
/// per key, refilled at a steady rate up to a burst. Kept in memory, so each node limits on
/// its own: for work whose abuse costs time (verifying uploaded PDFs), not for limits that
/// protect an account, which the database counts (docs/adr/0007). The number of keys kept is
/// capped: when full, buckets that have refilled are forgotten, and if none has, the oldest.
/// Thread-safe.

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.hpp"

namespace pratu {

class RateLimiter {
 public:
  /// `per_minute` actions a minute on average, up to `burst` at once, for each of at most
  /// `max_keys` keys.
  RateLimiter(const Clock& clock, int per_minute, int burst, std::size_t max_keys = 100000);

  /// Takes one action for `key`: 0 when allowed, else the seconds to wait before the next.
  std::int64_t take(std::string_view key);

  /// What take() would answer for `key`, taking nothing: for limits counted only when an
  /// action fails (a failed authentication), checked before the work is done.
  std::int64_t waiting(std::string_view key);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t at_ms = 0;
    std::list<std::string>::iterator order;  // in order_, least recently used first
  };
  void refill(Bucket& bucket, std::int64_t now_ms) const;

  const Clock& clock_;
  double per_ms_;
  double burst_;
  std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> order_;
};

}  // namespace pratu
