// A submitted application's steps over the API, through the real server on both engines: the
// officer of the owning agency moves it along the demo workflow, asks for more information,
// the applicant answers, the officer decides and the fee is paid; the timeline shows each step
// without naming the officer; nobody else sees the application; two officers acting on one
// revision cannot both succeed.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "domains/accounts/accounts_service.hpp"
#include "support/applicants.hpp"
#include "support/bills.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

class WorkflowIT : public AppTest {
 protected:
  HttpResponse call(const std::string& token, const std::string& method, const std::string& target,
                    const json::value& body = nullptr) {
    return bearer_json(app_->port(), token, method, target, body);
  }

  static json::object parsed(const HttpResponse& response) { return json_object(response); }

  std::string officer_token(const std::string& agency) {
    return api_token(app_->port(), accounts::demo_officer_email(agency),
                     std::string(accounts::kDemoOfficerPassword));
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

  static std::vector<std::string> steps_in(const json::object& view) {
    std::vector<std::string> out;
    for (const auto& s : view.at("steps").as_array()) {
      out.emplace_back(s.at("id").as_string());
    }
    return out;
  }
};

TEST_P(WorkflowIT, AnOfficerAndTheApplicantTakeAnApplicationToADecision) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto officer = officer_token("dbd");
  ASSERT_FALSE(applicant.empty());
  ASSERT_FALSE(officer.empty());
  const std::string id = submitted(applicant);

  auto mine = call(applicant, "GET", "/api/v1/applications/" + id + "/steps");
  ASSERT_EQ(mine.status, 200) << mine.body;
  auto view = parsed(mine);
  EXPECT_EQ(view.at("state").at("id"), "submitted");
  EXPECT_EQ(view.at("state").at("label").at("th"), "ยื่นคำขอแล้ว");
  EXPECT_EQ(view.at("state").at("clock"), "running");
  EXPECT_TRUE(view.at("steps").as_array().empty());  // the agency's move
  auto theirs = parsed(call(officer, "GET", "/api/v1/applications/" + id + "/steps"));
  EXPECT_EQ(steps_in(theirs), std::vector<std::string>{"start_review"});

  auto reviewing = step(officer, id, "start_review");
  ASSERT_EQ(reviewing.status, 200) << reviewing.body;
  EXPECT_EQ(parsed(reviewing).at("state").at("id"), "in_review");
  EXPECT_EQ(steps_in(parsed(reviewing)),
            (std::vector<std::string>{"request_information", "approve", "reject"}));

  // Asking for more information needs a reason and the questions to change.
  auto bare = step(officer, id, "request_information", {{"reason", ""}});
  ASSERT_EQ(bare.status, 422) << bare.body;
  EXPECT_EQ(bare.header("Content-Type"), "application/problem+json");
  auto errors = parsed(bare).at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("field"), "reason");
  EXPECT_EQ(errors[1].at("field"), "items");
  auto asked = step(officer, id, "request_information",
                    {{"reason", "กรุณาระบุจำนวนชุดให้ถูกต้อง"}, {"items", json::array{"copies"}}});
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(parsed(asked).at("state").at("clock"), "paused");

  auto answered = step(applicant, id, "resubmit");
  ASSERT_EQ(answered.status, 200) << answered.body;
  ASSERT_EQ(step(officer, id, "start_review").status, 200);
  auto unchecked = step(officer, id, "approve");
  ASSERT_EQ(unchecked.status, 422) << unchecked.body;
  EXPECT_EQ(parsed(unchecked).at("errors").at(0).at("field"), "checklist");
  auto approved = step(officer, id, "approve", {{"checklist_confirmed", 1}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  // The approval bills the certificate's fee: the application waits on the applicant, and no
  // person takes the step that follows the payment.
  EXPECT_EQ(parsed(approved).at("state").at("id"), "awaiting_payment");
  EXPECT_EQ(parsed(approved).at("state").at("clock"), "paused");
  EXPECT_EQ(parsed(approved).at("state").at("terminal"), false);
  EXPECT_TRUE(steps_in(parsed(approved)).empty());
  EXPECT_NE(step(officer, id, "paid").status, 200);
  const auto bill = bill_of(app_->port(), applicant, id);
  ASSERT_FALSE(bill.empty());
  EXPECT_EQ(bill.at("total_satang").as_int64(), 4000);  // one copy at 40 baht
  ASSERT_FALSE(pay_bill_at_counter(app_->port(), applicant, id).empty());
  auto decided = parsed(call(applicant, "GET", "/api/v1/applications/" + id + "/steps"));
  EXPECT_EQ(decided.at("state").at("id"), "approved");
  EXPECT_EQ(decided.at("state").at("terminal"), true);

  // The applicant's timeline: every step, the agency (never the officer) and the reason.
  auto full = parsed(call(applicant, "GET", "/api/v1/applications/" + id));
  EXPECT_EQ(full.at("state"), "approved");
  const auto& timeline = full.at("timeline").as_array();
  std::vector<std::string> seen;
  for (const auto& e : timeline) {
    seen.emplace_back(e.at("event") == "transition" ? e.at("transition").as_string()
                                                    : e.at("event").as_string());
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"started", "submitted", "start_review", "request_information",
                                      "resubmit", "start_review", "approve", "paid"}));
  const auto& request = timeline[3].as_object();
  EXPECT_EQ(request.at("by"), "agency");
  EXPECT_EQ(request.at("reason"), "กรุณาระบุจำนวนชุดให้ถูกต้อง");
  EXPECT_EQ(request.at("items"), (json::array{"copies"}));
  EXPECT_EQ(timeline[4].at("by"), "applicant");
  EXPECT_EQ(json::serialize(full).find(accounts::demo_officer_email("dbd")), std::string::npos);

  // The applicant's pages: My applications lists it as decided, with the workflow's status;
  // the application shows each step, the agency as the one who acted, the reason and the
  // question asked about by its label.
  auto browser = signed_in_applicant(app_->port());
  ASSERT_TRUE(browser);
  auto listed = browser->get("/applications");
  ASSERT_EQ(listed.status, 200);
  const auto finished = listed.body.find("data-finished");
  ASSERT_NE(finished, std::string::npos) << listed.body;
  const std::string reference(full.at("reference").as_string());
  EXPECT_NE(listed.body.find(reference, finished), std::string::npos);
  EXPECT_NE(listed.body.find("อนุมัติ", finished), std::string::npos);
  auto shown = browser->get("/applications/" + id);
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("data-status>อนุมัติ<"), std::string::npos) << shown.body;
  EXPECT_NE(shown.body.find("รอข้อมูลเพิ่มเติมจากผู้ยื่นคำขอ"), std::string::npos);
  EXPECT_NE(shown.body.find("โดยหน่วยงาน"), std::string::npos);
  EXPECT_NE(shown.body.find("เหตุผล: กรุณาระบุจำนวนชุดให้ถูกต้อง"), std::string::npos);
  EXPECT_NE(shown.body.find("จำนวนชุด"), std::string::npos) << "the question's label";
  EXPECT_EQ(shown.body.find(accounts::demo_officer_email("dbd")), std::string::npos);
}

TEST_P(WorkflowIT, TheQueueApiListsTheAgencysApplicationsEarliestDueFirst) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string first = submitted(applicant);
  const std::string second = submitted(applicant);
  const auto officer = officer_token("dbd");
  auto listed = call(officer, "GET", "/api/v1/agency/applications");
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto page = parsed(listed);
  const auto& items = page.at("applications").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("id").as_string(),
            first);  // the same due date: the earlier submitted first
  EXPECT_EQ(items[0].at("state"), "submitted");
  EXPECT_EQ(items[0].at("state_label").at("en"), "Submitted");
  EXPECT_EQ(items[0].at("overdue"), false);
  EXPECT_TRUE(page.at("next_page").is_null());
  const std::string reference(items[1].at("reference").as_string());
  auto one = parsed(call(officer, "GET", "/api/v1/agency/applications?q=" + reference));
  ASSERT_EQ(one.at("applications").as_array().size(), 1u);
  EXPECT_EQ(one.at("applications").at(0).at("id").as_string(), second);

  // Decided ones leave the queue unless asked for.
  ASSERT_EQ(step(officer, first, "start_review").status, 200);
  ASSERT_EQ(step(officer, first, "reject", {{"reason", "ไม่มีสิทธิ์"}}).status, 200);
  EXPECT_EQ(parsed(call(officer, "GET", "/api/v1/agency/applications"))
                .at("applications")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(parsed(call(officer, "GET", "/api/v1/agency/applications?decided=1"))
                .at("applications")
                .as_array()
                .size(),
            2u);
  EXPECT_EQ(call(officer, "GET", "/api/v1/agency/applications?page=0").status, 422);

  // Another agency's queue holds none of them; an applicant has no queue.
  auto other = parsed(call(officer_token("bma"), "GET", "/api/v1/agency/applications?decided=1"));
  EXPECT_TRUE(other.at("applications").as_array().empty());
  auto refused = call(applicant, "GET", "/api/v1/agency/applications");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
}

TEST_P(WorkflowIT, NobodyElseSeesOrMovesTheApplication) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = submitted(applicant);
  const auto other_agency = officer_token("bma");
  ASSERT_FALSE(other_agency.empty());
  for (const auto* method : {"GET", "POST"}) {
    auto seen =
        call(other_agency, method, "/api/v1/applications/" + id + "/steps",
             std::string(method) == "POST"
                 ? json::value(json::object{{"transition", "start_review"}, {"revision", 2}})
                 : json::value(nullptr));
    EXPECT_EQ(seen.status, 404) << method << ": " << seen.body;
    EXPECT_EQ(seen.header("Content-Type"), "application/problem+json");
  }
  // Another applicant, and nobody at all.
  auto stranger = signed_in_applicant(app_->port(), "1000000000009", "a-long-passphrase-9");
  ASSERT_TRUE(stranger);
  const auto other = api_token(app_->port(), "1000000000009", "a-long-passphrase-9");
  EXPECT_EQ(call(other, "GET", "/api/v1/applications/" + id + "/steps").status, 404);
  EXPECT_EQ(call("", "GET", "/api/v1/applications/" + id + "/steps").status, 401);
  // The applicant cannot take the agency's step on their own application.
  auto own = step(applicant, id, "start_review");
  EXPECT_EQ(own.status, 403) << own.body;
  // A body past the route's limit is refused unread, one that is not JSON or lists too many
  // items is refused with what is wrong, and nothing moves.
  const std::string steps = "/api/v1/applications/" + id + "/steps";
  auto huge =
      call(applicant, "POST", steps,
           json::object{
               {"transition", "resubmit"}, {"revision", 2}, {"reason", std::string(20'000, 'x')}});
  EXPECT_EQ(huge.status, 413) << huge.body;
  auto garbage = bearer_request(app_->port(), applicant, "POST", steps,
                                "{\"transition\": ", {{"Content-Type", "application/json"}});
  EXPECT_EQ(garbage.status, 422) << garbage.body;
  EXPECT_EQ(garbage.header("Content-Type"), "application/problem+json");
  json::array many;
  for (int i = 0; i < 201; ++i) many.push_back(json::value("copies"));
  auto crowded = call(applicant, "POST", steps,
                      json::object{{"transition", "resubmit"}, {"revision", 2}, {"items", many}});
  ASSERT_EQ(crowded.status, 422) << crowded.body;
  EXPECT_EQ(parsed(crowded).at("errors").at(0).at("field"), "items");
  EXPECT_EQ(parsed(call(applicant, "GET", steps)).at("state").at("id"), "submitted");
  // A bad body names its field.
  auto wrong = call(applicant, "POST", "/api/v1/applications/" + id + "/steps",
                    json::object{{"transition", "resubmit"}, {"revision", "2"}});
  ASSERT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(parsed(wrong).at("errors").at(0).at("field"), "revision");
}

TEST_P(WorkflowIT, TwoOfficersActingOnOneRevisionCannotBothSucceed) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = submitted(applicant);
  const auto officer = officer_token("dbd");
  const auto supervisor = api_token(app_->port(), accounts::demo_supervisor_email("dbd"),
                                    std::string(accounts::kDemoOfficerPassword));
  ASSERT_FALSE(supervisor.empty());
  ASSERT_EQ(step(officer, id, "start_review").status, 200);
  const auto revision =
      parsed(call(officer, "GET", "/api/v1/applications/" + id + "/steps")).at("revision");
  std::vector<HttpResponse> answers(2);
  std::latch ready(2);
  std::thread first([&] {
    ready.arrive_and_wait();
    answers[0] = call(
        officer, "POST", "/api/v1/applications/" + id + "/steps",
        json::object{{"transition", "reject"}, {"revision", revision}, {"reason", "ไม่มีสิทธิ์ยื่น"}});
  });
  std::thread second([&] {
    ready.arrive_and_wait();
    answers[1] =
        call(supervisor, "POST", "/api/v1/applications/" + id + "/steps",
             json::object{
                 {"transition", "approve"}, {"revision", revision}, {"checklist_confirmed", 1}});
  });
  first.join();
  second.join();
  const int won = (answers[0].status == 200) + (answers[1].status == 200);
  const int lost = (answers[0].status == 409) + (answers[1].status == 409);
  EXPECT_EQ(won, 1) << answers[0].body << "\n" << answers[1].body;
  EXPECT_EQ(lost, 1);
  const auto& loser = answers[0].status == 409 ? answers[0] : answers[1];
  EXPECT_EQ(loser.header("Content-Type"), "application/problem+json");
  // In the person's language (Thai unless they ask otherwise): someone else just acted.
  EXPECT_NE(parsed(loser).at("detail").as_string().find("มีผู้อื่นเพิ่งดำเนินการ"), std::string::npos)
      << loser.body;
}

// The agency's pages: the queue, one application with a form per step, and a step taken
// without JavaScript; a refused step is shown again with what was typed, a stale one says that
// someone else acted; another agency's officer and the applicant cannot reach these pages.
TEST_P(WorkflowIT, AnOfficerWorksThroughTheQueueOnThePages) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = submitted(applicant);
  const std::string reference(
      parsed(call(applicant, "GET", "/api/v1/applications/" + id)).at("reference").as_string());
  auto officer = signed_in(app_->port(), accounts::demo_officer_email("dbd"),
                           std::string(accounts::kDemoOfficerPassword));

  auto queue = officer->get("/agency/applications");
  ASSERT_EQ(queue.status, 200) << queue.body;
  EXPECT_NE(queue.body.find(reference), std::string::npos);
  EXPECT_NE(queue.body.find("/agency/applications/" + id), std::string::npos);
  auto found = officer->get("/agency/applications?q=" + reference);
  EXPECT_NE(found.body.find(reference), std::string::npos);
  auto none = officer->get("/agency/applications?q=DBD-2500-000001-X");
  EXPECT_EQ(none.body.find(reference), std::string::npos);
  EXPECT_NE(none.body.find("data-queue-empty"), std::string::npos);
  auto by_state = officer->get("/agency/applications?state=approved");
  EXPECT_EQ(by_state.body.find(reference), std::string::npos);

  auto page = officer->get("/agency/applications/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-step=\"start_review\""), std::string::npos) << page.body;
  const std::string token = extract_csrf_token(page.body);
  auto revision = [&] {
    return std::to_string(parsed(call(applicant, "GET", "/api/v1/applications/" + id + "/steps"))
                              .at("revision")
                              .as_int64());
  };
  const std::string seen = revision();
  auto started =
      officer->post_form("/agency/applications/" + id + "/steps",
                         {{"csrf_token", token}, {"step", "start_review"}, {"revision", seen}});
  ASSERT_EQ(started.status, 303) << started.body;
  auto done = officer->get(started.header("Location"));
  EXPECT_NE(done.body.find("อยู่ระหว่างพิจารณา"), std::string::npos);

  // More information without saying what: shown again, what was typed kept.
  auto refused = officer->post_form("/agency/applications/" + id + "/steps",
                                    {{"csrf_token", token},
                                     {"step", "request_information"},
                                     {"revision", revision()},
                                     {"request_information-reason", "โปรดแก้จำนวนชุด"}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("error-summary"), std::string::npos);
  EXPECT_NE(refused.body.find("href=\"#request_information-items\""), std::string::npos);
  EXPECT_NE(refused.body.find(">โปรดแก้จำนวนชุด</textarea>"), std::string::npos) << refused.body;
  auto asked = officer->post_form("/agency/applications/" + id + "/steps",
                                  {{"csrf_token", token},
                                   {"step", "request_information"},
                                   {"revision", revision()},
                                   {"request_information-reason", "โปรดแก้จำนวนชุด"},
                                   {"request_information-items", "copies"}});
  ASSERT_EQ(asked.status, 303) << asked.body;
  // A step chosen on the page as it was before: someone else just acted.
  auto stale = officer->post_form(
      "/agency/applications/" + id + "/steps",
      {{"csrf_token", token}, {"step", "reject"}, {"revision", seen}, {"reject-reason", "ไม่ผ่าน"}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_NE(stale.body.find("มีผู้อื่นเพิ่งดำเนินการ"), std::string::npos);
  // Without a CSRF token nothing happens.
  auto forged =
      officer->post_form("/agency/applications/" + id + "/steps",
                         {{"step", "reject"}, {"revision", revision()}, {"reject-reason", "x"}});
  EXPECT_EQ(forged.status, 403);

  auto other = signed_in(app_->port(), accounts::demo_officer_email("bma"),
                         std::string(accounts::kDemoOfficerPassword));
  EXPECT_EQ(other->get("/agency/applications/" + id).status, 404);
  EXPECT_EQ(other->get("/agency/applications").body.find(reference), std::string::npos);
  auto citizen = signed_in_applicant(app_->port());
  EXPECT_EQ(citizen->get("/agency/applications").status, 403);
  EXPECT_EQ(citizen->get("/agency/applications/" + id).status, 403);  // by role, for any id
}

TEST_P(WorkflowIT, TheApplicantChangesWhatWasAskedForOnThePagesAndSendsItBack) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto officer = officer_token("dbd");
  const std::string id = submitted(applicant);
  ASSERT_EQ(step(officer, id, "start_review").status, 200);
  auto asked =
      step(officer, id, "request_information",
           {{"reason", "จำนวนชุดไม่ตรงกับค่าธรรมเนียมที่ชำระ"}, {"items", json::array{"copies"}}});
  ASSERT_EQ(asked.status, 200) << asked.body;
  auto answers = [&] {
    return parsed(call(applicant, "GET", "/api/v1/applications/" + id)).at("answers").as_object();
  };

  auto citizen = signed_in_applicant(app_->port());
  const std::string url = "/applications/" + id;
  EXPECT_NE(citizen->get("/applications").body.find("data-action-needed"), std::string::npos);
  auto shown = citizen->get(url);
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("data-asked"), std::string::npos) << shown.body;
  EXPECT_NE(shown.body.find("data-clock-paused"), std::string::npos);  // the time limit waits
  EXPECT_NE(shown.body.find("จำนวนชุดไม่ตรงกับค่าธรรมเนียมที่ชำระ"), std::string::npos);
  EXPECT_NE(shown.body.find("href=\"" + url + "/amend\""), std::string::npos);
  EXPECT_NE(shown.body.find("data-step=\"resubmit\""), std::string::npos);

  auto page = citizen->get(url + "/amend");
  ASSERT_EQ(page.status, 200) << page.body;
  // Only the question asked about, holding the answer given.
  EXPECT_NE(page.body.find("name=\"copies\""), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("name=\"juristic_id\""), std::string::npos);
  const std::string token = extract_csrf_token(page.body);
  const std::string revision =
      std::to_string(parsed(call(applicant, "GET", "/api/v1/applications/" + id + "/steps"))
                         .at("revision")
                         .as_int64());

  // Without a CSRF token, nothing.
  EXPECT_EQ(
      citizen
          ->post_form(
              url + "/amend",
              {{"revision", revision}, {"_shown", "copies"}, {"copies", "3"}, {"action", "send"}})
          .status,
      403);
  // A wrong answer: shown again as typed, with why, and nothing saved or sent.
  auto wrong = citizen->post_form(url + "/amend", {{"csrf_token", token},
                                                   {"revision", revision},
                                                   {"_shown", "copies"},
                                                   {"copies", "99"},
                                                   {"action", "send"}});
  ASSERT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_NE(wrong.body.find("error-summary"), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"99\""), std::string::npos);
  EXPECT_EQ(answers().at("copies").as_int64(), 1);
  // A question not asked about stays as it was, whatever is posted.
  auto sneaky = citizen->post_form(url + "/amend", {{"csrf_token", token},
                                                    {"revision", revision},
                                                    {"_shown", "copies"},
                                                    {"_shown", "juristic_id"},
                                                    {"juristic_id", "0105555000013"},
                                                    {"copies", "3"},
                                                    {"action", "save"}});
  ASSERT_EQ(sneaky.status, 303) << sneaky.body;
  EXPECT_EQ(answers().at("copies").as_int64(), 3);
  EXPECT_EQ(answers().at("juristic_id").as_string(), "0105555000005");
  // The page as it was before that save: refused, not overwritten.
  auto stale = citizen->post_form(url + "/amend", {{"csrf_token", token},
                                                   {"revision", revision},
                                                   {"_shown", "copies"},
                                                   {"copies", "4"},
                                                   {"action", "send"}});
  EXPECT_EQ(stale.status, 409) << stale.body;

  auto again = citizen->get(url + "/amend");
  ASSERT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("value=\"3\""), std::string::npos);
  const std::string now =
      std::to_string(parsed(call(applicant, "GET", "/api/v1/applications/" + id + "/steps"))
                         .at("revision")
                         .as_int64());
  auto sent = citizen->post_form(url + "/amend", {{"csrf_token", extract_csrf_token(again.body)},
                                                  {"revision", now},
                                                  {"_shown", "copies"},
                                                  {"copies", "2"},
                                                  {"action", "send"}});
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(sent.header("Location"), url + "?sent=1");
  EXPECT_EQ(answers().at("copies").as_int64(), 2);
  auto view = parsed(call(officer, "GET", "/api/v1/applications/" + id + "/steps"));
  EXPECT_EQ(view.at("state").at("id").as_string(), "resubmitted");
  auto after = citizen->get(url + "?sent=1");
  EXPECT_NE(after.body.find("ส่งถึงหน่วยงานแล้ว"), std::string::npos);
  EXPECT_NE(after.body.find("แก้ไขคำตอบ"), std::string::npos);  // on the timeline
  EXPECT_EQ(after.body.find("data-asked"), std::string::npos);
  EXPECT_EQ(after.body.find("data-clock-paused"), std::string::npos);
  // Nothing is asked any more: the page goes back to the application.
  EXPECT_EQ(citizen->get(url + "/amend").status, 303);
}

TEST_P(WorkflowIT, OfficersTakeAndHandOverApplicationsAndKeepNotesTheApplicantNeverSees) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto officer = officer_token("dbd");
  const auto supervisor = api_token(app_->port(), accounts::demo_supervisor_email("dbd"),
                                    std::string(accounts::kDemoOfficerPassword));
  const std::string id = submitted(applicant);
  const std::string api = "/api/v1/applications/" + id;
  auto seen = parsed(call(officer, "GET", api + "/steps"));
  EXPECT_TRUE(seen.at("assigned_to").is_null());
  // The applicant is not told who has it.
  EXPECT_FALSE(parsed(call(applicant, "GET", api + "/steps")).contains("assigned_to"));

  // The officer takes it from the unassigned pool.
  auto pool = parsed(call(officer, "GET", "/api/v1/agency/applications?assigned=none"));
  ASSERT_FALSE(pool.at("applications").as_array().empty());
  auto me = call(officer, "POST", api + "/assignment",
                 json::object{{"assignee", nullptr}, {"expected", nullptr}});
  EXPECT_EQ(me.status, 200) << me.body;  // nobody to nobody: nothing changes
  std::int64_t officer_id = 0;
  const auto staff = parsed(call(officer, "GET", "/api/v1/agency/staff"));
  for (const auto& m : staff.at("staff").as_array()) {
    if (m.at("you").as_bool()) officer_id = m.at("id").as_int64();
  }
  ASSERT_NE(officer_id, 0);
  EXPECT_EQ(call(applicant, "GET", "/api/v1/agency/staff").status, 403);
  auto taken = call(officer, "POST", api + "/assignment",
                    json::object{{"assignee", officer_id}, {"expected", nullptr}});
  ASSERT_EQ(taken.status, 200) << taken.body;
  EXPECT_EQ(parsed(taken).at("assigned_to").as_int64(), officer_id);
  auto mine = parsed(call(officer, "GET", "/api/v1/agency/applications?assigned=me"));
  bool listed = false;
  for (const auto& row : mine.at("applications").as_array()) {
    if (row.at("id").as_string() == id) {
      listed = true;
      EXPECT_EQ(row.at("assigned_to").at("id").as_int64(), officer_id);
    }
  }
  EXPECT_TRUE(listed);
  EXPECT_EQ(call(officer, "GET", "/api/v1/agency/applications?assigned=someone").status, 422);
  // From a stale view: refused.
  EXPECT_EQ(call(officer, "POST", api + "/assignment",
                 json::object{{"assignee", nullptr}, {"expected", nullptr}})
                .status,
            409);
  EXPECT_EQ(call(officer, "POST", api + "/assignment", json::object{{"assignee", "me"}}).status,
            422);

  // Notes: the agency's alone.
  auto noted =
      call(officer, "POST", api + "/notes", json::object{{"body", "ตรวจทะเบียนนิติบุคคลแล้ว ถูกต้อง"}});
  ASSERT_EQ(noted.status, 201) << noted.body;
  auto notes = parsed(call(supervisor, "GET", api + "/notes")).at("notes").as_array();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].at("body").as_string(), "ตรวจทะเบียนนิติบุคคลแล้ว ถูกต้อง");
  EXPECT_EQ(call(officer, "POST", api + "/notes", json::object{{"body", " "}}).status, 422);
  EXPECT_EQ(call(applicant, "GET", api + "/notes").status, 403);
  EXPECT_EQ(call(applicant, "POST", api + "/notes", json::object{{"body", "x"}}).status, 403);
  EXPECT_EQ(call(officer_token("bma"), "GET", api + "/notes").status, 404);
  EXPECT_EQ(call(officer_token("bma"), "POST", api + "/assignment",
                 json::object{{"assignee", nullptr}, {"expected", officer_id}})
                .status,
            404);

  // On the pages: the supervisor sees who has it and gives it back to the pool.
  auto boss = signed_in(app_->port(), accounts::demo_supervisor_email("dbd"),
                        std::string(accounts::kDemoOfficerPassword));
  auto page = boss->get("/agency/applications/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-reassign"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("ตรวจทะเบียนนิติบุคคลแล้ว ถูกต้อง"), std::string::npos);
  const std::string token = extract_csrf_token(page.body);
  auto given = boss->post_form(
      "/agency/applications/" + id + "/assignment",
      {{"csrf_token", token}, {"expected", std::to_string(officer_id)}, {"assignee", ""}});
  ASSERT_EQ(given.status, 303) << given.body;
  EXPECT_TRUE(parsed(call(officer, "GET", api + "/steps")).at("assigned_to").is_null());
  auto again = boss->post_form(
      "/agency/applications/" + id + "/assignment",
      {{"csrf_token", token}, {"expected", std::to_string(officer_id)}, {"assignee", ""}});
  EXPECT_EQ(again.status, 409);
  auto note = boss->post_form("/agency/applications/" + id + "/notes",
                              {{"csrf_token", token}, {"note", "ส่งต่อให้ทีมตรวจสอบ"}});
  ASSERT_EQ(note.status, 303) << note.body;
  auto blank = boss->post_form("/agency/applications/" + id + "/notes",
                               {{"csrf_token", token}, {"note", ""}});
  EXPECT_EQ(blank.status, 422);
  EXPECT_NE(blank.body.find("error-summary"), std::string::npos);
  EXPECT_EQ(boss->post_form("/agency/applications/" + id + "/notes", {{"note", "x"}}).status,
            403);  // no CSRF token

  // The applicant's page shows neither the notes nor who has it.
  auto citizen = signed_in_applicant(app_->port());
  auto own = citizen->get("/applications/" + id);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.body.find("ส่งต่อให้ทีมตรวจสอบ"), std::string::npos);
  EXPECT_EQ(own.body.find("ตรวจทะเบียนนิติบุคคลแล้ว"), std::string::npos);
  EXPECT_EQ(own.body.find("data-assignment"), std::string::npos);
  EXPECT_EQ(citizen
                ->post_form("/agency/applications/" + id + "/notes",
                            {{"csrf_token", extract_csrf_token(own.body)}, {"note", "x"}})
                .status,
            403);
}

TEST_P(WorkflowIT, TheApplicantAndTheAgencyWriteToEachOtherOnTheApplication) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto officer = officer_token("dbd");
  const std::string id = submitted(applicant);
  const std::string api = "/api/v1/applications/" + id + "/messages";

  // The agency writes; the applicant has one unread, then none once read.
  auto written = call(officer, "POST", api, json::object{{"body", "โปรดยืนยันชื่อผู้ติดต่อ"}});
  ASSERT_EQ(written.status, 201) << written.body;
  auto first = parsed(call(applicant, "GET", api));
  EXPECT_EQ(first.at("unread").as_int64(), 1);
  const auto& thread = first.at("messages").as_array();
  ASSERT_EQ(thread.size(), 1u);
  EXPECT_EQ(thread[0].at("from").as_string(), "agency");
  EXPECT_EQ(thread[0].at("body").as_string(), "โปรดยืนยันชื่อผู้ติดต่อ");
  EXPECT_FALSE(thread[0].as_object().contains("author_user_id"));  // which officer: not theirs
  EXPECT_EQ(parsed(call(applicant, "GET", api)).at("unread").as_int64(), 0);

  // The applicant answers with a file of their own wallet; someone else's id is refused.
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(4000, '\x42');
  auto created = bearer_request(app_->port(), applicant, "POST", "/api/v1/uploads", {},
                                {{"Tus-Resumable", "1.0.0"},
                                 {"Upload-Length", std::to_string(png.size())},
                                 {"Upload-Metadata", "filename aWQucG5n"}});  // id.png
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(bearer_request(app_->port(), applicant, "PATCH", created.header("Location"), png,
                           {{"Tus-Resumable", "1.0.0"},
                            {"Upload-Offset", "0"},
                            {"Content-Type", "application/offset+octet-stream"}})
                .status,
            204);
  const auto wallet = parsed(call(applicant, "GET", "/api/v1/wallet"));
  const std::string document(wallet.at("documents").as_array().at(0).at("id").as_string());
  EXPECT_EQ(
      call(applicant, "POST", api, json::object{{"body", "แนบบัตร"}, {"document", "nope"}}).status,
      422);
  auto answered =
      call(applicant, "POST", api, json::object{{"body", "แนบบัตรแล้ว"}, {"document", document}});
  ASSERT_EQ(answered.status, 201) << answered.body;
  // The queue says there is something to read.
  const auto queue = parsed(call(officer, "GET", "/api/v1/agency/applications"));
  bool flagged = false;
  for (const auto& row : queue.at("applications").as_array()) {
    if (row.at("id").as_string() == id) flagged = row.at("unread_messages").as_int64() == 1;
  }
  EXPECT_TRUE(flagged);
  auto seen = parsed(call(officer, "GET", api));
  EXPECT_EQ(seen.at("unread").as_int64(), 1);
  const auto& last = seen.at("messages").as_array().back();
  EXPECT_EQ(last.at("from").as_string(), "applicant");
  EXPECT_EQ(last.at("file").at("name").as_string(), "id.png");
  EXPECT_TRUE(seen.at("messages").as_array().front().as_object().contains("author_user_id"));

  // Empty, too long, or from outside: refused.
  EXPECT_EQ(call(officer, "POST", api, json::object{{"body", "  "}}).status, 422);
  std::string longest;
  for (int i = 0; i < 4001; ++i) longest += "ก";
  EXPECT_EQ(call(officer, "POST", api, json::object{{"body", longest}}).status, 422);
  EXPECT_EQ(call(officer_token("bma"), "GET", api).status, 404);
  EXPECT_EQ(call(officer_token("bma"), "POST", api, json::object{{"body", "x"}}).status, 404);
  // What a hostile client sends: too big, not JSON, not an object, the wrong types.
  const std::string huge = "{\"body\":\"" + std::string(64 * 1024, 'x') + "\"}";
  EXPECT_EQ(bearer_request(app_->port(), officer, "POST", api, huge,
                           {{"Content-Type", "application/json"}})
                .status,
            413);
  for (const std::string bad :
       {std::string("{\"body\":"), std::string("[1,2]"), std::string("{\"body\":7}"),
        std::string("{\"body\":\"x\",\"document\":[]}")}) {
    const auto refused = bearer_request(app_->port(), applicant, "POST", api, bad,
                                        {{"Content-Type", "application/json"}});
    EXPECT_TRUE(refused.status == 400 || refused.status == 422) << bad << " " << refused.status;
  }
  EXPECT_EQ(bearer_request(app_->port(), officer, "POST", "/api/v1/applications/" + id + "/notes",
                           huge, {{"Content-Type", "application/json"}})
                .status,
            413);
  // A thread nobody may read looks the same whether or not the application exists.
  EXPECT_EQ(call(applicant, "GET", "/api/v1/applications/nope/messages").status, 404);
  EXPECT_EQ(call(officer, "GET", "/api/v1/applications/nope/messages").status, 404);

  // On the pages: the officer sees the file and writes back; the applicant reads it.
  auto desk = signed_in(app_->port(), accounts::demo_officer_email("dbd"),
                        std::string(accounts::kDemoOfficerPassword));
  auto page = desk->get("/agency/applications/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("แนบบัตรแล้ว"), std::string::npos);
  const std::string file_url = "/agency/applications/" + id + "/messages/";
  const auto at = page.body.find(file_url);
  ASSERT_NE(at, std::string::npos) << page.body;
  const std::string link = page.body.substr(at, page.body.find('"', at) - at);
  auto file = desk->get(link);
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, png);
  EXPECT_EQ(desk->get("/agency/applications/" + id + "/messages/999999/file").status, 404);
  const std::string token = extract_csrf_token(page.body);
  auto blank = desk->post_form("/agency/applications/" + id + "/messages",
                               {{"csrf_token", token}, {"message", " "}});
  EXPECT_EQ(blank.status, 422);
  EXPECT_NE(blank.body.find("error-summary"), std::string::npos);
  auto reply = desk->post_form("/agency/applications/" + id + "/messages",
                               {{"csrf_token", token}, {"message", "ได้รับแล้ว ขอบคุณครับ"}});
  ASSERT_EQ(reply.status, 303) << reply.body;

  auto citizen = signed_in_applicant(app_->port());
  // My applications says there is a message to read, until it is read.
  auto listed = citizen->get("/applications");
  EXPECT_NE(listed.body.find("data-unread"), std::string::npos) << listed.body;
  auto own = citizen->get("/applications/" + id);
  ASSERT_EQ(own.status, 200);
  EXPECT_NE(own.body.find("ได้รับแล้ว ขอบคุณครับ"), std::string::npos);
  EXPECT_EQ(citizen->get("/applications").body.find("data-unread"), std::string::npos);
  EXPECT_NE(own.body.find("data-messages"), std::string::npos);
  const std::string mine = extract_csrf_token(own.body);
  // What was written is kept when it is refused.
  std::string too_long;
  for (int i = 0; i < 4001; ++i) too_long += "ข";
  auto refused = citizen->post_form("/applications/" + id + "/messages",
                                    {{"csrf_token", mine}, {"message", too_long}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find(too_long), std::string::npos);
  auto sent = citizen->post_form("/applications/" + id + "/messages",
                                 {{"csrf_token", mine}, {"message", "ขอบคุณค่ะ"}});
  EXPECT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(citizen->post_form("/applications/" + id + "/messages", {{"message", "x"}}).status,
            403);  // no CSRF token
}

TEST_P(WorkflowIT, TheApplicantChangesWhatWasAskedForOverTheApiAndSendsItBack) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto officer = officer_token("dbd");
  const std::string id = submitted(applicant);
  const std::string api = "/api/v1/applications/" + id + "/amendment";
  auto revision = [&] {
    return parsed(call(applicant, "GET", "/api/v1/applications/" + id + "/steps"))
        .at("revision")
        .as_int64();
  };
  // Nothing is asked yet: there is nothing to change.
  EXPECT_EQ(call(applicant, "POST", api,
                 json::object{{"answers", json::object{{"copies", 2}}}, {"revision", revision()}})
                .status,
            409);
  ASSERT_EQ(step(officer, id, "start_review").status, 200);
  ASSERT_EQ(step(officer, id, "request_information",
                 {{"reason", "กรุณาระบุจำนวนชุดให้ถูกต้อง"}, {"items", json::array{"copies"}}})
                .status,
            200);

  // The applicant's view says what was asked and why.
  auto mine = parsed(call(applicant, "GET", "/api/v1/applications/" + id + "/steps"));
  ASSERT_TRUE(mine.contains("information_request")) << json::serialize(mine);
  EXPECT_EQ(mine.at("information_request").at("reason").as_string(), "กรุณาระบุจำนวนชุดให้ถูกต้อง");
  EXPECT_EQ(mine.at("information_request").at("items").as_array(), (json::array{"copies"}));
  const auto at = mine.at("revision").as_int64();

  // Only what was asked, a valid answer, at the revision seen; each refusal changes nothing.
  auto other =
      call(applicant, "POST", api,
           json::object{{"answers", json::object{{"requester_name", "x"}}}, {"revision", at}});
  EXPECT_EQ(other.status, 422) << other.body;
  auto wrong = call(applicant, "POST", api,
                    json::object{{"answers", json::object{{"copies", "many"}}}, {"revision", at}});
  ASSERT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(parsed(wrong).at("errors").at(0).at("field"), "copies");
  EXPECT_EQ(call(applicant, "POST", api,
                 json::object{{"answers", json::object{{"copies", 3}}}, {"revision", at - 1}})
                .status,
            409);
  EXPECT_EQ(
      call(applicant, "POST", api, json::object{{"answers", json::object{{"copies", 3}}}}).status,
      422);
  EXPECT_EQ(
      call(applicant, "POST", api,
           json::object{{"answers", json::object{{"copies", 3}}}, {"revision", at}, {"send", 1}})
          .status,
      422);
  EXPECT_EQ(revision(), at);
  // Someone else's application is not found, whoever asks.
  auto stranger = signed_in_applicant(app_->port(), "1101700203034", "another long passphrase");
  const auto other_applicant = api_token(app_->port(), "1101700203034", "another long passphrase");
  EXPECT_EQ(call(other_applicant, "POST", api,
                 json::object{{"answers", json::object{{"copies", 3}}}, {"revision", at}})
                .status,
            404);
  EXPECT_EQ(call(officer, "POST", api,
                 json::object{{"answers", json::object{{"copies", 3}}}, {"revision", at}})
                .status,
            403);

  // Saved without sending: still with the applicant, the answer changed.
  auto saved = call(applicant, "POST", api,
                    json::object{{"answers", json::object{{"copies", 3}}}, {"revision", at}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  auto application = parsed(call(applicant, "GET", "/api/v1/applications/" + id));
  EXPECT_EQ(application.at("answers").at("copies").as_int64(), 3);
  EXPECT_EQ(parsed(call(applicant, "GET", "/api/v1/applications/" + id + "/steps"))
                .at("state")
                .at("clock"),
            "paused");
  // Then sent: back with the agency, and the officer's timeline has the change.
  auto sent =
      call(applicant, "POST", api,
           json::object{
               {"answers", json::object{{"copies", 4}}}, {"revision", revision()}, {"send", true}});
  ASSERT_EQ(sent.status, 200) << sent.body;
  auto theirs = parsed(call(officer, "GET", "/api/v1/applications/" + id + "/steps"));
  EXPECT_EQ(theirs.at("state").at("id"), "resubmitted");
  EXPECT_FALSE(theirs.contains("information_request"));
  // The officer who has it is told in the portal.
  auto told = parsed(call(officer, "GET", "/api/v1/notifications"));
  const auto& newest = told.at("notifications").as_array().at(0).as_object();
  EXPECT_EQ(newest.at("topic").as_string(), "applications.applicant_step");
  EXPECT_NE(std::string(newest.at("text").as_string()).find(theirs.at("reference").as_string()),
            std::string::npos)
      << newest.at("text");
  EXPECT_EQ(newest.at("link").as_string(), "/agency/applications/" + id);
  EXPECT_EQ(call(applicant, "POST", api,
                 json::object{{"answers", json::object{{"copies", 5}}}, {"revision", revision()}})
                .status,
            409);
}

PRATU_INSTANTIATE_ENGINE_TESTS(WorkflowIT);

}  // namespace
}  // namespace pratu::test
