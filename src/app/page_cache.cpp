#include "app/page_cache.hpp"

#include <mutex>

namespace pratu::app {

std::optional<web::Response> PageCache::find(const std::string& key) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.expires <= clock_()) return std::nullopt;
  return it->second.response;
}

void PageCache::store(const std::string& key, const web::Response& response) {
  std::unique_lock lock(mutex_);
  if (entries_.size() >= capacity_ && !entries_.contains(key)) entries_.clear();
  entries_.insert_or_assign(key, Entry{response, clock_() + ttl_});
}

void PageCache::clear() {
  std::unique_lock lock(mutex_);
  entries_.clear();
}

}  // namespace pratu::app
