#include "domains/applications/workflow_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <atomic>
#include <thread>

#include "crypto/secure_random.hpp"
#include "domains/applications/application_repository.hpp"
#include "domains/applications/application_service.hpp"
#include "domains/applications/applications_test_fixture.hpp"
#include "domains/applications/fake_service_directory.hpp"
#include "domains/applications/form_loader.hpp"
#include "domains/applications/workflow_loader.hpp"
#include "platform/holiday_file.hpp"

namespace pratu::applications {
namespace {

using ::testing::ElementsAre;

constexpr std::string_view kForm = R"(pages:
  - id: premises
    title: {th: สถานที่, en: Premises}
    fields:
      - id: shop_name
        type: text
        label: {th: ชื่อร้าน, en: Shop name}
        max_length: 40
      - id: plan
        type: document
        document: plan
        label: {th: แผนผัง, en: Plan}
)";

// The default shape, with a supervisor's sign-off on approval.
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
  - id: resubmitted
    label: {th: ส่งใหม่, en: Resubmitted}
    clock: running
  - id: recommended
    label: {th: รอลงนาม, en: Awaiting sign-off}
    clock: running
  - id: approved
    label: {th: อนุมัติ, en: Approved}
    terminal: true
  - id: rejected
    label: {th: ไม่อนุมัติ, en: Rejected}
    terminal: true
transitions:
  - id: start_review
    label: {th: เริ่ม, en: Start}
    from: [submitted, resubmitted]
    to: in_review
    by: officer
  - id: request_information
    label: {th: ขอ, en: Request}
    from: in_review
    to: information_requested
    by: officer
    requires: [reason, items]
    max_times: 1
  - id: resubmit
    label: {th: ส่ง, en: Send}
    from: information_requested
    to: resubmitted
    by: applicant
  - id: recommend
    label: {th: เสนอ, en: Recommend}
    from: in_review
    to: recommended
    by: officer
    checklist:
      - {th: ครบ, en: Complete}
      - {th: ถูกต้อง, en: Correct}
  - id: approve
    label: {th: อนุมัติ, en: Approve}
    from: recommended
    to: approved
    by: supervisor
  - id: reject
    label: {th: ไม่อนุมัติ, en: Reject}
    from: in_review
    to: rejected
    by: officer
    requires: reason
)";

platform::ServiceInfo shop() {
  platform::ServiceInfo info;
  info.slug = "shop";
  info.agency = "bma";
  info.name_th = "ร้าน";
  info.name_en = "Shop";
  info.time_limit_working_days = 15;
  info.source_file = "services/bma/shop.yaml";
  info.documents = {{"plan", "แผนผัง", "Plan", false}};
  return info;
}

class WorkflowServiceTest : public testing::ApplicantsTest {
 protected:
  void SetUp() override {
    testing::ApplicantsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    directory_.services_.push_back(shop());
    auto form = parse_form(kForm, "services/bma/shop/form.yaml", directory_.services_.front());
    ASSERT_TRUE(form) << form.error().detail;
    forms_.emplace("shop", std::move(*form));
    auto workflow =
        parse_workflow(kWorkflow, "services/bma/shop/workflow.yaml", directory_.services_.front());
    ASSERT_TRUE(workflow) << workflow.error().detail;
    workflows_.emplace("shop", std::move(*workflow));
    service_ =
        std::make_unique<WorkflowService>(database(), clock_, forms_, workflows_, directory_);
    ASSERT_TRUE(service_->record_versions());

    alice_as_ = {alice_, "Alice", web::Role::applicant, "", ""};
    bob_as_ = {bob_, "Bob", web::Role::applicant, "", ""};
    officer_ = {add_staff("officer", "bma", "o1@bma.example"), "O1", web::Role::officer, "bma", ""};
    colleague_ = {add_staff("officer", "bma", "o2@bma.example"), "O2", web::Role::officer, "bma",
                  ""};
    stranger_ = {add_staff("officer", "dbd", "o@dbd.example"), "D", web::Role::officer, "dbd", ""};
    supervisor_ = {add_staff("supervisor", "bma", "s@bma.example"), "S", web::Role::supervisor,
                   "bma", ""};
    admin_ = {add_staff("admin", "", "a@pratu.example"), "A", web::Role::admin, "", ""};
  }

  std::int64_t add_staff(const std::string& role, const std::string& agency,
                         const std::string& email) {
    auto id =
        database().write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(
              row,
              c.query_one("INSERT INTO users (role, agency_code, email, password_hash, "
                          "created_at, updated_at, password_changed_at) "
                          "VALUES ($1, $2, $3, 'x', 0, 0, 0) RETURNING id",
                          {role, agency.empty() ? storage::Value{nullptr} : storage::Value{agency},
                           email}));
          return row->int64(0);
        });
    EXPECT_TRUE(id) << id.error().detail;
    return id ? *id : 0;
  }

  // An application of alice's, submitted and in the workflow's first state.
  Application submitted(std::int64_t user_id, boost::json::object answers = {}) {
    Application a;
    a.answers = std::move(answers);
    a.public_id = "app-" + std::to_string(++made_);
    a.user_id = user_id;
    a.service = "shop";
    a.agency = "bma";
    a.form_version = forms_.at("shop").version;
    a.created_at = clock_.now_seconds();
    auto done =
        database().write_value<Application>([&](storage::Connection& c) -> Result<Application> {
          PRATU_TRY(id, repository::insert_application(c, a));
          a.id = id;
          a.submitted_at = a.created_at;
          a.reference = "BMA-2569-00000" + std::to_string(made_) + "-K";
          a.workflow_version = workflows_.at("shop").version;
          a.state = "submitted";
          PRATU_CHECK(repository::mark_submitted(c, a));
          return a;
        });
    EXPECT_TRUE(done) << done.error().detail;
    auto found =
        service_->find_for(web::Principal{user_id, "", web::Role::applicant, "", ""}, a.public_id);
    EXPECT_TRUE(found) << found.error().detail;
    return found ? *found : a;
  }

  Result<Application> take(const web::Principal& who, const Application& a, std::string step,
                           StepRequest request = {}) {
    request.transition = std::move(step);
    if (request.revision == 0) request.revision = a.revision;
    return service_->take(who, a.public_id, request);
  }

  std::vector<std::string> step_ids(const web::Principal& who, const Application& a) {
    auto workflow = service_->workflow_of(a);
    EXPECT_TRUE(workflow);
    std::vector<std::string> out;
    if (!workflow) return out;
    for (const Transition* t : service_->steps_for(who, a, **workflow)) out.push_back(t->id);
    return out;
  }

  std::int64_t outbox_rows(std::string_view topic) {
    auto n =
        database().read_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM outbox WHERE topic = $1",
                                     {std::string(topic)}));
          return row->int64(0);
        });
    return n ? *n : -1;
  }

  FakeDirectory directory_{"services"};
  std::map<std::string, Form, std::less<>> forms_;
  Workflows workflows_;
  std::unique_ptr<WorkflowService> service_;
  web::Principal alice_as_, bob_as_, officer_, colleague_, stranger_, supervisor_, admin_;
  int made_ = 0;
};

TEST_P(WorkflowServiceTest, AnApplicationTravelsFromSubmissionToADecision) {
  Application a = submitted(alice_);
  EXPECT_EQ(a.state, "submitted");
  EXPECT_THAT(step_ids(officer_, a), ElementsAre("start_review"));
  EXPECT_TRUE(step_ids(alice_as_, a).empty());

  auto reviewing = take(officer_, a, "start_review");
  ASSERT_TRUE(reviewing) << reviewing.error().detail;
  EXPECT_EQ(reviewing->state, "in_review");
  EXPECT_EQ(reviewing->revision, a.revision + 1);
  EXPECT_THAT(step_ids(officer_, *reviewing),
              ElementsAre("request_information", "recommend", "reject"));

  StepRequest ask;
  ask.reason = "  แผนผังไม่ชัด  ";
  ask.items = {"plan", "plan"};
  auto asked = take(officer_, *reviewing, "request_information", ask);
  ASSERT_TRUE(asked) << asked.error().detail;
  EXPECT_EQ(asked->state, "information_requested");
  // Now it is the applicant's move, and theirs alone.
  EXPECT_THAT(step_ids(alice_as_, *asked), ElementsAre("resubmit"));
  EXPECT_TRUE(step_ids(officer_, *asked).empty());

  auto resent = take(alice_as_, *asked, "resubmit");
  ASSERT_TRUE(resent) << resent.error().detail;
  auto again = take(officer_, *resent, "start_review");
  ASSERT_TRUE(again) << again.error().detail;
  StepRequest checked;
  checked.confirmed = 2;
  auto recommended = take(officer_, *again, "recommend", checked);
  ASSERT_TRUE(recommended) << recommended.error().detail;
  // Signing is the supervisor's: the officer who recommended cannot approve.
  EXPECT_TRUE(step_ids(officer_, *recommended).empty());
  EXPECT_EQ(take(officer_, *recommended, "approve").error().code, ErrorCode::forbidden);
  auto approved = take(supervisor_, *recommended, "approve");
  ASSERT_TRUE(approved) << approved.error().detail;
  EXPECT_EQ(approved->state, "approved");
  EXPECT_TRUE(step_ids(supervisor_, *approved).empty());

  // The timeline holds every step, with who (by role) and why; the applicant is told of each.
  auto timeline = database().read_value<std::vector<TimelineEvent>>(
      [&](storage::Connection& c) { return repository::events(c, a.id); });
  ASSERT_TRUE(timeline) << timeline.error().detail;
  std::vector<std::string> steps;
  for (const auto& e : *timeline) steps.push_back(e.kind == "transition" ? e.transition : e.kind);
  EXPECT_THAT(steps, ElementsAre("start_review", "request_information", "resubmit", "start_review",
                                 "recommend", "approve"));
  const TimelineEvent& request = (*timeline)[1];
  EXPECT_EQ(request.from_state, "in_review");
  EXPECT_EQ(request.to_state, "information_requested");
  EXPECT_EQ(request.actor_role, "officer");
  EXPECT_EQ(request.actor_user_id, officer_.user_id);
  EXPECT_EQ(request.reason, "แผนผังไม่ชัด");                               // trimmed
  EXPECT_EQ(request.detail.at("items"), (boost::json::array{"plan"}));  // once
  EXPECT_EQ((*timeline)[2].actor_role, "applicant");
  EXPECT_EQ((*timeline)[4].detail.at("checklist").as_int64(), 2);
  EXPECT_EQ(outbox_rows("applications.step_taken"), 6);
}

TEST_P(WorkflowServiceTest, NobodyButTheApplicantAndTheAgencySeesAnApplication) {
  Application a = submitted(alice_);
  EXPECT_TRUE(service_->find_for(alice_as_, a.public_id));
  EXPECT_TRUE(service_->find_for(officer_, a.public_id));
  EXPECT_TRUE(service_->find_for(supervisor_, a.public_id));
  for (const auto* who : {&bob_as_, &stranger_, &admin_}) {
    auto seen = service_->find_for(*who, a.public_id);
    ASSERT_FALSE(seen) << who->display_name;
    EXPECT_EQ(seen.error().code, ErrorCode::not_found) << who->display_name;
    // Acting on it is the same: not found, never "forbidden", which would tell it exists.
    EXPECT_EQ(take(*who, a, "start_review").error().code, ErrorCode::not_found);
  }
  EXPECT_EQ(service_->find_for(officer_, "no-such-application").error().code, ErrorCode::not_found);
  // The applicant cannot take the agency's steps on their own application.
  EXPECT_EQ(take(alice_as_, a, "start_review").error().code, ErrorCode::forbidden);
}

TEST_P(WorkflowServiceTest, AStepTheApplicationIsNotAtOrThatIsUnknownIsRefused) {
  Application a = submitted(alice_);
  auto early = take(officer_, a, "reject", StepRequest{{}, 0, "ไม่ครบ", {}, 0});
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().message_key, "applications.errors.step_not_now");
  EXPECT_EQ(early.error().code, ErrorCode::conflict);
  auto unknown = take(officer_, a, "escalate");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message_key, "applications.errors.step_unknown");
}

TEST_P(WorkflowServiceTest, AStepGetsWhatItRequiresOrSaysWhatIsMissing) {
  Application a = submitted(alice_);
  auto reviewing = take(officer_, a, "start_review");
  ASSERT_TRUE(reviewing);
  auto bare = take(officer_, *reviewing, "request_information");
  ASSERT_FALSE(bare);
  ASSERT_EQ(bare.error().fields.size(), 2u);
  EXPECT_EQ(bare.error().fields[0].message_key, "applications.errors.reason_required");
  EXPECT_EQ(bare.error().fields[1].message_key, "applications.errors.items_required");

  StepRequest wrong;
  wrong.reason = std::string(kMaxReasonCharacters + 1, 'x');
  wrong.items = {"owner_name"};
  auto refused = take(officer_, *reviewing, "request_information", wrong);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().fields[0].message_key, "applications.errors.reason_too_long");
  EXPECT_EQ(refused.error().fields[1].message_key, "applications.errors.item_unknown");
  wrong.reason = "\xff\xfe";
  EXPECT_EQ(take(officer_, *reviewing, "request_information", wrong).error().fields[0].message_key,
            "applications.errors.reason_unreadable");
  // A reason of spaces is no reason.
  EXPECT_EQ(take(officer_, *reviewing, "reject", StepRequest{{}, 0, "   ", {}, 0})
                .error()
                .fields[0]
                .message_key,
            "applications.errors.reason_required");

  StepRequest half;
  half.confirmed = 1;
  auto unchecked = take(officer_, *reviewing, "recommend", half);
  ASSERT_FALSE(unchecked);
  EXPECT_EQ(unchecked.error().fields[0].message_key, "applications.errors.checklist_incomplete");

  // Nothing moved.
  auto now = service_->find_for(officer_, a.public_id);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->state, "in_review");
  EXPECT_EQ(now->revision, reviewing->revision);
}

TEST_P(WorkflowServiceTest, MoreInformationIsAskedForOnlyAsOftenAsTheWorkflowAllows) {
  Application a = submitted(alice_);
  StepRequest ask;
  ask.reason = "ขอแผนผังใหม่";
  ask.items = {"plan"};
  auto r1 = take(officer_, a, "start_review");
  ASSERT_TRUE(r1);
  auto asked = take(officer_, *r1, "request_information", ask);
  ASSERT_TRUE(asked);
  auto resent = take(alice_as_, *asked, "resubmit");
  ASSERT_TRUE(resent);
  auto r2 = take(officer_, *resent, "start_review");
  ASSERT_TRUE(r2);
  auto twice = take(officer_, *r2, "request_information", ask);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message_key, "applications.errors.step_used_up");
  EXPECT_EQ(twice.error().code, ErrorCode::conflict);
}

TEST_P(WorkflowServiceTest, OfTwoOfficersActingOnWhatTheyBothSawOnlyOneSucceeds) {
  Application a = submitted(alice_);
  auto reviewing = take(officer_, a, "start_review");
  ASSERT_TRUE(reviewing);
  // Both read the application at this revision; one rejects, the other recommends.
  auto rejected = take(officer_, *reviewing, "reject", StepRequest{{}, 0, "ไม่ผ่าน", {}, 0});
  ASSERT_TRUE(rejected) << rejected.error().detail;
  StepRequest checked;
  checked.confirmed = 2;
  auto late = take(colleague_, *reviewing, "recommend", checked);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::conflict);

  // At the same moment, from many threads: exactly one step is taken.
  Application b = submitted(alice_);
  std::atomic<int> won{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto taken = take(i % 2 == 0 ? officer_ : colleague_, b, "start_review");
      if (taken) {
        ++won;
      } else if (taken.error().code == ErrorCode::conflict) {
        ++conflicts;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
  auto events = database().read_value<std::vector<TimelineEvent>>(
      [&](storage::Connection& c) { return repository::events(c, b.id); });
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1u);
}

TEST_P(WorkflowServiceTest, AnApplicationGoesOnUnderTheWorkflowItWasSubmittedUnder) {
  Application a = submitted(alice_);
  // The file changes: the sign-off step is gone, an officer approves. The application keeps
  // its version.
  std::string changed(kWorkflow);
  auto cut = [&](std::string_view from, std::string_view to) {
    const auto at = changed.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    changed.replace(at, from.size(), to);
  };
  cut("  - id: recommended\n    label: {th: รอลงนาม, en: Awaiting sign-off}\n    clock: running\n",
      "");
  cut("    to: recommended\n", "    to: approved\n");
  cut("  - id: approve\n    label: {th: อนุมัติ, en: Approve}\n    from: recommended\n    to: "
      "approved\n    by: supervisor\n",
      "");
  auto next =
      parse_workflow(changed, "services/bma/shop/workflow.yaml", directory_.services_.front());
  ASSERT_TRUE(next) << next.error().detail;
  workflows_.insert_or_assign("shop", std::move(*next));
  Application fresh = submitted(bob_);
  EXPECT_NE(fresh.workflow_version, a.workflow_version);
  auto reviewing = take(officer_, a, "start_review");
  ASSERT_TRUE(reviewing) << reviewing.error().detail;
  StepRequest checked;
  checked.confirmed = 2;
  auto recommended = take(officer_, *reviewing, "recommend", checked);
  ASSERT_TRUE(recommended) << recommended.error().detail;
  EXPECT_EQ(recommended->state, "recommended");
  // One submitted now runs under the new file.
  auto direct = take(officer_, fresh, "start_review");
  ASSERT_TRUE(direct);
  auto approved = take(officer_, *direct, "recommend", checked);
  ASSERT_TRUE(approved) << approved.error().detail;
  EXPECT_EQ(approved->state, "approved");
}

TEST_P(WorkflowServiceTest, TheApplicantChangesOnlyWhatWasAskedForAndSendsItBack) {
  crypto::SecureRandom random;
  ApplicationService applications(database(), clock_, random, forms_, workflows_, directory_,
                                  nullptr, SharedCalendar::none(), nullptr, {});
  Application a = submitted(alice_, {{"shop_name", "ร้านเดิม"}});
  // Nothing is asked while the agency has the application.
  auto nothing = service_->open_request(a);
  ASSERT_TRUE(nothing) << nothing.error().detail;
  EXPECT_FALSE(*nothing);
  auto reviewing = take(officer_, a, "start_review");
  ASSERT_TRUE(reviewing);
  auto asked = take(officer_, *reviewing, "request_information",
                    StepRequest{{}, 0, "ชื่อร้านไม่ตรงกับทะเบียน", {"shop_name"}, 0});
  ASSERT_TRUE(asked) << asked.error().detail;
  auto request = service_->open_request(*asked);
  ASSERT_TRUE(request) << request.error().detail;
  ASSERT_TRUE(*request);
  EXPECT_EQ((*request)->transition, "request_information");
  EXPECT_EQ((*request)->reason, "ชื่อร้านไม่ตรงกับทะเบียน");
  EXPECT_THAT((*request)->items, ElementsAre("shop_name"));
  const auto& items = (*request)->items;

  // Only what was asked may change, and only by the applicant.
  auto other = applications.amend(alice_, *asked, {{"plan", nullptr}}, items);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(other.error().fields.at(0).message_key, "applications.errors.amend_not_asked");
  EXPECT_EQ(applications.amend(bob_, *asked, {{"shop_name", "x"}}, items).error().code,
            ErrorCode::not_found);
  // A wrong answer saves nothing and says why.
  auto wrong = applications.amend(alice_, *asked, {{"shop_name", std::string(41, 'x')}}, items);
  ASSERT_TRUE(wrong) << wrong.error().detail;
  ASSERT_EQ(wrong->problems.size(), 1u);
  EXPECT_EQ(wrong->problems[0].field, "shop_name");
  auto unchanged = service_->find_for(alice_as_, a.public_id);
  ASSERT_TRUE(unchanged);
  EXPECT_EQ(unchanged->revision, asked->revision);
  EXPECT_EQ(unchanged->answers.at("shop_name"), "ร้านเดิม");

  auto amended = applications.amend(alice_, *asked, {{"shop_name", "ร้านใหม่"}}, items);
  ASSERT_TRUE(amended) << amended.error().detail;
  EXPECT_TRUE(amended->problems.empty());
  EXPECT_THAT(amended->changed, ElementsAre("shop_name"));
  EXPECT_EQ(amended->application.revision, asked->revision + 1);
  EXPECT_EQ(amended->application.state, "information_requested");
  // From a page shown before that change: refused, not overwritten.
  auto stale = applications.amend(alice_, *asked, {{"shop_name", "ร้านอื่น"}}, items);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().message_key, "applications.errors.step_changed_meanwhile");
  // The officer, acting on what they saw before the change, is refused too.
  EXPECT_EQ(take(officer_, *asked, "reject", StepRequest{{}, 0, "x", {}, 0}).error().message_key,
            "applications.errors.step_changed_meanwhile");

  auto resent = take(alice_as_, amended->application, "resubmit");
  ASSERT_TRUE(resent) << resent.error().detail;
  auto done = service_->open_request(*resent);
  ASSERT_TRUE(done);
  EXPECT_FALSE(*done);
  auto now = service_->find_for(officer_, a.public_id);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->answers.at("shop_name"), "ร้านใหม่");

  // The timeline keeps what changed and what it replaced, between the request and the return.
  auto timeline = database().read_value<std::vector<TimelineEvent>>(
      [&](storage::Connection& c) { return repository::events(c, a.id); });
  ASSERT_TRUE(timeline) << timeline.error().detail;
  std::vector<std::string> kinds;
  for (const auto& e : *timeline) kinds.push_back(e.kind == "transition" ? e.transition : e.kind);
  EXPECT_THAT(kinds, ElementsAre("start_review", "request_information", "amended", "resubmit"));
  const TimelineEvent& change = (*timeline)[2];
  EXPECT_EQ(change.actor_role, "applicant");
  EXPECT_EQ(change.actor_user_id, alice_);
  EXPECT_EQ(change.detail.at("items"), (boost::json::array{"shop_name"}));
  EXPECT_EQ(change.detail.at("previous").at("shop_name"), "ร้านเดิม");
}

TEST_P(WorkflowServiceTest, AnOfficerHasWhatTheyTakeUpAndGetsItBackWhenTheApplicantReplies) {
  Application a = submitted(alice_);
  EXPECT_EQ(a.assigned_to, 0);
  // Taking it up explicitly, from what the person saw.
  auto stale = service_->assign(officer_, a.public_id, officer_.user_id, colleague_.user_id);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().message_key, "applications.errors.assigned_meanwhile");
  auto taken = service_->assign(officer_, a.public_id, officer_.user_id, 0);
  ASSERT_TRUE(taken) << taken.error().detail;
  EXPECT_EQ(taken->assigned_to, officer_.user_id);
  // Another officer can neither take it over nor act on it, nor give it away.
  auto grab = service_->assign(colleague_, a.public_id, colleague_.user_id, officer_.user_id);
  ASSERT_FALSE(grab);
  EXPECT_EQ(grab.error().message_key, "applications.errors.assign_not_yours");
  EXPECT_TRUE(step_ids(colleague_, *taken).empty());
  auto act = take(colleague_, *taken, "start_review");
  ASSERT_FALSE(act);
  EXPECT_EQ(act.error().message_key, "applications.errors.assigned_to_another");
  EXPECT_EQ(act.error().code, ErrorCode::forbidden);
  // Nobody outside the agency learns it exists; the applicant cannot assign.
  for (const auto* who : {&stranger_, &alice_as_, &admin_}) {
    auto seen = service_->assign(*who, a.public_id, who->user_id, officer_.user_id);
    ASSERT_FALSE(seen);
    EXPECT_EQ(seen.error().code, ErrorCode::not_found) << who->display_name;
  }

  auto reviewing = take(officer_, *taken, "start_review");
  ASSERT_TRUE(reviewing);
  auto asked = take(officer_, *reviewing, "request_information",
                    StepRequest{{}, 0, "ขอแผนผังใหม่", {"plan"}, 0});
  ASSERT_TRUE(asked);
  auto back = take(alice_as_, *asked, "resubmit");
  ASSERT_TRUE(back);
  // Back with the same officer, not in the pool.
  EXPECT_EQ(back->assigned_to, officer_.user_id);
  QueueFilter mine;
  mine.assigned_to = officer_.user_id;
  auto listed = service_->queue(officer_, mine, false);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].public_id, a.public_id);
  EXPECT_EQ((*listed)[0].assigned_to, officer_.user_id);
  QueueFilter theirs;
  theirs.assigned_to = colleague_.user_id;
  EXPECT_TRUE(service_->queue(colleague_, theirs, false)->empty());

  // The supervisor gives it to the colleague, who then acts; only to the agency's people.
  auto outsider = service_->assign(supervisor_, a.public_id, stranger_.user_id, officer_.user_id);
  ASSERT_FALSE(outsider);
  EXPECT_EQ(outsider.error().message_key, "applications.errors.assignee_unknown");
  auto given = service_->assign(supervisor_, a.public_id, colleague_.user_id, officer_.user_id);
  ASSERT_TRUE(given) << given.error().detail;
  EXPECT_EQ(given->assigned_to, colleague_.user_id);
  auto review = take(colleague_, *given, "start_review");
  ASSERT_TRUE(review) << review.error().detail;
  // The colleague gives it back; then the first officer may take it again.
  ASSERT_TRUE(service_->assign(colleague_, a.public_id, 0, colleague_.user_id));
  QueueFilter nobody;
  nobody.assigned_to = 0;
  auto pool = service_->queue(officer_, nobody, false);
  ASSERT_TRUE(pool);
  ASSERT_EQ(pool->size(), 1u);

  // Every change of hands is on the timeline, as the agency's.
  auto timeline = database().read_value<std::vector<TimelineEvent>>(
      [&](storage::Connection& c) { return repository::events(c, a.id); });
  ASSERT_TRUE(timeline);
  int handovers = 0;
  for (const auto& e : *timeline) handovers += e.kind == "assigned" ? 1 : 0;
  EXPECT_EQ(handovers, 3);
}

TEST_P(WorkflowServiceTest, TheDueDateMovesOnByTheWorkingDaysSpentWaitingForTheApplicant) {
  auto calendar =
      platform::load_holiday_file(PRATU_SOURCE_DIR "/datasets/holidays/th-government.yaml");
  ASSERT_TRUE(calendar) << calendar.error().detail;
  const SharedCalendar shared(std::move(*calendar));
  WorkflowService counting(database(), clock_, forms_, workflows_, directory_, shared);
  ASSERT_TRUE(counting.record_versions());
  Application a = submitted(alice_);
  ASSERT_TRUE(database().write([&](storage::Connection& c) {
    return repository::set_due_date(c, a.id, "2026-12-23", false);
  }));
  auto step = [&](const web::Principal& who, const std::string& id, StepRequest r = {}) {
    auto now = counting.find_for(who, a.public_id);
    EXPECT_TRUE(now);
    r.transition = id;
    r.revision = now->revision;
    return counting.take(who, a.public_id, r);
  };
  ASSERT_TRUE(step(officer_, "start_review"));
  // Asked on Wednesday 2 December 2026; answered on Wednesday the 9th. Between them: Thursday,
  // Friday, the weekend, Monday 7 December (a substitution holiday), Tuesday and Wednesday.
  ASSERT_TRUE(step(officer_, "request_information", StepRequest{{}, 0, "ขอแผนผัง", {"plan"}, 0}));
  clock_.advance(std::chrono::days(7));
  auto back = step(alice_as_, "resubmit");
  ASSERT_TRUE(back) << back.error().detail;
  // Four working days waited: 23 December moves to Tuesday the 29th.
  EXPECT_EQ(back->due_date, "2026-12-29");
  auto stored = counting.find_for(officer_, a.public_id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->due_date, "2026-12-29");
  auto timeline = database().read_value<std::vector<TimelineEvent>>(
      [&](storage::Connection& c) { return repository::events(c, a.id); });
  ASSERT_TRUE(timeline);
  EXPECT_EQ(timeline->back().detail.at("waited_working_days").as_int64(), 4);
  EXPECT_EQ(timeline->back().detail.at("due_date").as_string(), "2026-12-29");
  // While the agency has it, the clock runs: a step between running states moves nothing.
  clock_.advance(std::chrono::days(1));
  auto reviewing = step(officer_, "start_review");
  ASSERT_TRUE(reviewing);
  EXPECT_EQ(reviewing->due_date, "2026-12-29");
}

TEST_P(WorkflowServiceTest, SupervisorsAreToldOnceOfAnApplicationPastItsDueDate) {
  auto due = [&](const Application& a, const std::string& date) {
    ASSERT_TRUE(database().write(
        [&](storage::Connection& c) { return repository::set_due_date(c, a.id, date, false); }));
  };
  // Today is 2 December 2026: due yesterday, with the agency.
  Application late = submitted(alice_);
  due(late, "2026-12-01");
  Application on_time = submitted(alice_);
  due(on_time, "2026-12-02");
  // Waiting for the applicant: not the agency's delay.
  Application waiting = submitted(alice_);
  due(waiting, "2026-11-30");
  auto w1 = take(officer_, *service_->find_for(officer_, waiting.public_id), "start_review");
  ASSERT_TRUE(w1);
  ASSERT_TRUE(take(officer_, *w1, "request_information", StepRequest{{}, 0, "x", {"plan"}, 0}));
  // Decided: nothing to tell.
  Application decided = submitted(alice_);
  due(decided, "2026-11-30");
  auto d1 = take(officer_, *service_->find_for(officer_, decided.public_id), "start_review");
  ASSERT_TRUE(d1);
  ASSERT_TRUE(take(officer_, *d1, "reject", StepRequest{{}, 0, "ไม่ครบ", {}, 0}));

  auto told = service_->escalate_overdue();
  ASSERT_TRUE(told) << told.error().detail;
  EXPECT_EQ(*told, 1);
  EXPECT_EQ(outbox_rows("applications.overdue"), 1);  // the agency's one supervisor
  auto payload =
      database().read_value<std::string>([&](storage::Connection& c) -> Result<std::string> {
        PRATU_TRY(row,
                  c.query_one("SELECT payload FROM outbox WHERE topic = 'applications.overdue'"));
        return row->text(0);
      });
  ASSERT_TRUE(payload);
  auto fields = boost::json::parse(*payload).as_object();
  EXPECT_EQ(fields.at("user_id").as_int64(), supervisor_.user_id);
  EXPECT_EQ(fields.at("application").as_string(), late.public_id);
  EXPECT_EQ(fields.at("due_date").as_string(), "2026-12-01");
  // Once: a second round, or another node, tells nobody again.
  EXPECT_EQ(*service_->escalate_overdue(), 0);
  EXPECT_EQ(outbox_rows("applications.overdue"), 1);
  // In the next state, still overdue: told again.
  clock_.advance(std::chrono::seconds(1));
  auto moved = take(officer_, *service_->find_for(officer_, late.public_id), "start_review");
  ASSERT_TRUE(moved);
  EXPECT_EQ(*service_->escalate_overdue(), 1);
  EXPECT_EQ(outbox_rows("applications.overdue"), 2);
  // The applicant's timeline does not hold it; the agency's does.
  auto timeline = database().read_value<std::vector<TimelineEvent>>(
      [&](storage::Connection& c) { return repository::events(c, late.id); });
  ASSERT_TRUE(timeline);
  int escalations = 0;
  for (const auto& e : *timeline) escalations += e.kind == "escalated" ? 1 : 0;
  EXPECT_EQ(escalations, 2);
}

TEST_P(WorkflowServiceTest, NotesAreTheAgencysAlone) {
  Application a = submitted(alice_);
  ASSERT_TRUE(service_->add_note(officer_, a.public_id, "  โทรสอบถามผู้ยื่นแล้ว  "));
  ASSERT_TRUE(service_->add_note(supervisor_, a.public_id, "เห็นด้วย"));
  auto notes = service_->notes(colleague_, a);
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ((*notes)[0].body, "โทรสอบถามผู้ยื่นแล้ว");
  EXPECT_EQ((*notes)[0].author_user_id, officer_.user_id);
  // The applicant and other agencies see none and cannot add any.
  EXPECT_TRUE(service_->notes(alice_as_, a)->empty());
  EXPECT_TRUE(service_->notes(stranger_, a)->empty());
  EXPECT_EQ(service_->add_note(alice_as_, a.public_id, "x").error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->add_note(stranger_, a.public_id, "x").error().code, ErrorCode::not_found);
  // Empty or too long: said so, with the field.
  auto empty = service_->add_note(officer_, a.public_id, "   ");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().fields.at(0).message_key, "applications.errors.note_required");
  std::string longest;
  for (std::size_t i = 0; i < kMaxNoteCharacters; ++i) longest += "ก";
  EXPECT_TRUE(service_->add_note(officer_, a.public_id, longest));
  auto too_long = service_->add_note(officer_, a.public_id, longest + "ก");
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().fields.at(0).message_key, "applications.errors.note_too_long");
}

// The default workflow with the licence fee billed after the sign-off: approve leads to
// awaiting_payment, which Pratu leaves to approved by its own step `paid_step` when the bill is
// paid.
std::string billing_workflow(std::string_view paid_step) {
  std::string text(kWorkflow);
  const std::string approve = "    to: approved\n    by: supervisor";
  text.replace(text.find(approve), approve.size(), "    to: awaiting_payment\n    by: supervisor");
  const std::string states_end = "  - id: rejected\n";
  text.insert(text.find(states_end),
              "  - id: awaiting_payment\n"
              "    label: {th: รอชำระ, en: Awaiting payment}\n"
              "    clock: paused\n"
              "    bill:\n"
              "      fees: [licence]\n"
              "      due_working_days: 5\n");
  text += "  - id: " + std::string(paid_step) +
          "\n"
          "    label: {th: ชำระแล้ว, en: Paid}\n"
          "    from: awaiting_payment\n"
          "    to: approved\n"
          "    by: system\n";
  return text;
}

// A paid bill's step is one statement under the service's current workflow; an application
// under another version, or no longer in the billing state, is read and goes by its own.
TEST_P(WorkflowServiceTest, APaidBillsStepGoesOnUnderTheWorkflowTheApplicationIsUnder) {
  platform::ServiceFee licence;
  licence.code = "licence";
  licence.amount_satang = 200'000;
  directory_.services_.front().fees = {licence};
  auto use = [&](std::string_view paid_step) {
    auto workflow = parse_workflow(billing_workflow(paid_step), "services/bma/shop/workflow.yaml",
                                   directory_.services_.front());
    ASSERT_TRUE(workflow) << workflow.error().detail;
    workflows_.insert_or_assign("shop", std::move(*workflow));
    ASSERT_TRUE(service_->record_versions());
  };
  use("paid");
  Application older = submitted(alice_);
  use("settled");  // the file changes: the same step under another name
  Application current = submitted(bob_);
  Application moved_on = submitted(bob_);
  ASSERT_NE(older.workflow_version, current.workflow_version);
  ASSERT_TRUE(database().write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(n, c.execute("UPDATE applications SET state = 'awaiting_payment' WHERE id IN "
                           "($1, $2)",
                           {older.id, current.id}));
    EXPECT_EQ(n, 2);
    return ok();
  }));
  struct Seen {
    bool moved = false;
    std::string state, transition;
    std::int64_t revision = 0;
  };
  auto step = [&](const Application& a, std::string_view service) {
    Seen seen;
    auto done = database().write([&](storage::Connection& c) -> Result<void> {
      PRATU_TRY(moved, service_->take_system_step(c, a.public_id, "awaiting_payment",
                                                  clock_.now_seconds(), nullptr, service));
      seen.moved = moved;
      return ok();
    });
    EXPECT_TRUE(done) << done.error().detail;
    auto read = database().read([&](storage::Connection& c) -> Result<void> {
      PRATU_TRY(row, c.query_one("SELECT state, revision FROM applications WHERE id = $1", {a.id}));
      seen.state = row->text(0);
      seen.revision = row->int64(1);
      PRATU_TRY(event, c.query_one("SELECT transition FROM application_events WHERE "
                                   "application_id = $1 ORDER BY id DESC LIMIT 1",
                                   {a.id}));
      if (event) seen.transition = event->text(0);
      return ok();
    });
    EXPECT_TRUE(read) << read.error().detail;
    return seen;
  };
  const Seen under_current = step(current, "shop");
  EXPECT_TRUE(under_current.moved);
  EXPECT_EQ(under_current.state, "approved");
  EXPECT_EQ(under_current.transition, "settled");
  EXPECT_EQ(under_current.revision, current.revision + 1);
  // Submitted under the file before: its own version's step, though the service is named.
  const Seen under_older = step(older, "shop");
  EXPECT_TRUE(under_older.moved);
  EXPECT_EQ(under_older.state, "approved");
  EXPECT_EQ(under_older.transition, "paid");
  EXPECT_EQ(under_older.revision, older.revision + 1);
  // Not in the billing state: nothing moves, whether the service is named or not.
  for (std::string_view service : {"shop", ""}) {
    const Seen untouched = step(moved_on, service);
    EXPECT_FALSE(untouched.moved);
    EXPECT_EQ(untouched.state, "submitted");
    EXPECT_EQ(untouched.revision, moved_on.revision);
    EXPECT_EQ(untouched.transition, "");
  }
  // Paid twice: the second finds it moved on.
  const Seen again = step(current, "shop");
  EXPECT_FALSE(again.moved);
  EXPECT_EQ(again.revision, current.revision + 1);
}

PRATU_INSTANTIATE_ENGINE_TESTS(WorkflowServiceTest);

}  // namespace
}  // namespace pratu::applications
