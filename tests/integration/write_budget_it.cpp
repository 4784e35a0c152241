// One signed-in person's changes come out of a budget of their own: past it they are told to
// wait (429 with Retry-After), on pages and in the API alike, while everyone else goes on, and
// after the wait they go on too.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include <boost/json.hpp>

#include "support/applicants.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

class WriteBudgetIT : public AppTest {
 protected:
  void configure(app::Config& config) override {
    config.server.writes_per_user_per_second = 1;
    config.server.write_burst_per_user = 3;
  }

  HttpResponse start_draft(const std::string& token) {
    return bearer_request(app_->port(), token, "POST", "/api/v1/applications",
                          R"({"service": "company-certificate"})",
                          {{"Content-Type", "application/json"}, {"Accept-Language", "en"}});
  }
};

TEST_P(WriteBudgetIT, APersonPastTheirBudgetWaitsAndNobodyElseDoes) {
  const auto token = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  ASSERT_FALSE(token.empty());
  // Three changes go through (the draft, then the same draft again: one per service)...
  EXPECT_EQ(start_draft(token).status, 201);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(start_draft(token).status, 200) << i;
  // ...the fourth is told to wait, and reads are not counted.
  auto refused = start_draft(token);
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(refused.header("Retry-After"), "1");
  EXPECT_EQ(json::parse(refused.body).at("status"), 429);
  EXPECT_EQ(bearer_request(app_->port(), token, "GET", "/api/v1/applications").status, 200);

  // Someone else is not held up by it: on the API, and on a page.
  auto other = signed_in_applicant(app_->port(), "1101700203034", "another long passphrase");
  const auto page = other->get("/services/company-certificate");
  ASSERT_EQ(page.status, 200);
  auto started = other->post_form("/services/company-certificate/apply",
                                  {{"csrf_token", extract_csrf_token(page.body)}});
  EXPECT_EQ(started.status, 303) << started.body.substr(0, 500);

  // On pages the same person is told in a page, in their language.
  for (int i = 0; i < 3; ++i) {
    other->post_form("/services/company-certificate/apply",
                     {{"csrf_token", extract_csrf_token(page.body)}});
  }
  auto waits = other->post_form("/services/company-certificate/apply",
                                {{"csrf_token", extract_csrf_token(page.body)}});
  EXPECT_EQ(waits.status, 429);
  EXPECT_NE(waits.header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_FALSE(waits.header("Retry-After").empty());

  // After the wait the first goes on.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(start_draft(token).status, 200);
}

PRATU_INSTANTIATE_ENGINE_TESTS(WriteBudgetIT);

}  // namespace
}  // namespace pratu::test
