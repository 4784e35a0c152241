// The applicant's side of applications on both engines: drafts, saves, one submission however
// many arrive at once, and nobody else's application within reach.

#include "domains/applications/application_service.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "common/civil_date.hpp"
#include "domains/applications/applications_test_fixture.hpp"
#include "domains/applications/form_loader.hpp"
#include "domains/applications/reference_number.hpp"
#include "domains/applications/upload_service.hpp"
#include "domains/applications/workflow_loader.hpp"
#include "platform/holiday_file.hpp"
#include "support/test_databases.hpp"

namespace pratu::applications {
namespace {

namespace json = boost::json;

constexpr std::string_view kForm = R"(pages:
  - id: who
    title: {th: ผู้ยื่น, en: You}
    fields:
      - id: given_name
        type: text
        label: {th: ชื่อ, en: Given name}
        required: true
        prefill: profile.given_name
      - id: mobile
        type: phone
        label: {th: มือถือ, en: Mobile}
        required: true
        prefill: profile.mobile
  - id: shop
    title: {th: ร้าน, en: Shop}
    fields:
      - id: shop_name
        type: text
        label: {th: ชื่อร้าน, en: Shop name}
        required: true
      - id: delivery
        type: choice
        label: {th: ส่ง, en: Delivery}
        choices:
          - {code: "yes", th: ใช่, en: "Yes"}
          - {code: "no", th: ไม่, en: "No"}
      - id: riders
        type: integer
        label: {th: คนส่ง, en: Riders}
        required: true
        show_if: "${delivery} = 'yes'"
      - id: licence
        type: document
        document: licence
        label: {th: ใบอนุญาต, en: Licence}
  - id: declaration
    title: {th: คำรับรอง, en: Declaration}
    fields:
      - id: declaration
        type: declaration
        label: {th: จริง, en: True}
)";

// The smallest workflow: a submission is decided.
constexpr std::string_view kWorkflow = R"(initial: submitted
states:
  - {id: submitted, label: {th: ยื่นแล้ว, en: Submitted}, clock: running}
  - {id: decided, label: {th: แล้ว, en: Decided}, terminal: true}
transitions:
  - {id: decide, label: {th: ตัดสิน, en: Decide}, from: submitted, to: decided, by: officer}
)";

class Directory final : public platform::ServiceDirectory {
 public:
  Directory() {
    info_.slug = "shop";
    info_.agency = "bma";
    info_.name_th = "ร้าน";
    info_.name_en = "Shop";
    info_.time_limit_working_days = 15;
    info_.source_file = "services/bma/shop.yaml";
    info_.documents = {{"licence", "ใบอนุญาต", "Licence", false}};
  }
  std::filesystem::path directory() const override { return "services"; }
  const platform::ServiceInfo* service(std::string_view slug) const override {
    return slug == info_.slug ? &info_ : nullptr;
  }
  std::vector<const platform::ServiceInfo*> services() const override { return {&info_}; }
  platform::ServiceInfo info_;
};

class Profiles final : public platform::ProfileDirectory {
 public:
  Result<std::optional<platform::Profile>> profile(std::int64_t) override {
    return std::optional<platform::Profile>(
        platform::Profile{"ms", "สมหญิง", "ใจดี", "1234567890121", "", mobile, ""});
  }
  Result<void> set_mobile(std::int64_t, std::string_view typed) override {
    mobile = "0" + std::string(typed.substr(3));  // "+66…" as the form keeps it
    return ok();
  }
  std::string mobile = "0812345678";
};

class SequenceRandom final : public Random {
 public:
  std::string bytes(std::size_t n) override {
    std::string out(n, '\0');
    const auto k = next_++;
    for (std::size_t i = 0; i < n && i < 8; ++i) out[i] = static_cast<char>((k >> (8 * i)) & 0xff);
    return out;
  }

 private:
  std::atomic<std::uint64_t> next_{1};
};

class ApplicationServiceTest : public testing::ApplicantsTest {
 protected:
  void SetUp() override {
    testing::ApplicantsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto form = parse_form(kForm, "services/bma/shop/form.yaml", directory_.info_);
    ASSERT_TRUE(form) << form.error().detail;
    forms_.emplace("shop", std::move(*form));
    auto workflow = parse_workflow(kWorkflow, "services/bma/shop/workflow.yaml", directory_.info_);
    ASSERT_TRUE(workflow) << workflow.error().detail;
    workflows_.emplace("shop", std::move(*workflow));
    auto calendar =
        platform::load_holiday_file(PRATU_SOURCE_DIR "/datasets/holidays/th-government.yaml");
    ASSERT_TRUE(calendar) << calendar.error().detail;
    calendar_.replace(std::move(*calendar));
    service_ = std::make_unique<ApplicationService>(database(), clock_, random_, forms_, workflows_,
                                                    directory_, nullptr, calendar_, &profiles_,
                                                    ApplicationsSettings{});
  }

  // A draft of alice's, every question answered but the declaration.
  Application filled_draft() {
    auto draft = service_->start(alice_, "shop");
    EXPECT_TRUE(draft) << draft.error().detail;
    auto saved = service_->save(alice_, draft->public_id,
                                json::object{{"shop_name", "ร้านป้าศรี"}, {"delivery", "no"}});
    EXPECT_TRUE(saved) << saved.error().detail;
    return *saved;
  }

  SequenceRandom random_;
  Directory directory_;
  Profiles profiles_;
  Forms forms_;
  Workflows workflows_;
  SharedCalendar calendar_;
  std::unique_ptr<ApplicationService> service_;
};

TEST_P(ApplicationServiceTest, ADraftStartsWithWhatTheProfileKnowsAndIsReopenedNotDoubled) {
  auto draft = service_->start(alice_, "shop");
  ASSERT_TRUE(draft) << draft.error().detail;
  EXPECT_EQ(draft->status, Status::draft);
  EXPECT_EQ(draft->answers.at("given_name"), "สมหญิง");
  EXPECT_EQ(draft->answers.at("mobile"), "+66812345678");  // kept as the form keeps phones
  EXPECT_EQ(draft->form_version, forms_.at("shop").version);
  EXPECT_EQ(draft->public_id.size(), 32u);
  auto again = service_->start(alice_, "shop");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->public_id, draft->public_id);
  auto closed = service_->start(alice_, "no-such-service");
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().message_key, "applications.errors.service_closed");
}

TEST_P(ApplicationServiceTest, SavesKeepEveryAnswerAndRefuseAStaleRevision) {
  auto draft = filled_draft();
  auto more = service_->save(alice_, draft.public_id, json::object{{"delivery", "yes"}});
  ASSERT_TRUE(more);
  auto back = service_->save(alice_, draft.public_id, json::object{{"delivery", "no"}});
  ASSERT_TRUE(back);
  EXPECT_EQ(back->answers.at("shop_name"), "ร้านป้าศรี");
  EXPECT_EQ(back->revision, draft.revision + 2);
  auto erased = service_->save(alice_, draft.public_id, json::object{{"shop_name", nullptr}});
  ASSERT_TRUE(erased);
  EXPECT_FALSE(erased->answers.contains("shop_name"));
  auto stale =
      service_->save(alice_, draft.public_id, json::object{{"shop_name", "x"}}, draft.revision);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().message_key, "applications.errors.saved_elsewhere");
  auto found = service_->find(alice_, draft.public_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->answers, erased->answers);  // the stale save changed nothing
}

// A save over the draft as the caller read it: one guarded UPDATE when nobody saved since;
// otherwise nothing saved meanwhile is lost, a submitted draft is not changed, and somebody
// else's is not found.
TEST_P(ApplicationServiceTest, ASaveOverWhatWasReadLosesNothingSavedMeanwhile) {
  auto read = filled_draft();
  auto quick = service_->save(alice_, read, json::object{{"delivery", "yes"}});
  ASSERT_TRUE(quick) << quick.error().detail;
  EXPECT_EQ(quick->revision, read.revision + 1);
  EXPECT_EQ(quick->answers.at("shop_name"), "ร้านป้าศรี");

  // `read` is now one revision behind: the other device's answer stays.
  auto late = service_->save(alice_, read, json::object{{"shop_name", "ร้านลุงมา"}});
  ASSERT_TRUE(late) << late.error().detail;
  EXPECT_EQ(late->revision, read.revision + 2);
  EXPECT_EQ(late->answers.at("delivery"), "yes");
  EXPECT_EQ(late->answers.at("shop_name"), "ร้านลุงมา");
  auto stored = service_->find(alice_, read.public_id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->answers, late->answers);
  EXPECT_EQ(stored->revision, late->revision);

  // A revision the caller insists on is still checked.
  auto stale = service_->save(alice_, read, json::object{{"shop_name", "x"}}, read.revision);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().message_key, "applications.errors.saved_elsewhere");

  auto theirs = service_->save(bob_, *stored, json::object{{"shop_name", "x"}});
  ASSERT_FALSE(theirs);
  EXPECT_EQ(theirs.error().code, ErrorCode::not_found);

  auto fresh = *service_->find(alice_, read.public_id);
  auto sent = service_->submit(alice_, fresh.public_id, "k",
                               json::object{{"declaration", true}, {"delivery", "no"}});
  ASSERT_TRUE(sent) << sent.error().detail;
  ASSERT_TRUE(sent->now) << sent->incomplete;
  auto after = service_->save(alice_, fresh, json::object{{"shop_name", "x"}});
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().message_key, "applications.errors.already_submitted");
}

TEST_P(ApplicationServiceTest, NobodyElseCanReadChangeOrSubmitADraft) {
  auto draft = filled_draft();
  auto read = service_->find(bob_, draft.public_id);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::not_found);
  // The same answer as for an application that does not exist: nothing to learn from it.
  auto absent = service_->find(bob_, "00000000000000000000000000000000");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().message_key, read.error().message_key);
  auto changed = service_->save(bob_, draft.public_id, json::object{{"shop_name", "x"}});
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, ErrorCode::not_found);
  auto submitted = service_->submit(bob_, draft.public_id, "key");
  ASSERT_FALSE(submitted);
  EXPECT_EQ(submitted.error().code, ErrorCode::not_found);
  auto listed = service_->list(bob_);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
  auto mine = service_->find(alice_, draft.public_id);
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->answers.at("shop_name"), "ร้านป้าศรี");
  EXPECT_EQ(mine->status, Status::draft);
}

TEST_P(ApplicationServiceTest, AnIncompleteDraftIsNotSubmittedAndSaysWhereTheGapIs) {
  auto draft = filled_draft();
  auto saved = service_->save(alice_, draft.public_id, json::object{{"delivery", "yes"}});
  ASSERT_TRUE(saved);
  auto refused = service_->submit(alice_, draft.public_id, "key");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(refused.error().detail, "shop");  // riders, now asked, is unanswered
  auto still = service_->find(alice_, draft.public_id);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, Status::draft);
}

TEST_P(ApplicationServiceTest, TheDeclarationTickedWithTheSubmitIsSavedInTheSameTransaction) {
  auto draft = filled_draft();
  ASSERT_TRUE(service_->save(alice_, draft.public_id, json::object{{"delivery", "yes"}}));
  // Incomplete elsewhere: nothing submitted, but the tick is kept and the gap named.
  auto gap = service_->submit(alice_, draft.public_id, "key", json::object{{"declaration", true}});
  ASSERT_TRUE(gap) << gap.error().detail;
  EXPECT_EQ(gap->incomplete, "shop");
  EXPECT_FALSE(gap->now);
  EXPECT_EQ(gap->application.status, Status::draft);
  auto kept = service_->find(alice_, draft.public_id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->answers.at("declaration"), true);
  EXPECT_EQ(kept->revision, draft.revision + 2);
  // Complete: the tick and the submission are one commit.
  ASSERT_TRUE(service_->save(alice_, draft.public_id,
                             json::object{{"riders", 3}, {"declaration", nullptr}}));
  auto sent = service_->submit(alice_, draft.public_id, "key", json::object{{"declaration", true}});
  ASSERT_TRUE(sent) << sent.error().detail;
  EXPECT_TRUE(sent->now);
  EXPECT_TRUE(sent->incomplete.empty());
  EXPECT_EQ(sent->application.status, Status::submitted);
  EXPECT_EQ(sent->application.answers.at("declaration"), true);
  // It enters its workflow's first state, pinned to the workflow's version, and so it reads.
  EXPECT_EQ(sent->application.state, "submitted");
  EXPECT_EQ(sent->application.workflow_version, workflows_.at("shop").version);
  auto read = service_->find(alice_, draft.public_id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->state, "submitted");
  EXPECT_EQ(read->state_since, sent->application.submitted_at);
  EXPECT_EQ(read->workflow_version, workflows_.at("shop").version);
  // Without the tick: refused as incomplete, on the declaration's page.
  auto other = service_->start(bob_, "shop");
  ASSERT_TRUE(other);
  auto undeclared = service_->submit(bob_, other->public_id, "k", json::object{{"shop_name", "b"}});
  ASSERT_TRUE(undeclared);
  EXPECT_FALSE(undeclared->incomplete.empty());
  EXPECT_EQ(service_->find(bob_, other->public_id)->answers.at("shop_name"), "b");
}

TEST_P(ApplicationServiceTest, AMobileNumberGivenDifferentlyIsOfferedBackToTheProfileOnce) {
  auto draft = filled_draft();
  ASSERT_TRUE(service_->save(alice_, draft.public_id,
                             json::object{{"mobile", "+66891112222"}, {"declaration", true}}));
  auto unsent = service_->find(alice_, draft.public_id);
  ASSERT_TRUE(unsent);
  // Nothing is offered from a draft.
  EXPECT_FALSE(service_->profile_offer(alice_, *unsent).value());
  auto sent = service_->submit(alice_, draft.public_id, "key");
  ASSERT_TRUE(sent) << sent.error().detail;
  auto offer = service_->profile_offer(alice_, sent->application);
  ASSERT_TRUE(offer);
  ASSERT_TRUE(offer->has_value());
  EXPECT_EQ((*offer)->field->id, "mobile");
  EXPECT_EQ((*offer)->answer, "+66891112222");
  ASSERT_TRUE(service_->accept_profile_offer(alice_, draft.public_id));
  EXPECT_EQ(profiles_.mobile, "0891112222");
  EXPECT_FALSE(service_->profile_offer(alice_, sent->application).value());
  auto again = service_->accept_profile_offer(alice_, draft.public_id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message_key, "applications.errors.nothing_to_update");
  // Someone else's application offers them nothing and changes nothing.
  auto stranger = service_->accept_profile_offer(bob_, draft.public_id);
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, ErrorCode::not_found);
}

TEST_P(ApplicationServiceTest, SubmittingPrunesFixesTheReferenceAndTheDueDate) {
  auto draft = filled_draft();
  // Answered while delivery was yes, then no: kept in the draft, never submitted.
  ASSERT_TRUE(service_->save(alice_, draft.public_id, json::object{{"riders", 3}}));
  ASSERT_TRUE(service_->save(alice_, draft.public_id, json::object{{"declaration", true}}));
  auto submitted = service_->submit(alice_, draft.public_id, "key-1");
  ASSERT_TRUE(submitted) << submitted.error().detail;
  const Application& a = submitted->application;
  EXPECT_TRUE(submitted->now);
  EXPECT_EQ(a.status, Status::submitted);
  EXPECT_FALSE(a.answers.contains("riders"));
  EXPECT_EQ(a.answers.at("shop_name"), "ร้านป้าศรี");
  EXPECT_EQ(a.reference.substr(0, 16), "BMA-2569-000001-");
  EXPECT_EQ(read_reference(a.reference), a.reference);
  // 15 working days from Wednesday 2 December 2026: the weekends, Monday 7 December (Father's
  // Day falls on a Saturday, so it is made up) and 10 December are not working days
  // (datasets/holidays/th-government.yaml).
  EXPECT_EQ(a.due_date, "2026-12-25");
  EXPECT_FALSE(a.due_date_provisional);
  auto found = service_->find(alice_, a.public_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->reference, a.reference);
  EXPECT_EQ(found->answers, a.answers);
  auto timeline = service_->timeline(*found);
  ASSERT_TRUE(timeline);
  ASSERT_EQ(timeline->size(), 2u);
  EXPECT_EQ((*timeline)[0].kind, "started");
  EXPECT_EQ((*timeline)[1].kind, "submitted");
  auto change = service_->save(alice_, a.public_id, json::object{{"shop_name", "x"}});
  ASSERT_FALSE(change);
  EXPECT_EQ(change.error().message_key, "applications.errors.already_submitted");
  // The next application of the agency that year takes the next number.
  auto second = service_->start(bob_, "shop");
  ASSERT_TRUE(second);
  ASSERT_TRUE(service_->save(bob_, second->public_id,
                             json::object{{"shop_name", "b"}, {"declaration", true}}));
  auto next = service_->submit(bob_, second->public_id, "k");
  ASSERT_TRUE(next) << next.error().detail;
  EXPECT_EQ(next->application.reference.substr(0, 16), "BMA-2569-000002-");
}

// 100 submits of one draft with one key, all at once: one application, 100 identical answers.
TEST_P(ApplicationServiceTest, AHundredConcurrentSubmitsMakeOneApplication) {
  auto draft = filled_draft();
  ASSERT_TRUE(service_->save(alice_, draft.public_id, json::object{{"declaration", true}}));
  constexpr int kSubmits = 100;
  std::vector<Result<Submitted>> results(kSubmits, Error::internal("not run"));
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int i = 0; i < kSubmits; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      results[i] = service_->submit(alice_, draft.public_id, "one-key");
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  int now = 0;
  std::set<std::string> references;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().detail;
    now += r->now ? 1 : 0;
    EXPECT_TRUE(r->same_key);
    references.insert(r->application.reference);
    EXPECT_EQ(r->application.answers, results[0]->application.answers);
    EXPECT_EQ(r->application.due_date, results[0]->application.due_date);
  }
  EXPECT_EQ(now, 1);
  EXPECT_EQ(references.size(), 1u);
  auto all = service_->list(alice_);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().status, Status::submitted);
  auto count =
      database().read_value<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
        PRATU_TRY(row, c.query_one("SELECT last FROM application_sequences"));
        return row->int64(0);
      });
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 1);  // no number was spent on a repeat
  // Another key later: the same application, and the caller learns it was a repeat.
  auto later = service_->submit(alice_, draft.public_id, "other-key");
  ASSERT_TRUE(later);
  EXPECT_FALSE(later->now);
  EXPECT_FALSE(later->same_key);
  EXPECT_EQ(later->application.reference, *references.begin());
}

TEST_P(ApplicationServiceTest, AnAttachedFileIsFoundForItsOwnerAloneAndAfterSubmission) {
  Application draft = filled_draft();
  const std::string sha(64, 'e');
  WalletDocument licence;
  licence.public_id = "d1";
  licence.sha256 = sha;
  licence.media_type = "application/pdf";
  licence.size_bytes = 2000;
  licence.filename = "ใบ.pdf";
  ASSERT_TRUE(service_->save(alice_, draft.public_id,
                             json::object{{"licence", document_answer(licence, "wallet")}}));
  auto missing = [&](const Result<AttachedFile>& r) {
    return !r && r.error().code == ErrorCode::not_found &&
           r.error().message_key == "applications.errors.document_missing";
  };
  auto mine = service_->attached(alice_, draft.public_id, "licence");
  ASSERT_TRUE(mine) << mine.error().detail;
  EXPECT_EQ(mine->sha256, sha);
  EXPECT_EQ(mine->name, "ใบ.pdf");
  EXPECT_TRUE(missing(service_->attached(bob_, draft.public_id, "licence")));
  EXPECT_TRUE(missing(service_->attached(alice_, "no-such-application", "licence")));
  EXPECT_TRUE(missing(service_->attached(alice_, draft.public_id, "shop_name")));
  EXPECT_TRUE(missing(service_->attached(alice_, draft.public_id, "licence.a.b")));

  ASSERT_TRUE(
      service_->submit(alice_, draft.public_id, "key", json::object{{"declaration", true}}));
  auto submitted = service_->attached(alice_, draft.public_id, "licence");
  ASSERT_TRUE(submitted) << submitted.error().detail;
  EXPECT_EQ(submitted->media_type, "application/pdf");
  EXPECT_TRUE(missing(service_->attached(bob_, draft.public_id, "licence")));
}

TEST_P(ApplicationServiceTest, AnOldDraftIsDeletedOnlyAfterItsApplicantWasTold) {
  auto draft = filled_draft();
  auto outbox = [&] {
    return database().read_value<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
      PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM outbox "
                                 "WHERE topic = 'applications.draft_expiring'"));
      return row->int64(0);
    });
  };
  clock_.advance(std::chrono::days(80));  // within the 90 days, past 90 - 14
  auto swept = service_->sweep_drafts();
  ASSERT_TRUE(swept) << swept.error().detail;
  EXPECT_EQ(*swept, 0);
  EXPECT_EQ(*outbox(), 1);
  ASSERT_TRUE(service_->sweep_drafts());
  EXPECT_EQ(*outbox(), 1);                // told once
  clock_.advance(std::chrono::days(16));  // 96 days untouched, told 16 days ago
  swept = service_->sweep_drafts();
  ASSERT_TRUE(swept);
  EXPECT_EQ(*swept, 1);
  EXPECT_FALSE(service_->find(alice_, draft.public_id));
}

// The limits to the second: told when 76 days (90 - 14) have passed since the last change,
// deleted when 90 have, and never sooner than 14 days after being told, however late that was.
TEST_P(ApplicationServiceTest, ADraftGoesNinetyDaysAfterItsLastChangeAndTwoWeeksAfterTheWarning) {
  using std::chrono::days;
  using std::chrono::seconds;
  auto told = [&] {
    return *database().read_value<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
      PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM outbox "
                                 "WHERE topic = 'applications.draft_expiring'"));
      return row->int64(0);
    });
  };
  auto sweep = [&] {
    auto swept = service_->sweep_drafts();
    EXPECT_TRUE(swept) << swept.error().detail;
    return swept ? *swept : -1;
  };
  auto draft = filled_draft();
  clock_.advance(days(76));
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(told(), 0) << "told on the 76th day exactly, not after it";
  clock_.advance(seconds(1));
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(told(), 1);
  clock_.advance(days(14) - seconds(1));  // 90 days since the change, to the second
  EXPECT_EQ(sweep(), 0);
  EXPECT_TRUE(service_->find(alice_, draft.public_id));
  clock_.advance(seconds(1));
  EXPECT_EQ(sweep(), 1);
  EXPECT_FALSE(service_->find(alice_, draft.public_id));

  // Pratu was not running to tell the applicant in time: told on day 85, the draft stays
  // until 14 days after that, day 99.
  auto late = filled_draft();
  clock_.advance(days(85));
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(told(), 2);
  clock_.advance(days(14) - seconds(1));
  EXPECT_EQ(sweep(), 0);
  EXPECT_TRUE(service_->find(alice_, late.public_id));
  clock_.advance(seconds(1));
  EXPECT_EQ(sweep(), 1);
  EXPECT_FALSE(service_->find(alice_, late.public_id));
}

TEST_P(ApplicationServiceTest, ADraftTouchedAfterTheWarningIsKept) {
  auto draft = filled_draft();
  clock_.advance(std::chrono::days(80));
  ASSERT_TRUE(service_->sweep_drafts());
  ASSERT_TRUE(service_->save(alice_, draft.public_id, json::object{{"shop_name", "ใหม่"}}));
  clock_.advance(std::chrono::days(20));
  auto swept = service_->sweep_drafts();
  ASSERT_TRUE(swept);
  EXPECT_EQ(*swept, 0);
  EXPECT_TRUE(service_->find(alice_, draft.public_id));
}

PRATU_INSTANTIATE_ENGINE_TESTS(ApplicationServiceTest);

}  // namespace
}  // namespace pratu::applications
