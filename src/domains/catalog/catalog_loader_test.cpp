#include "domains/catalog/catalog_loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "domains/catalog/earned_for_tests.hpp"
#include "support/temp_dir.hpp"

namespace pratu::catalog {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kAgency = R"(code: dbd
name: {th: กรมพัฒนาธุรกิจการค้า, en: Department of Business Development}
short_name: {th: พค., en: DBD}
description: {th: นายทะเบียนธุรกิจ, en: The business registry}
website: https://www.dbd.go.th
contact:
  phone: "1570"
  address: {th: นนทบุรี, en: Nonthaburi}
)";

constexpr const char* kService = R"(slug: commercial-registration
agency: dbd
name: {th: การจดทะเบียนพาณิชย์, en: Commercial registration}
summary: {th: จดทะเบียนร้านค้า, en: Register a shop}
category: business
who_may_apply:
  - {th: ผู้ประกอบพาณิชยกิจ, en: Traders}
documents:
  - key: form_tp
    name: {th: แบบ ทพ., en: Form TP}
    originals: 1
fees:
  - code: registration
    label: {th: ค่าจดทะเบียน, en: Registration}
    amount: 50
  - code: copy
    label: {th: ค่าคัดสำเนา, en: Copy}
    amount: 12.5
time_limit_working_days: 1
legal_basis:
  - {th: พระราชบัญญัติทะเบียนพาณิชย์ พ.ศ. 2499, en: Commercial Registration Act B.E. 2499}
channels: [counter]
online:
  prefill: true
)";

// A catalogue folder named "services" in a fresh temporary directory.
class CatalogDir {
 public:
  CatalogDir() { fs::create_directories(dir() / "agencies"); }

  void write(const std::string& relative, const std::string& text) {
    root_.write(fs::path("services") / relative, text);
  }
  fs::path dir() const { return root_ / "services"; }

 private:
  test::TempDir root_{"pratu-catalog-"};
};

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Loads a catalogue of kAgency plus `service` as services/dbd/commercial-registration.yaml.
Result<Catalog> load_with_service(const std::string& service) {
  CatalogDir dir;
  dir.write("agencies/dbd.yaml", kAgency);
  dir.write("dbd/commercial-registration.yaml", service);
  return load_catalog(dir.dir());
}

std::string problems(const Result<Catalog>& result) {
  return result ? std::string("(loaded without problems)") : result.error().detail;
}

TEST(CatalogLoader, LoadsAValidCatalogue) {
  auto catalog = load_with_service(kService);
  ASSERT_TRUE(catalog) << problems(catalog);
  ASSERT_EQ(catalog->agencies.size(), 1u);
  ASSERT_EQ(catalog->services.size(), 1u);
  const Service& service = catalog->services[0];
  EXPECT_EQ(service.slug, "commercial-registration");
  EXPECT_EQ(service.name.th, "การจดทะเบียนพาณิชย์");
  EXPECT_EQ(service.source_file, "services/dbd/commercial-registration.yaml");
  EXPECT_EQ(service.documents[0].key, "form_tp");
  EXPECT_EQ(service.channels, (std::vector<Channel>{Channel::counter}));
  // Without a form Pratu runs, no e-Form: level 0.
  EXPECT_FALSE(service.online.has(Criterion::e_form));
  EXPECT_EQ(assess_level(service).level, Level::l0);
}

TEST(CatalogLoader, AFormPratuRunsEarnsTheEFormAndTheOnlineChannel) {
  auto catalog = load_with_service(kService);
  ASSERT_TRUE(catalog) << problems(catalog);
  platform::EarnedFeatures earned;
  earned.earn("commercial-registration", "e_form", "applications");
  ASSERT_TRUE(apply_earned(*catalog, earned));
  const Service& service = catalog->services[0];
  EXPECT_TRUE(service.online.has(Criterion::e_form));
  EXPECT_EQ(service.channels, (std::vector<Channel>{Channel::online, Channel::counter}));
  EXPECT_EQ(assess_level(service).level, Level::l1);
}

TEST(CatalogLoader, EarningForAServiceOrCriterionThatDoesNotExistIsAnError) {
  auto catalog = load_with_service(kService);
  ASSERT_TRUE(catalog) << problems(catalog);
  platform::EarnedFeatures ghost;
  ghost.earn("ghost-service", "e_form", "applications");
  auto refused = apply_earned(*catalog, ghost);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().detail,
              HasSubstr("module applications runs e_form for the service ghost-service"));
  platform::EarnedFeatures unknown;
  unknown.earn("commercial-registration", "teleportation", "applications");
  EXPECT_FALSE(apply_earned(*catalog, unknown));
}

TEST(CatalogLoader, TheEFormAndTheOnlineChannelCannotBeDeclared) {
  auto declared = load_with_service(replace(kService, "  prefill: true", "  e_form: true"));
  EXPECT_THAT(problems(declared), HasSubstr("online.e_form: is earned by a form Pratu runs"));
  auto channel =
      load_with_service(replace(kService, "channels: [counter]", "channels: [online, counter]"));
  EXPECT_THAT(problems(channel), HasSubstr("channels[0]: is earned by a form Pratu runs"));
}

TEST(CatalogLoader, LevelThreesCriteriaCannotBeDeclared) {
  for (const char* key : {"e_license", "ca_signature", "pdf_a3"}) {
    auto declared =
        load_with_service(replace(kService, "  prefill: true", "  " + std::string(key) + ": true"));
    EXPECT_THAT(problems(declared), HasSubstr("online." + std::string(key) +
                                              ": is earned by the signed documents Pratu issues"));
  }
}

TEST(CatalogLoader, LevelTwosCriteriaCannotBeDeclared) {
  for (const char* key : {"bill_payment", "e_receipt"}) {
    auto declared =
        load_with_service(replace(kService, "  prefill: true", "  " + std::string(key) + ": true"));
    EXPECT_THAT(problems(declared),
                HasSubstr("online." + std::string(key) +
                          ": is earned by a workflow that bills through Pratu "
                          "(services/<agency>/<slug>/workflow.yaml `bill:`), not declared"));
    // Declaring it false is declaring it too.
    auto unset = load_with_service(
        replace(kService, "  prefill: true", "  " + std::string(key) + ": false"));
    EXPECT_THAT(problems(unset), HasSubstr("online." + std::string(key) + ": is earned"));
  }
}

TEST(CatalogLoader, AWorkflowThatBillsEarnsLevelTwo) {
  auto catalog = load_with_service(kService);
  ASSERT_TRUE(catalog) << problems(catalog);
  platform::EarnedFeatures earned;
  earned.earn("commercial-registration", "e_form", "applications");
  earned.earn("commercial-registration", "bill_payment", "payments");
  earned.earn("commercial-registration", "e_receipt", "documents");
  ASSERT_TRUE(apply_earned(*catalog, earned));
  const Service& service = catalog->services[0];
  EXPECT_TRUE(service.online.has(Criterion::bill_payment));
  EXPECT_TRUE(service.online.has(Criterion::e_receipt));
  EXPECT_EQ(assess_level(service).level, Level::l2);
}

TEST(CatalogLoader, DocumentKeysAreIdentifiersUniqueInTheirService) {
  auto bad = load_with_service(replace(kService, "key: form_tp", "key: Form TP"));
  EXPECT_THAT(problems(bad), HasSubstr("documents[0].key: must be lower-case letters"));
  auto twice = load_with_service(replace(
      kService, "    originals: 1\nfees:",
      "    originals: 1\n  - key: form_tp\n    name: {th: สำเนา, en: Copy}\n    copies: 1\nfees:"));
  EXPECT_THAT(problems(twice), HasSubstr("documents[1].key: 'form_tp' names an earlier document"));
}

TEST(CatalogLoader, KeepsAmountsExactInSatang) {
  auto catalog = load_with_service(kService);
  ASSERT_TRUE(catalog) << problems(catalog);
  EXPECT_EQ(catalog->services[0].fees[0].amount_satang, 5000);
  EXPECT_EQ(catalog->services[0].fees[1].amount_satang, 1250);
}

TEST(CatalogLoader, ReadsWhatABillNeedsOfAFee) {
  auto catalog = load_with_service(replace(kService, "    amount: 12.5\n",
                                           "    amount: 12.5\n"
                                           "    when: \"${copies} > 0\"\n"
                                           "    for_each: branches\n"
                                           "    quantity:\n"
                                           "      of: \"${item.pages}\"\n"
                                           "      per: 10\n"
                                           "      unit: {th: 10 หน้า, en: 10 pages}\n"
                                           "    minimum: 30.25\n"
                                           "    stamp_duty: true\n"));
  ASSERT_TRUE(catalog) << problems(catalog);
  const Fee& copy = catalog->services[0].fees[1];
  EXPECT_EQ(copy.code, "copy");
  EXPECT_EQ(copy.when, "${copies} > 0");
  EXPECT_EQ(copy.for_each, "branches");
  ASSERT_TRUE(copy.quantity);
  EXPECT_EQ(copy.quantity->of, "${item.pages}");
  EXPECT_EQ(copy.quantity->per, 10);
  EXPECT_EQ(copy.quantity->unit.en, "10 pages");
  EXPECT_EQ(copy.minimum_satang, 3025);
  EXPECT_TRUE(copy.stamp_duty);
  EXPECT_FALSE(catalog->services[0].fees[0].stamp_duty);
  EXPECT_FALSE(catalog->services[0].fees[0].quantity);
}

TEST(CatalogLoader, NamesEachProblemOfAFeesBillingKeys) {
  auto missing = load_with_service(replace(kService, "  - code: copy\n    label:", "  - label:"));
  EXPECT_THAT(problems(missing), HasSubstr("fees[1].code: is required"));
  auto twice = load_with_service(replace(kService, "code: copy", "code: registration"));
  EXPECT_THAT(problems(twice), HasSubstr("fees[1].code: 'registration' names an earlier fee"));
  auto badly_named = load_with_service(replace(kService, "code: copy", "code: Copy-1"));
  EXPECT_THAT(problems(badly_named), HasSubstr("fees[1].code: must be lower-case letters"));
  auto floor_alone = load_with_service(
      replace(kService, "    amount: 12.5\n", "    amount: 12.5\n    minimum: 5\n"));
  EXPECT_THAT(problems(floor_alone),
              HasSubstr("fees[1].minimum: applies only to a fee with a quantity"));
  auto no_unit = load_with_service(replace(
      kService, "    amount: 12.5\n", "    amount: 12.5\n    quantity: {of: \"1\", per: 0}\n"));
  EXPECT_THAT(problems(no_unit), HasSubstr("fees[1].quantity.per: must be a whole number from 1"));
  EXPECT_THAT(problems(no_unit), HasSubstr("fees[1].quantity.unit: is required"));
  auto duty = load_with_service(
      replace(kService, "    amount: 12.5\n", "    amount: 12.5\n    stamp_duty: maybe\n"));
  EXPECT_THAT(problems(duty), HasSubstr("fees[1].stamp_duty: must be true or false"));
}

TEST(CatalogLoader, NamesTheFileAndFieldOfANegativeFee) {
  auto catalog = load_with_service(replace(kService, "amount: 12.5", "amount: -5"));
  ASSERT_FALSE(catalog);
  EXPECT_THAT(problems(catalog),
              HasSubstr("services/dbd/commercial-registration.yaml: fees[1].amount: must be a "
                        "non-negative number"));
}

TEST(CatalogLoader, RejectsAmountsWithMoreThanTwoDecimals) {
  auto catalog = load_with_service(replace(kService, "amount: 12.5", "amount: 12.505"));
  EXPECT_THAT(problems(catalog), HasSubstr("fees[1].amount"));
}

TEST(CatalogLoader, RejectsUnknownKeysAtAnyDepth) {
  auto top = load_with_service(std::string(kService) + "colour: red\n");
  EXPECT_THAT(problems(top), HasSubstr("commercial-registration.yaml: colour: unknown key"));
  auto nested =
      load_with_service(replace(kService, "prefill: true", "prefill: true\n  e_licence: true"));
  EXPECT_THAT(problems(nested), HasSubstr("online.e_licence: unknown key"));
}

TEST(CatalogLoader, RequiresBothLanguages) {
  auto catalog = load_with_service(
      replace(kService, "name: {th: การจดทะเบียนพาณิชย์, en: Commercial registration}",
              "name: {th: การจดทะเบียนพาณิชย์}"));
  EXPECT_THAT(problems(catalog), HasSubstr("commercial-registration.yaml: name.en: is required"));
}

TEST(CatalogLoader, RequiresTheLegalTimeLimit) {
  auto catalog = load_with_service(replace(kService, "time_limit_working_days: 1\n", ""));
  EXPECT_THAT(problems(catalog), HasSubstr("time_limit_working_days: is required"));
}

TEST(CatalogLoader, ReportsEveryProblemAtOnce) {
  auto catalog = load_with_service(replace(replace(kService, "amount: 50", "amount: fifty"),
                                           "category: business", "category: nonsense"));
  EXPECT_THAT(problems(catalog), HasSubstr("fees[0].amount"));
  EXPECT_THAT(problems(catalog), HasSubstr("category: must be one of"));
}

TEST(CatalogLoader, RejectsAServiceOfAnUnknownAgency) {
  CatalogDir dir;
  dir.write("agencies/dbd.yaml", kAgency);
  dir.write("nope/commercial-registration.yaml", replace(kService, "agency: dbd", "agency: nope"));
  auto catalog = load_catalog(dir.dir());
  EXPECT_THAT(
      problems(catalog),
      HasSubstr("services/nope/commercial-registration.yaml: agency: unknown agency 'nope'"));
}

TEST(CatalogLoader, RejectsAnAgencyFieldThatDisagreesWithItsFolder) {
  auto catalog = load_with_service(replace(kService, "agency: dbd", "agency: bma"));
  EXPECT_THAT(problems(catalog), HasSubstr("agency: must match the folder"));
}

TEST(CatalogLoader, RejectsASlugUsedTwice) {
  CatalogDir dir;
  dir.write("agencies/dbd.yaml", kAgency);
  dir.write("agencies/bma.yaml", replace(kAgency, "code: dbd", "code: bma"));
  dir.write("dbd/commercial-registration.yaml", kService);
  dir.write("bma/commercial-registration.yaml", replace(kService, "agency: dbd", "agency: bma"));
  auto catalog = load_catalog(dir.dir());
  EXPECT_THAT(problems(catalog), HasSubstr("slug: 'commercial-registration' is already used by "
                                           "services/bma/commercial-registration.yaml"));
}

TEST(CatalogLoader, RejectsSlugsThatAreNotUrlSafe) {
  CatalogDir dir;
  dir.write("agencies/dbd.yaml", kAgency);
  dir.write("dbd/Commercial_Registration.yaml",
            replace(kService, "slug: commercial-registration", "slug: Commercial_Registration"));
  auto catalog = load_catalog(dir.dir());
  EXPECT_THAT(problems(catalog),
              HasSubstr("Commercial_Registration.yaml: slug: must be lower-case letters"));
}

TEST(CatalogLoader, RejectsAnAgencyCodeThatIsNotLowerCaseAscii) {
  CatalogDir dir;
  dir.write("agencies/DBD.yaml", replace(kAgency, "code: dbd", "code: DBD"));
  auto catalog = load_catalog(dir.dir());
  EXPECT_THAT(problems(catalog), HasSubstr("services/agencies/DBD.yaml: code: must be lower-case"));
}

TEST(CatalogLoader, ReportsYamlSyntaxErrorsWithTheLine) {
  auto catalog = load_with_service("slug: [unclosed\n");
  EXPECT_THAT(problems(catalog), HasSubstr("commercial-registration.yaml: line "));
}

TEST(CatalogLoader, RejectsStrayFilesAtTheTop) {
  CatalogDir dir;
  dir.write("agencies/dbd.yaml", kAgency);
  dir.write("misplaced.yaml", kService);
  auto catalog = load_catalog(dir.dir());
  EXPECT_THAT(problems(catalog), HasSubstr("services/misplaced.yaml: belongs in agencies/"));
}

// Large catalogues are parsed on several threads; what comes out must not show it.
TEST(CatalogLoader, ReadsAManyFileCatalogueInFileOrder) {
  CatalogDir dir;
  dir.write("agencies/dbd.yaml", kAgency);
  std::vector<std::string> broken;
  for (int i = 100; i < 400; ++i) {
    const std::string slug = "service-" + std::to_string(i);
    std::string text = replace(kService, "slug: commercial-registration", "slug: " + slug);
    if (i % 7 == 0) {
      text = replace(text, "amount: 50", "amount: fifty");
      broken.push_back("services/dbd/" + slug + ".yaml: fees[0].amount");
    }
    dir.write("dbd/" + slug + ".yaml", text);
  }
  auto catalog = load_catalog(dir.dir());
  ASSERT_FALSE(catalog);
  std::vector<std::string> reported;
  std::istringstream lines(catalog.error().detail);
  for (std::string line; std::getline(lines, line);)
    reported.push_back(line.substr(0, line.rfind(':')));
  EXPECT_EQ(reported, broken);

  for (int i = 105; i < 400; i += 7) {  // the broken ones, fixed
    dir.write(
        "dbd/service-" + std::to_string(i) + ".yaml",
        replace(kService, "slug: commercial-registration", "slug: service-" + std::to_string(i)));
  }
  catalog = load_catalog(dir.dir());
  ASSERT_TRUE(catalog) << problems(catalog);
  ASSERT_EQ(catalog->services.size(), 300u);
  for (std::size_t i = 0; i < 300; ++i) {
    EXPECT_EQ(catalog->services[i].slug, "service-" + std::to_string(100 + i));
  }
}

TEST(DemoCatalogue, LoadsWithoutProblems) {
  auto catalog = load_catalog(fs::path(PRATU_SOURCE_DIR) / "services");
  ASSERT_TRUE(catalog) << problems(catalog);
  EXPECT_GE(catalog->agencies.size(), 4u);
  EXPECT_GE(catalog->services.size(), 8u);
}

TEST(DemoCatalogue, HasServicesAtEveryLevel) {
  const auto demo = fs::path(PRATU_SOURCE_DIR) / "services";
  auto catalog = load_catalog(demo);
  ASSERT_TRUE(catalog) << problems(catalog);
  ASSERT_TRUE(apply_earned(*catalog, earned_by_forms_in(demo)));
  std::set<Level> levels;
  for (const auto& service : catalog->services) levels.insert(assess_level(service).level);
  EXPECT_EQ(levels, (std::set<Level>{Level::l0, Level::l1, Level::l2, Level::l3}));
}

TEST(DemoCatalogue, NamesTheFoodPremisesLicenceAsTheLawDoes) {
  auto catalog = load_catalog(fs::path(PRATU_SOURCE_DIR) / "services");
  ASSERT_TRUE(catalog) << problems(catalog);
  const bool found =
      std::any_of(catalog->services.begin(), catalog->services.end(), [](const Service& s) {
        return s.name.th.find("ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร") != std::string::npos;
      });
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace pratu::catalog
