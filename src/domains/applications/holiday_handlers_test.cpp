#include "domains/applications/holiday_handlers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "domains/applications/application_repository.hpp"
#include "domains/applications/applications_test_fixture.hpp"
#include "domains/applications/fake_service_directory.hpp"
#include "domains/applications/form_loader.hpp"
#include "domains/applications/workflow_loader.hpp"
#include "domains/applications/workflow_service.hpp"

namespace pratu::applications {
namespace {

namespace chr = std::chrono;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kForm = R"(pages:
  - id: premises
    title: {th: สถานที่, en: Premises}
    fields:
      - id: shop_name
        type: text
        label: {th: ชื่อร้าน, en: Shop name}
)";

// The agency asks the applicant for something once, and decides when it comes back.
constexpr std::string_view kWorkflow = R"(initial: submitted
states:
  - id: submitted
    label: {th: ยื่นแล้ว, en: Submitted}
    clock: running
  - id: information_requested
    label: {th: ขอข้อมูล, en: More information requested}
    clock: paused
  - id: resubmitted
    label: {th: ส่งใหม่, en: Resubmitted}
    clock: running
  - id: approved
    label: {th: อนุมัติ, en: Approved}
    terminal: true
transitions:
  - id: request_information
    label: {th: ขอ, en: Request}
    from: submitted
    to: information_requested
    by: officer
    requires: reason
  - id: resubmit
    label: {th: ส่ง, en: Send}
    from: information_requested
    to: resubmitted
    by: applicant
  - id: approve
    label: {th: อนุมัติ, en: Approve}
    from: resubmitted
    to: approved
    by: officer
)";

class FixedAssets final : public web::AssetUrls {
 public:
  std::string url(std::string_view path) const override { return "/static/" + std::string(path); }
};

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += "&";
    body += web::percent_encode(name) + "=" + web::percent_encode(value);
  }
  return body;
}

class HolidayHandlersTest : public testing::ApplicantsTest {
 protected:
  void SetUp() override {
    testing::ApplicantsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto t = web::Translations::load(PRATU_SOURCE_DIR "/locales");
    ASSERT_TRUE(t) << t.error().detail;
    translations_ = std::make_unique<web::Translations>(std::move(*t));
    auto r = web::Renderer::load(PRATU_SOURCE_DIR "/templates", *translations_, assets_);
    ASSERT_TRUE(r) << r.error().detail;
    renderer_ = std::move(*r);

    auto file =
        platform::read_holiday_file(PRATU_SOURCE_DIR "/datasets/holidays/th-government.yaml");
    ASSERT_TRUE(file) << file.error().detail;
    holidays_ = std::make_unique<HolidayService>(database(), clock_, calendar_);
    ASSERT_TRUE(holidays_->seed(*file));
    handlers_ = std::make_unique<HolidayHandlers>(*holidays_, *renderer_);

    platform::ServiceInfo shop;
    shop.slug = "shop";
    shop.agency = "bma";
    shop.name_th = "ร้าน";
    shop.name_en = "Shop";
    shop.time_limit_working_days = 15;
    shop.source_file = "services/bma/shop.yaml";
    directory_.services_.push_back(shop);
    auto form = parse_form(kForm, "services/bma/shop/form.yaml", shop);
    ASSERT_TRUE(form) << form.error().detail;
    forms_.emplace("shop", std::move(*form));
    auto workflow = parse_workflow(kWorkflow, "services/bma/shop/workflow.yaml", shop);
    ASSERT_TRUE(workflow) << workflow.error().detail;
    workflows_.emplace("shop", std::move(*workflow));
    // The same shared calendar the module gives every service.
    workflows_service_ = std::make_unique<WorkflowService>(database(), clock_, forms_, workflows_,
                                                           directory_, calendar_);
    ASSERT_TRUE(workflows_service_->record_versions());

    admin_ = {add_user_as("admin", "", "admin@pratu.example"), "A", web::Role::admin, "", ""};
    officer_ = {add_user_as("officer", "bma", "o@bma.example"), "O", web::Role::officer, "bma", ""};
  }

  std::int64_t add_user_as(const std::string& role, const std::string& agency,
                           const std::string& email) {
    auto id =
        database().write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(
              row,
              c.query_one("INSERT INTO users (role, agency_code, email, given_name, "
                          "password_hash, created_at, updated_at, password_changed_at) "
                          "VALUES ($1, $2, $3, 'Anong', 'x', 0, 0, 0) RETURNING id",
                          {role, agency.empty() ? storage::Value{nullptr} : storage::Value{agency},
                           email}));
          return row->int64(0);
        });
    EXPECT_TRUE(id) << id.error().detail;
    return id ? *id : 0;
  }

  web::Request get(const std::string& path) {
    web::Request request;
    request.method = "GET";
    auto target = web::parse_target(path);
    request.target = path;
    request.path = target->path;
    request.query = target->query;
    request.remote_address = "192.0.2.44";
    request.request_id = "req-test";
    return request;
  }

  web::Request post(const std::string& path,
                    const std::vector<std::pair<std::string, std::string>>& fields) {
    web::Request request = get(path);
    request.method = "POST";
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = form_body(fields);
    return request;
  }

  // What the middleware leaves for a handler: the administrator, in `locale`.
  web::RequestContext as_admin(web::Locale locale = web::Locale::th) {
    web::RequestContext context;
    context.request_id = "req-test";
    context.locale = locale;
    context.user = admin_;
    context.csrf_token = "token";
    return context;
  }

  web::Response answer(Result<web::Response> response) {
    if (response) return std::move(*response);
    ADD_FAILURE() << "handler failed: " << response.error().detail;
    return web::Response::text("", 500);
  }

  // An application of alice's to the shop, submitted today and due on `due`.
  Application submitted(const std::string& due) {
    Application a;
    a.public_id = "app-1";
    a.user_id = alice_;
    a.service = "shop";
    a.agency = "bma";
    a.form_version = forms_.at("shop").version;
    a.created_at = clock_.now_seconds();
    auto done =
        database().write_value<Application>([&](storage::Connection& c) -> Result<Application> {
          PRATU_TRY(id, repository::insert_application(c, a));
          a.id = id;
          a.submitted_at = a.created_at;
          a.state_since = a.created_at;
          a.reference = "BMA-2569-000001-K";
          a.workflow_version = workflows_.at("shop").version;
          a.state = "submitted";
          PRATU_CHECK(repository::mark_submitted(c, a));
          PRATU_CHECK(repository::set_due_date(c, a.id, due, false));
          return a;
        });
    EXPECT_TRUE(done) << done.error().detail;
    return done ? *done : a;
  }

  Result<Application> step(const web::Principal& who, const std::string& transition,
                           StepRequest request = {}) {
    PRATU_TRY(now, workflows_service_->find_for(who, "app-1"));
    request.transition = transition;
    request.revision = now.revision;
    return workflows_service_->take(who, "app-1", request);
  }

  FixedAssets assets_;
  std::unique_ptr<web::Translations> translations_;
  std::unique_ptr<web::Renderer> renderer_;
  SharedCalendar calendar_;
  std::unique_ptr<HolidayService> holidays_;
  std::unique_ptr<HolidayHandlers> handlers_;
  FakeDirectory directory_{PRATU_SOURCE_DIR "/services"};
  std::map<std::string, Form, std::less<>> forms_;
  Workflows workflows_;
  std::unique_ptr<WorkflowService> workflows_service_;
  web::Principal admin_, officer_;
};

TEST_P(HolidayHandlersTest, AHolidayTheAdminAddsIsSkippedByTheNextDueDateTheWorkflowWorksOut) {
  submitted("2026-12-23");
  // Asked on Wednesday 2 December 2026; answered on Wednesday the 9th: four working days waited
  // (Monday 7 December is a substitution holiday), so 23 December moves on four working days.
  ASSERT_TRUE(step(officer_, "request_information", StepRequest{{}, 0, "ขอแผนผัง", {}, 0}));

  // Meanwhile the administrator makes Thursday 24 December a holiday, in the Buddhist era.
  auto context = as_admin();
  auto added = answer(handlers_->add(post("/admin/holidays", {{"date-day", "24"},
                                                              {"date-month", "12"},
                                                              {"date-year", "2569"},
                                                              {"name_th", "วันหยุดพิเศษ"},
                                                              {"name_en", "Special holiday"}}),
                                     context));
  EXPECT_EQ(added.status, 303);
  EXPECT_EQ(added.header("Location"), "/admin/holidays?done=added");

  clock_.advance(chr::days(7));
  auto back = step(web::Principal{alice_, "", web::Role::applicant, "", ""}, "resubmit");
  ASSERT_TRUE(back) << back.error().detail;
  // Without the new holiday: Tuesday the 29th. With it, the 24th is skipped: Wednesday the 30th.
  EXPECT_EQ(back->due_date, "2026-12-30");

  // The page lists it, in the Buddhist era, with who added it.
  auto shown_context = as_admin();
  auto page = answer(handlers_->show(get("/admin/holidays?done=added"), shown_context));
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("24 ธันวาคม 2569"));
  EXPECT_THAT(page.body, HasSubstr("วันหยุดพิเศษ"));
  EXPECT_THAT(page.body, HasSubstr("data-holiday=\"2026-12-24\""));
  EXPECT_THAT(page.body, HasSubstr("เพิ่มวันหยุดแล้ว"));  // the banner
  EXPECT_THAT(page.body, HasSubstr("พ.ศ. 2569"));
  EXPECT_THAT(page.body, HasSubstr("พ.ศ. 2570"));
  EXPECT_THAT(page.body, HasSubstr("Anong"));
}

TEST_P(HolidayHandlersTest, ARemovedHolidayCountsAsAWorkingDayAgain) {
  auto context = as_admin(web::Locale::en);
  auto removed =
      answer(handlers_->remove(post("/admin/holidays/remove", {{"date", "2026-12-10"}}), context));
  EXPECT_EQ(removed.status, 303);
  EXPECT_EQ(removed.header("Location"), "/admin/holidays?done=removed");
  EXPECT_EQ(
      calendar_.is_working_day(chr::year_month_day{chr::year(2026), chr::December, chr::day(10)}),
      true);
  auto page_context = as_admin(web::Locale::en);
  auto page = answer(handlers_->show(get("/admin/holidays"), page_context));
  EXPECT_THAT(page.body, Not(HasSubstr("data-holiday=\"2026-12-10\"")));
  EXPECT_THAT(page.body, HasSubstr("Removed 10 December 2026: Constitution Day"));
}

TEST_P(HolidayHandlersTest, WhatIsWrongIsShownAgainWithWhatWasTyped) {
  auto context = as_admin(web::Locale::en);
  auto outside = answer(handlers_->add(post("/admin/holidays", {{"date-day", "3"},
                                                                {"date-month", "1"},
                                                                {"date-year", "2028"},
                                                                {"name_th", "วันทดสอบ"},
                                                                {"name_en", ""}}),
                                       context));
  EXPECT_EQ(outside.status, 422);
  EXPECT_THAT(outside.body, HasSubstr("Enter a date in 2026 or 2027"));
  EXPECT_THAT(outside.body, HasSubstr("Enter the holiday&#39;s name in English"));
  EXPECT_THAT(outside.body, HasSubstr("value=\"วันทดสอบ\""));
  EXPECT_THAT(outside.body, HasSubstr("value=\"2028\""));

  auto th = as_admin();
  auto not_a_date = answer(handlers_->add(post("/admin/holidays", {{"date-day", "30"},
                                                                   {"date-month", "2"},
                                                                   {"date-year", "2570"},
                                                                   {"name_th", "ก"},
                                                                   {"name_en", "A"}}),
                                          th));
  EXPECT_EQ(not_a_date.status, 422);
  EXPECT_THAT(not_a_date.body,
              HasSubstr(translations_->text(web::Locale::th, "errors.date.not_a_date")));
  EXPECT_THAT(not_a_date.body, HasSubstr("value=\"30\""));

  auto taken_context = as_admin(web::Locale::en);
  auto taken = answer(handlers_->add(post("/admin/holidays", {{"date-day", "10"},
                                                              {"date-month", "12"},
                                                              {"date-year", "2026"},
                                                              {"name_th", "ซ้ำ"},
                                                              {"name_en", std::string(101, 'x')}}),
                                     taken_context));
  EXPECT_EQ(taken.status, 422);
  EXPECT_THAT(taken.body, HasSubstr("Enter the English name in 100 characters or fewer"));
  // Only when the names are right is the date looked up.
  auto taken_again = answer(handlers_->add(post("/admin/holidays", {{"date-day", "10"},
                                                                    {"date-month", "12"},
                                                                    {"date-year", "2026"},
                                                                    {"name_th", "ซ้ำ"},
                                                                    {"name_en", "Again"}}),
                                           taken_context));
  EXPECT_EQ(taken_again.status, 422);
  EXPECT_THAT(taken_again.body, HasSubstr("This date is already a holiday"));
  EXPECT_THAT(taken_again.body, HasSubstr("value=\"Again\""));

  auto nothing_context = as_admin(web::Locale::en);
  auto nothing = answer(handlers_->remove(post("/admin/holidays/remove", {}), nothing_context));
  EXPECT_EQ(nothing.status, 422);
  EXPECT_THAT(nothing.body, HasSubstr("Choose a holiday of 2026 or 2027 to remove"));
  auto no_year = answer(handlers_->mark_year(
      post("/admin/holidays/year", {{"year", "2030"}, {"provisional", "0"}}), nothing_context));
  EXPECT_EQ(no_year.status, 422);
  EXPECT_THAT(no_year.body, HasSubstr("Choose 2026 or 2027 to mark"));
}

TEST_P(HolidayHandlersTest, AYearMarkedAnnouncedSaysSo) {
  auto context = as_admin(web::Locale::en);
  auto before = answer(handlers_->show(get("/admin/holidays"), context));
  EXPECT_THAT(before.body, HasSubstr("Mark 2027 as announced"));
  auto marked = answer(handlers_->mark_year(
      post("/admin/holidays/year", {{"year", "2027"}, {"provisional", "0"}}), context));
  EXPECT_EQ(marked.status, 303);
  auto after_context = as_admin(web::Locale::en);
  auto after = answer(handlers_->show(get("/admin/holidays"), after_context));
  EXPECT_THAT(after.body, HasSubstr("Mark 2027 as provisional"));
  EXPECT_THAT(after.body, HasSubstr("Marked 2027 as announced"));
}

TEST_P(HolidayHandlersTest, EveryRouteIsForAdministratorsOnly) {
  for (const auto& route : handlers_->routes()) {
    EXPECT_EQ(route.access, web::Access::admin) << route.method << " " << route.pattern;
    EXPECT_EQ(route.surface, web::Surface::page);
  }
}

PRATU_INSTANTIATE_ENGINE_TESTS(HolidayHandlersTest);

}  // namespace
}  // namespace pratu::applications
