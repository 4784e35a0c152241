#include "domains/catalog/catalog_repository.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

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
    EXPECT_EQ(to_json(loaded->agencies[i]), to_json(catalog.agencies[i])) << catalog.agencies[i].code;
  }
  for (std::size_t i = 0; i < catalog.services.size(); ++i) {
    EXPECT_EQ(to_json(loaded->services[i]), to_json(catalog.services[i])) << catalog.services[i].slug;
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
    catalog.services.push_back(
        service("permit-" + std::to_string(100 + i), "Harbour permit " + std::to_string(i),
                "A harbour permit", i));
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
    catalog.services.push_back(
        service("ferry-" + std::to_string(100 + i), "Ferry permit " + std::to_string(i),
                "A ferry permit", i));
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
  for (std::string_view junk : {"", "   ", "!!!", "\"*)(", "' & | ! :* \\", "NEAR(a b) OR NOT *",
                                "\xff\xfe", "ก์์์์"}) {
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

PRATU_INSTANTIATE_ENGINE_TESTS(CatalogRepositoryTest);

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
