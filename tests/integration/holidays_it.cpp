// The administrators' page of the government holidays through the real server on both
// engines: a holiday the administrator adds is skipped by the next due date, and one removed
// counts again; what is wrong is shown again with what was typed; nobody else may open the page
// or change the holidays, a visitor is sent to log in, and a change without the form's CSRF token
// is refused.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "common/civil_date.hpp"
#include "domains/accounts/accounts_service.hpp"
#include "platform/holiday_file.hpp"
#include "support/applicants.hpp"
#include "support/test_app.hpp"
#include "web/dates.hpp"
#include "web/render.hpp"

namespace pratu::test {
namespace {

namespace chr = std::chrono;
namespace json = boost::json;

constexpr std::string_view kPage = "/admin/holidays";

class HolidaysIT : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto t = web::Translations::load(PRATU_SOURCE_DIR "/locales");
    ASSERT_TRUE(t) << t.error().detail;
    translations_ = std::make_unique<web::Translations>(std::move(*t));
    auto file =
        platform::load_holiday_file(PRATU_SOURCE_DIR "/datasets/holidays/th-government.yaml");
    ASSERT_TRUE(file) << file.error().detail;
    file_ = std::move(*file);
  }

  std::unique_ptr<HttpClient> admin() {
    return signed_in(app_->port(), std::string(accounts::kDemoAdminEmail),
                     std::string(accounts::kDemoAdminPassword));
  }

  // The demo applicant's company certificate (1 working day), submitted: its due date.
  std::string submitted_due_date(const std::string& token) {
    auto call = [&](const std::string& method, const std::string& target,
                    const json::value& body = nullptr) {
      return bearer_json(app_->port(), token, method, target, body);
    };
    auto created =
        call("POST", "/api/v1/applications", json::object{{"service", "company-certificate"}});
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id(json_object(created).at("id").as_string());
    EXPECT_EQ(call("PATCH", "/api/v1/applications/" + id,
                   json::object{{"answers", complete_company_certificate_answers()}})
                  .status,
              200);
    auto sent =
        bearer_request(app_->port(), token, "POST", "/api/v1/applications/" + id + "/submit", "",
                       {{"Idempotency-Key", "k-" + id}});
    EXPECT_EQ(sent.status, 201) << sent.body;
    const auto due = json_object(sent).if_contains("due_date");
    return due != nullptr && due->is_string() ? std::string(due->as_string()) : std::string();
  }

  // Today in Thailand, by the server's clock.
  static chr::year_month_day today() {
    return thai_date(
        chr::duration_cast<chr::seconds>(chr::system_clock::now().time_since_epoch()).count());
  }

  // The form's fields for a holiday on `day` with these names, the year in the Buddhist era
  // as a Thai page asks for it.
  static std::vector<std::pair<std::string, std::string>> holiday_form(chr::year_month_day day,
                                                                       const std::string& th,
                                                                       const std::string& en,
                                                                       const std::string& token) {
    return {{"csrf_token", token},
            {"date-day", std::to_string(static_cast<unsigned>(day.day()))},
            {"date-month", std::to_string(static_cast<unsigned>(day.month()))},
            {"date-year", std::to_string(static_cast<int>(day.year()) + 543)},
            {"name_th", th},
            {"name_en", en}};
  }

  std::unique_ptr<web::Translations> translations_;
  WorkingDayCalendar file_;
};

TEST_P(HolidaysIT, AHolidayTheAdminAddsIsSkippedByTheNextDueDateAndCountsAgainWhenRemoved) {
  // The next working day by the holiday file: where a 1-working-day limit ends today.
  auto due = file_.add_working_days(today(), 1);
  ASSERT_TRUE(due) << "the holiday file must cover the next working day: " << due.error().detail;
  const chr::year_month_day next_working_day = due->date;
  auto after = file_.add_working_days(next_working_day, 1);
  ASSERT_TRUE(after) << after.error().detail;

  const auto token = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  EXPECT_EQ(submitted_due_date(token), iso_date(next_working_day));

  auto browser = admin();
  auto page = browser->get(std::string(kPage));
  ASSERT_EQ(page.status, 200) << page.body;
  auto added = browser->post_form(
      std::string(kPage), holiday_form(next_working_day, "วันหยุดราชการพิเศษ", "Special holiday",
                                       extract_csrf_token(page.body)));
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_EQ(added.header("Location"), "/admin/holidays?done=added");
  auto shown = browser->get(added.header("Location"));
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("data-holiday=\"" + iso_date(next_working_day) + "\""),
            std::string::npos);
  EXPECT_NE(shown.body.find("วันหยุดราชการพิเศษ"), std::string::npos);
  const auto seconds =
      chr::duration_cast<chr::seconds>(chr::sys_days(next_working_day).time_since_epoch()).count();
  EXPECT_NE(shown.body.find(web::format_date(web::Locale::th, seconds)), std::string::npos)
      << "the date in the Buddhist era";

  // Counted at once: the next application's due date skips the new holiday.
  EXPECT_EQ(submitted_due_date(token), iso_date(after->date));

  auto removed = browser->post_form(
      "/admin/holidays/remove",
      {{"csrf_token", extract_csrf_token(shown.body)}, {"date", iso_date(next_working_day)}});
  ASSERT_EQ(removed.status, 303) << removed.body;
  EXPECT_EQ(removed.header("Location"), "/admin/holidays?done=removed");
  auto gone = browser->get(removed.header("Location"));
  EXPECT_EQ(gone.body.find("data-holiday=\"" + iso_date(next_working_day) + "\""),
            std::string::npos);
  EXPECT_EQ(submitted_due_date(token), iso_date(next_working_day));
}

TEST_P(HolidaysIT, WhatIsWrongIsShownAgainInThePersonsLanguageWithWhatWasTyped) {
  auto browser = admin();
  auto page = browser->get(std::string(kPage) + "?lang=en");
  ASSERT_EQ(page.status, 200);
  const int this_year = static_cast<int>(today().year());
  const chr::year_month_day too_late{chr::year(this_year + 2), chr::January, chr::day(5)};
  auto fields = holiday_form(too_late, "วันทดสอบ", "", extract_csrf_token(page.body));
  fields[3].second = std::to_string(this_year + 2);  // English: the Gregorian year
  auto refused = browser->post_form(std::string(kPage), fields);
  EXPECT_EQ(refused.status, 422);
  const auto expected = translations_->format(
      web::Locale::en, "applications.holidays.errors.date_outside",
      {{"this_year", std::to_string(this_year)}, {"next_year", std::to_string(this_year + 1)}});
  EXPECT_NE(refused.body.find(expected), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("Enter the holiday&#39;s name in English"), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"วันทดสอบ\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"" + std::to_string(this_year + 2) + "\""),
            std::string::npos);
  EXPECT_NE(refused.body.find("error-summary"), std::string::npos);

  // In Thai, the years in the Buddhist era.
  auto thai = browser->get(std::string(kPage) + "?lang=th");
  auto nothing =
      browser->post_form("/admin/holidays/remove", {{"csrf_token", extract_csrf_token(thai.body)}});
  EXPECT_EQ(nothing.status, 422);
  const auto remove_unknown =
      translations_->format(web::Locale::th, "applications.holidays.errors.remove_unknown",
                            {{"this_year", std::to_string(this_year + 543)},
                             {"next_year", std::to_string(this_year + 544)}});
  EXPECT_NE(nothing.body.find(remove_unknown), std::string::npos);
}

TEST_P(HolidaysIT, OnlyAdministratorsMayOpenThePageOrChangeTheHolidays) {
  auto applicant = signed_in_applicant(app_->port());
  auto officer = signed_in(app_->port(), accounts::demo_officer_email("dbd"),
                           std::string(accounts::kDemoOfficerPassword));
  auto supervisor = signed_in(app_->port(), accounts::demo_supervisor_email("dbd"),
                              std::string(accounts::kDemoOfficerPassword));
  for (auto* who : {applicant.get(), officer.get(), supervisor.get()}) {
    EXPECT_EQ(who->get(std::string(kPage)).status, 403);
    const auto token = extract_csrf_token(who->get("/account").body);
    const auto day = today();
    EXPECT_EQ(who->post_form(std::string(kPage), holiday_form(day, "ก", "A", token)).status, 403);
    EXPECT_EQ(
        who->post_form("/admin/holidays/remove", {{"csrf_token", token}, {"date", "2026-12-10"}})
            .status,
        403);
    EXPECT_EQ(who->post_form("/admin/holidays/year",
                             {{"csrf_token", token},
                              {"year", std::to_string(static_cast<int>(day.year()))},
                              {"provisional", "1"}})
                  .status,
              403);
    // Nor is the page offered to them on their account page.
    EXPECT_EQ(who->get("/account").body.find("href=\"/admin/holidays\""), std::string::npos);
  }
  // A visitor is sent to log in, and back.
  HttpClient visitor(app_->port());
  auto to_login = visitor.get(std::string(kPage));
  EXPECT_EQ(to_login.status, 303);
  EXPECT_EQ(to_login.header("Location"), "/login?next=%2Fadmin%2Fholidays");
  // The administrator finds it from their account page.
  auto browser = admin();
  EXPECT_NE(browser->get("/account").body.find("href=\"/admin/holidays\""), std::string::npos);
}

TEST_P(HolidaysIT, AChangeWithoutTheFormsTokenIsRefusedAndWhatWasTypedIsKept) {
  auto browser = admin();
  auto page = browser->get(std::string(kPage));
  ASSERT_EQ(page.status, 200);
  const auto day = file_.add_working_days(today(), 1);
  ASSERT_TRUE(day);
  auto fields = holiday_form(day->date, "วันไม่มีโทเค็น", "No token", "");
  fields.erase(fields.begin());  // no csrf_token
  auto refused = browser->post_form(std::string(kPage), fields);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("value=\"วันไม่มีโทเค็น\""), std::string::npos);
  auto wrong = browser->post_form("/admin/holidays/remove",
                                  {{"csrf_token", "not-the-token"}, {"date", "2026-12-10"}});
  EXPECT_EQ(wrong.status, 403);
  auto again = browser->get(std::string(kPage));
  EXPECT_EQ(again.body.find("data-holiday=\"" + iso_date(day->date) + "\""), std::string::npos);
  EXPECT_EQ(again.body.find("วันไม่มีโทเค็น"), std::string::npos);
}

PRATU_INSTANTIATE_ENGINE_TESTS(HolidaysIT);

}  // namespace
}  // namespace pratu::test
