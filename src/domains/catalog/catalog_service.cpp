#include "domains/catalog/catalog_service.hpp"

#include <algorithm>
#include <numeric>
#include <optional>

#include "domains/catalog/catalog_loader.hpp"

namespace pratu::catalog {

namespace {

// What `text` asks for, segmented; the thread's last answer is kept, as the route asks
// whether a search is quick and then makes it on the same thread.
const SearchQuery& parsed(std::string_view text) {
  thread_local std::string last_text;
  thread_local SearchQuery last = SearchQuery::parse("");
  if (text != last_text) {
    last = SearchQuery::parse(text);
    last_text.assign(text);
  }
  return last;
}

}  // namespace

CatalogSnapshot::CatalogSnapshot(Catalog catalog, std::uint64_t version,
                                 std::vector<SearchText> texts)
    : catalog_(std::move(catalog)), version_(version) {
  // Lookups and list() rely on this order, whoever built the catalogue; texts follow services.
  std::sort(catalog_.agencies.begin(), catalog_.agencies.end(),
            [](const Agency& a, const Agency& b) { return a.code < b.code; });
  const bool have_texts = texts.size() == catalog_.services.size() && !texts.empty();
  std::vector<std::size_t> order(catalog_.services.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
    return catalog_.services[a].slug < catalog_.services[b].slug;
  });
  std::vector<Service> services;
  std::vector<SearchText> sorted_texts;
  services.reserve(order.size());
  for (std::size_t i : order) {
    services.push_back(std::move(catalog_.services[i]));
    if (have_texts) sorted_texts.push_back(std::move(texts[i]));
  }
  catalog_.services = std::move(services);
  for (std::size_t i = 0; i < catalog_.agencies.size(); ++i) {
    agency_index_.emplace(catalog_.agencies[i].code, i);
    by_agency_[catalog_.agencies[i].code];  // every agency has a list, even an empty one
  }
  assessments_.reserve(catalog_.services.size());
  for (std::size_t i = 0; i < catalog_.services.size(); ++i) {
    const Service& service = catalog_.services[i];
    service_index_.emplace(service.slug, i);
    assessments_.push_back(assess_level(service));
    by_popularity_.push_back(&service);
  }
  std::stable_sort(by_popularity_.begin(), by_popularity_.end(),
                   [](const Service* a, const Service* b) {
    if (a->popularity != b->popularity) return a->popularity > b->popularity;
    return a->slug < b->slug;
  });
  for (const Service* service : by_popularity_) by_agency_[service->agency_code].push_back(service);
  search_index_ = have_texts ? SearchIndex(catalog_.services, sorted_texts)
                             : SearchIndex(catalog_.services, catalog_.agencies);
}

const Service* CatalogSnapshot::service(std::string_view slug) const {
  auto it = service_index_.find(slug);
  return it == service_index_.end() ? nullptr : &catalog_.services[it->second];
}

const Agency* CatalogSnapshot::agency(std::string_view code) const {
  auto it = agency_index_.find(code);
  return it == agency_index_.end() ? nullptr : &catalog_.agencies[it->second];
}

const LevelAssessment& CatalogSnapshot::assessment(const Service& service) const {
  // `service` lives in catalog_.services, so its index is its offset.
  return assessments_[static_cast<std::size_t>(&service - catalog_.services.data())];
}

const std::vector<const Service*>& CatalogSnapshot::services_of(
    std::string_view agency_code) const {
  static const std::vector<const Service*> kNone;
  auto it = by_agency_.find(agency_code);
  return it == by_agency_.end() ? kNone : it->second;
}

int ServicePage::page_count() const {
  if (total <= 0) return 1;
  return static_cast<int>((total + page_size - 1) / page_size);
}

CatalogService::CatalogService(CatalogRepository& repository, SearchCacheSettings cache)
    : repository_(repository),
      snapshot_(std::make_shared<const CatalogSnapshot>(Catalog{}, 0)),
      searches_(cache.entries, cache.ttl),
      quick_work_(cache.quick_work) {}

void CatalogService::serve(Catalog catalog, std::vector<SearchText> texts) {
  snapshot_.store(std::make_shared<const CatalogSnapshot>(std::move(catalog), next_version_++,
                                                          std::move(texts)));
  // Keys carry the snapshot's version, so old answers are unreachable already; this frees them.
  searches_.clear();
}

Result<void> CatalogService::reload() {
  std::lock_guard lock(publish_mutex_);
  PRATU_TRY(catalog, repository_.load_all());
  serve(std::move(catalog));
  return ok();
}

Result<ReplaceSummary> CatalogService::load_directory(const std::filesystem::path& services_dir,
                                                      const platform::EarnedFeatures& earned) {
  PRATU_TRY(catalog, load_catalog(services_dir));
  PRATU_CHECK(apply_earned(catalog, earned));
  return publish(std::move(catalog));
}

Result<ReplaceSummary> CatalogService::publish(Catalog catalog) {
  // One publisher at a time, so the snapshot served is the catalogue stored last.
  std::lock_guard lock(publish_mutex_);
  // Segmenting the text is much of a load: done once, for the database and the index.
  std::vector<SearchText> texts = search_texts(catalog);
  PRATU_TRY(summary, repository_.replace_all(catalog, texts));
  serve(std::move(catalog), std::move(texts));
  return summary;
}

std::string CatalogService::search_key(const CatalogSnapshot& snapshot, std::string_view text,
                                       int page) {
  if (text.size() > SearchQuery::kMaxInputBytes) return {};
  std::string key = std::to_string(snapshot.version());
  key += ' ';
  key += std::to_string(page);
  key += ' ';
  key += text;
  return key;
}

bool CatalogService::search_cached(std::string_view text, int page) const {
  const std::string key = search_key(*snapshot(), text, page);
  return !key.empty() && searches_.contains(key);
}

bool CatalogService::search_is_quick(std::string_view text, int page) const {
  const auto current = snapshot();
  const std::string key = search_key(*current, text, page);
  if (!key.empty() && searches_.contains(key)) return true;
  return current->search_index().work(parsed(text)) <= quick_work_;
}

Result<ServicePage> CatalogService::search(std::string_view text, int page) const {
  ServicePage out;
  out.snapshot = snapshot();
  const std::string key = search_key(*out.snapshot, text, page);
  std::optional<SearchPage> cached = key.empty() ? std::nullopt : searches_.find(key);
  if (!cached) {
    SearchPage fresh =
        out.snapshot->search_index().search(parsed(text), page, CatalogRepository::kPageSize);
    if (!key.empty()) searches_.store(key, fresh);
    cached = std::move(fresh);
  }
  const SearchPage& found = *cached;
  out.total = found.total;
  out.page = found.page;
  out.page_size = found.page_size;
  for (const auto& slug : found.slugs) {
    if (const Service* service = out.snapshot->service(slug)) out.services.push_back(service);
  }
  return out;
}

std::vector<std::string> CatalogService::agency_codes() const {
  std::vector<std::string> codes;
  for (const Agency& agency : snapshot()->catalog().agencies) codes.push_back(agency.code);
  return codes;
}

ServicePage CatalogService::list(int page) const {
  ServicePage out;
  out.snapshot = snapshot();
  out.page = std::clamp(page, 1, CatalogRepository::kMaxPage);
  const auto& services = out.snapshot->catalog().services;  // in slug order
  out.total = static_cast<std::int64_t>(services.size());
  const auto first =
      static_cast<std::size_t>(out.page - 1) * static_cast<std::size_t>(out.page_size);
  for (std::size_t i = first;
       i < services.size() && i < first + static_cast<std::size_t>(out.page_size); ++i) {
    out.services.push_back(&services[i]);
  }
  return out;
}

}  // namespace pratu::catalog
