#pragma once
/// A short-lived cache of public responses (the same for every visitor without a session),
/// so a holiday rush on the catalogue costs one render per page and language a minute.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "web/message.hpp"

namespace pratu::app {

class PageCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  /// Keeps at most `capacity` responses, each for `ttl`.
  PageCache(std::size_t capacity, std::chrono::seconds ttl,
            Clock clock = [] { return std::chrono::steady_clock::now(); })
      : capacity_(capacity), ttl_(ttl), clock_(std::move(clock)) {}

  /// The fresh response stored under `key`, if any.
  std::optional<web::Response> find(const std::string& key) const;
  /// Stores `response` under `key`; a full cache starts over (cheap, and bounded).
  void store(const std::string& key, const web::Response& response);
  /// Forgets everything (after the catalogue changes).
  void clear();

 private:
  struct Entry {
    web::Response response;
    std::chrono::steady_clock::time_point expires;
  };
  std::size_t capacity_;
  std::chrono::seconds ttl_;
  Clock clock_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace pratu::app
