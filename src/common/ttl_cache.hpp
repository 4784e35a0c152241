#pragma once
/// A small, bounded cache whose entries expire: for answers that are the same for everyone
/// for a while (public pages, catalogue searches), so a holiday rush costs one computation per
/// key a minute. Thread-safe; lookups share a lock.

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace pratu {

template <class Value>
class TtlCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  /// Keeps at most `capacity` values (0: keeps nothing), each for `ttl`.
  TtlCache(
      std::size_t capacity, std::chrono::seconds ttl,
      Clock clock = [] { return std::chrono::steady_clock::now(); })
      : capacity_(capacity), ttl_(ttl), clock_(std::move(clock)) {}

  /// The fresh value stored under `key`, if any.
  std::optional<Value> find(const std::string& key) const {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.expires <= clock_()) return std::nullopt;
    return it->second.value;
  }

  /// Whether a fresh value is stored under `key`.
  bool contains(const std::string& key) const {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(key);
    return it != entries_.end() && it->second.expires > clock_();
  }

  /// Stores `value` under `key`. A full cache starts over: cheap, bounded, and a flood of
  /// new keys costs the cache, never memory.
  void store(const std::string& key, Value value) {
    if (capacity_ == 0) return;
    std::unique_lock lock(mutex_);
    if (entries_.size() >= capacity_ && !entries_.contains(key)) entries_.clear();
    entries_.insert_or_assign(key, Entry{std::move(value), clock_() + ttl_});
  }

  /// Forgets everything (after what the values were computed from changes).
  void clear() {
    std::unique_lock lock(mutex_);
    entries_.clear();
  }

  std::size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    Value value;
    std::chrono::steady_clock::time_point expires;
  };
  std::size_t capacity_;
  std::chrono::seconds ttl_;
  Clock clock_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace pratu
