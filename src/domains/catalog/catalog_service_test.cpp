#include "domains/catalog/catalog_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "domains/catalog/catalog_loader.hpp"
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
  ASSERT_TRUE(service_->load_directory(kDemo));
  auto snapshot = service_->snapshot();
  const Service* food = snapshot->service("food-premises-licence");
  ASSERT_NE(food, nullptr);
  EXPECT_EQ(snapshot->assessment(*food).level, Level::l1);
  EXPECT_EQ(snapshot->agency("bma")->short_name.en, "BMA");
  EXPECT_EQ(snapshot->by_popularity().front()->slug, "id-card-replacement");
  EXPECT_EQ(snapshot->services_of("dbd").size(), 3u);
  EXPECT_THAT(service_->agency_codes(), ElementsAre("bma", "dbd", "dlt", "dopa", "excise"));
}

TEST_P(CatalogServiceTest, ReloadServesWhatAnotherNodeStored) {
  CatalogService other_node(*repository_);
  ASSERT_TRUE(other_node.load_directory(kDemo));
  EXPECT_EQ(service_->snapshot()->service("company-certificate"), nullptr);
  auto reloaded = service_->reload();
  ASSERT_TRUE(reloaded) << reloaded.error().detail;
  const Service* certificate = service_->snapshot()->service("company-certificate");
  ASSERT_NE(certificate, nullptr);
  EXPECT_EQ(service_->snapshot()->assessment(*certificate).level, Level::l3);
}

TEST_P(CatalogServiceTest, KeepsServingTheOldCatalogueWhenFilesAreBroken) {
  ASSERT_TRUE(service_->load_directory(kDemo));
  const auto before = service_->snapshot();
  const fs::path broken = fs::temp_directory_path() / ("pratu-broken-" + std::to_string(::getpid()));
  fs::create_directories(broken / "agencies");
  std::ofstream(broken / "agencies" / "x.yaml") << "code: x\n";
  auto loaded = service_->load_directory(broken);
  fs::remove_all(broken);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(service_->snapshot(), before);
  EXPECT_EQ(repository_->slugs()->size(), before->catalog().services.size());
}

TEST_P(CatalogServiceTest, SearchGivesServicesOfTheSnapshot) {
  ASSERT_TRUE(service_->load_directory(kDemo));
  auto found = service_->search("  ใบอนุญาตขายสุรา ", 1);
  ASSERT_TRUE(found) << found.error().detail;
  ASSERT_FALSE(found->services.empty());
  EXPECT_EQ(found->services.front()->slug, "liquor-sale-licence");
  EXPECT_EQ(found->page_count(), 1);
}

TEST_P(CatalogServiceTest, ListsEveryServiceInSlugOrderAPageAtATime) {
  ASSERT_TRUE(service_->load_directory(kDemo));
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
