// The supervisor's dashboard through the real server on both engines: the agency's supervisor
// sees its figures as SVG charts, each followed by a table of the same figures, in Thai with
// Buddhist-era dates or in English; officers, applicants and another agency's supervisor do
// not see them, and a visitor is sent to log in.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <regex>

#include "domains/accounts/accounts_service.hpp"
#include "storage/database.hpp"
#include "support/applicants.hpp"
#include "support/bills.hpp"
#include "support/test_app.hpp"
#include "web/dates.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

constexpr std::string_view kDashboard = "/agency/dashboard";

class DashboardIT : public AppTest {
 protected:
  HttpResponse call(const std::string& token, const std::string& method, const std::string& target,
                    const json::value& body = nullptr) {
    return bearer_json(app_->port(), token, method, target, body);
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

  std::unique_ptr<HttpClient> supervisor(const std::string& agency) {
    return signed_in(app_->port(), accounts::demo_supervisor_email(agency),
                     std::string(accounts::kDemoOfficerPassword));
  }

  static bool has(const std::string& body, const std::string& pattern) {
    return std::regex_search(body, std::regex(pattern));
  }

  static std::ptrdiff_t count(const std::string& body, const std::string& text) {
    std::ptrdiff_t n = 0;
    for (auto at = body.find(text); at != std::string::npos; at = body.find(text, at + 1)) ++n;
    return n;
  }
};

TEST_P(DashboardIT, TheSupervisorSeesTheAgencysFiguresAsChartsWithTables) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto officer = api_token(app_->port(), accounts::demo_officer_email("dbd"),
                                 std::string(accounts::kDemoOfficerPassword));
  const std::string waiting = submitted(applicant);
  const std::string decided = submitted(applicant);
  ASSERT_EQ(step(officer, decided, "start_review").status, 200);
  ASSERT_EQ(step(officer, decided, "approve", {{"checklist_confirmed", 1}}).status, 200);
  ASSERT_FALSE(pay_bill_at_counter(app_->port(), applicant, decided).empty());
  // The one waiting was due long ago.
  auto opened = storage::open_database({.url = db_->url()});
  ASSERT_TRUE(opened) << opened.error().detail;
  ASSERT_TRUE((*opened)->write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute("UPDATE applications SET due_date = '2020-01-06' WHERE public_id = $1",
                          {waiting}));
    return ok();
  }));
  const std::string reference(json_object(call(applicant, "GET", "/api/v1/applications/" + waiting))
                                  .at("reference")
                                  .as_string());

  auto boss = supervisor("dbd");
  auto page = boss->get(std::string(kDashboard));
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string& th = page.body;
  // Three charts, each an image named by its title, each followed by its table.
  EXPECT_EQ(count(th, "<svg "), 3);
  EXPECT_EQ(count(th, "</svg>"), 3);
  EXPECT_EQ(count(th, "role=\"img\""), 3);
  for (const std::string chart : {"dashboard-states", "dashboard-medians", "dashboard-received"}) {
    EXPECT_NE(th.find("aria-labelledby=\"" + chart + "-title\""), std::string::npos) << chart;
    EXPECT_NE(th.find("<title id=\"" + chart + "-title\">"), std::string::npos) << chart;
    EXPECT_TRUE(
        has(th, "data-chart=\"" + chart + "\"[\\s\\S]*?</svg>\\s*</figure>[\\s\\S]*?<table"))
        << chart;
  }
  EXPECT_EQ(count(th, "<caption>"), 5);
  EXPECT_GT(count(th, "<th scope=\"col\""), 10);
  EXPECT_GT(count(th, "<th scope=\"row\""), 30);
  // In Thai, with Buddhist-era dates: today, and the overdue one's due date.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_NE(th.find(web::format_date(web::Locale::th, now)), std::string::npos);
  EXPECT_NE(th.find("6 มกราคม 2563"), std::string::npos);
  // The overdue one, linked to its page.
  EXPECT_NE(th.find("คำขอที่เกินวันครบกำหนด: 1"), std::string::npos);
  EXPECT_NE(th.find("<a href=\"/agency/applications/" + waiting + "\">" + reference + "</a>"),
            std::string::npos);
  EXPECT_NE(th.find("ยังไม่มีผู้รับผิดชอบ"), std::string::npos);
  EXPECT_EQ(th.find("/agency/applications/" + decided), std::string::npos);
  EXPECT_NE(th.find("href=\"/agency/dashboard\""), std::string::npos) << "in the menu";

  auto en = boss->get(std::string(kDashboard) + "?lang=en");
  ASSERT_EQ(en.status, 200);
  EXPECT_NE(en.body.find(web::format_date(web::Locale::en, now)), std::string::npos);
  EXPECT_NE(en.body.find("6 January 2020"), std::string::npos);
  EXPECT_NE(en.body.find("Applications received in the last 30 days: 2"), std::string::npos);
  EXPECT_TRUE(has(en.body, "<th scope=\"row\">Submitted</th>\\s*<td>1</td>")) << en.body;
  EXPECT_TRUE(has(en.body, "<th scope=\"row\">Approved</th>\\s*<td>1</td>"));
  // Submitted and decided today: no working day between, one decision this month, none before.
  EXPECT_TRUE(has(en.body,
                  "<th scope=\"row\">Company certificate[^<]*</th>\\s*<td>0</td>\\s*<td>1</td>"
                  "\\s*<td>none decided</td>\\s*<td>0</td>"));
  EXPECT_NE(en.body.find("(This month)"), std::string::npos) << "the months are told apart";

  // Another agency's supervisor sees nothing of it.
  auto other = supervisor("bma")->get(std::string(kDashboard));
  ASSERT_EQ(other.status, 200);
  EXPECT_EQ(other.body.find(reference), std::string::npos);
  EXPECT_NE(other.body.find("ไม่มีคำขอที่เกินวันครบกำหนด"), std::string::npos);
}

TEST_P(DashboardIT, OnlyTheAgencysSupervisorsMayOpenIt) {
  auto officer = signed_in(app_->port(), accounts::demo_officer_email("dbd"),
                           std::string(accounts::kDemoOfficerPassword));
  EXPECT_EQ(officer->get(std::string(kDashboard)).status, 403);
  EXPECT_EQ(officer->get("/agency/applications").body.find("href=\"/agency/dashboard\""),
            std::string::npos)
      << "no link to it in an officer's menu";
  auto citizen = signed_in_applicant(app_->port());
  EXPECT_EQ(citizen->get(std::string(kDashboard)).status, 403);
  auto visitor = client_->get(std::string(kDashboard));
  EXPECT_EQ(visitor.status, 303);
  EXPECT_EQ(visitor.header("Location"), "/login?next=%2Fagency%2Fdashboard");
}

PRATU_INSTANTIATE_ENGINE_TESTS(DashboardIT);

}  // namespace
}  // namespace pratu::test
