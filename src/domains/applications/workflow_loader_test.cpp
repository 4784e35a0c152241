#include "domains/applications/workflow_loader.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "common/files.hpp"
#include "crypto/digest.hpp"
#include "domains/applications/fake_service_directory.hpp"
#include "support/temp_dir.hpp"

namespace pratu::applications {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

platform::ServiceInfo food_service() {
  platform::ServiceInfo s;
  s.slug = "food";
  s.agency = "bma";
  s.name_th = "ใบอนุญาตอาหาร";
  s.name_en = "Food licence";
  s.time_limit_working_days = 30;
  s.source_file = "services/bma/food.yaml";
  return s;
}

// A valid workflow, the default shape; tests change one thing in it.
constexpr std::string_view kWorkflow = R"(initial: submitted
states:
  - id: submitted
    label: {th: ยื่นแล้ว, en: Submitted}
    clock: running
    limit_working_days: 1
  - id: in_review
    label: {th: พิจารณา, en: In review}
    next: {th: รอผล, en: Wait for the decision}
    clock: running
    limit_working_days: 20
  - id: information_requested
    label: {th: ขอข้อมูล, en: More information requested}
    clock: paused
    limit_working_days: 7
  - id: resubmitted
    label: {th: ส่งใหม่, en: Resubmitted}
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
  - id: approve
    label: {th: อนุมัติ, en: Approve}
    from: in_review
    to: approved
    by: supervisor
    checklist:
      - {th: ครบ, en: Complete}
      - {th: ถูกต้อง, en: Correct}
  - id: reject
    label: {th: ไม่อนุมัติ, en: Reject}
    from: in_review
    to: rejected
    by: officer
    requires: reason
)";

constexpr std::string_view kFile = "services/bma/food/workflow.yaml";

std::string replaced(std::string_view from, std::string_view to) {
  std::string text(kWorkflow);
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string problems_of(std::string_view yaml) {
  auto workflow = parse_workflow(yaml, std::string(kFile), food_service());
  return workflow ? std::string() : workflow.error().detail;
}

TEST(WorkflowLoader, ReadsStatesTransitionsAndWhatEachNeeds) {
  auto w = parse_workflow(kWorkflow, std::string(kFile), food_service());
  ASSERT_TRUE(w) << w.error().detail;
  EXPECT_EQ(w->service, "food");
  EXPECT_EQ(w->version, "sha256:" + crypto::sha256_hex(kWorkflow));
  EXPECT_EQ(w->initial, "submitted");
  ASSERT_EQ(w->states.size(), 6u);
  const WorkflowState* review = w->state("in_review");
  ASSERT_NE(review, nullptr);
  EXPECT_EQ(review->label.en, "In review");
  EXPECT_EQ(review->next.th, "รอผล");
  EXPECT_EQ(review->clock, LegalClock::running);
  EXPECT_EQ(review->limit_working_days, 20);
  EXPECT_EQ(w->state("information_requested")->clock, LegalClock::paused);
  EXPECT_FALSE(w->state("resubmitted")->limit_working_days);
  EXPECT_TRUE(w->state("approved")->terminal);

  const Transition* request = w->transition("request_information");
  ASSERT_NE(request, nullptr);
  EXPECT_TRUE(request->needs_reason);
  EXPECT_TRUE(request->names_items);
  EXPECT_EQ(request->max_times, 1);
  EXPECT_EQ(request->actor, Actor::officer);
  EXPECT_EQ(w->transition("resubmit")->actor, Actor::applicant);
  const Transition* approve = w->transition("approve");
  EXPECT_EQ(approve->actor, Actor::supervisor);
  ASSERT_EQ(approve->checklist.size(), 2u);
  EXPECT_EQ(approve->checklist[1].en, "Correct");
  EXPECT_FALSE(approve->needs_reason);
  EXPECT_TRUE(w->transition("reject")->needs_reason);  // one name, not a list

  std::vector<std::string> exits;
  for (const Transition* t : w->exits("in_review")) exits.push_back(t->id);
  EXPECT_EQ(exits, (std::vector<std::string>{"request_information", "approve", "reject"}));
  EXPECT_EQ(w->exits("submitted").size(), 1u);
}

TEST(WorkflowLoader, ProblemsNameTheFileTheLineAndThePlace) {
  const auto problems = problems_of(replaced("clock: paused", "clock: stopped"));
  EXPECT_THAT(problems,
              HasSubstr("services/bma/food/workflow.yaml:14: state information_requested: clock: "
                        "must be running or paused, not 'stopped'"));
  // One slip, one problem: nothing is inferred from a value that could not be read.
  EXPECT_THAT(problems, Not(HasSubstr("\n")));
  const auto actor = problems_of(replaced("    by: applicant", "    by: citizen"));
  EXPECT_THAT(actor, HasSubstr(":42: transition resubmit: by: must be applicant, officer, "
                               "supervisor or system, not 'citizen'"));
  EXPECT_THAT(actor, Not(HasSubstr("\n")));
  EXPECT_THAT(problems_of(replaced("initial: submitted", "initial: submitted\nowner: bma")),
              HasSubstr(":2: owner: unknown key (expected one of: initial, states, transitions)"));
}

TEST(WorkflowLoader, NamesAreUniqueAndWellFormed) {
  EXPECT_THAT(problems_of(replaced("id: resubmitted", "id: in_review")),
              HasSubstr("'in_review' is used by an earlier state"));
  EXPECT_THAT(problems_of(replaced("id: reject\n", "id: approve\n")),
              HasSubstr("'approve' is used by an earlier transition"));
  EXPECT_THAT(problems_of(replaced("id: approve\n", "id: Approve!\n")),
              HasSubstr("must be lower-case letters"));
  EXPECT_THAT(problems_of(replaced("id: submitted", "id: draft")),
              HasSubstr("'draft' is the state of an application not yet submitted"));
  EXPECT_THAT(problems_of(replaced("    from: [submitted, resubmitted]",
                                   "    from: [submitted, submitted]")),
              HasSubstr("names 'submitted' twice"));
}

TEST(WorkflowLoader, EveryStateAndTransitionSaysWhatItIsInBothLanguages) {
  EXPECT_THAT(problems_of(replaced("label: {th: พิจารณา, en: In review}", "label: {th: พิจารณา}")),
              HasSubstr("state in_review: label: needs both th and en"));
  EXPECT_THAT(problems_of(replaced("    label: {th: ส่ง, en: Send}\n", "")),
              HasSubstr("transition resubmit: label: is required"));
  EXPECT_THAT(problems_of(replaced("- {th: ครบ, en: Complete}", "- {th: ครบ}")),
              HasSubstr("transition approve: checklist: needs both th and en"));
}

TEST(WorkflowLoader, ClocksAndLimitsBelongToStatesThatAreNotFinal) {
  EXPECT_THAT(problems_of(replaced("    clock: running\n    limit_working_days: 1\n", "")),
              HasSubstr("state submitted: clock: is required"));
  EXPECT_THAT(problems_of(replaced("en: Approved}\n    terminal: true",
                                   "en: Approved}\n    terminal: true\n    clock: running")),
              HasSubstr("state approved: clock: a final state has no clock"));
  EXPECT_THAT(problems_of(replaced("en: Rejected}\n    terminal: true",
                                   "en: Rejected}\n    terminal: true\n    limit_working_days: 3")),
              HasSubstr("state rejected: limit_working_days: a final state has no time limit"));
  EXPECT_THAT(problems_of(replaced("limit_working_days: 20", "limit_working_days: 0")),
              HasSubstr("limit_working_days: must be from 1 to 365"));
  // The agency's part may not outlast the service's legal time limit; the applicant's may.
  EXPECT_THAT(problems_of(replaced("limit_working_days: 20", "limit_working_days: 31")),
              HasSubstr("is longer than the service's time limit of 30 working days "
                        "(services/bma/food.yaml)"));
  EXPECT_EQ(problems_of(replaced("limit_working_days: 7", "limit_working_days: 60")), "");
}

TEST(WorkflowLoader, TransitionsGoBetweenStatesOfTheWorkflow) {
  EXPECT_THAT(problems_of(replaced("to: approved", "to: granted")),
              HasSubstr("transition approve: to: 'granted' is not a state of this workflow"));
  EXPECT_THAT(problems_of(replaced("    from: in_review\n    to: rejected",
                                   "    from: [in_review, limbo]\n    to: rejected")),
              HasSubstr("transition reject: from: 'limbo' is not a state of this workflow"));
  EXPECT_THAT(problems_of(replaced("    from: in_review\n    to: rejected",
                                   "    from: [in_review, approved]\n    to: rejected")),
              HasSubstr("transition reject: from: 'approved' is final: nothing leaves it"));
  EXPECT_THAT(problems_of(replaced("    from: in_review\n    to: rejected",
                                   "    from: [in_review, rejected]\n    to: rejected")),
              HasSubstr("'rejected' is final"));
  EXPECT_THAT(problems_of(replaced("to: in_review", "to: submitted")),
              HasSubstr("transition start_review: to: leads back to 'submitted', which it leaves"));
  EXPECT_THAT(problems_of(replaced("initial: submitted", "initial: received")),
              HasSubstr("initial: 'received' is not a state of this workflow"));
  EXPECT_THAT(problems_of(replaced("initial: submitted", "initial: approved")),
              HasSubstr("initial: 'approved' is final"));
}

TEST(WorkflowLoader, RefusesATransitionNobodyCanTake) {
  // The applicant cannot act while the agency holds the application.
  EXPECT_THAT(problems_of(replaced("    to: rejected\n    by: officer",
                                   "    to: rejected\n    by: applicant")),
              HasSubstr("transition reject: from: the applicant cannot act in 'in_review'"));
  EXPECT_THAT(problems_of(replaced("requires: [reason, items]", "requires: [reason, signature]")),
              HasSubstr("'signature' is not one of: reason, items"));
}

TEST(WorkflowLoader, RefusesAStateNobodyCanLeaveOrReach) {
  // No way out of a state that is not final.
  EXPECT_THAT(problems_of(replaced("from: [submitted, resubmitted]", "from: submitted")),
              HasSubstr("state resubmitted: nobody can leave it"));
  // Unreachable: nothing leads to information_requested, and then nothing to resubmitted.
  const auto unreachable = problems_of(replaced("to: information_requested", "to: rejected"));
  EXPECT_THAT(unreachable, HasSubstr("state information_requested: no transition leads to it "
                                     "from 'submitted'"));
  EXPECT_THAT(unreachable, HasSubstr("state resubmitted: no transition leads to it"));
  // A loop with no way to a decision: both decisions moved to leave from submitted only.
  std::string cycle(kWorkflow);
  for (auto decided :
       {"    from: in_review\n    to: approved", "    from: in_review\n    to: rejected"}) {
    cycle.replace(cycle.find(decided), std::string_view(decided).size(),
                  std::string("    from: submitted\n    to: ") +
                      (std::string_view(decided).ends_with("approved") ? "approved" : "rejected"));
  }
  EXPECT_THAT(problems_of(cycle),
              HasSubstr("state in_review: no way leads from it to a final state"));
  EXPECT_THAT(problems_of(cycle), HasSubstr("state information_requested: no way leads"));
  // Without any final state nothing is ever decided.
  std::string undecided(kWorkflow);
  while (undecided.find("    terminal: true") != std::string::npos) {
    undecided.replace(undecided.find("    terminal: true"), 18, "    clock: running");
  }
  EXPECT_THAT(problems_of(undecided), HasSubstr("states: none is final"));
}

TEST(WorkflowLoader, APausedStateWaitsForTheApplicantWhoMustBeAbleToMove) {
  EXPECT_THAT(problems_of(replaced("    to: resubmitted\n    by: applicant",
                                   "    to: resubmitted\n    by: officer")),
              HasSubstr("state information_requested: the clock waits for the applicant here, "
                        "but no transition out of it is by: applicant"));
}

// The default workflow with the licence fee billed after approval: approve leads to
// awaiting_payment, which Pratu leaves by `paid` when the bill is paid.
std::string billing_workflow() {
  std::string text = replaced("    to: approved\n    by: supervisor",
                              "    to: awaiting_payment\n    by: supervisor");
  const std::string states_end = "  - id: rejected\n";
  text.insert(text.find(states_end),
              "  - id: awaiting_payment\n"
              "    label: {th: รอชำระ, en: Awaiting payment}\n"
              "    clock: paused\n"
              "    bill:\n"
              "      fees: [licence, stamp]\n"
              "      due_working_days: 5\n");
  text +=
      "  - id: paid\n"
      "    label: {th: ชำระแล้ว, en: Paid}\n"
      "    from: awaiting_payment\n"
      "    to: approved\n"
      "    by: system\n";
  return text;
}

platform::ServiceInfo billing_service() {
  platform::ServiceInfo s = food_service();
  platform::ServiceFee licence;
  licence.code = "licence";
  licence.amount_satang = 200'000;
  platform::ServiceFee stamp;
  stamp.code = "stamp";
  stamp.amount_satang = 3'000;
  stamp.stamp_duty = true;
  s.fees = {licence, stamp};
  return s;
}

std::string billing_problems(std::string_view yaml) {
  auto workflow = parse_workflow(yaml, std::string(kFile), billing_service());
  return workflow ? std::string() : workflow.error().detail;
}

std::string with(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(WorkflowLoader, AStateBillsTheServicesFeesAndPratuTakesItsWayOut) {
  auto workflow = parse_workflow(billing_workflow(), std::string(kFile), billing_service());
  ASSERT_TRUE(workflow) << workflow.error().detail;
  const WorkflowState* awaiting = workflow->state("awaiting_payment");
  ASSERT_NE(awaiting, nullptr);
  ASSERT_TRUE(awaiting->bill);
  EXPECT_EQ(awaiting->bill->fees, (std::vector<std::string>{"licence", "stamp"}));
  EXPECT_EQ(awaiting->bill->due_working_days, 5);
  EXPECT_EQ(workflow->transition("paid")->actor, Actor::system);
  const auto json = state_json(*awaiting);
  EXPECT_EQ(json.at("bill").at("due_working_days").as_int64(), 5);
  EXPECT_EQ(json.at("bill").at("fees").as_array().size(), 2u);
}

TEST(WorkflowLoader, ABillNamesOnlyTheServicesFeesAndHasOneWayOutByThePayment) {
  EXPECT_THAT(
      billing_problems(with(billing_workflow(), "[licence, stamp]", "[licence, permit]")),
      HasSubstr("'permit' is not the code of a fee of the service (services/bma/food.yaml)"));
  EXPECT_THAT(billing_problems(with(billing_workflow(), "[licence, stamp]", "[licence, licence]")),
              HasSubstr("names 'licence' twice"));
  EXPECT_THAT(billing_problems(with(billing_workflow(), "      fees: [licence, stamp]\n", "")),
              HasSubstr("bill.fees: is required"));
  EXPECT_THAT(
      billing_problems(with(billing_workflow(), "due_working_days: 5", "due_working_days: 0")),
      HasSubstr("due_working_days"));
  EXPECT_THAT(billing_problems(with(billing_workflow(), "due_working_days: 5", "due_days: 5")),
              HasSubstr("bill.due_days: unknown key"));
  // Its way out taken by a person instead: Pratu could never move it on when paid.
  EXPECT_THAT(billing_problems(with(billing_workflow(), "    by: system\n", "    by: officer\n")),
              HasSubstr("exactly one transition out of it must be by: system"));
  // A running clock: it is the applicant's move to pay.
  EXPECT_THAT(
      billing_problems(with(billing_workflow(),
                            "    label: {th: รอชำระ, en: Awaiting payment}\n    clock: paused",
                            "    label: {th: รอชำระ, en: Awaiting payment}\n    clock: running")),
      HasSubstr("its clock is paused"));
  // A system transition out of a state that bills nothing could never be taken.
  EXPECT_THAT(
      billing_problems(with(billing_workflow(), "    from: awaiting_payment\n    to: approved",
                            "    from: in_review\n    to: approved")),
      HasSubstr("'in_review' bills nothing"));
  // The state a submission enters may bill: an application fee, opened at submission, whose
  // payment takes the application on to the agency.
  std::string fee_first = with(billing_workflow(), "initial: submitted", "initial: awaiting_fee");
  fee_first.insert(fee_first.find("  - id: rejected\n"),
                   "  - id: awaiting_fee\n"
                   "    label: {th: รอชำระค่าคำขอ, en: Awaiting the application fee}\n"
                   "    clock: paused\n"
                   "    bill:\n"
                   "      fees: [stamp]\n");
  fee_first +=
      "  - id: fee_paid\n"
      "    label: {th: ชำระค่าคำขอแล้ว, en: Application fee paid}\n"
      "    from: awaiting_fee\n"
      "    to: submitted\n"
      "    by: system\n";
  EXPECT_EQ(billing_problems(fee_first), "");
  auto fee = parse_workflow(fee_first, std::string(kFile), billing_service());
  ASSERT_TRUE(fee) << fee.error().detail;
  ASSERT_NE(fee->state(fee->initial), nullptr);
  EXPECT_TRUE(fee->state(fee->initial)->bill.has_value());
  // A final state bills nothing.
  EXPECT_THAT(billing_problems(with(
                  billing_workflow(),
                  "  - id: rejected\n    label: {th: ไม่อนุมัติ, en: Rejected}\n    terminal: true",
                  "  - id: rejected\n    label: {th: ไม่อนุมัติ, en: Rejected}\n    terminal: true\n   "
                  " bill: {fees: [licence]}")),
              HasSubstr("a final state bills nothing"));
}

TEST(WorkflowLoader, BrokenYamlNamesItsLine) {
  EXPECT_THAT(problems_of("initial: [submitted\nstates: {"),
              HasSubstr("services/bma/food/workflow.yaml:"));
  EXPECT_THAT(problems_of("- a list"), HasSubstr("must be a map of keys to values"));
  EXPECT_THAT(problems_of("initial: submitted\nstates: []\ntransitions: []"),
              HasSubstr("states: is required: a list of at least one state"));
}

TEST(WorkflowLoader, GivesTheApiItsDefinition) {
  auto w = parse_workflow(kWorkflow, std::string(kFile), food_service());
  ASSERT_TRUE(w) << w.error().detail;
  const auto json = workflow_json(*w);
  EXPECT_EQ(json.at("initial").as_string(), "submitted");
  const auto& states = json.at("states").as_array();
  ASSERT_EQ(states.size(), 6u);
  EXPECT_EQ(states[2].at("clock").as_string(), "paused");
  EXPECT_FALSE(states[4].as_object().contains("clock"));
  const auto& request = json.at("transitions").as_array()[1].as_object();
  EXPECT_EQ(request.at("by").as_string(), "officer");
  EXPECT_EQ(request.at("requires").as_array(), (boost::json::array{"reason", "items"}));
  EXPECT_EQ(request.at("max_times").as_int64(), 1);
}

TEST(LoadWorkflows, AServiceWithAFormNeedsAWorkflowAndAWorkflowNeedsAForm) {
  test::TempDir dir;
  dir.write("services/bma/food/workflow.yaml", kWorkflow);
  FakeDirectory directory(dir.path() / "services");
  directory.services_.push_back(food_service());
  std::map<std::string, Form, std::less<>> forms;
  forms.emplace("food", Form{});

  auto workflows = load_workflows(directory, forms);
  ASSERT_TRUE(workflows) << workflows.error().detail;
  ASSERT_EQ(workflows->size(), 1u);
  EXPECT_EQ(workflows->at("food").initial, "submitted");

  auto without_form = load_workflows(directory, {});
  ASSERT_FALSE(without_form);
  EXPECT_THAT(without_form.error().detail,
              HasSubstr("services/bma/food/workflow.yaml: the service has no form.yaml"));

  std::filesystem::remove(dir.path() / "services/bma/food/workflow.yaml");
  auto missing = load_workflows(directory, forms);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().detail, HasSubstr("services/bma/food/workflow.yaml: is missing"));
}

// Every demo service's workflow loads, and each gives the applicant a way to answer a request
// for more information and the agency a way to decide.
TEST(LoadWorkflows, TheDemoWorkflowsLoad) {
  const std::filesystem::path root = std::filesystem::path(PRATU_SOURCE_DIR) / "services";
  int loaded = 0;
  for (const auto& agency : std::filesystem::directory_iterator(root)) {
    if (!agency.is_directory()) continue;
    for (const auto& folder : std::filesystem::directory_iterator(agency.path())) {
      const auto file = folder.path() / "workflow.yaml";
      if (!std::filesystem::exists(file)) continue;
      platform::ServiceInfo service;
      service.slug = folder.path().filename().string();
      service.agency = agency.path().filename().string();
      // The codes of its fees, which a billing state names.
      const auto catalogue = YAML::LoadFile((agency.path() / (service.slug + ".yaml")).string());
      for (const auto& fee : catalogue["fees"]) {
        platform::ServiceFee f;
        f.code = fee["code"].as<std::string>();
        service.fees.push_back(f);
      }
      auto text = read_file(file);
      ASSERT_TRUE(text);
      auto w = parse_workflow(*text, file.string(), service);
      ASSERT_TRUE(w) << w.error().detail;
      EXPECT_NE(w->transition("resubmit"), nullptr) << file;
      EXPECT_TRUE(w->state("approved") && w->state("approved")->terminal) << file;
      ++loaded;
    }
  }
  EXPECT_GE(loaded, 8);
}

}  // namespace
}  // namespace pratu::applications
