#pragma once
/// The catalogue for pages and the API: an immutable in-memory snapshot (swapped whole on
/// reload, so pages and searches never touch the database), with its search index.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/ttl_cache.hpp"
#include "domains/catalog/catalog.hpp"
#include "domains/catalog/catalog_repository.hpp"
#include "domains/catalog/catalog_search_index.hpp"
#include "platform/earned_features.hpp"

namespace pratu::catalog {

/// One catalogue, indexed for the lookups pages make. Never changes once built.
class CatalogSnapshot {
 public:
  /// Sorts and indexes `catalog`; `version` tells snapshots apart. `texts`, when given, are
  /// the services' search texts in the catalogue's order (made once for storing and searching).
  CatalogSnapshot(Catalog catalog, std::uint64_t version, std::vector<SearchText> texts = {});

  /// Agencies by code, services by slug.
  const Catalog& catalog() const { return catalog_; }
  std::uint64_t version() const { return version_; }

  /// The service with `slug`, or nullptr.
  const Service* service(std::string_view slug) const;
  /// The agency with `code`, or nullptr.
  const Agency* agency(std::string_view code) const;
  /// The computed level of a service of this snapshot.
  const LevelAssessment& assessment(const Service& service) const;
  /// Every service, most used first (ties by slug).
  const std::vector<const Service*>& by_popularity() const { return by_popularity_; }
  /// An agency's services, most used first; empty for an unknown code.
  const std::vector<const Service*>& services_of(std::string_view agency_code) const;
  /// Ranked search over this snapshot's services.
  const SearchIndex& search_index() const { return search_index_; }

 private:
  Catalog catalog_;
  std::uint64_t version_;
  std::map<std::string, std::size_t, std::less<>> service_index_;
  std::map<std::string, std::size_t, std::less<>> agency_index_;
  std::vector<LevelAssessment> assessments_;  // parallel to catalog_.services
  std::vector<const Service*> by_popularity_;
  std::map<std::string, std::vector<const Service*>, std::less<>> by_agency_;
  SearchIndex search_index_;
};

/// A page of services, best first, resolved against the snapshot they came from.
struct ServicePage {
  std::shared_ptr<const CatalogSnapshot> snapshot;  // keeps `services` alive
  std::vector<const Service*> services;
  std::int64_t total = 0;
  int page = 1;
  int page_size = CatalogRepository::kPageSize;

  /// Pages needed for `total` (at least 1).
  int page_count() const;
};

/// How long searches are remembered: the same words on the same page of the same catalogue
/// give the same answer, and a rush searches for the same few words.
struct SearchCacheSettings {
  std::size_t entries = 1024;  // 0: every search is made afresh
  std::chrono::seconds ttl{60};
  // A search reading at most this much of the index (SearchIndex::work) is quick: a few
  // hundred microseconds at most, cheaper to make than to hand to another thread.
  std::size_t quick_work = 50'000;
};

class CatalogService {
 public:
  explicit CatalogService(CatalogRepository& repository, SearchCacheSettings cache = {});

  /// Serves what the database holds now (after `pratu catalog load`, or another node's load).
  Result<void> reload();
  /// Reads and validates `services_dir`, marks what modules run for its services (`earned`),
  /// stores it and serves it from now on. Nothing changes when the files have a problem.
  Result<ReplaceSummary> load_directory(const std::filesystem::path& services_dir,
                                        const platform::EarnedFeatures& earned = {});
  /// Stores `catalog` (one transaction) and serves it from now on.
  Result<ReplaceSummary> publish(Catalog catalog);

  /// What pages read; never null (empty until the first load). Cheap: no database.
  std::shared_ptr<const CatalogSnapshot> snapshot() const { return snapshot_.load(); }

  /// Ranked search of what a person typed; an empty or punctuation-only query finds nothing.
  /// Answers from memory when the same search of this catalogue was made lately.
  Result<ServicePage> search(std::string_view text, int page) const;
  /// Whether search(text, page) would be answered from the cache of recent searches.
  bool search_cached(std::string_view text, int page) const;
  /// Whether search(text, page) is cached or reads little enough of the index to be made on
  /// the thread that asks (SearchCacheSettings::quick_work).
  bool search_is_quick(std::string_view text, int page) const;
  /// Every service in slug order, one page at a time.
  ServicePage list(int page) const;
  /// Codes of the agencies being served, sorted.
  std::vector<std::string> agency_codes() const;

 private:
  // The cache key of a search; empty when the text is too long to be worth keeping.
  static std::string search_key(const CatalogSnapshot& snapshot, std::string_view text, int page);
  void serve(Catalog catalog, std::vector<SearchText> texts = {});  // caller holds publish_mutex_

  CatalogRepository& repository_;
  std::atomic<std::shared_ptr<const CatalogSnapshot>> snapshot_;
  mutable TtlCache<SearchPage> searches_;
  std::size_t quick_work_;
  std::mutex publish_mutex_;
  std::uint64_t next_version_ = 1;  // guarded by publish_mutex_
};

}  // namespace pratu::catalog
