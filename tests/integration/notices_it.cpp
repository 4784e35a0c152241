// Notices in the portal through the real server on both engines: each step the agency takes
// and each message tells the other side on /notifications and over the API, in the same
// transaction as the change; each person reads and marks only their own.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "domains/accounts/accounts_service.hpp"
#include "support/applicants.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

class NoticesIT : public AppTest {
 protected:
  HttpResponse call(const std::string& token, const std::string& method, const std::string& target,
                    const json::value& body = nullptr) {
    return bearer_json(app_->port(), token, method, target, body);
  }
  json::object notices(const std::string& token, const std::string& query = "") {
    auto listed = call(token, "GET", "/api/v1/notifications" + query);
    EXPECT_EQ(listed.status, 200) << listed.body;
    return listed.status == 200 ? json_object(listed) : json::object{};
  }

  // A company-certificate application (the DBD's) of `applicant`, submitted.
  std::string submitted(const std::string& applicant) {
    return submit_company_certificate(app_->port(), applicant);
  }

  // Takes `transition` as `token` at the application's current revision.
  HttpResponse step(const std::string& token, const std::string& id, const std::string& transition,
                    json::object extra = {}) {
    return take_step(app_->port(), token, id, transition, std::move(extra));
  }
};

TEST_P(NoticesIT, EachSideIsToldInThePortalAndReadsOnlyTheirOwn) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto officer = api_token(app_->port(), accounts::demo_officer_email("dbd"),
                                 std::string(accounts::kDemoOfficerPassword));
  const std::string id = submitted(applicant);
  const auto before = notices(applicant).at("unread").as_int64();

  // The officer takes it up: the applicant is told, in Thai, with the new status.
  ASSERT_EQ(step(officer, id, "start_review").status, 200);
  auto told = notices(applicant);
  EXPECT_EQ(told.at("unread").as_int64(), before + 1);
  const auto& newest = told.at("notifications").as_array().at(0).as_object();
  EXPECT_EQ(newest.at("topic").as_string(), "applications.step_taken");
  EXPECT_EQ(newest.at("application").as_string(), id);
  EXPECT_EQ(newest.at("link").as_string(), "/applications/" + id);
  EXPECT_FALSE(newest.at("read").as_bool());
  EXPECT_NE(std::string(newest.at("text").as_string()).find("กำลังพิจารณา"), std::string::npos)
      << newest.at("text");
  // In English when asked.
  auto english = call(applicant, "GET", "/api/v1/notifications?lang=en");
  EXPECT_NE(english.body.find("Your application for"), std::string::npos) << english.body;

  // A message each way: the applicant by the agency; the officer who has it by the applicant.
  const std::string thread = "/api/v1/applications/" + id + "/messages";
  ASSERT_EQ(call(officer, "POST", thread, json::object{{"body", "โปรดยืนยันที่อยู่"}}).status, 201);
  ASSERT_EQ(call(applicant, "POST", thread, json::object{{"body", "ยืนยันแล้ว"}}).status, 201);
  auto applicant_side = notices(applicant);
  EXPECT_EQ(applicant_side.at("notifications").as_array().at(0).at("topic").as_string(),
            "applications.message");
  // What was written stays in the thread, never in a notice.
  EXPECT_EQ(json::serialize(applicant_side).find("โปรดยืนยันที่อยู่"), std::string::npos);
  auto officer_side = notices(officer);
  ASSERT_FALSE(officer_side.at("notifications").as_array().empty());
  const auto& to_officer = officer_side.at("notifications").as_array().at(0).as_object();
  EXPECT_EQ(to_officer.at("topic").as_string(), "applications.message");
  EXPECT_EQ(to_officer.at("link").as_string(), "/agency/applications/" + id + "#messages");
  EXPECT_EQ(json::serialize(officer_side).find("ยืนยันแล้ว"), std::string::npos);

  // Someone else has none of these, and cannot mark them read.
  auto stranger = signed_in_applicant(app_->port(), "1101700203034", "another long passphrase");
  const auto other = api_token(app_->port(), "1101700203034", "another long passphrase");
  EXPECT_TRUE(notices(other).at("notifications").as_array().empty());
  const auto top = applicant_side.at("notifications").as_array().at(0).at("id").as_int64();
  auto marked = call(other, "POST", "/api/v1/notifications/read", json::object{{"upto", top}});
  ASSERT_EQ(marked.status, 200) << marked.body;
  EXPECT_EQ(json_object(marked).at("marked").as_int64(), 0);
  EXPECT_EQ(notices(applicant).at("unread").as_int64(), before + 2);

  // Paging: one at a time, each page naming the next.
  auto one = notices(applicant, "?limit=1");
  ASSERT_EQ(one.at("notifications").as_array().size(), 1u);
  ASSERT_TRUE(one.contains("next"));
  auto next = call(applicant, "GET", std::string(one.at("next").as_string()));
  ASSERT_EQ(next.status, 200);
  EXPECT_LT(json_object(next).at("notifications").as_array().at(0).at("id").as_int64(),
            one.at("notifications").as_array().at(0).at("id").as_int64());

  // What a hostile client sends is refused with its own field named.
  for (const std::string bad : {std::string("?limit=0"), std::string("?limit=101"),
                                std::string("?before=-1"), std::string("?before=x")}) {
    EXPECT_EQ(call(applicant, "GET", "/api/v1/notifications" + bad).status, 422) << bad;
  }
  for (const std::string bad : {std::string("{\"upto\":"), std::string("[1]"),
                                std::string("{\"upto\":\"7\"}"), std::string("{\"upto\":0}")}) {
    const auto refused =
        bearer_request(app_->port(), applicant, "POST", "/api/v1/notifications/read", bad,
                       {{"Content-Type", "application/json"}});
    EXPECT_TRUE(refused.status == 400 || refused.status == 422) << bad << " " << refused.status;
  }
  EXPECT_EQ(bearer_request(app_->port(), applicant, "POST", "/api/v1/notifications/read",
                           "{\"upto\":1,\"x\":\"" + std::string(4096, 'x') + "\"}",
                           {{"Content-Type", "application/json"}})
                .status,
            413);
  EXPECT_EQ(bearer_json(app_->port(), "", "GET", "/api/v1/notifications").status, 401);

  // On the page: the newest first, the new ones marked, and read once shown.
  auto citizen = signed_in_applicant(app_->port());
  auto page = citizen->get("/notifications");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-unread"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/applications/" + id + "#messages\""), std::string::npos);
  EXPECT_EQ(notices(applicant).at("unread").as_int64(), 0);
  auto again = citizen->get("/notifications");
  EXPECT_EQ(again.body.find("data-unread"), std::string::npos);
  // The API marks read up to an id; a session cookie needs its CSRF header for that.
  ASSERT_EQ(step(officer, id, "approve", {{"checklist_confirmed", 1}}).status, 200);
  EXPECT_EQ(notices(applicant).at("unread").as_int64(), 1);
  auto no_csrf = citizen->request("POST", "/api/v1/notifications/read", "{\"upto\":999999999}",
                                  {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(notices(applicant).at("unread").as_int64(), 1);
  auto all =
      call(applicant, "POST", "/api/v1/notifications/read", json::object{{"upto", 999999999}});
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(json_object(all).at("unread").as_int64(), 0);

  // Nobody signed in is sent to sign in.
  HttpClient visitor(app_->port());
  auto anonymous = visitor.get("/notifications");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_NE(anonymous.header("Location").find("/login"), std::string::npos);
}

PRATU_INSTANTIATE_ENGINE_TESTS(NoticesIT);

}  // namespace
}  // namespace pratu::test
