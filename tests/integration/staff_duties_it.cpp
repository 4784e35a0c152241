// Staff duties (docs/adr/0028; docs/payments.md, "Who handles the money") through the real
// server on SQLite and PostgreSQL: an agency's supervisor grants and withdraws the cashier and
// finance duties of its officers on /agency/duties and over the API, each change recorded with
// who made it; the change holds from the person's next request, their session unchanged. No
// one changes their own duties, another agency's supervisor finds no such person, an officer
// is refused the page, and a form without its token changes nothing.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "common/clock.hpp"
#include "domains/accounts/accounts_service.hpp"
#include "domains/accounts/staff_duties.hpp"
#include "storage/database.hpp"
#include "support/applicants.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

const std::string kPassword(accounts::kDemoOfficerPassword);

class StaffDutiesIT : public AppTest {
 protected:
  // The id and duties of `email` in the agency's list, as `token` (a supervisor) reads it.
  std::pair<std::int64_t, json::array> member(const std::string& token, const std::string& email) {
    auto listed = bearer_json(app_->port(), token, "GET", "/api/v1/agency/duties");
    EXPECT_EQ(listed.status, 200) << listed.body;
    const auto body = json_object(listed);
    for (const auto& m : body.at("staff").as_array()) {
      if (m.at("email").as_string() == email) {
        return {m.at("id").as_int64(), m.at("duties").as_array()};
      }
    }
    ADD_FAILURE() << email << " is not listed";
    return {0, {}};
  }
};

TEST_P(StaffDutiesIT, ASupervisorGrantsAndWithdrawsADutyThatHoldsAtOnce) {
  const std::string officer_email = accounts::demo_officer_email("bma");
  auto officer = signed_in(app_->port(), officer_email, kPassword);
  // Without the duty the officer has no counter; nor may an officer manage duties.
  EXPECT_EQ(officer->get("/agency/counter").status, 403);
  EXPECT_EQ(officer->get("/agency/duties").status, 403);

  auto supervisor = signed_in(app_->port(), accounts::demo_supervisor_email("bma"), kPassword);
  auto page = supervisor->get("/agency/duties");
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 2000);
  EXPECT_NE(page.body.find("href=\"/agency/duties\""), std::string::npos);
  const auto token = api_token(app_->port(), accounts::demo_supervisor_email("bma"), kPassword);
  const auto [id, held] = member(token, officer_email);
  ASSERT_GT(id, 0);
  EXPECT_TRUE(held.empty());
  const std::string form_path = "/agency/duties/" + std::to_string(id);
  ASSERT_NE(page.body.find("action=\"" + form_path + "\""), std::string::npos);

  // A form without its token changes nothing.
  EXPECT_EQ(supervisor->post_form(form_path, {{"duties", "cashier"}}).status, 403);
  EXPECT_TRUE(member(token, officer_email).second.empty());

  // Granted on the page: the officer's next request, in the same session, finds the counter.
  auto granted = supervisor->post_form(
      form_path, {{"csrf_token", extract_csrf_token(page.body)}, {"duties", "cashier"}});
  ASSERT_EQ(granted.status, 303) << granted.body.substr(0, 2000);
  EXPECT_EQ(granted.header("Location"), "/agency/duties?done=1#member-" + std::to_string(id));
  EXPECT_EQ(member(token, officer_email).second, json::array{"cashier"});
  EXPECT_EQ(officer->get("/agency/counter").status, 200);
  // And is told so, by whom, among their notices.
  auto told = officer->get("/notifications");
  EXPECT_NE(told.body.find("เปลี่ยนหน้าที่ของท่านแล้ว หน้าที่ของท่านขณะนี้: รับชำระเงิน"), std::string::npos)
      << told.body.substr(0, 3000);

  // Withdrawn over the API, finance granted: the counter is gone, the statements open.
  auto changed =
      bearer_json(app_->port(), token, "PUT", "/api/v1/agency/duties/" + std::to_string(id),
                  json::object{{"duties", json::array{"finance"}}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json_object(changed).at("duties").as_array(), json::array{"finance"});
  EXPECT_EQ(officer->get("/agency/counter").status, 403);
  EXPECT_EQ(officer->get("/agency/statements").status, 200);

  // Each change is kept with who made it, newest first; the same again records nothing.
  ASSERT_EQ(bearer_json(app_->port(), token, "PUT", "/api/v1/agency/duties/" + std::to_string(id),
                        json::object{{"duties", json::array{"finance"}}})
                .status,
            200);
  auto listed = json_object(bearer_json(app_->port(), token, "GET", "/api/v1/agency/duties"));
  const auto& changes = listed.at("changes").as_array();
  ASSERT_GE(changes.size(), 3u);
  auto change = [&](std::size_t i, const char* duty, const char* action) {
    EXPECT_EQ(changes[i].at("duty").as_string(), duty) << i;
    EXPECT_EQ(changes[i].at("action").as_string(), action) << i;
    EXPECT_TRUE(changes[i].as_object().contains("by")) << i;
  };
  // The API's two changes (one withdrawal, one grant) in one second, then the page's grant.
  std::set<std::string> latest{std::string(changes[0].at("action").as_string()),
                               std::string(changes[1].at("action").as_string())};
  EXPECT_EQ(latest, (std::set<std::string>{"granted", "withdrawn"}));
  change(2, "cashier", "granted");
  // The demo's cashier got the duty from the command line: no one is named.
  bool seeded = false;
  for (const auto& c : changes) {
    if (!c.as_object().contains("by") && c.at("duty").as_string() == "cashier") seeded = true;
  }
  EXPECT_TRUE(seeded) << json::serialize(changes);
  auto history = supervisor->get("/agency/duties");
  EXPECT_NE(history.body.find("data-duty-change"), std::string::npos);
  EXPECT_NE(history.body.find("pratu user create"), std::string::npos);
}

TEST_P(StaffDutiesIT, NoOneChangesTheirOwnDutiesOrAnotherAgencysStaff) {
  const auto token = api_token(app_->port(), accounts::demo_supervisor_email("bma"), kPassword);
  const auto [self, held] = member(token, accounts::demo_supervisor_email("bma"));
  (void)held;
  ASSERT_GT(self, 0);
  const auto [officer, officer_held] = member(token, accounts::demo_officer_email("bma"));
  (void)officer_held;
  auto own =
      bearer_json(app_->port(), token, "PUT", "/api/v1/agency/duties/" + std::to_string(self),
                  json::object{{"duties", json::array{"cashier", "finance"}}});
  EXPECT_EQ(own.status, 403) << own.body;
  EXPECT_TRUE(member(token, accounts::demo_supervisor_email("bma")).second.empty());
  // Their own row on the page has no form, and says who changes it.
  auto supervisor = signed_in(app_->port(), accounts::demo_supervisor_email("bma"), kPassword);
  auto page = supervisor->get("/agency/duties");
  EXPECT_EQ(page.body.find("action=\"/agency/duties/" + std::to_string(self) + "\""),
            std::string::npos);
  EXPECT_NE(page.body.find("data-own-duties"), std::string::npos);

  // The DBD's supervisor finds no BMA officer, nor anyone who is not staff; an officer may not.
  const auto dbd = api_token(app_->port(), accounts::demo_supervisor_email("dbd"), kPassword);
  const json::object cashier{{"duties", json::array{"cashier"}}};
  for (const std::string& target :
       {std::to_string(officer), std::string("999999"), std::string("abc"), std::string("-1")}) {
    EXPECT_EQ(
        bearer_json(app_->port(), dbd, "PUT", "/api/v1/agency/duties/" + target, cashier).status,
        404)
        << target;
  }
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  EXPECT_EQ(bearer_json(app_->port(), applicant, "GET", "/api/v1/agency/duties").status, 403);
  const auto officer_token =
      api_token(app_->port(), accounts::demo_officer_email("bma"), kPassword);
  EXPECT_EQ(bearer_json(app_->port(), officer_token, "PUT",
                        "/api/v1/agency/duties/" + std::to_string(officer), cashier)
                .status,
            403);
  // A duty Pratu does not know, or a body that is no list: 422 naming the field.
  for (const json::value& body :
       {json::value(json::object{{"duties", json::array{"boss"}}}),
        json::value(json::object{{"duties", "cashier"}}), json::value(json::object{})}) {
    auto refused = bearer_json(app_->port(), token, "PUT",
                               "/api/v1/agency/duties/" + std::to_string(officer), body);
    EXPECT_EQ(refused.status, 422) << refused.body;
  }
  EXPECT_TRUE(member(token, accounts::demo_officer_email("bma")).second.empty());
}

TEST_P(StaffDutiesIT, TheOperatorChangesASoleSupervisorsDutiesWhichHoldAndAreTold) {
  // Nobody in the agency may change its supervisor's duties; the operator does, from the
  // command line's StaffDuties::set_by_operator, on its own connection.
  const std::string email = accounts::demo_supervisor_email("bma");
  const auto token = api_token(app_->port(), email, kPassword);
  EXPECT_EQ(bearer_json(app_->port(), token, "GET", "/api/v1/agency/collections").status, 403);
  auto opened = storage::open_database({.url = db_->url()});
  ASSERT_TRUE(opened) << opened.error().detail;
  SystemClock clock;
  accounts::StaffDuties operator_duties(**opened, clock, nullptr);
  std::string typed = email;  // as an operator might type it
  for (char& ch : typed) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto set = operator_duties.set_by_operator(typed, static_cast<unsigned>(web::Duty::finance));
  ASSERT_TRUE(set) << set.error().detail;
  EXPECT_EQ(set->duties, static_cast<unsigned>(web::Duty::finance));

  // It holds within the sessions' cache (2 s), the session unchanged.
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    status = bearer_json(app_->port(), token, "GET", "/api/v1/agency/collections").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200);
  // Recorded with nobody as its author, and the supervisor is told the operator did it.
  auto changes = json_object(bearer_json(app_->port(), token, "GET", "/api/v1/agency/duties"));
  ASSERT_FALSE(changes.at("changes").as_array().empty());
  const auto& latest = changes.at("changes").as_array().front().as_object();
  EXPECT_EQ(latest.at("duty").as_string(), "finance");
  EXPECT_TRUE(!latest.contains("by") || latest.at("by").is_null() ||
              latest.at("by").as_string().empty())
      << json::serialize(latest);
  auto supervisor = signed_in(app_->port(), email, kPassword);
  auto inbox = supervisor->get("/notifications");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_NE(inbox.body.find("ผู้ดูแลระบบ เปลี่ยนหน้าที่ของท่านแล้ว"), std::string::npos);

  // Only an agency's staff: not an applicant (by national ID), an administrator, or nobody.
  for (const std::string login : {std::string(kDemoApplicant),
                                  std::string(accounts::kDemoAdminEmail), std::string("nobody")}) {
    auto refused =
        operator_duties.set_by_operator(login, static_cast<unsigned>(web::Duty::cashier));
    ASSERT_FALSE(refused) << login;
    EXPECT_EQ(refused.error().code, ErrorCode::not_found) << login;
  }
}

PRATU_INSTANTIATE_ENGINE_TESTS(StaffDutiesIT);

}  // namespace
}  // namespace pratu::test
