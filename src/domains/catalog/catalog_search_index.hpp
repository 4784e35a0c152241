#pragma once
/// Ranked search over one catalogue in memory. The database's full-text index ranks every
/// match of a query to return ten, which at thousands of services costs milliseconds for a
/// common word; here a match costs a few additions. The ranking is the database's (FTS5's
/// bm25 with the column weights below), so results come in the same order.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "domains/catalog/catalog.hpp"
#include "domains/catalog/catalog_repository.hpp"

namespace pratu::catalog {

/// A service's text as search sees it, split into words (ICU, case-folded) joined by single
/// spaces, most weighty first: names (th, en), summary, keywords (tags, the agency's names),
/// details (who may apply, documents, legal basis).
struct SearchText {
  std::array<std::string, 4> columns;
};

/// How much a word found in each column of SearchText counts.
inline constexpr std::array<std::uint32_t, 4> kSearchColumnWeights = {10, 4, 2, 1};

/// The search text of `service`; `agency` (may be null) adds its names to the keywords.
SearchText search_text(const Service& service, const Agency* agency);

/// The search text of every service of `catalog`, in its order (segmented on every core).
std::vector<SearchText> search_texts(const Catalog& catalog);
/// The search text of each of `services`, their agencies' names found in `agencies`.
std::vector<SearchText> search_texts(const std::vector<Service>& services,
                                     const std::vector<Agency>& agencies);

/// An index of a catalogue's services: every word of every service, with how often it
/// appears in each column. Immutable once built; safe to search from many threads.
class SearchIndex {
 public:
  SearchIndex() = default;
  /// Indexes `services` (their agencies' names found in `agencies`).
  SearchIndex(const std::vector<Service>& services, const std::vector<Agency>& agencies);
  /// Indexes `services` whose search texts are made already (`texts[i]` is services[i]'s).
  SearchIndex(const std::vector<Service>& services, const std::vector<SearchText>& texts);

  /// One page of the services matching every word of `query` as a prefix of one of theirs,
  /// best first (bm25; ties to the more used service, then by slug), and how many match.
  SearchPage search(const SearchQuery& query, int page, int page_size) const;
  /// How much a search of `query` reads: the postings of every word its words are prefixes
  /// of, plus a pass over every service per word. Cheap to tell (no posting is read), so a
  /// caller can choose where to run the search before it does.
  std::size_t work(const SearchQuery& query) const;

 private:
  /// The indexes in words_ of the words starting with `prefix`: [first, last).
  std::pair<std::size_t, std::size_t> words_starting(const std::string& prefix) const;

  struct Posting {
    std::uint32_t service;
    std::array<std::uint16_t, 4> counts;  // appearances per column
  };
  std::vector<std::string> words_;              // sorted, so a prefix is a range
  std::vector<std::vector<Posting>> postings_;  // per word, by service
  std::vector<std::size_t> postings_before_;    // postings of the words before each, and all
  std::vector<std::uint32_t> lengths_;          // words per service, all columns
  std::vector<std::int64_t> popularity_;
  std::vector<std::string> slugs_;
  double average_length_ = 0;
};

}  // namespace pratu::catalog
