#include "domains/notifications/outbox_dispatcher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "domains/notifications/draft_expiry_mail.hpp"
#include "domains/notifications/mail_test_support.hpp"
#include "domains/notifications/smtp_test_sink.hpp"
#include "domains/notifications/text_message.hpp"
#include "platform/outbox.hpp"
#include "support/temp_dir.hpp"
#include "support/test_databases.hpp"

namespace pratu::notifications {
namespace {

class CountingRandom final : public Random {
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

// Records what it is given and answers as told.
class FakeTransport final : public MailTransport {
 public:
  SendResult send(const Envelope& envelope, std::string_view message) override {
    // Once only, and moved out first: the hook may claim, which sends nothing.
    if (auto hook = std::exchange(during_send, nullptr)) hook();
    std::lock_guard lock(mutex_);
    envelopes.push_back(envelope);
    messages.emplace_back(message);
    return answer;
  }
  SendResult answer{Delivery::sent, {}};
  std::function<void()> during_send;  // runs once, while the next message is "sent"
  std::vector<Envelope> envelopes;
  std::vector<std::string> messages;

 private:
  std::mutex mutex_;
};

class FakeProfiles final : public platform::ProfileDirectory {
 public:
  Result<std::optional<platform::Profile>> profile(std::int64_t user_id) override {
    if (user_id == 1)
      return platform::Profile{"mr", "สมชาย", "ใจดี", "", "somchai@example.com", "", ""};
    if (user_id == 2)
      return platform::Profile{"ms", "Jane", "Doe", "", "jane@example.com", "", "en"};
    if (user_id == 3) return platform::Profile{"mr", "ไม่มี", "อีเมล", "1234567890121", "", "", ""};
    if (user_id == 4)
      return platform::Profile{"ms", "มือ", "ถือ", "", "m@example.com", "0812345678", ""};
    return std::optional<platform::Profile>();
  }
  Result<void> set_mobile(std::int64_t, std::string_view) override { return ok(); }
};

class OutboxDispatcherTest : public pratu::test::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto loaded = web::Translations::load(PRATU_SOURCE_DIR "/locales");
    ASSERT_TRUE(loaded) << loaded.error().detail;
    translations_ = std::make_unique<web::Translations>(std::move(*loaded));
    mail_ = std::make_unique<DraftExpiryMail>(profiles_, nullptr, *translations_,
                                              "https://pratu.example.go.th/");
    settings_.from_address = "no-reply@pratu.example.go.th";
    settings_.message_id_domain = "pratu.example.go.th";
  }

  std::unique_ptr<OutboxDispatcher> dispatcher(std::string worker) {
    auto d = std::make_unique<OutboxDispatcher>(database(), clock_, random_, transport_, settings_,
                                                "key", std::move(worker));
    d->add_topic(kDraftExpiringTopic, [this](const OutboxJob& job) { return mail_->compose(job); });
    return d;
  }

  std::int64_t enqueue(std::int64_t user_id, std::string topic = kDraftExpiringTopic) {
    const std::string payload = "{\"user_id\":" + std::to_string(user_id) +
                                ",\"application\":\"AB12CD34\",\"service\":\"shop-permit\","
                                "\"deleted_after\":1781000000}";
    auto id =
        database().write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(row,
                    c.query_one("INSERT INTO outbox (topic, payload, created_at, available_at) "
                                "VALUES ($1, $2, $3, $3) RETURNING id",
                                {topic, payload, clock_.now_seconds()}));
          return row->int64(0);
        });
    EXPECT_TRUE(id) << id.error().detail;
    return id ? *id : 0;
  }

  struct RowState {
    int attempts = 0;
    bool done = false;
    std::optional<std::string> claimed_by;
    std::optional<std::string> last_error;
    std::int64_t available_at = 0;
  };
  RowState row(std::int64_t id) {
    auto found = database().read_value<RowState>([&](storage::Connection& c) -> Result<RowState> {
      PRATU_TRY(r, c.query_one("SELECT attempts, done_at, claimed_by, last_error, available_at "
                               "FROM outbox WHERE id = $1",
                               {id}));
      if (!r) return Error::not_found("no row");
      return RowState{static_cast<int>(r->int64(0)), !r->is_null(1), r->optional_text(2),
                      r->optional_text(3), r->int64(4)};
    });
    EXPECT_TRUE(found) << found.error().detail;
    return found ? *found : RowState{};
  }

  FakeClock clock_{1'780'000'000};
  CountingRandom random_;
  FakeTransport transport_;
  FakeProfiles profiles_;
  NotificationSettings settings_;
  std::unique_ptr<web::Translations> translations_;
  std::unique_ptr<DraftExpiryMail> mail_;
};

TEST_P(OutboxDispatcherTest, SendsADueRowInThaiAndMarksItDone) {
  const auto id = enqueue(1);
  auto counts = dispatcher("a")->run_once();
  ASSERT_TRUE(counts) << counts.error().detail;
  EXPECT_EQ(counts->sent, 1);
  ASSERT_EQ(transport_.messages.size(), 1u);
  EXPECT_EQ(transport_.envelopes[0].to, "somchai@example.com");
  EXPECT_EQ(transport_.envelopes[0].from, "no-reply@pratu.example.go.th");
  const auto& message = transport_.messages[0];
  const auto subject_at = message.find("\r\nSubject: ") + 11;
  const auto subject = message.substr(subject_at, message.find("\r\nDate:") - subject_at);
  EXPECT_EQ(test::decode_header(subject), "ร่างคำขอ shop-permit ของท่านจะถูกลบ");
  // The text part: the Buddhist-era date and the link, nothing of the person.
  const auto text_at = message.find("base64\r\n\r\n") + 10;
  const std::string text =
      test::base64_decode(message.substr(text_at, message.find("--=_", text_at) - text_at));
  EXPECT_NE(text.find("2569"), std::string::npos) << text;
  EXPECT_NE(text.find("https://pratu.example.go.th/applications/AB12CD34"), std::string::npos);
  EXPECT_EQ(text.find("สมชาย"), std::string::npos);
  const auto state = row(id);
  EXPECT_TRUE(state.done);
  EXPECT_EQ(state.attempts, 1);
  EXPECT_FALSE(state.last_error);
}

// Records the text messages it is given and answers as told.
class FakeSms final : public SmsProvider {
 public:
  SendResult send(std::string_view phone, std::string_view text) override {
    sent.emplace_back(std::string(phone), std::string(text));
    return answer;
  }
  SendResult answer{Delivery::sent, {}};
  std::vector<std::pair<std::string, std::string>> sent;
};

TEST_P(OutboxDispatcherTest, SendsTextMessagesOnTheirOwnRowsOnlyToThoseWithAMobile) {
  TextMessages texts(profiles_, nullptr, *translations_);
  FakeSms sms;
  auto d = dispatcher("a");
  d->add_text_topic(
      kStepTakenTextTopic, [&](const OutboxJob& job) { return texts.compose(job); }, &sms);
  auto enqueue_text = [&](std::int64_t user_id) {
    const std::string payload = "{\"user_id\":" + std::to_string(user_id) +
                                ",\"application\":\"AB12CD34\",\"service\":\"shop-permit\","
                                "\"status\":{\"th\":\"อนุมัติแล้ว\",\"en\":\"Approved\"}}";
    auto id =
        database().write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(r,
                    c.query_one("INSERT INTO outbox (topic, payload, created_at, available_at) "
                                "VALUES ($1, $2, $3, $3) RETURNING id",
                                {std::string(kStepTakenTextTopic), payload, clock_.now_seconds()}));
          return r->int64(0);
        });
    EXPECT_TRUE(id);
    return id ? *id : 0;
  };
  const auto with_mobile = enqueue_text(4);
  const auto without = enqueue_text(1);
  const auto mail = enqueue(4);
  auto counts = d->run_once();
  ASSERT_TRUE(counts) << counts.error().detail;
  EXPECT_EQ(counts->claimed, 3);
  // One text, to the number in E.164, in Thai with the status and no link.
  ASSERT_EQ(sms.sent.size(), 1u);
  EXPECT_EQ(sms.sent[0].first, "+66812345678");
  EXPECT_NE(sms.sent[0].second.find("อนุมัติแล้ว"), std::string::npos) << sms.sent[0].second;
  EXPECT_EQ(sms.sent[0].second.find("http"), std::string::npos);
  // The mail row went by mail, not by text.
  EXPECT_EQ(transport_.messages.size(), 1u);
  EXPECT_TRUE(row(with_mobile).done);
  EXPECT_TRUE(row(without).done);  // nothing to send is done, not retried
  EXPECT_TRUE(row(mail).done);

  // A gateway that fails for now: the text is tried again later, the mail is not touched.
  sms.answer = {Delivery::retryable, "http 503"};
  const auto again = enqueue_text(4);
  ASSERT_TRUE(d->run_once());
  EXPECT_FALSE(row(again).done);
  EXPECT_EQ(row(again).last_error, "http 503");
  EXPECT_EQ(transport_.messages.size(), 1u);

  // With no provider configured, a text row is finished unsent.
  auto quiet = dispatcher("b");
  quiet->add_text_topic(
      kStepTakenTextTopic, [&](const OutboxJob& job) { return texts.compose(job); }, nullptr);
  const auto unsent = enqueue_text(4);
  const auto before = sms.sent.size();
  clock_.advance(std::chrono::hours(7));  // past the retry of `again`, which b cannot send
  ASSERT_TRUE(quiet->run_once());
  EXPECT_TRUE(row(unsent).done);
  EXPECT_EQ(sms.sent.size(), before);
}

TEST_P(OutboxDispatcherTest, WritesInEnglishForThoseWhoChoseIt) {
  enqueue(2);
  ASSERT_TRUE(dispatcher("a")->run_once());
  ASSERT_EQ(transport_.messages.size(), 1u);
  EXPECT_NE(transport_.messages[0].find(
                "Subject: Your draft application for shop-permit will be deleted"),
            std::string::npos);
}

TEST_P(OutboxDispatcherTest, ClaimsOnlyTheTopicsItKnows) {
  const auto other = enqueue(1, "payments.receipt");
  auto jobs = dispatcher("a")->claim();
  ASSERT_TRUE(jobs);
  EXPECT_TRUE(jobs->empty());
  EXPECT_EQ(row(other).attempts, 0);
}

TEST_P(OutboxDispatcherTest, TwoSendersClaimingAtOnceNeverBothGetARow) {
  std::set<std::int64_t> all;
  for (int i = 0; i < 40; ++i) all.insert(enqueue(1));
  settings_.batch_size = 7;
  auto a = dispatcher("a");
  auto b = dispatcher("b");
  std::vector<std::int64_t> got_a, got_b;
  auto drain = [](OutboxDispatcher& d, std::vector<std::int64_t>& got) {
    for (int round = 0; round < 20; ++round) {
      auto jobs = d.claim();
      ASSERT_TRUE(jobs) << jobs.error().detail;
      for (const auto& job : *jobs) got.push_back(job.id);
    }
  };
  std::thread ta([&] { drain(*a, got_a); });
  std::thread tb([&] { drain(*b, got_b); });
  ta.join();
  tb.join();
  std::multiset<std::int64_t> claimed(got_a.begin(), got_a.end());
  claimed.insert(got_b.begin(), got_b.end());
  EXPECT_EQ(claimed.size(), all.size()) << "a row was claimed twice, or not at all";
  EXPECT_EQ(std::set<std::int64_t>(claimed.begin(), claimed.end()), all);
}

TEST_P(OutboxDispatcherTest, ALapsedLeaseIsClaimedAgainAndItsOldHolderCanNeitherSendNorFinish) {
  const auto id = enqueue(1);
  auto a = dispatcher("a");
  auto b = dispatcher("b");
  auto first = a->claim();
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 1u);
  auto during = b->claim();
  ASSERT_TRUE(during);
  EXPECT_TRUE(during->empty()) << "claimed while the lease holds";
  clock_.advance(std::chrono::seconds(settings_.lease_seconds + 1));
  auto second = b->claim();
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].attempts, 2);
  // A, whose lease has lapsed, no longer sends what it claimed...
  auto stale = a->deliver(*first);
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->left, 1);
  EXPECT_TRUE(transport_.messages.empty());
  // ...and could it finish (a send that outlived its lease), nothing would change.
  for (auto delivery : {Delivery::sent, Delivery::retryable, Delivery::permanent}) {
    auto finished = database().write_value<bool>([&](storage::Connection& c) -> Result<bool> {
      const auto now = clock_.now_seconds();
      switch (delivery) {
        case Delivery::sent: return platform::outbox::finish_sent(c, (*first)[0], "a", now);
        case Delivery::retryable:
          return platform::outbox::finish_retry(c, (*first)[0], "a", now + 30, "smtp 451");
        case Delivery::permanent: break;
      }
      return platform::outbox::finish_dead(c, (*first)[0], "a", now, "smtp 550");
    });
    ASSERT_TRUE(finished) << finished.error().detail;
    EXPECT_FALSE(*finished) << "a stale lease holder finished the row";
  }
  auto state = row(id);
  EXPECT_FALSE(state.done);
  EXPECT_EQ(state.claimed_by, "b");
  EXPECT_FALSE(state.last_error);
  auto finished = b->deliver(*second);
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->sent, 1);
  EXPECT_TRUE(row(id).done);
  ASSERT_EQ(transport_.envelopes.size(), 1u);
  EXPECT_EQ(transport_.envelopes[0].message_id, b->message_id(id));
  EXPECT_EQ(a->message_id(id), b->message_id(id)) << "every sender names a row alike";
}

TEST_P(OutboxDispatcherTest, ASendThatOutlivesItsLeaseLeavesTheNewClaimAlone) {
  const auto id = enqueue(1);
  auto a = dispatcher("a");
  auto b = dispatcher("b");
  std::vector<OutboxJob> taken_over;
  transport_.during_send = [&] {
    clock_.advance(std::chrono::seconds(settings_.lease_seconds + 1));
    auto claimed = b->claim();
    ASSERT_TRUE(claimed);
    taken_over = *claimed;
  };
  auto counts = a->run_once();
  ASSERT_TRUE(counts) << counts.error().detail;
  EXPECT_EQ(counts->lost, 1);
  EXPECT_EQ(counts->sent, 0);
  ASSERT_EQ(taken_over.size(), 1u);
  auto state = row(id);
  EXPECT_FALSE(state.done);
  EXPECT_EQ(state.claimed_by, "b");
  auto finished = b->deliver(taken_over);
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->sent, 1);
  // Sent twice (at least once), both times as the same message.
  ASSERT_EQ(transport_.envelopes.size(), 2u);
  EXPECT_EQ(transport_.envelopes[0].message_id, transport_.envelopes[1].message_id);
}

TEST_P(OutboxDispatcherTest, ARetryableFailureWaitsWithBackoffAndKeepsTheMessageId) {
  const auto id = enqueue(1);
  transport_.answer = {Delivery::retryable, "smtp 451"};
  auto d = dispatcher("a");
  auto counts = d->run_once();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->retried, 1);
  auto state = row(id);
  EXPECT_FALSE(state.done);
  EXPECT_FALSE(state.claimed_by);
  EXPECT_EQ(state.last_error, "smtp 451");
  const auto now = clock_.now_seconds();
  EXPECT_GE(state.available_at, now + 15);  // 30 s · (0.5 + 0.5·rand)
  EXPECT_LE(state.available_at, now + 30);
  auto early = d->claim();
  ASSERT_TRUE(early);
  EXPECT_TRUE(early->empty());
  clock_.advance(std::chrono::seconds(31));
  transport_.answer = {Delivery::sent, {}};
  counts = d->run_once();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->sent, 1);
  EXPECT_EQ(row(id).attempts, 2);
  ASSERT_EQ(transport_.messages.size(), 2u);
  EXPECT_EQ(transport_.envelopes[0].message_id, transport_.envelopes[1].message_id);
  EXPECT_NE(transport_.messages[1].find("Message-ID: <ob-" + std::to_string(id) + "."),
            std::string::npos);
}

TEST_P(OutboxDispatcherTest, APermanentFailureIsDeadAtOnce) {
  const auto id = enqueue(1);
  transport_.answer = {Delivery::permanent, "smtp 550"};
  auto counts = dispatcher("a")->run_once();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->dead, 1);
  const auto state = row(id);
  EXPECT_TRUE(state.done);
  EXPECT_EQ(state.last_error, "smtp 550");
}

TEST_P(OutboxDispatcherTest, TheSixteenthFailedAttemptIsDead) {
  const auto id = enqueue(1);
  ASSERT_TRUE(database().write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute("UPDATE outbox SET attempts = 15 WHERE id = $1", {id}));
    return ok();
  }));
  transport_.answer = {Delivery::retryable, "Timeout was reached"};
  auto counts = dispatcher("a")->run_once();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->dead, 1);
  const auto state = row(id);
  EXPECT_TRUE(state.done);
  EXPECT_EQ(state.attempts, 16);
  EXPECT_EQ(state.last_error, "Timeout was reached");
}

TEST_P(OutboxDispatcherTest, AnAccountWithoutAnEmailAddressIsDoneWithoutSending) {
  const auto id = enqueue(3);
  auto counts = dispatcher("a")->run_once();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->dead, 1);
  EXPECT_TRUE(transport_.messages.empty());
  const auto state = row(id);
  EXPECT_TRUE(state.done);
  EXPECT_EQ(state.last_error, "no e-mail address");
}

TEST_P(OutboxDispatcherTest, DeliversThroughARealSmtpServerToTheRightRecipient) {
  if (auto why = test::smtp_sink_unavailable()) {
    if (pratu::test::running_in_ci()) FAIL() << *why;
    GTEST_SKIP() << *why;
  }
  pratu::test::TempDir dir("pratu-smtp-");
  test::SmtpSink sink(dir.path());
  ASSERT_GT(sink.port(), 0) << "the SMTP test server did not start (is node installed?)";
  settings_.smtp.url = "smtp://127.0.0.1:" + std::to_string(sink.port());
  auto smtp = make_smtp_transport(settings_.smtp);
  OutboxDispatcher d(database(), clock_, random_, *smtp, settings_, "key", "a");
  d.add_topic(kDraftExpiringTopic, [this](const OutboxJob& job) { return mail_->compose(job); });
  const auto id = enqueue(1);
  auto counts = d.run_once();
  ASSERT_TRUE(counts) << counts.error().detail;
  EXPECT_EQ(counts->sent, 1) << row(id).last_error.value_or("");
  EXPECT_TRUE(row(id).done);
  const auto mail = test::received_mail(dir.path(), 1);
  ASSERT_FALSE(mail.empty()) << "the SMTP server got no message";
  ASSERT_EQ(mail.at("rcptTo").as_array().size(), 1u);
  EXPECT_EQ(mail.at("rcptTo").as_array()[0].as_string(), "somchai@example.com");
  EXPECT_EQ(mail.at("to").as_array()[0].as_object().at("name").as_string(), "สมชาย ใจดี");
  EXPECT_EQ(mail.at("subject").as_string(), "ร่างคำขอ shop-permit ของท่านจะถูกลบ");
  EXPECT_EQ(mail.at("messageId").as_string(), "<" + d.message_id(id) + ">");
  const std::string text(mail.at("text").as_string());
  EXPECT_NE(text.find("ร่างคำขอนี้จะถูกลบหลังวันที่ 9 มิถุนายน 2569"), std::string::npos) << text;
  EXPECT_NE(text.find("https://pratu.example.go.th/applications/AB12CD34"), std::string::npos);
  const std::string html(mail.at("html").as_string());
  EXPECT_NE(html.find("<a href=\"https://pratu.example.go.th/applications/AB12CD34\">"),
            std::string::npos)
      << html;
}

PRATU_INSTANTIATE_ENGINE_TESTS(OutboxDispatcherTest);

TEST(RetryDelay, DoublesFromThirtySecondsUpToSixHoursWithJitter) {
  EXPECT_EQ(retry_delay(1, 1.0).count(), 30);
  EXPECT_EQ(retry_delay(1, 0.0).count(), 15);
  EXPECT_EQ(retry_delay(2, 1.0).count(), 60);
  EXPECT_EQ(retry_delay(10, 1.0).count(), 15360);
  EXPECT_EQ(retry_delay(11, 1.0).count(), 6 * 3600);
  EXPECT_EQ(retry_delay(16, 0.0).count(), 3 * 3600);
  EXPECT_EQ(retry_delay(1000, 1.0).count(), 6 * 3600);
  // An operator's shorter first wait doubles the same way.
  EXPECT_EQ(retry_delay(1, 1.0, 2).count(), 2);
  EXPECT_EQ(retry_delay(3, 1.0, 2).count(), 8);
  EXPECT_EQ(retry_delay(1, 0.0, 1).count(), 1);
}

TEST(SmtpReply, FiveHundredsArePermanentAndTheRestRetryable) {
  EXPECT_EQ(classify_smtp_reply(250), Delivery::sent);
  EXPECT_EQ(classify_smtp_reply(550), Delivery::permanent);
  EXPECT_EQ(classify_smtp_reply(554), Delivery::permanent);
  EXPECT_EQ(classify_smtp_reply(421), Delivery::retryable);
  EXPECT_EQ(classify_smtp_reply(451), Delivery::retryable);
  EXPECT_EQ(classify_smtp_reply(0), Delivery::retryable);
}

}  // namespace
}  // namespace pratu::notifications
