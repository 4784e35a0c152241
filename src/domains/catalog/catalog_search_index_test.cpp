#include "domains/catalog/catalog_search_index.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "domains/catalog/catalog_loader.hpp"
#include "support/test_databases.hpp"

namespace pratu::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Catalog demo_catalog() {
  auto catalog = load_catalog(std::filesystem::path(PRATU_SOURCE_DIR) / "services");
  if (!catalog) ADD_FAILURE() << catalog.error().detail;
  return catalog ? *catalog : Catalog{};
}

// A few hundred services whose texts share words in every column, with many ties.
Catalog varied_catalog() {
  const std::vector<std::pair<std::string, std::string>> subjects = {
      {"ร้านอาหาร", "restaurant"}, {"โรงแรม", "hotel"},      {"ตลาดสด", "fresh market"},
      {"ร้านขายยา", "pharmacy"},   {"โรงงาน", "factory"},    {"ป้ายโฆษณา", "advertising sign"},
      {"รถบรรทุก", "lorry"},       {"ท่าเรือ", "harbour pier"}};
  const std::vector<std::pair<std::string, std::string>> actions = {
      {"ขอใบอนุญาต", "Licence for"},
      {"ต่ออายุใบอนุญาต", "Renewal of the licence for"},
      {"จดทะเบียน", "Registration of"},
      {"แจ้งการประกอบกิจการ", "Notification of"}};
  Catalog catalog;
  for (const char* code : {"health", "works", "transport"}) {
    Agency agency;
    agency.code = code;
    agency.name = {std::string("กรม") + code, std::string("Department of ") + code};
    agency.short_name = {code, code};
    catalog.agencies.push_back(agency);
  }
  int n = 0;
  for (std::size_t s = 0; s < subjects.size(); ++s) {
    for (std::size_t a = 0; a < actions.size(); ++a) {
      for (int copy = 0; copy < 8; ++copy, ++n) {
        Service service;
        service.slug = "service-" + std::to_string(1000 + n);
        service.agency_code = catalog.agencies[static_cast<std::size_t>(n) % 3].code;
        service.name = {"การ" + actions[a].first + subjects[s].first,
                        actions[a].second + " a " + subjects[s].second};
        service.summary = {"ผู้ประกอบการ" + subjects[(s + 1) % subjects.size()].first + "ต้องยื่นคำขอ",
                           "Operators of a " + subjects[(s + copy) % subjects.size()].second +
                               " apply before opening"};
        if (copy % 2 == 0) service.tags_en = {"licence", subjects[s].second};
        if (copy % 3 == 0) service.tags_th = {"ใบอนุญาต"};
        service.who_may_apply = {{"ผู้ประกอบการ", "Operators"}};
        service.legal_basis = {{"พระราชบัญญัติการสาธารณสุข", "Public Health Act"}};
        service.popularity = copy % 4 == 0 ? 0 : (n * 37) % 11;  // many ties
        catalog.services.push_back(service);
      }
    }
  }
  return catalog;
}

std::vector<std::string> search(const SearchIndex& index, std::string_view text, int page = 1) {
  return index.search(SearchQuery::parse(text), page, CatalogRepository::kPageSize).slugs;
}

// The index must rank exactly as SQLite's FTS5 index with bm25 did: compare them on every page
// of many queries, common words (hundreds of ties) as well as rare ones.
void expect_same_ranking_as_fts5(const Catalog& catalog, const std::vector<std::string>& queries) {
  auto created = test::TestDatabase::create(test::Engine::sqlite);
  ASSERT_TRUE(created) << created.error().detail;
  CatalogRepository repository((*created)->db());
  auto stored = repository.replace_all(catalog);
  ASSERT_TRUE(stored) << stored.error().detail;
  const SearchIndex index(catalog.services, catalog.agencies);
  for (const auto& text : queries) {
    const SearchQuery query = SearchQuery::parse(text);
    for (int page = 1; page <= 4; ++page) {
      auto expected = repository.search(query, page);
      ASSERT_TRUE(expected) << expected.error().detail;
      const SearchPage actual = index.search(query, page, CatalogRepository::kPageSize);
      EXPECT_EQ(actual.slugs, expected->slugs) << "query '" << text << "', page " << page;
      EXPECT_EQ(actual.total, expected->total) << "query '" << text << "', page " << page;
    }
  }
}

TEST(SearchIndex, RanksTheDemoCatalogueAsTheDatabaseIndexDoes) {
  expect_same_ranking_as_fts5(
      demo_catalog(),
      {"อาหาร", "ใบอนุญาต", "ใบอนุญาตขายสุรา", "ทะเบียนพาณ", "บริษัท", "ภาษี", "licence", "commerc regis",
       "registration", "a", "the", "ก", "กรมสรรพสามิต", "building permit", "zebra", "ใบ"});
}

TEST(SearchIndex, RanksACatalogueFullOfTiesAsTheDatabaseIndexDoes) {
  expect_same_ranking_as_fts5(
      varied_catalog(),
      {"licence", "lic", "ใบอนุญาต", "ร้าน", "ร้านอาหาร", "hotel", "restaurant licence", "operators",
       "o", "การ", "department", "works", "กรม", "public health act", "renewal hotel", "zzz"});
}

TEST(SearchIndex, FindsAThaiWordInsideUnspacedThaiText) {
  const Catalog catalog = demo_catalog();
  const SearchIndex index(catalog.services, catalog.agencies);
  const auto found = search(index, "อาหาร");
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front(), "food-premises-licence");
  EXPECT_THAT(search(index, "commercial zebra"), IsEmpty());
  EXPECT_THAT(search(index, "ทะเบียนพาณ"), ::testing::Contains("commercial-registration"));
}

TEST(SearchIndex, CountsEveryMatchAndPagesTenAtATime) {
  const Catalog catalog = varied_catalog();
  const SearchIndex index(catalog.services, catalog.agencies);
  const auto first = index.search(SearchQuery::parse("hotel"), 1, CatalogRepository::kPageSize);
  EXPECT_EQ(first.slugs.size(), 10u);
  const auto beyond = index.search(SearchQuery::parse("hotel"), 100, CatalogRepository::kPageSize);
  EXPECT_THAT(beyond.slugs, IsEmpty());
  EXPECT_EQ(beyond.total, first.total);
  EXPECT_GT(first.total, 10);
}

// The work of a search is what it reads: every posting of the words a query word begins, and a
// pass over the services per query word. Counted here from the services' texts.
TEST(SearchIndex, TellsHowMuchOfTheIndexASearchReads) {
  const Catalog catalog = varied_catalog();
  const SearchIndex index(catalog.services, catalog.agencies);
  const auto texts = search_texts(catalog.services, catalog.agencies);
  // Services with a word of their text starting with `prefix`, as postings count them: one
  // per distinct word of a service.
  auto postings_of = [&texts](const std::string& prefix) {
    std::size_t count = 0;
    for (const SearchText& text : texts) {
      std::set<std::string> words;
      for (const std::string& column : text.columns) {
        std::istringstream in(column);
        for (std::string word; in >> word;) {
          if (word.starts_with(prefix)) words.insert(word);
        }
      }
      count += words.size();
    }
    return count;
  };
  const std::size_t services = catalog.services.size();
  EXPECT_EQ(index.work(SearchQuery::parse("hotel")), postings_of("hotel") + services);
  EXPECT_EQ(index.work(SearchQuery::parse("h")), postings_of("h") + services);
  EXPECT_GT(postings_of("h"), postings_of("hotel"));
  EXPECT_EQ(index.work(SearchQuery::parse("hotel lorry")),
            postings_of("hotel") + postings_of("lorry") + 2 * services);
  EXPECT_EQ(index.work(SearchQuery::parse("zebra")), services);
  EXPECT_EQ(index.work(SearchQuery::parse("")), 0u);
  EXPECT_EQ(SearchIndex().work(SearchQuery::parse("hotel")), 0u);
}

TEST(SearchIndex, FindsNothingInAnEmptyCatalogueOrForAnEmptyQuery) {
  const SearchIndex empty;
  EXPECT_THAT(search(empty, "licence"), IsEmpty());
  const Catalog catalog = demo_catalog();
  const SearchIndex index(catalog.services, catalog.agencies);
  EXPECT_THAT(search(index, "!!!"), IsEmpty());
  EXPECT_EQ(index.search(SearchQuery::parse(""), 1, 10).total, 0);
}

}  // namespace
}  // namespace pratu::catalog
