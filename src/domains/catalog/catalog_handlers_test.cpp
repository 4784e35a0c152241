#include "domains/catalog/catalog_handlers.hpp"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "domains/catalog/catalog_loader.hpp"
#include "domains/catalog/earned_for_tests.hpp"
#include "support/test_databases.hpp"
#include "web/problem.hpp"

namespace pratu::catalog {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using web::Locale;

class FixedAssets final : public web::AssetUrls {
 public:
  std::string url(std::string_view path) const override { return "/static/" + std::string(path); }
};

// The project's locale files, exactly as the server loads them.
Result<web::Translations> load_translations() {
  return web::Translations::load(PRATU_SOURCE_DIR "/locales");
}

class CatalogHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto translations = load_translations();
    ASSERT_TRUE(translations) << translations.error().detail;
    translations_ = std::move(*translations);
    auto renderer = web::Renderer::load(PRATU_SOURCE_DIR "/templates", translations_, assets_);
    ASSERT_TRUE(renderer) << renderer.error().detail;
    renderer_ = std::move(*renderer);
    auto db = test::TestDatabase::create(test::Engine::sqlite);
    ASSERT_TRUE(db) << db.error().detail;
    db_ = std::move(*db);
    repository_ = std::make_unique<CatalogRepository>(db_->db());
    service_ = std::make_unique<CatalogService>(*repository_);
    const auto demo = fs::path(PRATU_SOURCE_DIR) / "services";
    auto loaded = service_->load_directory(demo, earned_by_forms_in(demo));
    ASSERT_TRUE(loaded) << loaded.error().detail;
    handlers_ = std::make_unique<CatalogHandlers>(*service_, *renderer_);
  }
  void TearDown() override {
    handlers_.reset();
    service_.reset();
    repository_.reset();
    db_.reset();
    renderer_.reset();
  }

  using Method = Result<web::Response> (CatalogHandlers::*)(const web::Request&,
                                                            web::RequestContext&) const;

  // Calls `method` for `target` ("/search?q=x"), with `params` as the route's path parameters;
  // an error comes back as the platform answers it (an error page, or problem+json under /api/).
  web::Response call(Method method, std::string_view target, Locale locale = Locale::th,
                     std::vector<web::Header> params = {}) {
    auto parsed = web::parse_target(target);
    EXPECT_TRUE(parsed) << target;
    web::Request request;
    request.method = "GET";
    request.target = std::string(target);
    request.path = parsed ? parsed->path : "/";
    request.query = parsed ? parsed->query : std::vector<web::Header>{};
    request.path_params = std::move(params);
    request.request_id = "req-catalog-1";
    web::RequestContext context;
    context.request_id = request.request_id;
    context.locale = locale;
    auto response = ((*handlers_).*method)(request, context);
    if (response) return std::move(*response);
    auto surface = request.path.rfind("/api/", 0) == 0 ? web::Surface::api : web::Surface::page;
    return web::error_response(*renderer_, request, context, surface, response.error());
  }

  json::value json_of(const web::Response& response) { return json::parse(response.text()); }

  web::Translations translations_;
  FixedAssets assets_;
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<test::TestDatabase> db_;
  std::unique_ptr<CatalogRepository> repository_;
  std::unique_ptr<CatalogService> service_;
  std::unique_ptr<CatalogHandlers> handlers_;
};

TEST_F(CatalogHandlersTest, HomeOffersSearchMostUsedServicesAgenciesAndLevelsInThai) {
  auto response = call(&CatalogHandlers::home, "/");
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(
      response.text(),
      AllOf(HasSubstr("<html lang=\"th\">"), HasSubstr("action=\"/search\""),
            HasSubstr("บริการที่มีผู้ใช้มากที่สุด"), HasSubstr("การทำบัตรประจำตัวประชาชน กรณีบัตรหายหรือถูกทำลาย"),
            HasSubstr("กรมพัฒนาธุรกิจการค้า"), HasSubstr("เสร็จสิ้นออนไลน์"), HasSubstr("tag--l3")));
}

TEST_F(CatalogHandlersTest, HomeSpeaksEnglishWhenAskedTo) {
  auto response = call(&CatalogHandlers::home, "/", Locale::en);
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(
      response.text(),
      AllOf(HasSubstr("<html lang=\"en\">"), HasSubstr("Most used services"),
            HasSubstr("National ID card replacement"),
            HasSubstr("Department of Business Development"), Not(HasSubstr("บริการที่มีผู้ใช้มากที่สุด"))));
}

TEST_F(CatalogHandlersTest, ServicePageSaysWhoWhatHowMuchHowLongAndWhyInThai) {
  auto response = call(&CatalogHandlers::service, "/services/commercial-registration", Locale::th,
                       {{"slug", "commercial-registration"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.text(),
              AllOf(HasSubstr("<h1>การจดทะเบียนพาณิชย์ (ตั้งใหม่)</h1>"), HasSubstr("ผู้มีสิทธิ์ยื่นคำขอ"),
                    HasSubstr("แบบคำขอจดทะเบียนพาณิชย์ (แบบ ทพ.)"), HasSubstr("50 บาท"),
                    HasSubstr("1 วันทำการ"), HasSubstr("พระราชบัญญัติทะเบียนพาณิชย์ พ.ศ. 2499"),
                    HasSubstr("<li>ยื่นออนไลน์</li>"), HasSubstr("<li>ยื่นด้วยตนเองที่สำนักงาน</li>"),
                    HasSubstr("<span class=\"tag tag--l2\">L2</span>"), HasSubstr("tel:1570"),
                    HasSubstr("<th scope=\"row\">")));
}

TEST_F(CatalogHandlersTest, ServicePageSpeaksEnglish) {
  auto response = call(&CatalogHandlers::service, "/services/commercial-registration", Locale::en,
                       {{"slug", "commercial-registration"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.text(),
              AllOf(HasSubstr("Commercial registration (new business)"), HasSubstr("50 baht"),
                    HasSubstr("1 working day"), HasSubstr("Commercial Registration Act B.E. 2499"),
                    HasSubstr("Who may apply"), Not(HasSubstr("วันทำการ"))));
}

TEST_F(CatalogHandlersTest, ServicePageFormatsMoneyAndPluralDays) {
  auto food = call(&CatalogHandlers::service, "/services/food-premises-licence", Locale::en,
                   {{"slug", "food-premises-licence"}});
  EXPECT_THAT(food.text(), AllOf(HasSubstr("2,000 baht"), HasSubstr("30 working days")));
  auto building = call(&CatalogHandlers::service, "/services/building-permit", Locale::th,
                       {{"slug", "building-permit"}});
  EXPECT_THAT(building.text(), HasSubstr("0.50 บาท"));
}

TEST_F(CatalogHandlersTest, ServicePageShowsWhichLevelCriteriaAreMetAndMissing) {
  auto response = call(&CatalogHandlers::service, "/services/liquor-sale-licence", Locale::en,
                       {{"slug", "liquor-sale-licence"}});
  EXPECT_THAT(response.text(),
              AllOf(HasSubstr("This service is at level L3"),
                    HasSubstr("An electronic licence or document (e-License)</th>"),
                    HasSubstr("Verifiable PDF/A-3 documents</th>"), HasSubstr("Not yet offered"),
                    HasSubstr("<strong>Offered</strong>")));
}

TEST_F(CatalogHandlersTest, FreeServiceSaysThereIsNoFee) {
  auto response = call(&CatalogHandlers::service, "/services/change-of-address", Locale::th,
                       {{"slug", "change-of-address"}});
  EXPECT_THAT(response.text(),
              AllOf(HasSubstr("ไม่มีค่าธรรมเนียม"), HasSubstr("ไม่ต้องใช้ เนื่องจากไม่มีค่าธรรมเนียม")));
}

TEST_F(CatalogHandlersTest, UnknownServiceIsNotFound) {
  auto response = call(&CatalogHandlers::service, "/services/no-such-thing", Locale::th,
                       {{"slug", "no-such-thing"}});
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(response.text(), HasSubstr("req-catalog-1"));
}

TEST_F(CatalogHandlersTest, AgenciesPageListsEveryAgency) {
  auto response = call(&CatalogHandlers::agencies, "/agencies", Locale::en);
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.text(),
              AllOf(HasSubstr("href=\"/agencies/dbd\""), HasSubstr("href=\"/agencies/excise\""),
                    HasSubstr("href=\"/agencies/dopa\""), HasSubstr("href=\"/agencies/bma\""),
                    HasSubstr("3 services")));
}

TEST_F(CatalogHandlersTest, AgencyPageListsItsServicesAndContact) {
  auto response = call(&CatalogHandlers::agency, "/agencies/bma", Locale::th, {{"code", "bma"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(
      response.text(),
      AllOf(HasSubstr("<h1>กรุงเทพมหานคร</h1>"), HasSubstr("การขอรับใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร"),
            HasSubstr("href=\"/services/signboard-tax\""), HasSubstr("1555")));
  EXPECT_EQ(call(&CatalogHandlers::agency, "/agencies/nasa", Locale::th, {{"code", "nasa"}}).status,
            404);
}

TEST_F(CatalogHandlersTest, SearchFindsThaiWordsAndKeepsTheQueryInTheBox) {
  auto response =
      call(&CatalogHandlers::search, "/search?q=%E0%B8%AD%E0%B8%B2%E0%B8%AB%E0%B8%B2%E0%B8%A3");
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.text(),
              AllOf(HasSubstr("value=\"อาหาร\""), HasSubstr("การขอรับใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร"),
                    HasSubstr("บริการที่ตรงกับ “อาหาร”")));
}

TEST_F(CatalogHandlersTest, SearchInEnglishCountsResults) {
  auto response = call(&CatalogHandlers::search, "/search?q=commercial", Locale::en);
  EXPECT_THAT(response.text(), AllOf(HasSubstr("Commercial registration (new business)"),
                                     HasSubstr("match “commercial”")));
}

TEST_F(CatalogHandlersTest, SearchSaysSoWhenNothingMatches) {
  auto response = call(&CatalogHandlers::search, "/search?q=zzzzqqq", Locale::en);
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.text(), HasSubstr("No service matches “zzzzqqq”"));
}

TEST_F(CatalogHandlersTest, SearchWithoutAQueryAsksForOne) {
  auto response = call(&CatalogHandlers::search, "/search", Locale::en);
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.text(), HasSubstr("Type what you are looking for"));
}

TEST_F(CatalogHandlersTest, SearchEscapesWhatWasTyped) {
  auto response = call(&CatalogHandlers::search, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.text(), AllOf(HasSubstr("&lt;script&gt;"), Not(HasSubstr("<script>alert"))));
}

TEST_F(CatalogHandlersTest, SearchLinksToTheOtherPages) {
  auto catalog = load_catalog(fs::path(PRATU_SOURCE_DIR) / "services");
  ASSERT_TRUE(catalog);
  const Service model = catalog->services.front();
  for (int i = 0; i < 25; ++i) {
    Service copy = model;
    copy.slug = "harbour-permit-" + std::to_string(i);
    copy.name = {"ใบอนุญาตท่าเรือ " + std::to_string(i), "Harbour permit " + std::to_string(i)};
    catalog->services.push_back(copy);
  }
  ASSERT_TRUE(service_->publish(*catalog));
  auto first = call(&CatalogHandlers::search, "/search?q=harbour", Locale::en);
  EXPECT_THAT(first.text(), AllOf(HasSubstr("25 services match"), HasSubstr("Page 1 of 3"),
                                  HasSubstr("href=\"/search?q=harbour&amp;page=2\" rel=\"next\""),
                                  Not(HasSubstr("rel=\"prev\""))));
  auto second = call(&CatalogHandlers::search, "/search?q=harbour&page=2", Locale::en);
  EXPECT_THAT(second.text(),
              AllOf(HasSubstr("Page 2 of 3"), HasSubstr("rel=\"prev\""),
                    HasSubstr("href=\"/search?q=harbour&amp;page=3\" rel=\"next\"")));
}

TEST_F(CatalogHandlersTest, PagesShowANewCatalogueOnceItIsPublished) {
  auto catalog = load_catalog(fs::path(PRATU_SOURCE_DIR) / "services");
  ASSERT_TRUE(catalog);
  EXPECT_THAT(call(&CatalogHandlers::home, "/", Locale::en).text(), HasSubstr("National ID card"));
  std::erase_if(catalog->services,
                [](const Service& s) { return s.slug == "id-card-replacement"; });
  ASSERT_TRUE(service_->publish(*catalog));
  EXPECT_THAT(call(&CatalogHandlers::home, "/", Locale::en).text(),
              Not(HasSubstr("National ID card")));
  EXPECT_EQ(call(&CatalogHandlers::service, "/services/id-card-replacement", Locale::en,
                 {{"slug", "id-card-replacement"}})
                .status,
            404);
}

TEST_F(CatalogHandlersTest, ApiListsEveryServiceWithoutAQuery) {
  auto response = call(&CatalogHandlers::api_services, "/api/v1/services");
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.content_type, HasSubstr("application/json"));
  auto body = json_of(response).as_object();
  EXPECT_EQ(body.at("page").as_int64(), 1);
  EXPECT_EQ(body.at("page_size").as_int64(), 10);
  EXPECT_EQ(body.at("total").as_int64(), 10);
  const auto& first = body.at("items").as_array().at(0).as_object();
  EXPECT_EQ(first.at("slug").as_string(), "building-permit");
  EXPECT_EQ(first.at("name").at("th").as_string(), "การขออนุญาตก่อสร้างอาคาร (ใบอนุญาต อ.1)");
  EXPECT_EQ(first.at("agency").as_string(), "bma");
  EXPECT_EQ(first.at("level").as_string(), "L1");
  EXPECT_EQ(first.at("url").as_string(), "/services/building-permit");
}

TEST_F(CatalogHandlersTest, ApiSearchRanksAndPages) {
  auto response = call(&CatalogHandlers::api_services, "/api/v1/services?q=commercial&page=1");
  auto body = json_of(response).as_object();
  EXPECT_GE(body.at("total").as_int64(), 1);
  EXPECT_EQ(body.at("items").as_array().at(0).at("slug").as_string(), "commercial-registration");
  auto empty = json_of(call(&CatalogHandlers::api_services, "/api/v1/services?q=%21%21%21"));
  EXPECT_EQ(empty.at("total").as_int64(), 0);
}

// The route runs on an I/O thread unless a search reads much of the index.
TEST_F(CatalogHandlersTest, ApiKnowsWhenItAnswersQuickly) {
  auto request_for = [](std::string_view target) {
    web::Request request;
    request.target = std::string(target);
    request.query = web::parse_target(target)->query;
    return request;
  };
  SearchCacheSettings settings;
  settings.quick_work = 40;
  CatalogService service(*repository_, settings);
  const auto demo = fs::path(PRATU_SOURCE_DIR) / "services";
  ASSERT_TRUE(service.load_directory(demo, earned_by_forms_in(demo)));
  const CatalogHandlers handlers(service, *renderer_);
  EXPECT_TRUE(handlers.api_services_quick(request_for("/api/v1/services")));
  EXPECT_TRUE(handlers.api_services_quick(request_for("/api/v1/services?page=2")));
  EXPECT_TRUE(handlers.api_services_quick(request_for("/api/v1/services?q=x&page=0")));
  EXPECT_TRUE(handlers.api_services_quick(request_for("/api/v1/services?q=+++")));
  EXPECT_TRUE(handlers.api_services_quick(
      request_for("/api/v1/services?q=%E0%B8%AD%E0%B8%B2%E0%B8%AB%E0%B8%B2%E0%B8%A3")));
  const auto wide = request_for("/api/v1/services?q=a+b+c+d+e");
  EXPECT_FALSE(handlers.api_services_quick(wide));
  ASSERT_TRUE(service.search("a b c d e", 1));
  EXPECT_TRUE(handlers.api_services_quick(wide));  // made lately
  EXPECT_FALSE(handlers.api_services_quick(request_for("/api/v1/services?q=a+b+c+d+e&page=2")));
}

TEST_F(CatalogHandlersTest, ApiRejectsABadPageAsAProblem) {
  for (std::string_view target :
       {"/api/v1/services?page=0", "/api/v1/services?page=abc", "/api/v1/services?q=x&page=-1"}) {
    auto response = call(&CatalogHandlers::api_services, target, Locale::en);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_EQ(response.content_type, "application/problem+json");
    auto body = json_of(response).as_object();
    EXPECT_EQ(body.at("status").as_int64(), 400);
    EXPECT_TRUE(body.contains("type") && body.contains("title") && body.contains("detail") &&
                body.contains("instance"));
  }
}

TEST_F(CatalogHandlersTest, ApiServiceHasEverythingThePageHas) {
  auto response = call(&CatalogHandlers::api_service, "/api/v1/services/company-certificate",
                       Locale::th, {{"slug", "company-certificate"}});
  EXPECT_EQ(response.status, 200);
  auto body = json_of(response).as_object();
  EXPECT_EQ(body.at("level").as_string(), "L3");
  EXPECT_EQ(body.at("fees").as_array().at(0).at("amount_satang").as_int64(), 4000);
  EXPECT_EQ(body.at("time_limit_working_days").as_int64(), 1);
  EXPECT_EQ(body.at("criteria").as_array().size(), 8u);
  EXPECT_EQ(body.at("url").as_string(), "/services/company-certificate");
}

TEST_F(CatalogHandlersTest, ApiUnknownServiceIsAProblem) {
  auto response =
      call(&CatalogHandlers::api_service, "/api/v1/services/nope", Locale::en, {{"slug", "nope"}});
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(json_of(response).at("detail").as_string(), "There is no such service.");
}

TEST_F(CatalogHandlersTest, ApiListsAgencies) {
  auto body = json_of(call(&CatalogHandlers::api_agencies, "/api/v1/agencies"));
  const auto& items = body.at("items").as_array();
  EXPECT_EQ(items.size(), 5u);
  EXPECT_EQ(items.at(0).at("code").as_string(), "bma");
  EXPECT_EQ(items.at(0).at("service_count").as_int64(), 3);
}

TEST(Money, FormatsBahtWithThousandsAndSatangOnlyWhenPresent) {
  EXPECT_EQ(format_baht_number(50000), "500");
  EXPECT_EQ(format_baht_number(100000), "1,000");
  EXPECT_EQ(format_baht_number(1100000), "11,000");
  EXPECT_EQ(format_baht_number(123456789), "1,234,567.89");
  EXPECT_EQ(format_baht_number(50), "0.50");
  EXPECT_EQ(format_baht_number(1205), "12.05");
  EXPECT_EQ(format_baht_number(0), "0");
}

}  // namespace
}  // namespace pratu::catalog
