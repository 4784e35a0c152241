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

// ---- The applicant's pages ------------------------------------------------------------------

class ApplyIT : public AppTest {
 protected:
  // A client logged in as the demo applicant, or as a newly registered one.
  std::unique_ptr<HttpClient> applicant(const std::string& national_id = "1234567890121",
                                        const std::string& password = "pratu-demo-applicant") {
    auto client = std::make_unique<HttpClient>(app_->port());
    if (national_id != "1234567890121") {
      auto form = client->get("/register");
      auto registered =
          client->post_form("/register", {{"national_id", national_id},
                                          {"title", "mrs"},
                                          {"given_name", "สมศรี"},
                                          {"family_name", "มีสุข"},
                                          {"email", "somsri@example.org"},
                                          {"mobile", "0898765432"},
                                          {"password", password},
                                          {"password_confirmation", password},
                                          {"csrf_token", extract_csrf_token(form.body)}});
      EXPECT_EQ(registered.status, 303) << registered.body.substr(
          std::min(registered.body.find("error-summary"), registered.body.size()), 1500);
      return client;
    }
    auto form = client->get("/login");
    auto in = client->post_form("/login", {{"login", national_id},
                                           {"password", password},
                                           {"csrf_token", extract_csrf_token(form.body)}});
    EXPECT_EQ(in.status, 303);
    return client;
  }

  static std::string token(HttpClient& client) {
    return extract_csrf_token(client.get("/applications").body);
  }

  // POSTs a page's fields with the CSRF token; `shown` lists the fields the page showed.
  static HttpResponse post(HttpClient& client, const std::string& target,
                           std::vector<std::pair<std::string, std::string>> fields) {
    fields.emplace_back("csrf_token", token(client));
    return client.post_form(target, fields);
  }

  // Starts `slug` and returns the application's URL (/applications/<id>).
  static std::string start(HttpClient& client, const std::string& slug) {
    auto started = post(client, "/services/" + slug + "/apply", {});
    EXPECT_EQ(started.status, 303) << started.body.substr(0, 2000);
    const auto location = started.header("Location");
    EXPECT_TRUE(location.starts_with("/applications/")) << location;
    return location.substr(0, location.find("/pages/"));
  }

  static std::vector<std::pair<std::string, std::string>> company_page() {
    return {{"_shown", "juristic_id"},   {"_shown", "requester_name"},
            {"_shown", "mobile"},        {"juristic_id", "0105555000005"},
            {"requester_name", "สมชาย"}, {"mobile", "081-234-5678"},
            {"action", "continue"}};
  }
  static std::vector<std::pair<std::string, std::string>> request_page() {
    return {{"_shown", "kinds"},      {"_shown", "language"},  {"_shown", "copies"},
            {"kinds", "certificate"}, {"kinds", "objectives"}, {"language", "en"},
            {"copies", "2"},          {"action", "continue"}};
  }
  static std::vector<std::pair<std::string, std::string>> submit_fields(const std::string& key) {
    return {{"submission_key", key}, {"_shown", "declaration"}, {"declaration", "yes"}};
  }
};

TEST_P(ApplyIT, TheStartButtonIsOnTheServicePageExactlyWhenAFormEarnsIt) {
  auto with = client_->get("/services/company-certificate");
  EXPECT_NE(with.body.find("href=\"/services/company-certificate/apply\""), std::string::npos);
  auto without = client_->get("/services/id-card-replacement");
  ASSERT_EQ(without.status, 200);
  EXPECT_EQ(without.body.find("/apply\""), std::string::npos);
  // Starting needs an applicant: a visitor is sent to log in and comes back.
  auto visitor = client_->get("/services/company-certificate/apply");
  EXPECT_EQ(visitor.status, 303);
  EXPECT_EQ(visitor.header("Location"), "/login?next=%2Fservices%2Fcompany-certificate%2Fapply");
  auto client = applicant();
  auto before = client->get("/services/company-certificate/apply?lang=en");
  EXPECT_EQ(before.status, 200);
  EXPECT_NE(before.body.find("What you will be asked"), std::string::npos);
  auto closed = post(*client, "/services/id-card-replacement/apply", {});
  EXPECT_EQ(closed.status, 404);
  EXPECT_NE(closed.body.find("This service no longer takes applications online"),
            std::string::npos);
}

TEST_P(ApplyIT, AFormIsFilledPageByPageCheckedAndSubmittedOnce) {
  auto client = applicant();
  const auto app = start(*client, "company-certificate");
  // Page 1 comes prefilled from the profile.
  auto first = client->get(app + "/pages/company");
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("value=\"0812345678\""), std::string::npos);
  // A wrong check digit: 422, the summary links to the field, what was typed is kept.
  auto fields = company_page();
  fields[3].second = "0105555000001";
  auto wrong = post(*client, app + "/pages/company?lang=en", fields);
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("<a href=\"#juristic_id\">This number does not exist"),
            std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"0105555000001\""), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"สมชาย\""), std::string::npos);
  // Saved even so: the page shows it again on a new visit.
  EXPECT_NE(client->get(app + "/pages/company").body.find("value=\"0105555000001\""),
            std::string::npos);
  auto next = post(*client, app + "/pages/company", company_page());
  EXPECT_EQ(next.status, 303);
  EXPECT_EQ(next.header("Location"), app + "/pages/request");
  // The check page is reachable only once every question is answered.
  auto early = client->get(app + "/check");
  EXPECT_EQ(early.status, 303);
  EXPECT_EQ(early.header("Location"), app + "/pages/request?return=check");
  auto to_check = post(*client, app + "/pages/request", request_page());
  EXPECT_EQ(to_check.header("Location"), app + "/check");
  auto check = client->get(app + "/check?lang=en");
  ASSERT_EQ(check.status, 200);
  EXPECT_NE(check.body.find("Company certificate, Certified objects"), std::string::npos);
  EXPECT_NE(check.body.find(app + "/pages/company?return=check#juristic_id"), std::string::npos);
  // Without the declaration: 422 on the check page, nothing submitted.
  auto undeclared = post(*client, app + "/submit?lang=en", {{"submission_key", "k1"}});
  EXPECT_EQ(undeclared.status, 422);
  EXPECT_NE(undeclared.body.find("Tick the box to confirm the declaration"), std::string::npos);
  auto sent = post(*client, app + "/submit", submit_fields("k1"));
  ASSERT_EQ(sent.status, 303);
  EXPECT_EQ(sent.header("Location"), app + "/confirmation");
  auto confirmation = client->get(app + "/confirmation?lang=en");
  ASSERT_EQ(confirmation.status, 200);
  const auto at = confirmation.body.find("data-reference>");
  ASSERT_NE(at, std::string::npos);
  const auto reference = confirmation.body.substr(at + 15, 17);
  EXPECT_TRUE(reference.starts_with("DBD-25")) << reference;
  EXPECT_NE(confirmation.body.find("data-due-date"), std::string::npos);
  // The same key again (a retry): the same confirmation; another key: the same, told so.
  EXPECT_EQ(post(*client, app + "/submit", submit_fields("k1")).header("Location"),
            app + "/confirmation");
  EXPECT_EQ(post(*client, app + "/submit", submit_fields("k2")).header("Location"),
            app + "/confirmation?again=1");
  auto again = client->get(app + "/confirmation?again=1&lang=en");
  EXPECT_NE(again.body.find("Nothing was sent twice"), std::string::npos);
  // A submitted application's answers can no longer be changed.
  auto late = post(*client, app + "/pages/company", company_page());
  EXPECT_EQ(late.status, 409);
  EXPECT_NE(late.body.find("has already been submitted"), std::string::npos);
  // My applications and the application's own page.
  auto list = client->get("/applications?lang=en");
  EXPECT_NE(list.body.find(reference), std::string::npos);
  EXPECT_EQ(list.body.find("data-drafts"), std::string::npos);
  auto shown = client->get(app + "?lang=en");
  EXPECT_NE(shown.body.find("Submitted</strong>"), std::string::npos);
  EXPECT_NE(shown.body.find("<strong>Started</strong>"), std::string::npos);
  EXPECT_NE(client->get(app + "/receipt").body.find(reference), std::string::npos);
}

TEST_P(ApplyIT, ADraftResumesFromAnotherDeviceAtItsFirstUnansweredPage) {
  auto phone = applicant();
  const auto app = start(*phone, "company-certificate");
  ASSERT_EQ(post(*phone, app + "/pages/company", company_page()).status, 303);
  auto laptop = applicant();  // a second login: another device
  auto list = laptop->get("/applications?lang=en");
  EXPECT_NE(list.body.find("data-drafts"), std::string::npos);
  EXPECT_NE(list.body.find("1 of 2 pages done"), std::string::npos);
  auto resumed = laptop->get(app);
  EXPECT_EQ(resumed.status, 303);
  EXPECT_EQ(resumed.header("Location"), app + "/pages/request");
  // Starting the service again reopens the draft rather than making a second.
  EXPECT_EQ(start(*laptop, "company-certificate"), app);
}

TEST_P(ApplyIT, NobodyElseCanSeeChangeOrSubmitSomeonesDraft) {
  auto owner = applicant();
  const auto app = start(*owner, "company-certificate");
  ASSERT_EQ(post(*owner, app + "/pages/company", company_page()).status, 303);
  ASSERT_EQ(post(*owner, app + "/pages/request", request_page()).status, 303);
  auto other = applicant("1101700203034", "another long passphrase");
  for (const auto& target :
       {app, app + "/pages/company", app + "/check", app + "/confirmation", app + "/receipt"}) {
    auto response = other->get(target + "?lang=en");
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_NE(response.body.find("This application is not in your account"), std::string::npos);
    EXPECT_EQ(response.body.find("0105555000005"), std::string::npos) << target;
  }
  auto changed = post(*other, app + "/pages/company",
                      {{"_shown", "requester_name"}, {"requester_name", "mallory"}});
  EXPECT_EQ(changed.status, 404);
  auto submitted = post(*other, app + "/submit", submit_fields("k"));
  EXPECT_EQ(submitted.status, 404);
  // The owner's draft is untouched and still a draft.
  auto page = owner->get(app + "/pages/company");
  EXPECT_NE(page.body.find("value=\"สมชาย\""), std::string::npos);
  EXPECT_EQ(page.body.find("mallory"), std::string::npos);
  EXPECT_EQ(owner->get(app + "/check").status, 200);
  // Officers do not apply.
  HttpClient officer(app_->port());
  auto form = officer.get("/login");
  officer.post_form("/login", {{"login", "officer.dbd@demo.pratu.example"},
                               {"password", "pratu-demo-officer"},
                               {"csrf_token", extract_csrf_token(form.body)}});
  EXPECT_EQ(officer.get(app).status, 403);
}

TEST_P(ApplyIT, AddressListsFollowTheChoiceAboveAndGroupsGrowAndShrink) {
  auto client = applicant();
  const auto app = start(*client, "change-of-address");
  // A province, then "update the lists": its districts are offered.
  auto refreshed = post(*client, app + "/pages/move",
                        {{"_shown", "old_address"},
                         {"old_address.house_no", "12/3"},
                         {"old_address.province", "10"},
                         {"action", "refresh:old_address"}});
  EXPECT_EQ(refreshed.status, 303);
  EXPECT_EQ(refreshed.header("Location"), app + "/pages/move#old_address");
  auto page = client->get(app + "/pages/move");
  EXPECT_NE(page.body.find("<option value=\"1001\""), std::string::npos);  // Phra Nakhon
  // A subdistrict fills in its postcode; a district of another province is dropped.
  post(*client, app + "/pages/move",
       {{"_shown", "old_address"},
        {"old_address.house_no", "12/3"},
        {"old_address.province", "10"},
        {"old_address.district", "1001"},
        {"old_address.subdistrict", "100101"},
        {"action", "refresh:old_address"}});
  EXPECT_NE(client->get(app + "/pages/move").body.find("value=\"10200\""), std::string::npos);
  post(*client, app + "/pages/move",
       {{"_shown", "old_address"},
        {"old_address.province", "50"},
        {"old_address.district", "1001"},
        {"action", "refresh:old_address"}});
  auto moved = client->get(app + "/pages/move");
  EXPECT_EQ(moved.body.find("value=\"1001\" selected"), std::string::npos);
  // A group: add two people, remove the first; the second keeps its answers.
  const std::string household = app + "/pages/household";
  post(*client, household,
       {{"_shown", "others_moving"},
        {"_shown", "members"},
        {"others_moving", "yes"},
        {"action", "add:members"}});
  auto one = client->get(household);
  const auto key_at = one.body.find("name=\"members._items\" value=\"");
  ASSERT_NE(key_at, std::string::npos);
  const auto first = one.body.substr(key_at + 29, 8);
  post(*client, household,
       {{"_shown", "others_moving"},
        {"_shown", "members"},
        {"others_moving", "yes"},
        {"members._items", first},
        {"members." + first + ".name", "คนแรก"},
        {"action", "add:members"}});
  auto two = client->get(household);
  const auto second_at = two.body.find("name=\"members._items\" value=\"", key_at + 40);
  ASSERT_NE(second_at, std::string::npos);
  const auto second = two.body.substr(second_at + 29, 8);
  ASSERT_NE(first, second);
  post(*client, household,
       {{"_shown", "others_moving"},
        {"_shown", "members"},
        {"others_moving", "yes"},
        {"members._items", first},
        {"members." + first + ".name", "คนแรก"},
        {"members._items", second},
        {"members." + second + ".name", "คนที่สอง"},
        {"action", "remove:members:" + first}});
  auto after = client->get(household);
  EXPECT_EQ(after.body.find("คนแรก"), std::string::npos);
  EXPECT_NE(after.body.find("value=\"คนที่สอง\""), std::string::npos);
}

PRATU_INSTANTIATE_ENGINE_TESTS(ApplyIT);

PRATU_INSTANTIATE_ENGINE_TESTS(ApplicationsStartIT);

}  // namespace
}  // namespace pratu::test
