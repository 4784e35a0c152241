#include "domains/catalog/catalog_service.hpp"
#include "domains/catalog/earned_for_tests.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "domains/catalog/catalog_loader.hpp"
#include "support/temp_dir.hpp"
#include "support/test_databases.hpp"

namespace pratu::catalog {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const fs::path kDemo = fs::path(PRATU_SOURCE_DIR) / "services";

class CatalogServiceTest : public test::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    repository_ = std::make_unique<CatalogRepository>(database());
    service_ = std::make_unique<CatalogService>(*repository_);
  }
  void TearDown() override {
    service_.reset();
    repository_.reset();
    DatabaseTest::TearDown();
  }
  std::unique_ptr<CatalogRepository> repository_;
  std::unique_ptr<CatalogService> service_;
};

TEST_P(CatalogServiceTest, ServesNothingBeforeTheFirstLoad) {
  EXPECT_THAT(service_->snapshot()->catalog().services, IsEmpty());
  EXPECT_EQ(service_->snapshot()->service("food-premises-licence"), nullptr);
}

TEST_P(CatalogServiceTest, ServesTheFilesItLoaded) {
  ASSERT_TRUE(service_->load_directory(kDemo, earned_by_forms_in(kDemo)));
  auto snapshot = service_->snapshot();
  const Service* food = snapshot->service("food-premises-licence");
  ASSERT_NE(food, nullptr);
  // Its workflow bills the licence fee and issues the licence signed: every level is earned.
  EXPECT_EQ(snapshot->assessment(*food).level, Level::l3);
  // A form and fees, but no bill Pratu issues: level 1, whatever the file once declared.
  const Service* company = snapshot->service("company-registration");
  ASSERT_NE(company, nullptr);
  EXPECT_EQ(snapshot->assessment(*company).level, Level::l1);
  EXPECT_EQ(snapshot->agency("bma")->short_name.en, "BMA");
  EXPECT_EQ(snapshot->by_popularity().front()->slug, "id-card-replacement");
  EXPECT_EQ(snapshot->services_of("dbd").size(), 3u);
  EXPECT_THAT(service_->agency_codes(), ElementsAre("bma", "dbd", "dlt", "dopa", "excise"));
}

TEST_P(CatalogServiceTest, ReloadServesWhatAnotherNodeStored) {
  CatalogService other_node(*repository_);
  ASSERT_TRUE(other_node.load_directory(kDemo, earned_by_forms_in(kDemo)));
  EXPECT_EQ(service_->snapshot()->service("company-certificate"), nullptr);
  auto reloaded = service_->reload();
  ASSERT_TRUE(reloaded) << reloaded.error().detail;
  const Service* certificate = service_->snapshot()->service("company-certificate");
  ASSERT_NE(certificate, nullptr);
  EXPECT_EQ(service_->snapshot()->assessment(*certificate).level, Level::l3);
}

TEST_P(CatalogServiceTest, KeepsServingTheOldCatalogueWhenFilesAreBroken) {
  ASSERT_TRUE(service_->load_directory(kDemo, earned_by_forms_in(kDemo)));
  const auto before = service_->snapshot();
  const test::TempDir broken("pratu-broken-");
  broken.write("agencies/x.yaml", "code: x\n");
  auto loaded = service_->load_directory(broken.path());
  ASSERT_FALSE(loaded);
  EXPECT_EQ(service_->snapshot(), before);
  EXPECT_EQ(repository_->slugs()->size(), before->catalog().services.size());
}

TEST_P(CatalogServiceTest, SearchGivesServicesOfTheSnapshot) {
  ASSERT_TRUE(service_->load_directory(kDemo, earned_by_forms_in(kDemo)));
  auto found = service_->search("  ใบอนุญาตขายสุรา ", 1);
  ASSERT_TRUE(found) << found.error().detail;
  ASSERT_FALSE(found->services.empty());
  EXPECT_EQ(found->services.front()->slug, "liquor-sale-licence");
  EXPECT_EQ(found->page_count(), 1);
}

// A search made lately is answered from memory: another node may change the database, and
// this node keeps giving the answer of the catalogue it serves until it reloads.
TEST_P(CatalogServiceTest, RemembersASearchUntilTheCatalogueChanges) {
  ASSERT_TRUE(service_->load_directory(kDemo, earned_by_forms_in(kDemo)));
  EXPECT_FALSE(service_->search_cached("ขายสุรา", 1));
  auto first = service_->search("ขายสุรา", 1);
  ASSERT_TRUE(first) << first.error().detail;
  ASSERT_FALSE(first->services.empty());
  EXPECT_TRUE(service_->search_cached("ขายสุรา", 1));
  EXPECT_FALSE(service_->search_cached("ขายสุรา", 2));
  EXPECT_FALSE(service_->search_cached("สุรา", 1));

  // Another node stores a catalogue without the liquor licence.
  auto catalog = load_catalog(kDemo);
  ASSERT_TRUE(catalog) << catalog.error().detail;
  std::erase_if(catalog->services,
                [](const Service& service) { return service.slug == "liquor-sale-licence"; });
  CatalogService other_node(*repository_);
  ASSERT_TRUE(other_node.publish(*catalog));
  auto other = other_node.search("ขายสุรา", 1);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->total, 0);

  auto remembered = service_->search("ขายสุรา", 1);
  ASSERT_TRUE(remembered);
  EXPECT_EQ(remembered->total, first->total);
  EXPECT_EQ(remembered->services.front()->slug, "liquor-sale-licence");

  ASSERT_TRUE(service_->reload());
  EXPECT_FALSE(service_->search_cached("ขายสุรา", 1));
  auto fresh = service_->search("ขายสุรา", 1);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->total, 0);
}

TEST_P(CatalogServiceTest, WithoutACacheEverySearchIsMadeAfresh) {
  CatalogService uncached(*repository_, SearchCacheSettings{0, std::chrono::seconds(60)});
  ASSERT_TRUE(uncached.load_directory(kDemo, earned_by_forms_in(kDemo)));
  ASSERT_TRUE(uncached.search("ขายสุรา", 1));
  EXPECT_FALSE(uncached.search_cached("ขายสุรา", 1));
}

// A search is made on the asking thread when it reads little of the index, or was made lately.
TEST_P(CatalogServiceTest, TellsAQuickSearchFromOneReadingMuchOfTheIndex) {
  SearchCacheSettings settings;
  settings.quick_work = 40;  // the demo catalogue has 10 services: one word, a few postings
  CatalogService service(*repository_, settings);
  ASSERT_TRUE(service.load_directory(kDemo, earned_by_forms_in(kDemo)));
  EXPECT_TRUE(service.search_is_quick("ขายสุรา", 1));
  EXPECT_FALSE(service.search_is_quick("a b c d e", 1));  // 5 passes of 10, and postings
  ASSERT_TRUE(service.search("a b c d e", 1));
  EXPECT_TRUE(service.search_is_quick("a b c d e", 1));  // answered from the cache now
  EXPECT_FALSE(service.search_is_quick("a b c d e", 2));
}

TEST_P(CatalogServiceTest, DoesNotKeepOverlongSearches) {
  ASSERT_TRUE(service_->load_directory(kDemo, earned_by_forms_in(kDemo)));
  const std::string long_text(SearchQuery::kMaxInputBytes + 1, 'a');
  ASSERT_TRUE(service_->search(long_text, 1));
  EXPECT_FALSE(service_->search_cached(long_text, 1));
}

TEST_P(CatalogServiceTest, ListsEveryServiceInSlugOrderAPageAtATime) {
  ASSERT_TRUE(service_->load_directory(kDemo, earned_by_forms_in(kDemo)));
  const ServicePage first = service_->list(1);
  EXPECT_EQ(first.total, 10);
  ASSERT_EQ(first.services.size(), 10u);
  EXPECT_EQ(first.services.front()->slug, "building-permit");
  EXPECT_TRUE(std::is_sorted(first.services.begin(), first.services.end(),
                             [](const Service* a, const Service* b) { return a->slug < b->slug; }));
  EXPECT_THAT(service_->list(2).services, IsEmpty());
}

TEST_P(CatalogServiceTest, ServesAPublishedCatalogueInSlugOrderWhateverItsOrder) {
  auto catalog = load_catalog(kDemo);
  ASSERT_TRUE(catalog);
  std::reverse(catalog->services.begin(), catalog->services.end());
  std::reverse(catalog->agencies.begin(), catalog->agencies.end());
  ASSERT_TRUE(service_->publish(*catalog));
  EXPECT_EQ(service_->list(1).services.front()->slug, "building-permit");
  EXPECT_EQ(service_->agency_codes().front(), "bma");
  EXPECT_NE(service_->snapshot()->service("signboard-tax"), nullptr);
}

PRATU_INSTANTIATE_ENGINE_TESTS(CatalogServiceTest);

}  // namespace
}  // namespace pratu::catalog
