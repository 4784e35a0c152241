#pragma once
/// How many changes one signed-in person may make a second: a token bucket per user, kept
/// in memory on each node, so that one account cannot fill the database's writer for everyone
/// else. A person filling in forms never comes near it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace pratu::web {

class WriteBudget {
 public:
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  /// `per_second` changes a second on average, up to `burst` at once; 0 per second: no limit.
  /// At most `max_people` buckets are kept: past it, those that have filled up again go, and
  /// failing that the one idle longest.
  WriteBudget(int per_second, int burst, std::size_t max_people = 100'000, Now now = nullptr);

  /// Takes one change from `user_id`'s budget: nullopt when it may go on, else the whole
  /// seconds to wait before the next one will be taken (at least 1).
  std::optional<int> take(std::int64_t user_id);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::int64_t, Bucket> buckets;
  };
  static constexpr std::size_t kShards = 16;

  double refilled(const Bucket& bucket, std::chrono::steady_clock::time_point now) const;

  double per_second_;
  double burst_;
  std::size_t max_per_shard_;
  Now now_;
  std::vector<Shard> shards_;
};

}  // namespace pratu::web
