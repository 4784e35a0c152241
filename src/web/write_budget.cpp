#include "web/write_budget.hpp"

#include <algorithm>
#include <cmath>

namespace pratu::web {

WriteBudget::WriteBudget(int per_second, int burst, std::size_t max_people, Now now)
    : per_second_(std::max(per_second, 0)),
      burst_(std::max(burst, 1)),
      max_per_shard_(std::max<std::size_t>(max_people / kShards, 1)),
      now_(now ? std::move(now) : Now([] { return std::chrono::steady_clock::now(); })),
      shards_(kShards) {}

double WriteBudget::refilled(const Bucket& bucket,
                             std::chrono::steady_clock::time_point now) const {
  const double seconds = std::chrono::duration<double>(now - bucket.at).count();
  return std::min(burst_, bucket.tokens + std::max(seconds, 0.0) * per_second_);
}

std::optional<int> WriteBudget::take(std::int64_t user_id) {
  if (per_second_ <= 0) return std::nullopt;
  const auto now = now_();
  Shard& shard = shards_[static_cast<std::uint64_t>(user_id) % kShards];
  std::lock_guard lock(shard.mutex);
  if (shard.buckets.size() >= max_per_shard_ && !shard.buckets.contains(user_id)) {
    // Full: forget whoever has their whole budget back (they lose nothing by it).
    std::erase_if(shard.buckets,
                  [&](const auto& entry) { return refilled(entry.second, now) >= burst_; });
    // Everyone still owes: the one idle longest goes, rather than the newcomer being refused
    // (nobody can shut another out by filling the table) or memory growing without bound.
    if (shard.buckets.size() >= max_per_shard_) {
      shard.buckets.erase(
          std::min_element(shard.buckets.begin(), shard.buckets.end(),
                           [](const auto& a, const auto& b) { return a.second.at < b.second.at; }));
    }
  }
  auto [it, fresh] = shard.buckets.try_emplace(user_id, Bucket{burst_, now});
  Bucket& bucket = it->second;
  bucket.tokens = fresh ? burst_ : refilled(bucket, now);
  bucket.at = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / per_second_)));
}

}  // namespace pratu::web
