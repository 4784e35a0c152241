// Feedback through the real server on SQLite and PostgreSQL: the form and its CSRF token, a
// submission shown again with what was typed when it is wrong or its form expired, the hour's
// limit per address, the public statistics (page and API) and the administrators' comments.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domains/accounts/accounts_service.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

class FeedbackIT : public AppTest {
 protected:
  HttpResponse send_feedback(HttpClient& client, const std::string& rating,
                             const std::string& comment, const std::string& page = "/feedback") {
    auto form = client.get(page);
    EXPECT_EQ(form.status, 200) << page;
    return client.post_form(
        "/feedback",
        {{"rating", rating}, {"comment", comment}, {"csrf_token", extract_csrf_token(form.body)}});
  }

  std::unique_ptr<HttpClient> logged_in(const std::string& login, const std::string& password) {
    auto client = std::make_unique<HttpClient>(app_->port());
    auto form = client->get("/login");
    auto response = client->post_form(
        "/login",
        {{"login", login}, {"password", password}, {"csrf_token", extract_csrf_token(form.body)}});
    EXPECT_EQ(response.status, 303) << login << " could not log in";
    return client;
  }

  json::object api_statistics() {
    auto response = client_->get("/api/v1/feedback/statistics");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("Content-Type").rfind("application/json", 0), 0u);
    return json::parse(response.body).as_object();
  }
};

TEST_P(FeedbackIT, TheFormSendsFeedbackAndSaysThankYou) {
  auto form = client_->get("/feedback?lang=en");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("How satisfied were you with Pratu today?"), std::string::npos);
  EXPECT_NE(form.body.find("type=\"radio\""), std::string::npos);
  EXPECT_NE(form.body.find("<textarea"), std::string::npos);
  EXPECT_NE(form.body.find("Do not include personal details"), std::string::npos);
  ASSERT_FALSE(extract_csrf_token(form.body).empty()) << "the form needs its anonymous CSRF token";

  auto sent = send_feedback(*client_, "5", "ใช้งานง่าย ขอบคุณครับ");
  ASSERT_EQ(sent.status, 303) << sent.body.substr(0, 2000);
  EXPECT_EQ(sent.header("Location"), "/feedback/thanks");
  auto thanks = client_->get("/feedback/thanks");
  EXPECT_EQ(thanks.status, 200);
  EXPECT_NE(thanks.body.find("Thank you for your feedback"), std::string::npos)
      << "in the language chosen on the form";
}

TEST_P(FeedbackIT, AFooterLinkLeadsToTheForm) {
  auto home = client_->get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("href=\"/feedback\""), std::string::npos);
}

TEST_P(FeedbackIT, WrongInputIsShownAgainWithWhatWasTyped) {
  auto sent = send_feedback(*client_, "", "ช่องค้นหาหายาก", "/feedback?lang=en");
  EXPECT_EQ(sent.status, 422);
  EXPECT_NE(sent.body.find("error-summary"), std::string::npos);
  EXPECT_NE(sent.body.find("href=\"#rating\""), std::string::npos);
  EXPECT_NE(sent.body.find("<title>Error:"), std::string::npos);
  EXPECT_NE(sent.body.find("ช่องค้นหาหายาก"), std::string::npos) << "the comment must be kept";

  auto too_long = send_feedback(*client_, "2", std::string(1001, 'x'));
  EXPECT_EQ(too_long.status, 422);
  EXPECT_NE(too_long.body.find("href=\"#comment\""), std::string::npos);
  EXPECT_NE(too_long.body.find("value=\"2\" checked"), std::string::npos) << "the rating is kept";
  EXPECT_NE(too_long.body.find("1000"), std::string::npos) << "the message names the limit";

  // A thousand Thai characters are three thousand bytes, and still within the limit.
  std::string thai;
  for (int i = 0; i < 1000; ++i) thai += "ก";
  EXPECT_EQ(send_feedback(*client_, "4", thai).status, 303);
}

TEST_P(FeedbackIT, AnExpiredFormIsShownAgainWithWhatWasTyped) {
  client_->get("/feedback");
  auto expired = client_->post_form(
      "/feedback?lang=en",
      {{"rating", "3"}, {"comment", "พิมพ์ไว้ยาวมาก"}, {"csrf_token", "not-the-token"}});
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("This form expired"), std::string::npos);
  EXPECT_NE(expired.body.find("พิมพ์ไว้ยาวมาก"), std::string::npos);
  EXPECT_NE(expired.body.find("value=\"3\" checked"), std::string::npos);
  auto stats = api_statistics();
  EXPECT_EQ(stats["all_time"].as_object()["count"].as_int64(), 0) << "nothing was stored";
  // The form shown again carries a fresh token that works.
  auto resent = client_->post_form("/feedback", {{"rating", "3"},
                                                 {"comment", "พิมพ์ไว้ยาวมาก"},
                                                 {"csrf_token", extract_csrf_token(expired.body)}});
  EXPECT_EQ(resent.status, 303);
}

TEST_P(FeedbackIT, AnAddressIsHeldBackAfterTheHoursLimit) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(send_feedback(*client_, "4", "").status, 303) << "submission " << i + 1;
  }
  auto refused = send_feedback(*client_, "1", "หนึ่งครั้งเกินไป", "/feedback?lang=en");
  EXPECT_EQ(refused.status, 429);
  auto retry_after = std::stoi(refused.header("Retry-After"));
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 3600);
  EXPECT_NE(refused.body.find("Try again in"), std::string::npos);
  EXPECT_NE(refused.body.find("หนึ่งครั้งเกินไป"), std::string::npos) << "what was typed is kept";
  EXPECT_EQ(api_statistics()["all_time"].as_object()["count"].as_int64(), 10);
}

// A hostile visitor's bodies: far larger than any comment, a malformed escape, a rating that is
// no number. Each is turned away and stores nothing.
TEST_P(FeedbackIT, OversizedOrMalformedBodiesStoreNothing) {
  auto form = client_->get("/feedback");
  const std::string token = url_encode(extract_csrf_token(form.body));
  const std::string form_type = "application/x-www-form-urlencoded";
  auto huge = client_->request(
      "POST", "/feedback",
      "csrf_token=" + token + "&rating=5&comment=" + std::string(2 * 1024 * 1024, 'x'),
      {{"Content-Type", form_type}});
  EXPECT_EQ(huge.status, 413);
  auto malformed =
      client_->request("POST", "/feedback", "csrf_token=" + token + "&rating=5&comment=100%zz",
                       {{"Content-Type", form_type}});
  EXPECT_GE(malformed.status, 400);
  EXPECT_LT(malformed.status, 500);
  auto not_a_number = client_->request(
      "POST", "/feedback",
      "csrf_token=" + token + "&rating=5%20OR%201%3D1&comment=", {{"Content-Type", form_type}});
  EXPECT_EQ(not_a_number.status, 422);
  EXPECT_EQ(api_statistics()["all_time"].as_object()["count"].as_int64(), 0);
}

TEST_P(FeedbackIT, StatisticsPageAndApiShowWhatWasSent) {
  for (const char* rating : {"5", "5", "4", "1"}) {
    ASSERT_EQ(send_feedback(*client_, rating, "").status, 303);
  }
  auto stats = api_statistics();
  for (const char* period : {"this_month", "all_time"}) {
    auto& totals = stats[period].as_object();
    EXPECT_EQ(totals["count"].as_int64(), 4) << period;
    EXPECT_DOUBLE_EQ(totals["average"].to_number<double>(), 3.75) << period;
    auto& ratings = totals["ratings"].as_array();
    ASSERT_EQ(ratings.size(), 5u);
    EXPECT_EQ(ratings[0].as_object()["count"].as_int64(), 1) << period;
    EXPECT_EQ(ratings[3].as_object()["count"].as_int64(), 1) << period;
    EXPECT_EQ(ratings[4].as_object()["rating"].as_int64(), 5) << period;
    EXPECT_EQ(ratings[4].as_object()["count"].as_int64(), 2) << period;
  }
  EXPECT_TRUE(stats["this_month"].as_object().contains("since"));
  auto raw = client_->get("/api/v1/feedback/statistics").body;
  EXPECT_NE(raw.find("\"average\":3.75,"), std::string::npos) << raw;

  auto page = client_->get("/feedback/statistics?lang=en");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<caption>"), std::string::npos);
  EXPECT_NE(page.body.find("<th scope=\"row\">Very satisfied</th>"), std::string::npos);
  EXPECT_NE(page.body.find("<td class=\"numeric\">2</td>"), std::string::npos);
  EXPECT_NE(page.body.find("<td class=\"numeric\">4</td>"), std::string::npos);
  EXPECT_NE(page.body.find("3.8 out of 5"), std::string::npos);
  EXPECT_EQ(page.body.find("style="), std::string::npos) << "CSP forbids inline styles";
}

TEST_P(FeedbackIT, OnlyAdministratorsReadTheComments) {
  ASSERT_EQ(send_feedback(*client_, "2", "<b>หาแบบฟอร์มไม่เจอ</b>").status, 303);

  HttpClient anonymous(app_->port());
  auto to_login = anonymous.get("/feedback/comments");
  EXPECT_EQ(to_login.status, 303);
  EXPECT_EQ(to_login.header("Location"), "/login?next=%2Ffeedback%2Fcomments");

  auto applicant = logged_in(std::string(accounts::kDemoApplicantNationalId),
                             std::string(accounts::kDemoApplicantPassword));
  EXPECT_EQ(applicant->get("/feedback/comments").status, 403);

  auto admin =
      logged_in(std::string(accounts::kDemoAdminEmail), std::string(accounts::kDemoAdminPassword));
  auto comments = admin->get("/feedback/comments");
  ASSERT_EQ(comments.status, 200);
  EXPECT_NE(comments.body.find("&lt;b&gt;หาแบบฟอร์มไม่เจอ&lt;/b&gt;"), std::string::npos)
      << "the comment is shown, escaped";
  EXPECT_EQ(comments.body.find("<b>หาแบบฟอร์มไม่เจอ"), std::string::npos);
}

PRATU_INSTANTIATE_ENGINE_TESTS(FeedbackIT);

}  // namespace
}  // namespace pratu::test
