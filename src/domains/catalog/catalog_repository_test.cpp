#include "domains/catalog/catalog_repository.hpp"

#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <unistd.h>

#include "common/text_segmenter.hpp"
#include "domains/catalog/catalog_json.hpp"
#include "domains/catalog/catalog_loader.hpp"
#include "support/test_databases.hpp"

namespace pratu::catalog {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

Catalog demo_catalog() {
  auto catalog = load_catalog(std::filesystem::path(PRATU_SOURCE_DIR) / "services");
  if (!catalog) ADD_FAILURE() << catalog.error().detail;
  return catalog ? *catalog : Catalog{};
}

Agency agency(const std::string& code) {
  Agency out;
  out.code = code;
  out.name = {"หน่วยงาน " + code, "Agency " + code};
  out.short_name = {code, code};
  out.description = {"คำอธิบาย", "Description"};
  out.website = "https://example.go.th";
  out.phone = "1111";
  out.address = {"ที่อยู่", "Address"};
  return out;
}

Service service(const std::string& slug, const std::string& name_en, const std::string& summary_en,
                std::int64_t popularity = 0) {
  Service out;
  out.slug = slug;
  out.agency_code = "test";
  out.name = {"บริการ " + slug, name_en};
  out.summary = {"สรุป", summary_en};
  out.category = "business";
  out.who_may_apply = {{"ทุกคน", "Anyone"}};
  out.time_limit_working_days = 1;
  out.legal_basis = {{"กฎหมาย", "A law"}};
  out.channels = {Channel::counter};
  out.popularity = popularity;
  return out;
}

class CatalogRepositoryTest : public test::DatabaseTest {
 protected:
  CatalogRepository repository() { return CatalogRepository(database()); }

  std::vector<std::string> search(std::string_view text, int page = 1) {
    auto found = repository().search(SearchQuery::parse(text), page);
    EXPECT_TRUE(found) << found.error().detail;
    return found ? found->slugs : std::vector<std::string>{};
  }

  void store(const Catalog& catalog) {
    auto replaced = repository().replace_all(catalog);
    ASSERT_TRUE(replaced) << replaced.error().detail;
  }
};

// Tells whether anything was committed to the catalogue's tables since it was made: SQLite's
// data_version, seen from a connection of its own, changes with every commit that wrote a
// page; PostgreSQL gives every row version a new xmin.
class WriteWatch {
 public:
  explicit WriteWatch(test::TestDatabase& database) : database_(database) {
    if (database.engine() == test::Engine::sqlite) {
      const std::string path = database.settings().url.substr(std::string_view("sqlite:").size());
      EXPECT_EQ(sqlite3_open_v2(path.c_str(), &sqlite_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    }
    seen_ = mark();
  }
  ~WriteWatch() { sqlite3_close_v2(sqlite_); }
  WriteWatch(const WriteWatch&) = delete;
  WriteWatch& operator=(const WriteWatch&) = delete;

  /// Whether anything was written since this watch was made.
  bool written() { return mark() != seen_; }

 private:
  std::string mark() {
    if (sqlite_ != nullptr) {
      sqlite3_stmt* statement = nullptr;
      sqlite3_prepare_v2(sqlite_, "PRAGMA data_version", -1, &statement, nullptr);
      std::string version = sqlite3_step(statement) == SQLITE_ROW
                                ? std::to_string(sqlite3_column_int64(statement, 0))
                                : "error";
      sqlite3_finalize(statement);
      return version;
    }
    auto versions =
        database_.db().read_value<std::string>([](storage::Connection& c) -> Result<std::string> {
          PRATU_TRY(rows, c.query("SELECT 'a' || code || xmin::text FROM agencies UNION ALL "
                                  "SELECT 's' || slug || xmin::text FROM services UNION ALL "
                                  "SELECT 'c' || xmin::text FROM catalog_state ORDER BY 1"));
          std::string out;
          for (const auto& row : rows) out += row.text(0) + " ";
          return out;
        });
    EXPECT_TRUE(versions) << versions.error().detail;
    return versions ? *versions : std::string();
  }

  test::TestDatabase& database_;
  sqlite3* sqlite_ = nullptr;
  std::string seen_;
};

TEST_P(CatalogRepositoryTest, StoresEveryServiceOfTheCatalogue) {
  const Catalog catalog = demo_catalog();
  auto summary = repository().replace_all(catalog);
  ASSERT_TRUE(summary) << summary.error().detail;
  EXPECT_EQ(summary->services, static_cast<std::int64_t>(catalog.services.size()));
  EXPECT_EQ(summary->agencies, static_cast<std::int64_t>(catalog.agencies.size()));
  auto slugs = repository().slugs();
  ASSERT_TRUE(slugs);
  EXPECT_EQ(slugs->size(), catalog.services.size());
  EXPECT_THAT(*slugs, Contains("food-premises-licence"));
}

TEST_P(CatalogRepositoryTest, ReadsBackExactlyWhatItStored) {
  const Catalog catalog = demo_catalog();
  store(catalog);
  auto loaded = repository().load_all();
  ASSERT_TRUE(loaded) << loaded.error().detail;
  ASSERT_EQ(loaded->agencies.size(), catalog.agencies.size());
  ASSERT_EQ(loaded->services.size(), catalog.services.size());
  for (std::size_t i = 0; i < catalog.agencies.size(); ++i) {
    EXPECT_EQ(to_json(loaded->agencies[i]), to_json(catalog.agencies[i]))
        << catalog.agencies[i].code;
  }
  for (std::size_t i = 0; i < catalog.services.size(); ++i) {
    EXPECT_EQ(to_json(loaded->services[i]), to_json(catalog.services[i]))
        << catalog.services[i].slug;
  }
}

TEST_P(CatalogRepositoryTest, LoadingTwiceChangesNothing) {
  const Catalog catalog = demo_catalog();
  store(catalog);
  auto again = repository().replace_all(catalog);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again->services_removed, 0);
  EXPECT_EQ(again->agencies_removed, 0);
  EXPECT_THAT(search("อาหาร"), Contains("food-premises-licence"));
  EXPECT_EQ(repository().slugs()->size(), catalog.services.size());
}

TEST_P(CatalogRepositoryTest, RemovesServicesAndAgenciesNoLongerInTheFiles) {
  Catalog catalog = demo_catalog();
  store(catalog);
  std::erase_if(catalog.services, [](const Service& s) { return s.agency_code == "excise"; });
  std::erase_if(catalog.agencies, [](const Agency& a) { return a.code == "excise"; });
  auto summary = repository().replace_all(catalog);
  ASSERT_TRUE(summary) << summary.error().detail;
  EXPECT_EQ(summary->services_removed, 1);
  EXPECT_EQ(summary->agencies_removed, 1);
  EXPECT_THAT(*repository().slugs(), Not(Contains("liquor-sale-licence")));
  EXPECT_THAT(search("สุรา"), IsEmpty());
}

TEST_P(CatalogRepositoryTest, FindsAThaiWordInsideUnspacedThaiText) {
  store(demo_catalog());
  const auto found = search("อาหาร");
  ASSERT_THAT(found, Not(IsEmpty()));
  EXPECT_EQ(found.front(), "food-premises-licence");
}

TEST_P(CatalogRepositoryTest, FindsEnglishWordsInEnglishNames) {
  store(demo_catalog());
  const auto found = search("Commercial");
  ASSERT_THAT(found, Not(IsEmpty()));
  EXPECT_EQ(found.front(), "commercial-registration");
}

TEST_P(CatalogRepositoryTest, MatchesPartlyTypedWords) {
  store(demo_catalog());
  EXPECT_THAT(search("commerc regis"), Contains("commercial-registration"));
  EXPECT_THAT(search("ทะเบียนพาณ"), Contains("commercial-registration"));
}

TEST_P(CatalogRepositoryTest, NeedsEveryWordToMatch) {
  store(demo_catalog());
  EXPECT_THAT(search("commercial"), Not(IsEmpty()));
  EXPECT_THAT(search("commercial zebra"), IsEmpty());
}

TEST_P(CatalogRepositoryTest, FindsServicesByTheirAgencyName) {
  store(demo_catalog());
  EXPECT_THAT(search("กรมสรรพสามิต"), Contains("liquor-sale-licence"));
}

TEST_P(CatalogRepositoryTest, RanksNameMatchesFirst) {
  Catalog catalog;
  catalog.agencies = {agency("test")};
  // The summary match is the more used service and says the word twice; the name still wins.
  catalog.services = {service("mentions-it", "Boat permit", "Zebra crossings and zebra signs", 900),
                      service("named-for-it", "Zebra crossing permit", "Paint a crossing", 1),
                      service("unrelated", "Boat permit", "Nothing to see", 5000)};
  store(catalog);
  EXPECT_THAT(search("zebra"), ElementsAre("named-for-it", "mentions-it"));
}

TEST_P(CatalogRepositoryTest, PagesResultsTenAtATimeWithTheTotal) {
  Catalog catalog;
  catalog.agencies = {agency("test")};
  for (int i = 0; i < 23; ++i) {
    catalog.services.push_back(service("permit-" + std::to_string(100 + i),
                                       "Harbour permit " + std::to_string(i), "A harbour permit",
                                       i));
  }
  store(catalog);
  std::set<std::string> seen;
  std::vector<std::size_t> sizes;
  for (int page = 1; page <= 3; ++page) {
    auto found = repository().search(SearchQuery::parse("harbour"), page);
    ASSERT_TRUE(found) << found.error().detail;
    EXPECT_EQ(found->total, 23);
    EXPECT_EQ(found->page, page);
    sizes.push_back(found->slugs.size());
    seen.insert(found->slugs.begin(), found->slugs.end());
  }
  EXPECT_THAT(sizes, ElementsAre(10u, 10u, 3u));
  EXPECT_EQ(seen.size(), 23u);  // no service on two pages

  auto beyond = repository().search(SearchQuery::parse("harbour"), 4);
  ASSERT_TRUE(beyond);
  EXPECT_THAT(beyond->slugs, IsEmpty());
  EXPECT_EQ(beyond->total, 23);
}

// A full page may be the last one: the total must still be exact, and the page after it
// empty with the same total.
TEST_P(CatalogRepositoryTest, CountsExactlyWhenTheLastPageIsFull) {
  Catalog catalog;
  catalog.agencies = {agency("test")};
  for (int i = 0; i < 10; ++i) {
    catalog.services.push_back(service("ferry-" + std::to_string(100 + i),
                                       "Ferry permit " + std::to_string(i), "A ferry permit", i));
  }
  store(catalog);
  auto first = repository().search(SearchQuery::parse("ferry"), 1);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ(first->slugs.size(), 10u);
  EXPECT_EQ(first->total, 10);
  auto second = repository().search(SearchQuery::parse("ferry"), 2);
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_THAT(second->slugs, IsEmpty());
  EXPECT_EQ(second->total, 10);
  auto one = repository().search(SearchQuery::parse("ferry 3"), 1);
  ASSERT_TRUE(one) << one.error().detail;
  EXPECT_EQ(one->total, static_cast<std::int64_t>(one->slugs.size()));
}

TEST_P(CatalogRepositoryTest, GivesNoErrorForEmptyOrJunkQueries) {
  store(demo_catalog());
  for (std::string_view junk :
       {"", "   ", "!!!", "\"*)(", "' & | ! :* \\", "NEAR(a b) OR NOT *", "\xff\xfe", "ก์์์์"}) {
    auto found = repository().search(SearchQuery::parse(junk), 1);
    ASSERT_TRUE(found) << "query '" << junk << "': " << found.error().detail;
  }
  auto empty = repository().search(SearchQuery::parse("!!!"), 1);
  EXPECT_EQ(empty->total, 0);
}

TEST_P(CatalogRepositoryTest, ReindexesAServiceWhoseNameChanged) {
  Catalog catalog;
  catalog.agencies = {agency("test")};
  catalog.services = {service("renamed", "Walrus licence", "A licence")};
  store(catalog);
  EXPECT_THAT(search("walrus"), ElementsAre("renamed"));
  catalog.services[0].name.en = "Penguin licence";
  store(catalog);
  EXPECT_THAT(search("walrus"), IsEmpty());
  EXPECT_THAT(search("penguin"), ElementsAre("renamed"));
}

TEST_P(CatalogRepositoryTest, WritesNothingWhenTheCatalogueIsAlreadyStored) {
  store(demo_catalog());
  WriteWatch watch(test_database());
  // What a node starting on an unchanged catalogue does: read the files, load them.
  auto again = repository().replace_all(demo_catalog());
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_FALSE(watch.written());
  EXPECT_TRUE(again->unchanged);
  EXPECT_EQ(again->services_written, 0);
  EXPECT_EQ(again->services, static_cast<std::int64_t>(demo_catalog().services.size()));
  EXPECT_THAT(search("อาหาร"), Contains("food-premises-licence"));
}

TEST_P(CatalogRepositoryTest, RewritesOnlyTheServicesThatChanged) {
  Catalog catalog;
  catalog.agencies = {agency("test")};
  catalog.services = {service("kept", "Otter licence", "Kept as it is"),
                      service("renamed", "Walrus licence", "A licence"),
                      service("removed", "Badger licence", "Gone next time")};
  store(catalog);
  catalog.services[1].name.en = "Penguin licence";
  catalog.services.pop_back();
  catalog.services.push_back(service("added", "Heron licence", "New this time"));
  auto summary = repository().replace_all(catalog);
  ASSERT_TRUE(summary) << summary.error().detail;
  EXPECT_FALSE(summary->unchanged);
  EXPECT_EQ(summary->services_written, 2);  // renamed, added
  EXPECT_EQ(summary->services_removed, 1);
  EXPECT_EQ(summary->agencies_written, 0);
  EXPECT_EQ(summary->services, 3);

  EXPECT_THAT(search("walrus"), IsEmpty());
  EXPECT_THAT(search("penguin"), ElementsAre("renamed"));
  EXPECT_THAT(search("badger"), IsEmpty());
  EXPECT_THAT(search("heron"), ElementsAre("added"));
  EXPECT_THAT(search("otter"), ElementsAre("kept"));
  EXPECT_THAT(search("licence"), ::testing::UnorderedElementsAre("kept", "renamed", "added"));
  auto loaded = repository().load_all();
  ASSERT_TRUE(loaded) << loaded.error().detail;
  ASSERT_EQ(loaded->services.size(), 3u);
  EXPECT_EQ(loaded->services[0].slug, "added");
  EXPECT_EQ(loaded->services[2].name.en, "Penguin licence");
}

// Agency names are search words of their services: renaming the agency reindexes them.
TEST_P(CatalogRepositoryTest, ReindexesServicesWhenTheirAgencyIsRenamed) {
  Catalog catalog;
  catalog.agencies = {agency("test")};
  catalog.services = {service("permit", "Harbour permit", "A permit")};
  store(catalog);
  catalog.agencies[0].name.en = "Lighthouse Authority";
  auto summary = repository().replace_all(catalog);
  ASSERT_TRUE(summary) << summary.error().detail;
  EXPECT_EQ(summary->agencies_written, 1);
  EXPECT_EQ(summary->services_written, 1);
  EXPECT_THAT(search("lighthouse"), ElementsAre("permit"));
}

TEST_P(CatalogRepositoryTest, StoresACatalogueReplacedWhole) {
  Catalog catalog;
  catalog.agencies = {agency("old")};
  for (int i = 0; i < 450; ++i) {  // more than one batch of rows
    catalog.services.push_back(service("old-" + std::to_string(i), "Kestrel permit", "Old", i));
    catalog.services.back().agency_code = "old";
  }
  store(catalog);
  Catalog replacement;
  replacement.agencies = {agency("test")};
  for (int i = 0; i < 430; ++i) {
    replacement.services.push_back(service("new-" + std::to_string(i), "Falcon permit", "New", i));
  }
  auto summary = repository().replace_all(replacement);
  ASSERT_TRUE(summary) << summary.error().detail;
  EXPECT_EQ(summary->services_removed, 450);
  EXPECT_EQ(summary->agencies_removed, 1);
  EXPECT_EQ(summary->services_written, 430);
  EXPECT_THAT(search("kestrel"), IsEmpty());
  auto found = repository().search(SearchQuery::parse("falcon"), 1);
  ASSERT_TRUE(found) << found.error().detail;
  EXPECT_EQ(found->total, 430);
  EXPECT_EQ(found->slugs.front(), "new-429");  // the most used
  EXPECT_EQ(repository().slugs()->size(), 430u);
}

// Nodes starting at once all load the same files: one writes, the others find it stored.
TEST_P(CatalogRepositoryTest, NodesLoadingTheSameCatalogueAtOnceWriteItOnce) {
  const Catalog catalog = demo_catalog();
  constexpr int kNodes = 3;
  std::vector<std::unique_ptr<storage::Database>> nodes;
  for (int i = 0; i < kNodes; ++i) {
    auto opened = storage::open_database(test_database().settings());
    ASSERT_TRUE(opened) << opened.error().detail;
    nodes.push_back(std::move(*opened));
  }
  std::vector<Result<ReplaceSummary>> results(kNodes, Error::internal("not run"));
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kNodes; ++i) {
      threads.emplace_back([&, i] {
        CatalogRepository node(*nodes[static_cast<std::size_t>(i)]);
        results[static_cast<std::size_t>(i)] = node.replace_all(catalog);
      });
    }
  }
  int writers = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result) << result.error().detail;
    if (!result->unchanged) ++writers;
  }
  EXPECT_EQ(writers, 1);
  EXPECT_EQ(repository().slugs()->size(), catalog.services.size());
  EXPECT_THAT(search("อาหาร"), Contains("food-premises-licence"));
}

PRATU_INSTANTIATE_ENGINE_TESTS(CatalogRepositoryTest);

// A database holding a catalogue stored before the digests migration keeps it, searchable, and the
// next load rewrites each row once to record its digest.
class CatalogMigrationTest : public test::DatabaseTest {
 protected:
  test::TestDatabaseOptions database_options() const override {
    test::TestDatabaseOptions options;
    options.migrations = test::Migrations::skip;
    return options;
  }
};

TEST_P(CatalogMigrationTest, KeepsACatalogueStoredBeforeDigests) {
  // The catalogue's first migration only, as a database made by an earlier release.
  const auto old_dir = std::filesystem::temp_directory_path() /
                       ("pratu-old-migrations-" + std::to_string(::getpid()));
  const auto catalog_migrations = test::module_migrations("catalog");
  const int digests = test::migration_version(catalog_migrations, "catalog_digests");
  ASSERT_GT(digests, 1);
  auto old = storage::migrate(database(),
                              {{"platform", test::migrations_dir()},
                               test::migrations_up_to(catalog_migrations, digests - 1, old_dir)});
  std::filesystem::remove_all(old_dir);
  ASSERT_TRUE(old) << old.error().detail;

  Catalog catalog;
  catalog.agencies = {agency("test")};
  catalog.services = {service("walrus-licence", "Walrus licence", "A licence"),
                      service("otter-licence", "Otter licence", "Another licence")};
  // Stored as the previous release stored it: search rows by slug (SQLite), or a vector.
  auto stored = database().write([&](storage::Connection& c) -> Result<void> {
    const Agency& a = catalog.agencies[0];
    PRATU_CHECK(
        c.execute("INSERT INTO agencies (code, name_th, name_en, document) VALUES ($1, $2, $3, $4)",
                  {a.code, a.name.th, a.name.en, boost::json::serialize(to_json(a))}));
    for (const Service& s : catalog.services) {
      const std::string names = segment_for_index(s.name.th + " " + s.name.en);
      if (c.dialect() == storage::Dialect::postgres) {
        std::string vector;
        int position = 0;
        for (const auto& word : segment_words(names)) {
          vector += "'" + word + "':" + std::to_string(++position) + "A ";
        }
        PRATU_CHECK(
            c.execute("INSERT INTO services (slug, agency_code, name_th, name_en, category, level, "
                      "popularity, document, search_vector) VALUES ($1, $2, $3, $4, $5, 0, 0, $6, "
                      "$7::tsvector)",
                      {s.slug, s.agency_code, s.name.th, s.name.en, s.category,
                       boost::json::serialize(to_json(s)), vector}));
      } else {
        PRATU_CHECK(
            c.execute("INSERT INTO services (slug, agency_code, name_th, name_en, category, level, "
                      "popularity, document) VALUES ($1, $2, $3, $4, $5, 0, 0, $6)",
                      {s.slug, s.agency_code, s.name.th, s.name.en, s.category,
                       boost::json::serialize(to_json(s))}));
        PRATU_CHECK(
            c.execute("INSERT INTO service_search (slug, names, summary, keywords, details) "
                      "VALUES ($1, $2, '', '', '')",
                      {s.slug, names}));
      }
    }
    return ok();
  });
  ASSERT_TRUE(stored) << stored.error().detail;

  auto migrated = storage::migrate(database(), test::migrations_of({"catalog"}));
  ASSERT_TRUE(migrated) << migrated.error().detail;
  CatalogRepository repository(database());
  auto loaded = repository.load_all();
  ASSERT_TRUE(loaded) << loaded.error().detail;
  ASSERT_EQ(loaded->services.size(), 2u);
  EXPECT_EQ(to_json(loaded->services[1]), to_json(catalog.services[0]));
  auto found = repository.search(SearchQuery::parse("walrus"), 1);
  ASSERT_TRUE(found) << found.error().detail;
  EXPECT_THAT(found->slugs, ElementsAre("walrus-licence"));

  auto first = repository.replace_all(catalog);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ(first->services_written, 2);
  auto second = repository.replace_all(catalog);
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_TRUE(second->unchanged);
  found = repository.search(SearchQuery::parse("otter"), 1);
  ASSERT_TRUE(found) << found.error().detail;
  EXPECT_THAT(found->slugs, ElementsAre("otter-licence"));
}

PRATU_INSTANTIATE_ENGINE_TESTS(CatalogMigrationTest);

// "SCAN t" (every row) or "SCAN t VIRTUAL TABLE INDEX 0:" (a virtual table given no
// constraint) are scans; "SEARCH t USING ..." and a virtual table given a rowid or MATCH are not.
std::vector<std::string> sqlite_scans(storage::Database& db, std::string_view sql,
                                      std::vector<storage::Value> params) {
  auto plan = db.read_value<std::vector<storage::Row>>([&](storage::Connection& c) {
    return c.query("EXPLAIN QUERY PLAN " + std::string(sql), params);
  });
  EXPECT_TRUE(plan) << plan.error().detail;
  std::vector<std::string> scans;
  if (!plan) return scans;
  for (const auto& row : *plan) {
    const std::string detail = row.text(3);
    const bool virtual_table = detail.find("VIRTUAL TABLE") != std::string::npos;
    if (detail.starts_with("SCAN ") && (!virtual_table || detail.ends_with(":"))) {
      scans.push_back(detail);
    }
  }
  return scans;
}

// Each load removes changed services' search rows one at a time: a scan for each made loads
// quadratic in the number of services.
TEST(CatalogRepositorySqlite, FindsASearchRowByItsKey) {
  auto created = test::TestDatabase::create(test::Engine::sqlite);
  ASSERT_TRUE(created) << created.error().detail;
  EXPECT_THAT(sqlite_scans((*created)->db(), statements::kDeleteSearchRow, {std::int64_t{1}}),
              IsEmpty());
}

// FTS5 is SQLite's own: each load writes a new segment, and a search reads every segment.
TEST(CatalogRepositorySqlite, LeavesTheSearchIndexMergedAfterEveryLoad) {
  auto created = test::TestDatabase::create(test::Engine::sqlite);
  ASSERT_TRUE(created) << created.error().detail;
  storage::Database& db = (*created)->db();
  CatalogRepository repository(db);
  const Catalog catalog = demo_catalog();
  for (int load = 0; load < 2; ++load) {
    auto replaced = repository.replace_all(catalog);
    ASSERT_TRUE(replaced) << replaced.error().detail;
  }
  // Every segment has at least one row in the index's %_idx shadow table.
  auto segments = db.read_value<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(row, c.query_one("SELECT count(DISTINCT segid) FROM service_search_idx"));
    return row ? row->int64(0) : 0;
  });
  ASSERT_TRUE(segments) << segments.error().detail;
  EXPECT_EQ(*segments, 1);
  auto found = repository.search(SearchQuery::parse("อาหาร"), 1);
  ASSERT_TRUE(found) << found.error().detail;
  EXPECT_THAT(found->slugs, Contains("food-premises-licence"));
}

TEST(SearchQuery, SegmentsThaiAndKeepsEachWordOnce) {
  EXPECT_THAT(SearchQuery::parse("ใบอนุญาต ใบอนุญาต").words, ElementsAre("ใบ", "อนุญาต"));
}

TEST(SearchQuery, KeepsAtMostTwelveWords) {
  EXPECT_EQ(SearchQuery::parse("a b c d e f g h i j k l m n o p").words.size(),
            SearchQuery::kMaxWords);
}

TEST(SearchQuery, CutsVeryLongInputAtACharacterBoundary) {
  std::string text;
  while (text.size() < 2000) text += "อาหาร ";
  const auto query = SearchQuery::parse(text);
  EXPECT_THAT(query.words, ElementsAre("อาหาร"));
}

}  // namespace
}  // namespace pratu::catalog
