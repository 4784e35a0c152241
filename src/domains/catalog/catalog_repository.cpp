#include "domains/catalog/catalog_repository.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <span>

#include "common/parallel_runs.hpp"
#include "common/text_segmenter.hpp"
#include "crypto/digest.hpp"
#include "domains/catalog/catalog_json.hpp"
#include "domains/catalog/catalog_search_index.hpp"

namespace pratu::catalog {
namespace {

using storage::Connection;
using storage::Dialect;
using storage::Value;

// PostgreSQL keeps word positions up to this; later words share it.
constexpr int kMaxTsvectorPosition = 16383;
// PostgreSQL rejects longer lexemes; no real word comes near.
constexpr std::size_t kMaxLexemeBytes = 2046;

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
std::string pg_tsvector(const SearchText& document) {
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

// Part of every digest: a change to how rows are written that their fields do not show (the
// tsvector's form, a new column) changes this, so rows an older build wrote are rewritten.
constexpr std::string_view kRowFormat = "catalog-rows-1";
// Rows per multi-row statement on PostgreSQL, each a round trip (10 parameters a service).
constexpr std::size_t kBatchRows = 200;
constexpr std::size_t kMinServicesPerThread = 64;  // fewer are indexed sooner than a thread starts

// SHA-256 over each field with its length, so no two different rows read the same.
std::string digest_of(std::initializer_list<std::string_view> fields) {
  std::string text;
  for (std::string_view field : fields) {
    text += std::to_string(field.size());
    text.push_back(':');
    text += field;
  }
  return crypto::sha256_hex(text);
}

// An agency as it is written, with the digest of what it holds.
struct AgencyRow {
  const Agency* agency = nullptr;
  std::string document;
  std::string digest;
};

// A service as it is written: its row and its search text.
struct ServiceRow {
  const Service* service = nullptr;
  std::int64_t level = 0;
  std::string document;
  SearchText search;
  std::string digest;
};

struct CatalogRows {
  std::vector<AgencyRow> agencies;   // by code
  std::vector<ServiceRow> services;  // by slug
  std::string digest;                // of the whole catalogue
};

ServiceRow service_row(const Service& service, SearchText search) {
  ServiceRow row{&service,
                 static_cast<std::int64_t>(assess_level(service).level),
                 boost::json::serialize(to_json(service)),
                 std::move(search),
                 {}};
  const std::string level = std::to_string(row.level);
  const std::string popularity = std::to_string(service.popularity);
  row.digest =
      digest_of({kRowFormat, service.slug, service.agency_code, service.name.th, service.name.en,
                 service.category, level, popularity, row.document, row.search.columns[0],
                 row.search.columns[1], row.search.columns[2], row.search.columns[3]});
  return row;
}

CatalogRows catalog_rows(const Catalog& catalog, const std::vector<SearchText>& texts) {
  CatalogRows rows;
  for (const Agency& agency : catalog.agencies) {
    AgencyRow row{&agency, boost::json::serialize(to_json(agency)), {}};
    row.digest = digest_of({kRowFormat, agency.code, agency.name.th, agency.name.en, row.document});
    rows.agencies.push_back(std::move(row));
  }
  rows.services.resize(catalog.services.size());
  for_each_run(catalog.services.size(), kMinServicesPerThread,
               [&](std::size_t, std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      rows.services[i] = service_row(catalog.services[i], texts[i]);
    }
  });
  std::sort(rows.agencies.begin(), rows.agencies.end(),
            [](const AgencyRow& a, const AgencyRow& b) { return a.agency->code < b.agency->code; });
  std::sort(
      rows.services.begin(), rows.services.end(),
      [](const ServiceRow& a, const ServiceRow& b) { return a.service->slug < b.service->slug; });
  std::string all;
  for (const auto& row : rows.agencies)
    all += "agency " + row.agency->code + " " + row.digest + "\n";
  for (const auto& row : rows.services)
    all += "service " + row.service->slug + " " + row.digest + "\n";
  rows.digest = crypto::sha256_hex(all);
  return rows;
}

// "($1, $2), ($3, $4)" for `count` rows; `casts[i]` follows column i's placeholder.
std::string values_list(std::size_t count, const std::vector<std::string_view>& casts) {
  std::string out;
  std::size_t n = 0;
  for (std::size_t row = 0; row < count; ++row) {
    out += row == 0 ? "(" : ", (";
    for (std::size_t column = 0; column < casts.size(); ++column) {
      if (column > 0) out += ", ";
      out += "$" + std::to_string(++n);
      out += casts[column];
    }
    out.push_back(')');
  }
  return out;
}

Result<void> upsert_agency(Connection& c, const AgencyRow& row) {
  const Agency& agency = *row.agency;
  const std::array<Value, 5> params = {agency.code, agency.name.th, agency.name.en, row.document,
                                       row.digest};
  PRATU_CHECK(c.execute(
      "INSERT INTO agencies (code, name_th, name_en, document, digest) "
      "VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (code) DO UPDATE SET name_th = excluded.name_th, "
      "name_en = excluded.name_en, document = excluded.document, digest = excluded.digest",
      params));
  return ok();
}

constexpr std::string_view kServiceUpdate =
    "ON CONFLICT (slug) DO UPDATE SET agency_code = excluded.agency_code, "
    "name_th = excluded.name_th, name_en = excluded.name_en, category = excluded.category, "
    "level = excluded.level, popularity = excluded.popularity, document = excluded.document, "
    "digest = excluded.digest";

void append_service_values(std::vector<Value>& params, const ServiceRow& row) {
  const Service& service = *row.service;
  params.emplace_back(service.slug);
  params.emplace_back(service.agency_code);
  params.emplace_back(service.name.th);
  params.emplace_back(service.name.en);
  params.emplace_back(service.category);
  params.emplace_back(row.level);
  params.emplace_back(service.popularity);
  params.emplace_back(row.document);
  params.emplace_back(row.digest);
}

// SQLite: the service's row, then its search row under the same id (FTS5's rowid). A search
// row is found by its rowid; nothing else in service_search is indexed for lookups.
Result<void> upsert_service_sqlite(Connection& c, const ServiceRow& row,
                                   std::optional<std::int64_t> stored_id) {
  std::vector<Value> params;
  append_service_values(params, row);
  PRATU_TRY(returned,
            c.query_one(std::string("INSERT INTO services (slug, agency_code, name_th, name_en, "
                                    "category, level, popularity, document, digest) "
                                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ") +
                            std::string(kServiceUpdate) + " RETURNING id",
                        params));
  if (!returned) return Error::internal("service upsert returned no id");
  const std::int64_t id = returned->int64(0);
  if (stored_id) {
    const std::array<Value, 1> old_id = {*stored_id};
    PRATU_CHECK(c.execute(statements::kDeleteSearchRow, old_id));
  }
  const std::array<Value, 5> search = {id, row.search.columns[0], row.search.columns[1],
                                       row.search.columns[2], row.search.columns[3]};
  PRATU_CHECK(
      c.execute("INSERT INTO service_search (rowid, names, summary, keywords, details) "
                "VALUES ($1, $2, $3, $4, $5)",
                search));
  return ok();
}

// PostgreSQL: many services a statement, the search vector in each service's row.
Result<void> upsert_services_postgres(Connection& c, std::span<const ServiceRow* const> rows) {
  static const std::vector<std::string_view> kCasts = {"", "", "", "", "",
                                                       "", "", "", "", "::tsvector"};
  for (std::size_t first = 0; first < rows.size(); first += kBatchRows) {
    const auto batch = rows.subspan(first, std::min(kBatchRows, rows.size() - first));
    std::vector<Value> params;
    params.reserve(batch.size() * kCasts.size());
    for (const ServiceRow* row : batch) {
      append_service_values(params, *row);
      params.emplace_back(pg_tsvector(row->search));
    }
    PRATU_CHECK(c.execute(
        "INSERT INTO services (slug, agency_code, name_th, name_en, category, level, popularity, "
        "document, digest, search_vector) VALUES " +
            values_list(batch.size(), kCasts) + " " + std::string(kServiceUpdate) +
            ", search_vector = excluded.search_vector",
        params));
  }
  return ok();
}

// `sql_prefix` + "($1, ..., $n)" for each batch of `keys`.
Result<void> delete_in_batches(Connection& c, std::string_view sql_prefix,
                               std::span<const Value> keys) {
  for (std::size_t first = 0; first < keys.size(); first += kBatchRows) {
    const auto batch = keys.subspan(first, std::min(kBatchRows, keys.size() - first));
    PRATU_CHECK(c.execute(
        std::string(sql_prefix) + values_list(1, std::vector<std::string_view>(batch.size(), "")),
        batch));
  }
  return ok();
}

// What a stored row was written from, and (SQLite) its id.
struct StoredRow {
  std::string digest;
  std::int64_t id = 0;
};
using StoredRows = std::map<std::string, StoredRow, std::less<>>;

Result<StoredRows> stored_rows(Connection& c, std::string_view sql) {
  PRATU_TRY(rows, c.query(sql));
  StoredRows out;
  for (const auto& row : rows) out.emplace(row.text(0), StoredRow{row.text(1), row.int64(2)});
  return out;
}

Result<std::string> stored_catalog_digest(Connection& c, std::string_view sql) {
  PRATU_TRY(row, c.query_one(sql));
  return row ? row->text(0) : std::string();
}

// Writes what differs from the stored catalogue; the caller's transaction holds the writer
// lock (SQLite) or is about to lock catalog_state (PostgreSQL).
Result<ReplaceSummary> store_changes(Connection& c, const CatalogRows& rows,
                                     ReplaceSummary summary) {
  const bool postgres = c.dialect() == Dialect::postgres;
  // Nodes starting at once load one at a time; those after the first find its digest here.
  PRATU_TRY(current, stored_catalog_digest(
                         c, postgres ? "SELECT digest FROM catalog_state WHERE id = 1 FOR UPDATE"
                                     : "SELECT digest FROM catalog_state WHERE id = 1"));
  if (current == rows.digest) {
    summary.unchanged = true;
    return summary;
  }
  PRATU_TRY(stored_agencies, stored_rows(c, "SELECT code, digest, 0 FROM agencies"));
  PRATU_TRY(stored_services, stored_rows(c, postgres ? "SELECT slug, digest, 0 FROM services"
                                                     : "SELECT slug, digest, id FROM services"));

  for (const AgencyRow& row : rows.agencies) {
    auto stored = stored_agencies.find(row.agency->code);
    if (stored != stored_agencies.end()) {
      const bool same = stored->second.digest == row.digest;
      stored_agencies.erase(stored);
      if (same) continue;
    }
    PRATU_CHECK(upsert_agency(c, row));
    ++summary.agencies_written;
  }

  std::vector<const ServiceRow*> changed;
  for (const ServiceRow& row : rows.services) {
    std::optional<std::int64_t> stored_id;
    auto stored = stored_services.find(row.service->slug);
    if (stored != stored_services.end()) {
      const bool same = stored->second.digest == row.digest;
      stored_id = stored->second.id;
      stored_services.erase(stored);
      if (same) continue;
    }
    if (postgres) changed.push_back(&row);
    else PRATU_CHECK(upsert_service_sqlite(c, row, stored_id));
    ++summary.services_written;
  }
  if (postgres) PRATU_CHECK(upsert_services_postgres(c, changed));

  // What is left of the stored rows is no longer in the files: services first (they name
  // their agency).
  std::vector<Value> gone;
  for (const auto& [slug, stored] : stored_services) {
    if (!postgres) {
      const std::array<Value, 1> id = {stored.id};
      PRATU_CHECK(c.execute(statements::kDeleteSearchRow, id));
    }
    gone.emplace_back(slug);
  }
  PRATU_CHECK(delete_in_batches(c, "DELETE FROM services WHERE slug IN ", gone));
  summary.services_removed = static_cast<std::int64_t>(gone.size());
  gone.clear();
  for (const auto& [code, stored] : stored_agencies) gone.emplace_back(code);
  PRATU_CHECK(delete_in_batches(c, "DELETE FROM agencies WHERE code IN ", gone));
  summary.agencies_removed = static_cast<std::int64_t>(gone.size());

  const std::array<Value, 1> digest = {rows.digest};
  PRATU_CHECK(
      c.execute("INSERT INTO catalog_state (id, digest) VALUES (1, $1) "
                "ON CONFLICT (id) DO UPDATE SET digest = excluded.digest",
                digest));
  if (!postgres && summary.services_written + summary.services_removed > 0) {
    // Every load writes a new FTS5 segment and tombstones in the old ones; a search then
    // reads them all. Merging them into one after the load halves a search's cost.
    PRATU_CHECK(c.execute("INSERT INTO service_search (service_search) VALUES ('optimize')"));
  }
  return summary;
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
  return replace_all(catalog, search_texts(catalog));
}

Result<ReplaceSummary> CatalogRepository::replace_all(const Catalog& catalog,
                                                      const std::vector<SearchText>& texts) {
  if (texts.size() != catalog.services.size()) {
    return Error::internal("replace_all: one search text a service is needed");
  }
  const CatalogRows rows = catalog_rows(catalog, texts);
  ReplaceSummary summary;
  summary.agencies = static_cast<std::int64_t>(rows.agencies.size());
  summary.services = static_cast<std::int64_t>(rows.services.size());
  // Most starts find the catalogue already stored: a read answers that without the writer lock.
  PRATU_TRY(stored, db_.read_value<std::string>([](Connection& c) {
    return stored_catalog_digest(c, "SELECT digest FROM catalog_state WHERE id = 1");
  }));
  if (stored == rows.digest) {
    summary.unchanged = true;
    return summary;
  }
  return db_.write_value<ReplaceSummary>(
      [&](Connection& c) { return store_changes(c, rows, summary); });
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
  // Names weigh most (FTS5's weights follow its columns: names, summary, keywords, details).
  const std::string_view count_sql =
      postgres ? "SELECT count(*) FROM services WHERE search_vector @@ $1::tsquery"
               : "SELECT count(*) FROM service_search WHERE service_search MATCH $1";
  const std::string_view page_sql =
      postgres ? "SELECT slug FROM services WHERE search_vector @@ $1::tsquery "
                 "ORDER BY ts_rank(search_vector, $1::tsquery) DESC, popularity DESC, slug "
                 "LIMIT $2 OFFSET $3"
               : "SELECT s.slug FROM service_search f JOIN services s ON s.id = f.rowid "
                 "WHERE service_search MATCH $1 "
                 "ORDER BY bm25(service_search, 10.0, 4.0, 2.0, 1.0), s.popularity DESC, s.slug "
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
