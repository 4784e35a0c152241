#include "domains/applications/dashboard.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <numeric>

#include "common/civil_date.hpp"
#include "domains/applications/applications_test_fixture.hpp"
#include "domains/applications/fake_service_directory.hpp"
#include "domains/applications/workflow_loader.hpp"
#include "platform/holiday_file.hpp"

namespace pratu::applications {
namespace {

using namespace std::chrono_literals;
using std::chrono::year_month_day;

constexpr std::string_view kWorkflow = R"(initial: submitted
states:
  - id: submitted
    label: {th: ยื่นแล้ว, en: Submitted}
    clock: running
  - id: in_review
    label: {th: พิจารณา, en: In review}
    clock: running
  - id: information_requested
    label: {th: ขอข้อมูล, en: More information requested}
    clock: paused
  - id: approved
    label: {th: อนุมัติ, en: Approved}
    terminal: true
  - id: rejected
    label: {th: ไม่อนุมัติ, en: Rejected}
    terminal: true
transitions:
  - id: start_review
    label: {th: เริ่ม, en: Start}
    from: submitted
    to: in_review
    by: officer
  - id: request_information
    label: {th: ขอ, en: Request}
    from: in_review
    to: information_requested
    by: officer
  - id: resubmit
    label: {th: ส่ง, en: Send}
    from: information_requested
    to: in_review
    by: applicant
  - id: approve
    label: {th: อนุมัติ, en: Approve}
    from: in_review
    to: approved
    by: officer
  - id: reject
    label: {th: ไม่อนุมัติ, en: Reject}
    from: in_review
    to: rejected
    by: officer
)";

platform::ServiceInfo service_info(std::string slug, std::string agency) {
  platform::ServiceInfo info;
  info.slug = std::move(slug);
  info.agency = std::move(agency);
  info.name_th = info.slug;
  info.name_en = info.slug;
  info.time_limit_working_days = 15;
  info.source_file = "services/" + info.agency + "/" + info.slug + ".yaml";
  return info;
}

// Unix seconds at `hour`:`minute` on `day` in Thailand (UTC+7).
std::int64_t thai(year_month_day day, int hour, int minute = 0) {
  const auto midnight = std::chrono::sys_days(day).time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(midnight).count() - 7 * 3600 +
         hour * 3600 + minute * 60;
}

constexpr year_month_day kToday = 2026y / 12 / 15;  // a Tuesday

class DashboardTest : public testing::ApplicantsTest {
 protected:
  void SetUp() override {
    testing::ApplicantsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // Two services of the BMA's and one of another agency, which the BMA never sees.
    directory_.services_.push_back(service_info("shop", "bma"));
    directory_.services_.push_back(service_info("sign", "bma"));
    directory_.services_.push_back(service_info("permit", "dbd"));
    for (const auto& info : directory_.services_) {
      auto workflow = parse_workflow(kWorkflow, info.source_file, info);
      ASSERT_TRUE(workflow) << workflow.error().detail;
      workflows_.emplace(info.slug, std::move(*workflow));
    }
    workflow_service_ =
        std::make_unique<WorkflowService>(database(), clock_, forms_, workflows_, directory_);
    auto calendar =
        platform::load_holiday_file(PRATU_SOURCE_DIR "/datasets/holidays/th-government.yaml");
    ASSERT_TRUE(calendar) << calendar.error().detail;
    calendar_.replace(std::move(*calendar));
    dashboard_ = std::make_unique<Dashboard>(database(), *workflow_service_, directory_, calendar_);
    officer_ = add_officer("Somchai", "Jaidee");
  }

  std::int64_t add_officer(const std::string& given, const std::string& family) {
    auto id =
        database().write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(row, c.query_one("INSERT INTO users (role, agency_code, email, given_name, "
                                     "family_name, password_hash, created_at, updated_at, "
                                     "password_changed_at) "
                                     "VALUES ('officer', 'bma', $1, $2, $3, 'x', 0, 0, 0) "
                                     "RETURNING id",
                                     {given + "@bma.example", given, family}));
          return row->int64(0);
        });
    EXPECT_TRUE(id) << id.error().detail;
    return id ? *id : 0;
  }

  // A submitted application of alice's, in `state` since it was submitted.
  std::int64_t add(const std::string& service, const std::string& state, std::int64_t submitted_at,
                   const std::string& due_date, std::int64_t assigned_to = 0) {
    const auto* info = directory_.service(service);
    const std::string n = std::to_string(++made_);
    auto id =
        database().write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(
              row,
              c.query_one(
                  "INSERT INTO applications (public_id, user_id, service, agency, form_version, "
                  "status, answers, revision, created_at, updated_at, submitted_at, reference, "
                  "due_date, workflow_version, state, state_since, assigned_to) "
                  "VALUES ($1, $2, $3, $4, 'sha256:f', 'submitted', '{}', 1, $5, $5, $5, $6, $7, "
                  "$8, $9, $5, $10) RETURNING id",
                  {"app-" + n, alice_, service, info->agency, submitted_at, "BMA-2569-" + n + "-K",
                   due_date, workflows_.at(service).version, state,
                   assigned_to == 0 ? storage::Value{nullptr} : storage::Value{assigned_to}}));
          PRATU_CHECK(
              c.execute("INSERT INTO application_events (application_id, at, kind) "
                        "VALUES ($1, $2, 'submitted')",
                        {row->int64(0), submitted_at}));
          return row->int64(0);
        });
    EXPECT_TRUE(id) << id.error().detail;
    return id ? *id : 0;
  }

  // The steps of an application decided at `decided_at`: reviewed, then `decision`.
  void decide(std::int64_t id, std::int64_t decided_at, const std::string& decision) {
    auto done = database().write([&](storage::Connection& c) -> Result<void> {
      auto step = [&](std::int64_t at, const std::string& from, const std::string& to) {
        return c.execute(
            "INSERT INTO application_events (application_id, at, kind, transition, from_state, "
            "to_state) VALUES ($1, $2, 'transition', $3, $4, $5)",
            {id, at, to == "in_review" ? std::string("start_review") : to, from, to});
      };
      PRATU_CHECK(step(decided_at - 3600, "submitted", "in_review"));
      PRATU_CHECK(step(decided_at, "in_review", decision));
      return ok();
    });
    ASSERT_TRUE(done) << done.error().detail;
  }

  // A decided application of `service`: submitted at `submitted_at`, `decision` at `decided_at`.
  void decided(const std::string& service, std::int64_t submitted_at, std::int64_t decided_at,
               const std::string& decision = "approved") {
    // Its due date passed long ago: a decided application is never overdue.
    decide(add(service, decision, submitted_at, "2026-11-01"), decided_at, decision);
  }

  // The data set the tests read: see each line.
  void add_the_data_set() {
    // Open now.
    add("shop", "submitted", thai(2026y / 12 / 14, 10), "2026-12-20");
    overdue_late_ = add("shop", "in_review", thai(2026y / 11 / 20, 9), "2026-12-10", officer_);
    overdue_first_ = add("sign", "in_review", thai(2026y / 11 / 10, 9), "2026-12-01");
    add("sign", "information_requested", thai(2026y / 12 / 1, 9), "2026-12-15");  // due today
    add("shop", "submitted", thai(2026y / 12 / 15, 0, 10), "");   // no due date; 14 Dec in UTC
    add("sign", "submitted", thai(2026y / 11 / 15, 23, 30), "");  // the day before the 30
    // A draft is not an application yet.
    ASSERT_TRUE(database().write([&](storage::Connection& c) -> Result<void> {
      PRATU_CHECK(
          c.execute("INSERT INTO applications (public_id, user_id, service, agency, "
                    "form_version, status, answers, revision, created_at, updated_at) "
                    "VALUES ('draft-1', $1, 'shop', 'bma', 'sha256:f', 'draft', '{}', 0, "
                    "$2, $2)",
                    {alice_, thai(2026y / 12 / 14, 9)}));
      return ok();
    }));

    // Decided this month. Shop: 1, 2 and 3 working days (median 2).
    // Fri 4 Dec → Tue 8 Dec: Sat 5 (Father's Day), Sun 6, Mon 7 (its substitute) do not count.
    decided("shop", thai(2026y / 12 / 4, 9), thai(2026y / 12 / 8, 15));
    // Wed 9 Dec → Mon 14 Dec: Thu 10 (Constitution Day) and the weekend do not count.
    decided("shop", thai(2026y / 12 / 9, 9), thai(2026y / 12 / 14, 11), "rejected");
    // Thu 26 Nov → Tue 1 Dec 00:30 in Thailand (30 November in UTC): Fri 27, Mon 30, Tue 1.
    decided("shop", thai(2026y / 11 / 26, 10), thai(2026y / 12 / 1, 0, 30));
    // Sign: 3 and 0 working days (median 1.5).
    decided("sign", thai(2026y / 12 / 3, 9), thai(2026y / 12 / 9, 16));
    decided("sign", thai(2026y / 12 / 14, 8), thai(2026y / 12 / 14, 16));

    // Decided last month. Shop: 6, 4 and 2 working days (median 4); sign: none.
    // Thu 22 Oct → Mon 2 Nov: Fri 23 Oct (King Chulalongkorn Memorial Day) does not count.
    decided("shop", thai(2026y / 10 / 22, 9), thai(2026y / 11 / 2, 10));
    decided("shop", thai(2026y / 11 / 16, 9), thai(2026y / 11 / 20, 10), "rejected");
    decided("shop", thai(2026y / 11 / 23, 9), thai(2026y / 11 / 25, 10));
    // Decided in October: in neither month.
    decided("shop", thai(2026y / 10 / 26, 9), thai(2026y / 10 / 30, 10));
    // 23:30 on 30 November in Thailand: last month, though 1 December is near.
    decided("sign", thai(2026y / 11 / 30, 9), thai(2026y / 11 / 30, 23, 30));

    // Another agency's, open, overdue and decided: none of them counts for the BMA.
    add("permit", "in_review", thai(2026y / 11 / 1, 9), "2026-11-15");
    decided("permit", thai(2026y / 12 / 8, 9), thai(2026y / 12 / 10, 9));
  }

  static std::map<std::string, std::int64_t> counts(const std::vector<StateCount>& states) {
    std::map<std::string, std::int64_t> out;
    for (const auto& s : states) out[s.state] = s.count;
    return out;
  }

  FakeDirectory directory_{"services"};
  std::map<std::string, Form, std::less<>> forms_;
  Workflows workflows_;
  std::unique_ptr<WorkflowService> workflow_service_;
  SharedCalendar calendar_;
  std::unique_ptr<Dashboard> dashboard_;
  std::int64_t officer_ = 0, overdue_first_ = 0, overdue_late_ = 0;
  int made_ = 0;
};

TEST_P(DashboardTest, CountsOpenApplicationsByStateAndThisMonthsDecisionsApart) {
  add_the_data_set();
  auto f = dashboard_->figures("bma", kToday);
  ASSERT_TRUE(f) << f.error().detail;
  // Every open state of the workflows, in their order, with none left out at zero.
  std::vector<std::string> order;
  for (const auto& s : f->open) order.push_back(s.state);
  EXPECT_THAT(order, ::testing::ElementsAre("submitted", "in_review", "information_requested"));
  EXPECT_EQ(counts(f->open),
            (std::map<std::string, std::int64_t>{
                {"submitted", 3}, {"in_review", 2}, {"information_requested", 1}}));
  ASSERT_NE(f->open.front().definition, nullptr);
  EXPECT_EQ(f->open.front().definition->label.en, "Submitted");
  // Entered a final state from 1 December, 00:00 in Thailand.
  EXPECT_EQ(counts(f->decided_this_month),
            (std::map<std::string, std::int64_t>{{"approved", 4}, {"rejected", 1}}));
  EXPECT_EQ(f->this_month, 2026y / 12 / 1);
  EXPECT_EQ(f->last_month, 2026y / 11 / 1);
}

TEST_P(DashboardTest, ListsOverdueApplicationsTheMostOverdueFirstWithWhoHasThem) {
  add_the_data_set();
  auto f = dashboard_->figures("bma", kToday);
  ASSERT_TRUE(f) << f.error().detail;
  // Due before today and not decided: not the one due today, nor those without a due date.
  EXPECT_EQ(f->overdue, 2);
  ASSERT_EQ(f->most_overdue.size(), 2u);
  EXPECT_EQ(f->most_overdue[0].public_id, "app-" + std::to_string(overdue_first_));
  EXPECT_EQ(f->most_overdue[0].due_date, "2026-12-01");
  EXPECT_EQ(f->most_overdue[0].service, "sign");
  EXPECT_EQ(f->most_overdue[0].state, "in_review");
  EXPECT_EQ(f->most_overdue[0].assigned_to, 0);
  EXPECT_EQ(f->most_overdue[1].reference, "BMA-2569-" + std::to_string(overdue_late_) + "-K");
  EXPECT_EQ(f->most_overdue[1].assigned_to, officer_);
  EXPECT_EQ(f->most_overdue[1].assignee, "Somchai Jaidee");
}

TEST_P(DashboardTest, ListsTwentyOverdueApplicationsAndCountsThemAll) {
  for (int i = 0; i < 25; ++i) {
    add("shop", "in_review", thai(2026y / 11 / 2, 9), "2026-11-03");
  }
  add("shop", "in_review", thai(2026y / 11 / 1, 9), "2026-10-30");
  auto f = dashboard_->figures("bma", kToday);
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(f->overdue, 26);
  ASSERT_EQ(f->most_overdue.size(), static_cast<std::size_t>(Dashboard::kMostOverdue));
  EXPECT_EQ(f->most_overdue.front().due_date, "2026-10-30");
}

TEST_P(DashboardTest, MediansCountWorkingDaysPastWeekendsAndHolidaysThisMonthAgainstLast) {
  add_the_data_set();
  auto f = dashboard_->figures("bma", kToday);
  ASSERT_TRUE(f) << f.error().detail;
  ASSERT_EQ(f->medians.size(), 2u);  // the BMA's services, not the other agency's
  const ServiceMedian& shop = f->medians[0];
  const ServiceMedian& sign = f->medians[1];
  EXPECT_EQ(shop.service, "shop");
  EXPECT_EQ(shop.this_month.decided, 3);
  EXPECT_EQ(shop.this_month.median, 2.0);
  EXPECT_EQ(shop.last_month.decided, 3);
  EXPECT_EQ(shop.last_month.median, 4.0);
  EXPECT_EQ(sign.service, "sign");
  EXPECT_EQ(sign.this_month.decided, 2);
  EXPECT_EQ(sign.this_month.median, 1.5);
  EXPECT_EQ(sign.last_month.decided, 1);
  EXPECT_EQ(sign.last_month.median, 0.0);
}

TEST_P(DashboardTest, CountsSubmissionsPerDayInThailandOverTheLastThirtyDays) {
  add_the_data_set();
  auto f = dashboard_->figures("bma", kToday);
  ASSERT_TRUE(f) << f.error().detail;
  ASSERT_EQ(f->received.size(), 30u);
  EXPECT_EQ(f->received.front().day, 2026y / 11 / 16);
  EXPECT_EQ(f->received.back().day, kToday);
  std::map<year_month_day, std::int64_t> by_day;
  for (const auto& d : f->received) by_day[d.day] = d.count;
  EXPECT_EQ(by_day[2026y / 11 / 16], 1);  // decided last month, submitted on the first day
  EXPECT_EQ(by_day[2026y / 11 / 30], 1);
  EXPECT_EQ(by_day[2026y / 12 / 14], 2);  // not the draft, nor the one at 00:10 on the 15th
  EXPECT_EQ(by_day[kToday], 1);
  EXPECT_EQ(by_day[2026y / 12 / 8], 0);  // the other agency's
  const auto total = std::accumulate(f->received.begin(), f->received.end(), std::int64_t{0},
                                     [](std::int64_t n, const DayCount& d) { return n + d.count; });
  EXPECT_EQ(total, 12);
}

TEST_P(DashboardTest, AnAgencyWithNothingYetGetsZeros) {
  auto f = dashboard_->figures("bma", kToday);
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(counts(f->open),
            (std::map<std::string, std::int64_t>{
                {"submitted", 0}, {"in_review", 0}, {"information_requested", 0}}));
  EXPECT_EQ(f->overdue, 0);
  EXPECT_TRUE(f->most_overdue.empty());
  ASSERT_EQ(f->medians.size(), 2u);
  EXPECT_EQ(f->medians[0].this_month.median, std::nullopt);
  EXPECT_EQ(f->medians[0].last_month.decided, 0);
  EXPECT_EQ(f->received.size(), 30u);
  auto none = dashboard_->figures("nobody", kToday);
  ASSERT_TRUE(none) << none.error().detail;
  EXPECT_TRUE(none->open.empty());
  EXPECT_TRUE(none->medians.empty());
}

TEST(DashboardMedian, OfAnEvenNumberIsTheMeanOfTheMiddleTwo) {
  EXPECT_EQ(median_of({}), std::nullopt);
  EXPECT_EQ(median_of({7}), 7.0);
  EXPECT_EQ(median_of({5, 1, 3}), 3.0);
  EXPECT_EQ(median_of({4, 1, 2, 9}), 3.0);
  EXPECT_EQ(median_of({0, 3}), 1.5);
}

PRATU_INSTANTIATE_ENGINE_TESTS(DashboardTest);

}  // namespace
}  // namespace pratu::applications
