// Applications through the real server on SQLite and PostgreSQL: every demo service's form is
// read at start and earns the service its e-Form (level and online channel), the API serves
// the definitions, and a broken form stops the start naming its file, line, page and field.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <latch>
#include <map>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "support/applicants.hpp"
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

    // Its workflow: what happens after submission, entered in a state of its own.
    auto workflow = client_->get("/api/v1/services/" + std::string(slug) + "/workflow");
    ASSERT_EQ(workflow.status, 200) << slug << ": " << workflow.body;
    auto steps = json::parse(workflow.body).as_object();
    EXPECT_EQ(steps.at("service").as_string(), slug);
    EXPECT_EQ(steps.at("initial").as_string(), "submitted") << slug;
    EXPECT_TRUE(steps.at("version").as_string().starts_with("sha256:"));
    EXPECT_GE(steps.at("transitions").as_array().size(), 4u) << slug;

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
  auto workflow = client_->get("/api/v1/services/id-card-replacement/workflow");
  EXPECT_EQ(workflow.status, 404);
  EXPECT_EQ(workflow.header("Content-Type"), "application/problem+json");
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

class ApplicationsStartIT : public FreshDatabaseTest {};

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
  std::unique_ptr<HttpClient> applicant(const std::string& national_id = kDemoApplicant,
                                        const std::string& password = kDemoApplicantPassword) {
    return signed_in_applicant(app_->port(), national_id, password);
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
  // The confirmation and the printable receipt say the same: what happens next, by when the
  // agency must reply, and how to ask about it, quoting the reference.
  auto receipt = client->get(app + "/receipt?lang=en");
  ASSERT_EQ(receipt.status, 200);
  EXPECT_NE(receipt.body.find(reference), std::string::npos);
  for (const auto& page : {confirmation.body, receipt.body}) {
    EXPECT_NE(page.find("The agency checks your application."), std::string::npos);
    EXPECT_NE(page.find("Quote your reference number when you contact the agency."),
              std::string::npos);
  }
  EXPECT_NE(confirmation.body.find("href=\"/help\""), std::string::npos);
  const std::string due_label = "Reply due by</dt><dd class=\"summary-list__value\">";
  const auto due_at = receipt.body.find(due_label);
  ASSERT_NE(due_at, std::string::npos) << receipt.body;
  const auto due_from = due_at + due_label.size();
  const std::string due_date =
      receipt.body.substr(due_from, receipt.body.find('<', due_from) - due_from);
  ASSERT_FALSE(due_date.empty());
  const auto due_text_at = confirmation.body.find("<p data-due-date>");
  ASSERT_NE(due_text_at, std::string::npos);
  EXPECT_NE(confirmation.body.substr(due_text_at, 200).find("by " + due_date), std::string::npos)
      << due_date;
}

// A submit is all or nothing: when its last write fails, nothing of it stays (no reference
// number spent, no event, not even the declaration ticked with it), the person is not told it
// was sent, and sending again once the fault is gone works with the same key.
TEST_P(ApplyIT, ASubmitThatFailsPartWayLeavesTheDraftAsItWas) {
  auto client = applicant();
  const auto app = start(*client, "company-certificate");
  ASSERT_EQ(post(*client, app + "/pages/company", company_page()).status, 303);
  ASSERT_EQ(post(*client, app + "/pages/request", request_page()).status, 303);
  const std::string public_id = app.substr(std::string_view("/applications/").size());

  auto opened = storage::open_database({.url = db_->url()});
  ASSERT_TRUE(opened) << opened.error().detail;
  storage::Database& db = **opened;
  // The submit's last write, its timeline event, is refused by the database itself.
  const bool sqlite = db.dialect() == storage::Dialect::sqlite;
  const std::string refuse =
      sqlite ? "CREATE TRIGGER refuse_submitted BEFORE INSERT ON application_events "
               "WHEN NEW.kind = 'submitted' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
             : "CREATE FUNCTION refuse_submitted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "IF NEW.kind = 'submitted' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
               "RETURN NEW; END $$; CREATE TRIGGER refuse_submitted BEFORE INSERT ON "
               "application_events FOR EACH ROW EXECUTE FUNCTION refuse_submitted();";
  ASSERT_TRUE(db.write([&](storage::Connection& c) { return c.execute_script(refuse); }));

  struct Stored {
    std::string status, reference, answers;
    std::int64_t revision = 0, submitted_events = 0, sequences = 0;
  };
  auto stored = [&]() {
    Stored out;
    auto read = db.read([&](storage::Connection& c) -> Result<void> {
      PRATU_TRY(row, c.query_one("SELECT status, reference, answers, revision FROM applications "
                                 "WHERE public_id = $1",
                                 {public_id}));
      if (!row) return Error::not_found("the application");
      out.status = row->text(0);
      out.reference = row->text(1);
      out.answers = row->text(2);
      out.revision = row->int64(3);
      PRATU_TRY(events, c.query_one("SELECT count(*) FROM application_events "
                                    "WHERE kind = 'submitted'"));
      out.submitted_events = events->int64(0);
      PRATU_TRY(sequences, c.query_one("SELECT count(*) FROM application_sequences"));
      out.sequences = sequences->int64(0);
      return ok();
    });
    EXPECT_TRUE(read) << read.error().detail;
    return out;
  };
  const Stored before = stored();
  ASSERT_EQ(before.status, "draft");

  auto failed = post(*client, app + "/submit?lang=en", submit_fields("k1"));
  EXPECT_EQ(failed.status, 500) << failed.body.substr(0, 500);
  EXPECT_EQ(failed.header("Location"), "");
  EXPECT_EQ(failed.body.find("data-reference"), std::string::npos);
  const Stored after = stored();
  EXPECT_EQ(after.status, "draft");
  EXPECT_EQ(after.reference, "");
  EXPECT_EQ(after.answers, before.answers);  // the declaration ticked with it is not kept
  EXPECT_EQ(after.revision, before.revision);
  EXPECT_EQ(after.submitted_events, 0);
  EXPECT_EQ(after.sequences, 0);  // no reference number spent
  // Still a draft for the person: the check page, not a confirmation.
  EXPECT_EQ(client->get(app + "/confirmation").status, 303);
  EXPECT_EQ(client->get(app + "/check").status, 200);

  const std::string repair = sqlite ? "DROP TRIGGER refuse_submitted;"
                                    : "DROP TRIGGER refuse_submitted ON application_events; "
                                      "DROP FUNCTION refuse_submitted();";
  ASSERT_TRUE(db.write([&](storage::Connection& c) { return c.execute_script(repair); }));
  auto sent = post(*client, app + "/submit", submit_fields("k1"));
  ASSERT_EQ(sent.status, 303) << sent.body.substr(0, 500);
  EXPECT_EQ(sent.header("Location"), app + "/confirmation");
  const Stored submitted = stored();
  EXPECT_EQ(submitted.status, "submitted");
  // The first number of the year: the failed submit took none.
  EXPECT_EQ(submitted.reference.substr(0, 4), "DBD-");
  EXPECT_EQ(submitted.reference.substr(9, 7), "000001-") << submitted.reference;
  EXPECT_EQ(submitted.submitted_events, 1);
}

TEST_P(ApplyIT, AMobileNumberGivenInAnApplicationIsOfferedBackToTheProfile) {
  auto client = applicant();
  const auto app = start(*client, "company-certificate");
  auto fields = company_page();
  fields[5].second = "089-111-2222";  // the profile has 081-234-5678
  ASSERT_EQ(post(*client, app + "/pages/company", fields).status, 303);
  ASSERT_EQ(post(*client, app + "/pages/request", request_page()).status, 303);
  // Nothing is offered, nor taken, before the application is sent.
  EXPECT_EQ(post(*client, app + "/profile", {}).status, 409);
  ASSERT_EQ(post(*client, app + "/submit", submit_fields("k")).status, 303);
  auto confirmation = client->get(app + "/confirmation?lang=en");
  ASSERT_NE(confirmation.body.find("data-profile-offer"), std::string::npos);
  EXPECT_NE(confirmation.body.find("your mobile number is 0891112222; your profile has "
                                   "0812345678"),
            std::string::npos)
      << confirmation.body.substr(confirmation.body.find("data-profile-offer"), 600);
  // Another applicant can neither see the offer nor take it.
  auto other = applicant("1101700203034", "a-long-pass-phrase-2569");
  EXPECT_EQ(post(*other, app + "/profile", {}).status, 404);
  EXPECT_NE(client->get("/account").body.find("081-234-5678"), std::string::npos);
  // Taken: the profile has the new number, the page says so, and offers nothing more.
  auto taken = post(*client, app + "/profile", {});
  ASSERT_EQ(taken.status, 303);
  EXPECT_EQ(taken.header("Location"), app + "/confirmation?profile=updated");
  auto told = client->get(app + "/confirmation?profile=updated&lang=en");
  EXPECT_NE(told.body.find("mobile number is now 0891112222."), std::string::npos);
  EXPECT_EQ(told.body.find("data-profile-offer"), std::string::npos);
  EXPECT_NE(client->get("/account").body.find("089-111-2222"), std::string::npos);
  auto again = post(*client, app + "/profile?lang=en", {});
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("Your profile already has the details this application gave"),
            std::string::npos);
  // The next form fills in the new number.
  const auto next = start(*client, "company-certificate");
  EXPECT_NE(client->get(next + "/pages/company").body.find("value=\"0891112222\""),
            std::string::npos);
}

// The national ID comes locked from the verified identity: the page shows it read-only and
// says why, and a page sent back with another number (a hand-made request) keeps the
// applicant's own.
TEST_P(ApplyIT, AnAnswerFromTheVerifiedIdentityCannotBeChangedOnThePage) {
  auto client = applicant();
  const auto app = start(*client, "signboard-tax");
  auto input_of = [&](const std::string& id) {
    const auto page = client->get(app + "/pages/owner?lang=en").body;
    const auto at = page.find("<input class=\"input input--medium\" id=\"" + id + "\"");
    return at == std::string::npos ? std::string() : page.substr(at, page.find('>', at) - at);
  };
  const std::string before = input_of("citizen_id");
  ASSERT_FALSE(before.empty());
  EXPECT_NE(before.find(" readonly"), std::string::npos) << before;
  EXPECT_NE(before.find("value=\""), std::string::npos) << before;
  EXPECT_NE(client->get(app + "/pages/owner?lang=en")
                .body.find("From your verified identity: it cannot be changed here."),
            std::string::npos);
  EXPECT_NE(client->get(app + "/pages/owner?lang=th").body.find("ข้อมูลนี้มาจากการยืนยันตัวตนของท่าน"),
            std::string::npos);
  auto sent = post(*client, app + "/pages/owner",
                   {{"_shown", "citizen_id"},
                    {"_shown", "family_name"},
                    {"citizen_id", "1101700203034"},
                    {"family_name", "ใจดี"},
                    {"action", "autosave"}});
  ASSERT_EQ(sent.status, 200) << sent.body.substr(0, 500);
  EXPECT_EQ(input_of("citizen_id"), before);
  // What is not locked is saved as sent.
  EXPECT_NE(client->get(app + "/pages/owner").body.find("value=\"ใจดี\""), std::string::npos);
}

TEST_P(ApplyIT, AQuestionCommonToSeveralServicesIsAskedOnce) {
  auto client = applicant();
  // The juristic-person number each draft holds, once its form asks it (the owner is a company).
  auto juristic_id = [&](const std::string& app, const std::string& kind_field) -> std::string {
    auto asked = client->request(
        "PATCH", "/api/v1" + app, R"({"answers": {")" + kind_field + R"(": "juristic"}})",
        {{"Content-Type", "application/json"}, {"X-CSRF-Token", token(*client)}});
    EXPECT_EQ(asked.status, 200) << asked.body;
    const auto draft = json::parse(client->get("/api/v1" + app).body);
    const auto* id = draft.at("answers").as_object().if_contains("juristic_id");
    return id != nullptr && id->is_string() ? std::string(id->as_string()) : "none";
  };
  // Nothing submitted yet: nothing to reuse.
  const auto food = start(*client, "food-premises-licence");
  const auto app = start(*client, "company-certificate");
  ASSERT_EQ(post(*client, app + "/pages/company", company_page()).status, 303);
  ASSERT_EQ(post(*client, app + "/pages/request", request_page()).status, 303);
  // A draft's answer is not reused; only what was submitted.
  const auto liquor = start(*client, "liquor-sale-licence");
  EXPECT_EQ(juristic_id(liquor, "applicant_type"), "none");
  ASSERT_EQ(post(*client, app + "/submit", submit_fields("k")).status, 303);
  // Submitted to the company certificate: another agency's form that asks it starts with it.
  const auto signboard = start(*client, "signboard-tax");
  EXPECT_EQ(juristic_id(signboard, "owner_type"), "0105555000005");
  // A draft begun before keeps what it had.
  EXPECT_EQ(juristic_id(food, "applicant_type"), "none");
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
  // Saved as the phone types, even half-typed: the laptop sees it, and the script is told when.
  auto typed = post(*phone, app + "/pages/request?lang=en",
                    {{"_shown", "copies"}, {"copies", "10000"}, {"action", "autosave"}});
  ASSERT_EQ(typed.status, 200) << typed.body.substr(0, 500);
  EXPECT_EQ(typed.header("Content-Type"), "application/json");
  const auto status = json::parse(typed.body);
  EXPECT_TRUE(status.at("saved").as_string().starts_with(
      "Your answers are saved on the server. Last saved "))
      << typed.body;
  EXPECT_GE(status.at("revision").as_int64(), 2);
  EXPECT_NE(laptop->get(app + "/pages/request").body.find("value=\"10000\""), std::string::npos);
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

// ---- The API ---------------------------------------------------------------------------------

class ApplyApiIT : public AppTest {
 protected:
  std::string token_for(const std::string& login, const std::string& password) {
    return api_token(app_->port(), login, password);
  }

  HttpResponse call(const std::string& token, const std::string& method, const std::string& target,
                    const json::value& body = nullptr, Headers extra = {}) {
    return bearer_json(app_->port(), token, method, target, body, std::move(extra));
  }

  static json::object parsed(const HttpResponse& response) { return json_object(response); }
};

// A hundred submits of one complete draft at the same moment, with one Idempotency-Key (a
// program retrying in a hurry, or a hundred copies of it): one application, and every one of
// the hundred gets the same answer, byte for byte.
TEST_P(ApplyApiIT, AHundredConcurrentSubmitsWithOneKeyMakeOneApplicationAndOneAnswer) {
  const auto token = token_for("1234567890121", "pratu-demo-applicant");
  ASSERT_FALSE(token.empty());
  auto created =
      call(token, "POST", "/api/v1/applications", json::object{{"service", "company-certificate"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(parsed(created).at("id").as_string());
  ASSERT_EQ(call(token, "PATCH", "/api/v1/applications/" + id,
                 json::object{{"answers", complete_company_certificate_answers()}})
                .status,
            200);

  constexpr int kSubmits = 100;
  std::vector<HttpResponse> answers(kSubmits);
  std::latch ready(kSubmits);
  std::vector<std::thread> programs;
  for (int i = 0; i < kSubmits; ++i) {
    programs.emplace_back([&, i] {
      ready.arrive_and_wait();
      answers[i] = call(token, "POST", "/api/v1/applications/" + id + "/submit", nullptr,
                        {{"Idempotency-Key", "one-key"}});
    });
  }
  for (auto& program : programs) program.join();

  ASSERT_EQ(answers[0].status, 201) << answers[0].body;
  EXPECT_EQ(parsed(answers[0]).at("status"), "submitted");
  for (int i = 1; i < kSubmits; ++i) {
    EXPECT_EQ(answers[i].status, 201) << i << ": " << answers[i].body;
    EXPECT_EQ(answers[i].body, answers[0].body) << i;
  }
  auto listed = parsed(call(token, "GET", "/api/v1/applications?status=submitted"));
  ASSERT_EQ(listed.at("applications").as_array().size(), 1u);
  EXPECT_EQ(listed.at("applications").at(0).at("reference"), parsed(answers[0]).at("reference"));
}

// A reused answer is found however far back it was given: behind nine later applications
// whose forms ask the question but were not asked it (a signboard owned by a person has no
// juristic number), the company certificate's answer still starts the next draft.
TEST_P(ApplyApiIT, AReusedAnswerIsFoundBehindApplicationsThatLeftItUnanswered) {
  const auto token = token_for(kDemoApplicant, kDemoApplicantPassword);
  ASSERT_FALSE(token.empty());
  ASSERT_FALSE(submit_company_certificate(app_->port(), token).empty());
  auto answers = example_answers(app_->port(), "signboard-tax", wallet_picture(app_->port(), token))
                     .as_object();
  answers["owner_type"] = "person";
  answers.erase("juristic_id");
  for (int i = 0; i < 9; ++i) {
    const auto id = draft_of(app_->port(), token, "signboard-tax", answers);
    ASSERT_FALSE(id.empty());
    auto submitted = call(token, "POST", "/api/v1/applications/" + id + "/submit", nullptr,
                          {{"Idempotency-Key", "signboard-" + std::to_string(i)}});
    ASSERT_EQ(submitted.status, 201) << submitted.body;
    EXPECT_FALSE(parsed(call(token, "GET", "/api/v1/applications/" + id))
                     .at("answers")
                     .as_object()
                     .contains("juristic_id"));
  }
  auto created =
      call(token, "POST", "/api/v1/applications", json::object{{"service", "signboard-tax"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(parsed(created).at("id").as_string());
  // The answer shows once the question is asked: the owner is a company.
  auto asked = call(token, "PATCH", "/api/v1/applications/" + id,
                    json::object{{"answers", json::object{{"owner_type", "juristic"}}}});
  ASSERT_EQ(asked.status, 200) << asked.body;
  const auto* reused = parsed(asked).at("answers").as_object().if_contains("juristic_id");
  ASSERT_NE(reused, nullptr) << asked.body;
  EXPECT_EQ(*reused, json::value("0105555000005"));
}

// The form schema marks the national ID readOnly, and a program that sends another keeps the
// applicant's own: the answer comes from the verified identity.
TEST_P(ApplyApiIT, AnAnswerFromTheVerifiedIdentityIsReadOnly) {
  const auto token = token_for(kDemoApplicant, kDemoApplicantPassword);
  ASSERT_FALSE(token.empty());
  auto schema = parsed(call(token, "GET", "/api/v1/services/signboard-tax/form/schema"));
  EXPECT_EQ(schema.at("properties").at("citizen_id").at("readOnly"), true);
  EXPECT_FALSE(schema.at("properties").at("family_name").as_object().contains("readOnly"));
  auto created =
      call(token, "POST", "/api/v1/applications", json::object{{"service", "signboard-tax"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(parsed(created).at("id").as_string());
  const json::value own(kDemoApplicant);
  EXPECT_EQ(parsed(created).at("answers").at("citizen_id"), own);
  for (const json::value& other : {json::value("1101700203034"), json::value(nullptr)}) {
    auto patched = call(
        token, "PATCH", "/api/v1/applications/" + id,
        json::object{{"answers", json::object{{"citizen_id", other}, {"family_name", "ใจดี"}}}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(parsed(patched).at("answers").at("citizen_id"), own);
    EXPECT_EQ(parsed(patched).at("answers").at("family_name"), "ใจดี");
  }
  EXPECT_EQ(parsed(call(token, "GET", "/api/v1/applications/" + id)).at("answers").at("citizen_id"),
            own);
}

TEST_P(ApplyApiIT, AProgramAppliesFromTokenToSubmissionExactlyOnce) {
  const auto token = token_for("1234567890121", "pratu-demo-applicant");
  ASSERT_FALSE(token.empty());
  auto created =
      call(token, "POST", "/api/v1/applications", json::object{{"service", "company-certificate"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto draft = parsed(created);
  const std::string id(draft.at("id").as_string());
  EXPECT_EQ(created.header("Location"), "/api/v1/applications/" + id);
  EXPECT_EQ(draft.at("status"), "draft");
  EXPECT_EQ(draft.at("answers").at("mobile"), "+66812345678");  // from the profile
  EXPECT_EQ(draft.at("complete"), false);
  // Asking again gives the same draft, not a second.
  auto again =
      call(token, "POST", "/api/v1/applications", json::object{{"service", "company-certificate"}});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(parsed(again).at("id").as_string(), id);

  // Wrong answers: 422, each field's problem, nothing saved.
  auto wrong = call(token, "PATCH", "/api/v1/applications/" + id + "?lang=en",
                    json::object{{"answers", json::object{{"juristic_id", "0105555000001"},
                                                          {"copies", 99},
                                                          {"requester_name", "สมชาย"},
                                                          {"colour", "red"}}}});
  ASSERT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(wrong.header("Content-Type"), "application/problem+json");
  std::map<std::string, std::string> problems;
  const json::value wrong_body = parsed(wrong);
  for (const auto& e : wrong_body.at("errors").as_array()) {
    problems[std::string(e.at("field").as_string())] = e.at("code").as_string();
  }
  EXPECT_EQ(problems["juristic_id"], "id_check_digit");
  EXPECT_EQ(problems["copies"], "too_large");
  EXPECT_EQ(problems["colour"], "unknown_field");
  EXPECT_FALSE(problems.contains("requester_name"));
  EXPECT_FALSE(parsed(call(token, "GET", "/api/v1/applications/" + id))
                   .at("answers")
                   .as_object()
                   .contains("requester_name"));

  // Right answers, one revision after another; a stale revision is refused.
  auto saved = call(token, "PATCH", "/api/v1/applications/" + id,
                    json::object{{"answers", json::object{{"juristic_id", "0105555000005"},
                                                          {"requester_name", "สมชาย"}}},
                                 {"revision", draft.at("revision")}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(parsed(saved).at("next_page"), "request");
  auto stale = call(
      token, "PATCH", "/api/v1/applications/" + id,
      json::object{{"answers", json::object{{"copies", 1}}}, {"revision", draft.at("revision")}});
  EXPECT_EQ(stale.status, 409);
  // Submitting before it is complete: 422 naming what is missing.
  auto early = call(token, "POST", "/api/v1/applications/" + id + "/submit", nullptr,
                    {{"Idempotency-Key", "k-early"}});
  EXPECT_EQ(early.status, 422);
  EXPECT_NE(early.body.find("\"field\":\"kinds\""), std::string::npos);
  ASSERT_EQ(call(token, "PATCH", "/api/v1/applications/" + id,
                 json::object{{"answers", json::object{{"kinds", json::array{"certificate"}},
                                                       {"language", "th"},
                                                       {"copies", 1},
                                                       {"declaration", true}}}})
                .status,
            200);
  auto no_key = call(token, "POST", "/api/v1/applications/" + id + "/submit");
  EXPECT_EQ(no_key.status, 422);
  auto first = call(token, "POST", "/api/v1/applications/" + id + "/submit", nullptr,
                    {{"Idempotency-Key", "key-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  auto submission = parsed(first);
  EXPECT_EQ(submission.at("status"), "submitted");
  EXPECT_TRUE(submission.at("reference").as_string().starts_with("DBD-25"));
  EXPECT_TRUE(submission.at("due_date").is_string());
  auto repeat = call(token, "POST", "/api/v1/applications/" + id + "/submit", nullptr,
                     {{"Idempotency-Key", "key-1"}});
  EXPECT_EQ(repeat.status, 201);
  EXPECT_EQ(repeat.body, first.body);
  auto other_key = call(token, "POST", "/api/v1/applications/" + id + "/submit", nullptr,
                        {{"Idempotency-Key", "key-2"}});
  EXPECT_EQ(other_key.status, 409);
  auto late = call(token, "PATCH", "/api/v1/applications/" + id,
                   json::object{{"answers", json::object{{"copies", 2}}}});
  EXPECT_EQ(late.status, 409);

  auto listed = parsed(call(token, "GET", "/api/v1/applications?status=submitted"));
  ASSERT_EQ(listed.at("applications").as_array().size(), 1u);
  EXPECT_EQ(listed.at("applications").at(0).at("reference"), submission.at("reference"));
  EXPECT_TRUE(parsed(call(token, "GET", "/api/v1/applications?status=draft"))
                  .at("applications")
                  .as_array()
                  .empty());
  EXPECT_EQ(call(token, "GET", "/api/v1/applications?status=lost").status, 422);
  auto shown = parsed(call(token, "GET", "/api/v1/applications/" + id));
  EXPECT_EQ(shown.at("timeline").as_array().size(), 2u);
  EXPECT_FALSE(shown.at("answers").as_object().contains("declaration") &&
               shown.at("answers").at("declaration") != true);

  // Revoked, the token opens nothing.
  EXPECT_EQ(call(token, "DELETE", "/api/v1/tokens/current").status, 204);
  EXPECT_EQ(call(token, "GET", "/api/v1/applications").status, 401);
}

TEST_P(ApplyApiIT, TokensAndSessionsAreCheckedAndNobodyElsesApplicationIsReachable) {
  const auto token = token_for("1234567890121", "pratu-demo-applicant");
  auto created =
      call(token, "POST", "/api/v1/applications", json::object{{"service", "company-certificate"}});
  const std::string id(parsed(created).at("id").as_string());
  // A wrong password: the login page's answer, no token.
  auto refused = client_->request(
      "POST", "/api/v1/tokens",
      json::serialize(json::object{{"login", "1234567890121"}, {"password", "wrong one here"}}),
      {{"Content-Type", "application/json"}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.body.find("token\""), std::string::npos);
  // A forged or malformed token is nobody.
  EXPECT_EQ(call(token + "x", "GET", "/api/v1/applications").status, 401);
  EXPECT_EQ(call("", "GET", "/api/v1/applications").status, 401);
  // An officer is no applicant.
  const auto officer = token_for("officer.dbd@demo.pratu.example", "pratu-demo-officer");
  EXPECT_EQ(call(officer, "GET", "/api/v1/applications/" + id).status, 403);
  // Someone else's draft: not found, whatever they try.
  HttpClient browser(app_->port());
  ASSERT_EQ(register_applicant(browser, "1101700203034", "another long passphrase").status, 303);
  const auto stranger = token_for("1101700203034", "another long passphrase");
  EXPECT_EQ(call(stranger, "GET", "/api/v1/applications/" + id).status, 404);
  EXPECT_EQ(call(stranger, "PATCH", "/api/v1/applications/" + id,
                 json::object{{"answers", json::object{{"copies", 1}}}})
                .status,
            404);
  EXPECT_EQ(call(stranger, "POST", "/api/v1/applications/" + id + "/submit", nullptr,
                 {{"Idempotency-Key", "k"}})
                .status,
            404);
  EXPECT_TRUE(
      parsed(call(stranger, "GET", "/api/v1/applications")).at("applications").as_array().empty());
  // With the session cookie instead of a token, a change needs the session's CSRF header.
  auto page = browser.get("/applications");
  const auto csrf = extract_csrf_token(page.body);
  auto no_csrf =
      browser.request("POST", "/api/v1/applications", R"({"service":"company-certificate"})",
                      {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_csrf.status, 403);
  auto with_csrf =
      browser.request("POST", "/api/v1/applications", R"({"service":"company-certificate"})",
                      {{"Content-Type", "application/json"}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(with_csrf.status, 201);
  // Revoking needs a token: a cookie session is ended by logging out.
  auto revoke = browser.request("DELETE", "/api/v1/tokens/current", {}, {{"X-CSRF-Token", csrf}});
  EXPECT_EQ(revoke.status, 422);
}

// A hostile client's bodies: one that says it is far past a route's limit is answered at once
// with 413, before any of it is read, and the connection is closed.
TEST_P(ApplyApiIT, BodiesPastARoutesLimitAreRefusedUnread) {
  const auto token = token_for(kDemoApplicant, kDemoApplicantPassword);
  auto created =
      call(token, "POST", "/api/v1/applications", json::object{{"service", "company-certificate"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(parsed(created).at("id").as_string());
  const std::string bearer = "Authorization: Bearer " + token + "\r\n";
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST /api/v1/tokens", ""},
      {"POST /api/v1/applications", bearer},
      {"PATCH /api/v1/applications/" + id, bearer}};
  for (const auto& [route, authorization] : routes) {
    const auto started = std::chrono::steady_clock::now();
    HttpConnection connection(app_->port(), std::chrono::milliseconds(3000));
    ASSERT_TRUE(connection.send(route + " HTTP/1.1\r\nHost: t\r\n" + authorization +
                                "Accept-Language: en\r\nContent-Type: application/json\r\n"
                                "Content-Length: 1073741824\r\n\r\n{\"answers\": {\"copies\": \""));
    auto response = connection.read_response();
    ASSERT_TRUE(response) << route;
    EXPECT_EQ(response->status, 413) << route;
    EXPECT_EQ(response->header("Content-Type"), "application/problem+json") << route;
    EXPECT_NE(response->body.find("larger than the service accepts"), std::string::npos)
        << response->body;
    EXPECT_TRUE(connection.closed_by_peer()) << route;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)) << route;
  }
  // Sent whole, a body just past the limit is refused all the same; the draft is untouched.
  auto whole = call(
      token, "PATCH", "/api/v1/applications/" + id,
      json::object{{"answers", json::object{{"requester_name", std::string(300 * 1024, 'x')}}}});
  EXPECT_EQ(whole.status, 413);
  auto draft = parsed(call(token, "GET", "/api/v1/applications/" + id));
  EXPECT_FALSE(draft.at("answers").as_object().contains("requester_name"));
  EXPECT_EQ(draft.at("revision"), parsed(created).at("revision"));
  // Within the route's limit but past what the handler parses (4 KiB to start a draft): too
  // large as well, not "invalid".
  auto padded = call(
      token, "POST", "/api/v1/applications",
      json::object{{"service", "company-certificate"}, {"padding", std::string(8 * 1024, ' ')}});
  EXPECT_EQ(padded.status, 413) << padded.body;
  EXPECT_EQ(padded.header("Content-Type"), "application/problem+json");
}

PRATU_INSTANTIATE_ENGINE_TESTS(ApplyApiIT);

PRATU_INSTANTIATE_ENGINE_TESTS(ApplicationsStartIT);

}  // namespace
}  // namespace pratu::test
