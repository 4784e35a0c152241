#include "domains/catalog/catalog_repository.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "common/text_segmenter.hpp"
#include "domains/catalog/catalog_json.hpp"

namespace pratu::catalog {
namespace {

using storage::Connection;
using storage::Dialect;
using storage::Value;

// PostgreSQL keeps word positions up to this; later words share it.
constexpr int kMaxTsvectorPosition = 16383;
// PostgreSQL rejects longer lexemes; no real word comes near.
constexpr std::size_t kMaxLexemeBytes = 2046;

// The text of a service as the index sees it, most weighty first.
struct SearchDocument {
  std::array<std::string, 4> columns;  // names, summary, keywords, details
};

void append(std::string& text, std::string_view more) {
  if (more.empty()) return;
  if (!text.empty()) text.push_back(' ');
  text += more;
}

SearchDocument search_document(const Service& service, const Agency* agency) {
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
  SearchDocument out;
  out.columns = {segment_for_index(names), segment_for_index(summary),
                 segment_for_index(keywords), segment_for_index(details)};
  return out;
}

// A quoted lexeme for PostgreSQL's tsvector/tsquery input syntax.
std::string pg_lexeme(std::string_view word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out += "''";
    else if (c == '\\') out += "\\\\";
    else out.push_back(c);
  }
  return out + "'";
}

// A tsvector literal, weights A..D by column. The words are ICU's, so PostgreSQL's own
// (locale-dependent) parser is not involved.
std::string pg_tsvector(const SearchDocument& document) {
  static constexpr std::array<char, 4> kWeights = {'A', 'B', 'C', 'D'};
  std::string out;
  int position = 0;
  for (std::size_t column = 0; column < document.columns.size(); ++column) {
    std::string_view text = document.columns[column];
    while (!text.empty()) {
      const auto space = text.find(' ');
      const std::string_view word = text.substr(0, space);
      text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
      if (word.empty() || word.size() > kMaxLexemeBytes) continue;
      position = std::min(position + 1, kMaxTsvectorPosition);
      if (!out.empty()) out.push_back(' ');
      out += pg_lexeme(word) + ":" + std::to_string(position) + kWeights[column];
    }
  }
  return out;
}

// "'w1':* & 'w2':*": every word, as a prefix.
std::string pg_tsquery(const SearchQuery& query) {
  std::string out;
  for (const auto& word : query.words) {
    if (!out.empty()) out += " & ";
    out += pg_lexeme(word) + ":*";
  }
  return out;
}

// "\"w1\"* \"w2\"*": FTS5 ANDs the phrases; quoting keeps operators in the words inert.
std::string fts5_query(const SearchQuery& query) {
  std::string out;
  for (const auto& word : query.words) {
    if (!out.empty()) out.push_back(' ');
    out.push_back('"');
    for (char c : word) {
      if (c == '"') out += "\"\"";
      else out.push_back(c);
    }
    out += "\"*";
  }
  return out;
}

Result<void> upsert_agency(Connection& c, const Agency& agency) {
  const std::array<Value, 4> params = {agency.code, agency.name.th, agency.name.en,
                                       boost::json::serialize(to_json(agency))};
  PRATU_CHECK(c.execute(
      "INSERT INTO agencies (code, name_th, name_en, document) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (code) DO UPDATE SET name_th = excluded.name_th, "
      "name_en = excluded.name_en, document = excluded.document",
      params));
  return ok();
}

Result<void> upsert_service(Connection& c, const Service& service, const Agency* agency) {
  const SearchDocument document = search_document(service, agency);
  std::vector<Value> params = {service.slug,
                               service.agency_code,
                               service.name.th,
                               service.name.en,
                               service.category,
                               std::int64_t{static_cast<int>(assess_level(service).level)},
                               service.popularity,
                               boost::json::serialize(to_json(service))};
  const std::string_view upsert_columns =
      "ON CONFLICT (slug) DO UPDATE SET agency_code = excluded.agency_code, "
      "name_th = excluded.name_th, name_en = excluded.name_en, category = excluded.category, "
      "level = excluded.level, popularity = excluded.popularity, document = excluded.document";
  if (c.dialect() == Dialect::postgres) {
    params.emplace_back(pg_tsvector(document));
    PRATU_CHECK(c.execute(
        std::string("INSERT INTO services (slug, agency_code, name_th, name_en, category, level, "
                    "popularity, document, search_vector) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::tsvector) ") +
            std::string(upsert_columns) + ", search_vector = excluded.search_vector",
        params));
    return ok();
  }
  PRATU_CHECK(c.execute(std::string("INSERT INTO services (slug, agency_code, name_th, name_en, "
                                    "category, level, popularity, document) "
                                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ") +
                            std::string(upsert_columns),
                        params));
  const std::array<Value, 1> slug = {service.slug};
  PRATU_CHECK(c.execute("DELETE FROM service_search WHERE slug = $1", slug));
  const std::array<Value, 5> row = {service.slug, document.columns[0], document.columns[1],
                                    document.columns[2], document.columns[3]};
  PRATU_CHECK(c.execute(
      "INSERT INTO service_search (slug, names, summary, keywords, details) "
      "VALUES ($1, $2, $3, $4, $5)",
      row));
  return ok();
}

Result<std::vector<std::string>> first_column(Connection& c, std::string_view sql) {
  PRATU_TRY(rows, c.query(sql));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(row.text(0));
  return out;
}

}  // namespace

SearchQuery SearchQuery::parse(std::string_view text) {
  if (text.size() > kMaxInputBytes) {
    // Cut at a character boundary: UTF-8 continuation bytes are 10xxxxxx.
    std::size_t end = kMaxInputBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
  }
  SearchQuery query;
  std::set<std::string> seen;
  for (auto& word : segment_words(text)) {
    if (query.words.size() == kMaxWords) break;
    if (seen.insert(word).second) query.words.push_back(std::move(word));
  }
  return query;
}

Result<ReplaceSummary> CatalogRepository::replace_all(const Catalog& catalog) {
  return db_.write_value<ReplaceSummary>([&](Connection& c) -> Result<ReplaceSummary> {
    ReplaceSummary summary;
    std::map<std::string, const Agency*, std::less<>> agencies;
    for (const Agency& agency : catalog.agencies) {
      PRATU_CHECK(upsert_agency(c, agency));
      agencies.emplace(agency.code, &agency);
      ++summary.agencies;
    }
    std::set<std::string, std::less<>> slugs;
    for (const Service& service : catalog.services) {
      auto agency = agencies.find(service.agency_code);
      PRATU_CHECK(upsert_service(c, service, agency == agencies.end() ? nullptr : agency->second));
      slugs.insert(service.slug);
      ++summary.services;
    }
    PRATU_TRY(stored_slugs, first_column(c, "SELECT slug FROM services"));
    for (const auto& slug : stored_slugs) {
      if (slugs.contains(slug)) continue;
      const std::array<Value, 1> params = {slug};
      if (c.dialect() == Dialect::sqlite) {
        PRATU_CHECK(c.execute("DELETE FROM service_search WHERE slug = $1", params));
      }
      PRATU_CHECK(c.execute("DELETE FROM services WHERE slug = $1", params));
      ++summary.services_removed;
    }
    PRATU_TRY(stored_codes, first_column(c, "SELECT code FROM agencies"));
    for (const auto& code : stored_codes) {
      if (agencies.contains(code)) continue;
      const std::array<Value, 1> params = {code};
      PRATU_CHECK(c.execute("DELETE FROM agencies WHERE code = $1", params));
      ++summary.agencies_removed;
    }
    if (c.dialect() == Dialect::sqlite) {
      // Every load writes a new FTS5 segment and tombstones in the old ones; a search then
      // reads them all. Merging them into one after the load halves a search's cost.
      PRATU_CHECK(c.execute("INSERT INTO service_search (service_search) VALUES ('optimize')"));
    }
    return summary;
  });
}

Result<SearchPage> CatalogRepository::search(const SearchQuery& query, int page,
                                             int page_size) const {
  SearchPage out;
  out.page = std::clamp(page, 1, kMaxPage);
  out.page_size = std::max(page_size, 1);
  if (query.empty()) return out;
  const std::int64_t offset = std::int64_t{out.page - 1} * out.page_size;

  const bool postgres = db_.dialect() == Dialect::postgres;
  const std::string match = postgres ? pg_tsquery(query) : fts5_query(query);
  // Names weigh most; an unindexed slug column comes first in FTS5's weight list.
  const std::string_view count_sql =
      postgres ? "SELECT count(*) FROM services WHERE search_vector @@ $1::tsquery"
               : "SELECT count(*) FROM service_search WHERE service_search MATCH $1";
  const std::string_view page_sql =
      postgres
          ? "SELECT slug FROM services WHERE search_vector @@ $1::tsquery "
            "ORDER BY ts_rank(search_vector, $1::tsquery) DESC, popularity DESC, slug "
            "LIMIT $2 OFFSET $3"
          : "SELECT f.slug FROM service_search f JOIN services s ON s.slug = f.slug "
            "WHERE service_search MATCH $1 "
            "ORDER BY bm25(service_search, 0.0, 10.0, 4.0, 2.0, 1.0), s.popularity DESC, f.slug "
            "LIMIT $2 OFFSET $3";

  auto result = db_.read([&](Connection& c) -> Result<void> {
    const std::array<Value, 3> page_params = {match, std::int64_t{out.page_size}, offset};
    PRATU_TRY(rows, c.query(page_sql, page_params));
    for (const auto& row : rows) out.slugs.push_back(row.text(0));
    // A page with room to spare is the last one, and on the first page an empty one means
    // nothing matched: either way the total is known without counting (most searches).
    const auto found = static_cast<std::int64_t>(out.slugs.size());
    if ((found > 0 && found < out.page_size) || (found == 0 && offset == 0)) {
      out.total = offset + found;
      return ok();
    }
    const std::array<Value, 1> count_params = {match};
    PRATU_TRY(count, c.query_one(count_sql, count_params));
    out.total = count ? count->int64(0) : 0;
    return ok();
  });
  if (!result) return result.error();
  return out;
}

Result<Catalog> CatalogRepository::load_all() const {
  return db_.read_value<Catalog>([](Connection& c) -> Result<Catalog> {
    Catalog catalog;
    PRATU_TRY(agencies, c.query("SELECT document FROM agencies ORDER BY code"));
    for (const auto& row : agencies) {
      boost::system::error_code ec;
      const boost::json::value json = boost::json::parse(row.text(0), ec);
      if (ec) return Error::internal("stored agency document is not JSON: " + ec.message());
      PRATU_TRY(agency, agency_from_json(json));
      catalog.agencies.push_back(std::move(agency));
    }
    PRATU_TRY(services, c.query("SELECT document FROM services ORDER BY slug"));
    for (const auto& row : services) {
      boost::system::error_code ec;
      const boost::json::value json = boost::json::parse(row.text(0), ec);
      if (ec) return Error::internal("stored service document is not JSON: " + ec.message());
      PRATU_TRY(service, service_from_json(json));
      catalog.services.push_back(std::move(service));
    }
    return catalog;
  });
}

Result<std::vector<std::string>> CatalogRepository::slugs() const {
  return db_.read_value<std::vector<std::string>>(
      [](Connection& c) { return first_column(c, "SELECT slug FROM services ORDER BY slug"); });
}

}  // namespace pratu::catalog
