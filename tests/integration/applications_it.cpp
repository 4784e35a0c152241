// Applications through the real server on SQLite and PostgreSQL: every demo service's form is
// read at start and earns the service its e-Form (level and online channel), the API serves
// the definitions, and a broken form stops the start naming its file, line, page and field.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

class ApplicationsIT : public AppTest {};

// The demo services with a form, and the only ones the catalogue shows as applied for online.
constexpr std::array<std::string_view, 8> kWithForms = {
    "building-permit",     "food-premises-licence", "signboard-tax",     "commercial-registration",
    "company-certificate", "company-registration",  "change-of-address", "liquor-sale-licence"};

TEST_P(ApplicationsIT, EveryDemoFormIsServedAndEarnsItsServiceTheEForm) {
  for (auto slug : kWithForms) {
    auto form = client_->get("/api/v1/services/" + std::string(slug) + "/form");
    ASSERT_EQ(form.status, 200) << slug << ": " << form.body;
    auto definition = json::parse(form.body).as_object();
    EXPECT_EQ(definition.at("service").as_string(), slug);
    EXPECT_TRUE(definition.at("version").as_string().starts_with("sha256:"));
    EXPECT_FALSE(definition.at("pages").as_array().empty()) << slug;

    auto service = json::parse(client_->get("/api/v1/services/" + std::string(slug)).body);
    const auto& criteria = service.at("criteria").as_array();
    bool e_form_met = false;
    for (const auto& c : criteria) {
      if (c.at("criterion") == "e_form") e_form_met = c.at("status") == "met";
    }
    EXPECT_TRUE(e_form_met) << slug << ": " << json::serialize(criteria);
    EXPECT_NE(service.at("level").as_string(), "L0") << slug;
    bool online = false;
    for (const auto& channel : service.at("channels").as_array()) online |= channel == "online";
    EXPECT_TRUE(online) << slug;
  }
}

TEST_P(ApplicationsIT, AServiceWithoutAFormIsNotAppliedForOnline) {
  auto form = client_->get("/api/v1/services/id-card-replacement/form");
  EXPECT_EQ(form.status, 404);
  EXPECT_EQ(form.header("Content-Type"), "application/problem+json");
  auto service = json::parse(client_->get("/api/v1/services/id-card-replacement").body);
  EXPECT_EQ(service.at("level").as_string(), "L0");
  for (const auto& channel : service.at("channels").as_array()) EXPECT_NE(channel, "online");
  EXPECT_EQ(client_->get("/api/v1/services/no-such-service/form").status, 404);
}

TEST_P(ApplicationsIT, TheFormDefinitionCarriesWhatAClientBuildsItsScreensFrom) {
  auto body = json::parse(client_->get("/api/v1/services/food-premises-licence/form").body);
  const auto& pages = body.at("pages").as_array();
  const json::object* handlers = nullptr;
  const json::object* juristic_id = nullptr;
  for (const auto& page : pages) {
    for (const auto& field : page.at("fields").as_array()) {
      if (field.at("id") == "handlers") handlers = &field.as_object();
      if (field.at("id") == "juristic_id") juristic_id = &field.as_object();
    }
  }
  ASSERT_NE(handlers, nullptr);
  EXPECT_EQ(handlers->at("type"), "group");
  EXPECT_EQ(handlers->at("min_items"), 1);
  EXPECT_EQ(handlers->at("fields").as_array().size(), 4u);
  ASSERT_NE(juristic_id, nullptr);
  EXPECT_EQ(juristic_id->at("show_if"), "${applicant_type} = 'juristic'");
  EXPECT_EQ(juristic_id->at("label").at("th"), "เลขทะเบียนนิติบุคคล");
}

TEST_P(ApplicationsIT, EveryDemoFormServesTheSchemaOfItsAnswersWithAnExample) {
  for (auto slug : kWithForms) {
    auto response = client_->get("/api/v1/services/" + std::string(slug) + "/form/schema");
    ASSERT_EQ(response.status, 200) << slug << ": " << response.body;
    auto schema = json::parse(response.body).as_object();
    EXPECT_EQ(schema.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(schema.at("additionalProperties"), false);
    EXPECT_EQ(schema.at("examples").as_array().size(), 1u) << slug;
  }
  auto none = client_->get("/api/v1/services/id-card-replacement/form/schema");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(client_->get("/api/v1/services/no-such-service/form/schema").status, 404);
}

// A copy of the demo catalogue in a temporary folder, to break one form in.
class CatalogueCopy {
 public:
  CatalogueCopy() {
    fs::copy(fs::path(PRATU_SOURCE_DIR) / "services", dir_.path() / "services",
             fs::copy_options::recursive);
  }
  fs::path services() const { return dir_.path() / "services"; }

 private:
  TempDir dir_;
};

class ApplicationsStartIT : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    PRATU_REQUIRE_ENGINE(GetParam());
    auto fresh = FreshDatabase::create(GetParam());
    ASSERT_TRUE(fresh) << fresh.error().detail;
    db_ = std::move(*fresh);
  }
  std::unique_ptr<FreshDatabase> db_;
};

TEST_P(ApplicationsStartIT, ABrokenFormStopsTheStartNamingFileLinePageAndField) {
  CatalogueCopy copy;
  const fs::path form = copy.services() / "bma" / "food-premises-licence" / "form.yaml";
  std::string text;
  {
    std::ifstream in(form);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string from = "type: integer\n        label: {th: พื้นที่ประกอบการ";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "type: integr\n        label: {th: พื้นที่ประกอบการ");
  std::ofstream(form) << text;

  auto config = test_config(db_->url());
  config.modules["catalog.directory"] = copy.services().string();
  auto created = app::Application::create(config, app::modules(), app::Demo::none);
  ASSERT_FALSE(created);
  EXPECT_NE(created.error().detail.find("module applications: "), std::string::npos)
      << created.error().detail;
  EXPECT_NE(created.error().detail.find("services/bma/food-premises-licence/form.yaml:"),
            std::string::npos)
      << created.error().detail;
  EXPECT_NE(created.error().detail.find(
                "page premises, field floor_area: type: 'integr' is not one of: text"),
            std::string::npos)
      << created.error().detail;
}

TEST_P(ApplicationsStartIT, AFormForAServiceTheCatalogueLacksStopsTheStart) {
  CatalogueCopy copy;
  fs::create_directories(copy.services() / "bma" / "street-party");
  fs::copy_file(copy.services() / "dopa" / "change-of-address" / "form.yaml",
                copy.services() / "bma" / "street-party" / "form.yaml");
  auto config = test_config(db_->url());
  config.modules["catalog.directory"] = copy.services().string();
  auto created = app::Application::create(config, app::modules(), app::Demo::none);
  ASSERT_FALSE(created);
  EXPECT_NE(created.error().detail.find("services/bma/street-party/: no service street-party"),
            std::string::npos)
      << created.error().detail;
}

PRATU_INSTANTIATE_ENGINE_TESTS(ApplicationsIT);
PRATU_INSTANTIATE_ENGINE_TESTS(ApplicationsStartIT);

}  // namespace
}  // namespace pratu::test
