#include "domains/catalog/catalog_search_index.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <unordered_map>

#include "common/parallel_runs.hpp"
#include "common/text_segmenter.hpp"

namespace pratu::catalog {
namespace {

// FTS5's bm25 constants.
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr std::size_t kMinServicesPerThread = 64;

void append(std::string& text, std::string_view more) {
  if (more.empty()) return;
  if (!text.empty()) text.push_back(' ');
  text += more;
}

}  // namespace

SearchText search_text(const Service& service, const Agency* agency) {
  std::string names, summary, keywords, details;
  append(names, service.name.th);
  append(names, service.name.en);
  append(summary, service.summary.th);
  append(summary, service.summary.en);
  for (const auto& tag : service.tags_th) append(keywords, tag);
  for (const auto& tag : service.tags_en) append(keywords, tag);
  if (agency != nullptr) {
    append(keywords, agency->name.th);
    append(keywords, agency->name.en);
    append(keywords, agency->short_name.th);
    append(keywords, agency->short_name.en);
  }
  for (const auto& who : service.who_may_apply) {
    append(details, who.th);
    append(details, who.en);
  }
  for (const auto& document : service.documents) {
    append(details, document.name.th);
    append(details, document.name.en);
  }
  for (const auto& law : service.legal_basis) {
    append(details, law.th);
    append(details, law.en);
  }
  SearchText out;
  out.columns = {segment_for_index(names), segment_for_index(summary), segment_for_index(keywords),
                 segment_for_index(details)};
  return out;
}

std::vector<SearchText> search_texts(const std::vector<Service>& services,
                                     const std::vector<Agency>& agencies) {
  std::map<std::string_view, const Agency*> agency_by_code;
  for (const Agency& agency : agencies) agency_by_code.emplace(agency.code, &agency);
  std::vector<SearchText> texts(services.size());
  for_each_run(services.size(), kMinServicesPerThread,
               [&](std::size_t, std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      const Service& service = services[i];
      auto agency = agency_by_code.find(service.agency_code);
      texts[i] = search_text(service, agency == agency_by_code.end() ? nullptr : agency->second);
    }
  });
  return texts;
}

std::vector<SearchText> search_texts(const Catalog& catalog) {
  return search_texts(catalog.services, catalog.agencies);
}

SearchIndex::SearchIndex(const std::vector<Service>& services, const std::vector<Agency>& agencies)
    : SearchIndex(services, search_texts(services, agencies)) {}

SearchIndex::SearchIndex(const std::vector<Service>& services,
                         const std::vector<SearchText>& texts) {
  std::unordered_map<std::string, std::vector<Posting>> postings;
  std::uint64_t total_length = 0;
  lengths_.reserve(services.size());
  for (std::size_t service = 0; service < services.size(); ++service) {
    popularity_.push_back(services[service].popularity);
    slugs_.push_back(services[service].slug);
    std::uint32_t length = 0;
    for (std::size_t column = 0; column < texts[service].columns.size(); ++column) {
      std::string_view text = texts[service].columns[column];
      while (!text.empty()) {
        const auto space = text.find(' ');
        const std::string_view word = text.substr(0, space);
        text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
        if (word.empty()) continue;
        ++length;
        auto& list = postings[std::string(word)];
        if (list.empty() || list.back().service != service) {
          list.push_back({static_cast<std::uint32_t>(service), {}});
        }
        auto& count = list.back().counts[column];
        if (count < UINT16_MAX) ++count;
      }
    }
    lengths_.push_back(length);
    total_length += length;
  }
  words_.reserve(postings.size());
  for (auto& [word, list] : postings) words_.push_back(word);
  std::sort(words_.begin(), words_.end());
  postings_.reserve(words_.size());
  for (const auto& word : words_) postings_.push_back(std::move(postings[word]));
  postings_before_.reserve(words_.size() + 1);
  postings_before_.push_back(0);
  for (const auto& list : postings_)
    postings_before_.push_back(postings_before_.back() + list.size());
  if (!services.empty()) {
    average_length_ = static_cast<double>(total_length) / static_cast<double>(services.size());
  }
}

std::pair<std::size_t, std::size_t> SearchIndex::words_starting(const std::string& prefix) const {
  // The words starting with `prefix` follow one another in sorted order, from the first word
  // not less than it.
  const auto first = std::lower_bound(words_.begin(), words_.end(), prefix);
  const auto last = std::partition_point(
      first, words_.end(), [&prefix](const std::string& word) { return word.starts_with(prefix); });
  return {static_cast<std::size_t>(first - words_.begin()),
          static_cast<std::size_t>(last - words_.begin())};
}

std::size_t SearchIndex::work(const SearchQuery& query) const {
  if (words_.empty()) return 0;
  std::size_t total = 0;
  for (const std::string& prefix : query.words) {
    const auto [first, last] = words_starting(prefix);
    total += postings_before_[last] - postings_before_[first] + slugs_.size();
  }
  return total;
}

SearchPage SearchIndex::search(const SearchQuery& query, int page, int page_size) const {
  SearchPage out;
  out.page = std::clamp(page, 1, CatalogRepository::kMaxPage);
  out.page_size = std::max(page_size, 1);
  const std::size_t count = slugs_.size();
  if (query.empty() || count == 0) return out;

  // Per query word, its weighted appearances in each service (0: absent); a service matches
  // when every word appears. Weights are whole numbers, so the sums are exact. The buffers are
  // the thread's own, kept between searches.
  const std::size_t phrases = query.words.size();
  thread_local std::vector<std::uint32_t> frequency;
  thread_local std::vector<std::uint8_t> found;
  frequency.assign(phrases * count, 0);
  found.assign(count, 0);
  std::vector<double> idf(phrases);
  for (std::size_t phrase = 0; phrase < phrases; ++phrase) {
    const std::string& prefix = query.words[phrase];
    std::uint32_t* freq = frequency.data() + phrase * count;
    std::int64_t hits = 0;
    const auto [first_word, last_word] = words_starting(prefix);
    for (std::size_t word = first_word; word < last_word; ++word) {
      for (const Posting& posting : postings_[word]) {
        std::uint32_t& f = freq[posting.service];
        if (f == 0) {
          ++hits;
          ++found[posting.service];
        }
        for (std::size_t column = 0; column < posting.counts.size(); ++column) {
          f += kSearchColumnWeights[column] * posting.counts[column];
        }
      }
    }
    if (hits == 0) return out;
    // As FTS5 computes it, so scores (and so ties) are the same.
    const auto rows = static_cast<std::int64_t>(count);
    double value =
        std::log((static_cast<double>(rows - hits) + 0.5) / (static_cast<double>(hits) + 0.5));
    idf[phrase] = value <= 0.0 ? 1e-6 : value;
  }

  struct Match {
    double score;
    std::uint32_t service;
  };
  std::vector<Match> matches;
  for (std::size_t service = 0; service < count; ++service) {
    if (found[service] != phrases) continue;
    double score = 0.0;
    const double length = lengths_[service];
    for (std::size_t phrase = 0; phrase < phrases; ++phrase) {
      const double f = frequency[phrase * count + service];
      score +=
          idf[phrase] * (f * (kK1 + 1.0)) / (f + kK1 * (1 - kB + kB * length / average_length_));
    }
    matches.push_back({score, static_cast<std::uint32_t>(service)});
  }
  out.total = static_cast<std::int64_t>(matches.size());
  const auto better = [this](const Match& a, const Match& b) {
    if (a.score != b.score) return a.score > b.score;
    if (popularity_[a.service] != popularity_[b.service]) {
      return popularity_[a.service] > popularity_[b.service];
    }
    return slugs_[a.service] < slugs_[b.service];
  };
  const std::size_t first =
      static_cast<std::size_t>(out.page - 1) * static_cast<std::size_t>(out.page_size);
  if (first >= matches.size()) return out;
  const std::size_t last =
      std::min(matches.size(), first + static_cast<std::size_t>(out.page_size));
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(last),
                    matches.end(), better);
  for (std::size_t i = first; i < last; ++i) out.slugs.push_back(slugs_[matches[i].service]);
  return out;
}

}  // namespace pratu::catalog
