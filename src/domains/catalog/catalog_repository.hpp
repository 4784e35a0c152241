#pragma once
/// The catalogue in the database: agencies and services (each with its JSON document) and
/// a full-text index over ICU-segmented text (SQLite FTS5 / PostgreSQL tsvector).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domains/catalog/catalog.hpp"
#include "storage/database.hpp"

namespace pratu::catalog {

struct SearchText;

/// What `CatalogRepository::replace_all` stored and changed.
struct ReplaceSummary {
  std::int64_t agencies = 0;          // in the catalogue now stored
  std::int64_t services = 0;          // in the catalogue now stored
  std::int64_t agencies_written = 0;  // inserted or changed by this load
  std::int64_t services_written = 0;  // inserted or changed by this load
  std::int64_t agencies_removed = 0;  // no longer in the files
  std::int64_t services_removed = 0;  // no longer in the files
  bool unchanged = false;             // the catalogue was stored already: nothing was written
};

/// One page of search results, best match first.
struct SearchPage {
  std::vector<std::string> slugs;
  std::int64_t total = 0;  // matches over all pages
  int page = 1;            // 1-based
  int page_size = 10;
};

/// The words a search matches, already segmented: each word is a prefix of a word in the
/// service (users type partial words), and every word must match.
struct SearchQuery {
  std::vector<std::string> words;

  /// Segments what a person typed; at most kMaxWords distinct words are kept.
  static SearchQuery parse(std::string_view text);
  bool empty() const { return words.empty(); }

  static constexpr std::size_t kMaxWords = 12;
  static constexpr std::size_t kMaxInputBytes = 512;
};

/// Statements whose query plans the tests check: each finds its rows by a key, never by a scan.
namespace statements {
/// SQLite: removes a service's search row, which shares the service's id as its rowid.
inline constexpr std::string_view kDeleteSearchRow = "DELETE FROM service_search WHERE rowid = $1";
}  // namespace statements

class CatalogRepository {
 public:
  static constexpr int kPageSize = 10;
  static constexpr int kMaxPage = 1000;

  explicit CatalogRepository(storage::Database& db) : db_(db) {}

  /// Makes the stored catalogue equal to `catalog` in one transaction: writes the agencies and
  /// services that are new or changed and removes those no longer in it. Writes nothing when
  /// the stored catalogue's digest is this one's, so every node may load it as it starts.
  Result<ReplaceSummary> replace_all(const Catalog& catalog);
  /// The same, with the services' search texts made already (`texts[i]` is services[i]'s).
  Result<ReplaceSummary> replace_all(const Catalog& catalog, const std::vector<SearchText>& texts);

  /// The stored catalogue, read back from each row's document (agencies and services sorted
  /// by code and slug).
  Result<Catalog> load_all() const;

  /// Ranked search: names weigh most, then summary, keywords, details; ties go to the more
  /// used service. An empty query matches nothing. `page` is 1-based.
  Result<SearchPage> search(const SearchQuery& query, int page, int page_size = kPageSize) const;

  /// Slugs of the stored services, in slug order.
  Result<std::vector<std::string>> slugs() const;

 private:
  storage::Database& db_;
};

}  // namespace pratu::catalog
