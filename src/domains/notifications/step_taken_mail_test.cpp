#include "domains/notifications/step_taken_mail.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "domains/notifications/mail_test_support.hpp"
#include "domains/notifications/message_mail.hpp"
#include "domains/notifications/outbox_dispatcher.hpp"
#include "domains/notifications/overdue_mail.hpp"
#include "support/temp_dir.hpp"
#include "support/test_databases.hpp"

namespace pratu::notifications {
namespace {

constexpr std::int64_t kThaiApplicant = 1;
constexpr std::int64_t kEnglishApplicant = 2;
constexpr std::int64_t kWithoutEmail = 3;
constexpr std::int64_t kNobody = 99;

class FakeProfiles final : public platform::ProfileDirectory {
 public:
  Result<std::optional<platform::Profile>> profile(std::int64_t user_id) override {
    if (user_id == kThaiApplicant)
      return platform::Profile{"mr", "สมชาย", "ใจดี", "", "somchai@example.com", "0812345678", ""};
    if (user_id == kEnglishApplicant)
      return platform::Profile{"ms", "Jane", "Doe", "", "jane@example.com", "", "en"};
    if (user_id == kWithoutEmail)
      return platform::Profile{"mr", "ไม่มี", "อีเมล", "1234567890121", "", "", ""};
    return std::optional<platform::Profile>();
  }
  Result<void> set_mobile(std::int64_t, std::string_view) override { return ok(); }
};

class FakeServices final : public platform::ServiceDirectory {
 public:
  FakeServices() {
    permit_.slug = "food-premises-licence";
    permit_.name_th = "ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร";
    permit_.name_en = "Food premises licence";
  }
  std::filesystem::path directory() const override { return {}; }
  const platform::ServiceInfo* service(std::string_view slug) const override {
    return slug == permit_.slug ? &permit_ : nullptr;
  }
  std::vector<const platform::ServiceInfo*> services() const override { return {&permit_}; }

 private:
  platform::ServiceInfo permit_;
};

class CountingRandom final : public Random {
 public:
  std::string bytes(std::size_t n) override { return std::string(n, static_cast<char>(++next_)); }

 private:
  int next_ = 0;
};

struct StepPayload {
  std::int64_t user_id = kThaiApplicant;
  std::string status_th = "รอข้อมูลเพิ่มเติมจากผู้ยื่นคำขอ";
  std::string status_en = "More information requested";
  std::string next_th = "แก้ไขคำตอบหรือเอกสารตามที่เจ้าหน้าที่ขอ แล้วส่งคำขออีกครั้ง";
  std::string next_en =
      "Change the answers or documents the officer asked about, then send the application again.";
  bool terminal = false;
  bool by_applicant = false;
  std::string extra;  // more fields, ",\"name\":value"

  std::string json() const {
    auto text = [](const std::string& th, const std::string& en) {
      return "{\"th\":\"" + th + "\",\"en\":\"" + en + "\"}";
    };
    return "{\"user_id\":" + std::to_string(user_id) +
           ",\"application\":\"AB12CD34\",\"service\":\"food-premises-licence\","
           "\"transition\":\"request_information\",\"state\":\"information_requested\","
           "\"status\":" +
           text(status_th, status_en) + ",\"next\":" + text(next_th, next_en) +
           ",\"terminal\":" + (terminal ? "true" : "false") +
           ",\"by_applicant\":" + (by_applicant ? "true" : "false") + extra + "}";
  }
};

OutboxJob job(std::string payload) {
  OutboxJob j;
  j.id = 42;
  j.topic = kStepTakenTopic;
  j.payload = std::move(payload);
  j.attempts = 1;
  return j;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

const web::Translations& translations() {
  static const web::Translations loaded = [] {
    auto t = web::Translations::load(PRATU_SOURCE_DIR "/locales");
    if (!t) throw std::runtime_error(t.error().detail);
    return std::move(*t);
  }();
  return loaded;
}

class StepTakenMailTest : public ::testing::Test {
 protected:
  Result<Letter> compose(const StepPayload& payload) { return mail_.compose(job(payload.json())); }

  FakeProfiles profiles_;
  FakeServices services_;
  StepTakenMail mail_{profiles_, &services_, translations(), "https://pratu.example.go.th/"};
};

// The applicant's mail of a message from the agency (topic applications.message).
TEST(MessageMail, SaysThereIsAMessageButNotWhatItSays) {
  FakeProfiles profiles;
  FakeServices services;
  MessageMail mail(profiles, &services, translations(), "https://pratu.example.go.th/");
  auto letter =
      mail.compose(job("{\"user_id\":1,\"application\":\"AB12CD34\","
                       "\"service\":\"food-premises-licence\",\"body\":\"ZQX\"}"));
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->subject, "มีข้อความใหม่เกี่ยวกับคำขอ ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร ของท่าน");
  for (const auto* part : {&letter->text, &letter->html}) {
    EXPECT_TRUE(contains(*part, "https://pratu.example.go.th/applications/AB12CD34#messages"));
    EXPECT_FALSE(contains(*part, "ZQX")) << *part;
  }
  auto nobody = mail.compose(job("{\"user_id\":3,\"application\":\"A\",\"service\":\"s\"}"));
  ASSERT_FALSE(nobody);
  EXPECT_TRUE(is_undeliverable(nobody.error()));
}

// The supervisors' mail of an overdue application (topic applications.overdue).
TEST(OverdueMail, TellsASupervisorWhichApplicationIsOverdueAndSinceWhen) {
  FakeProfiles profiles;
  FakeServices services;
  OverdueMail mail(profiles, &services, translations(), "https://pratu.example.go.th");
  const std::string payload =
      "{\"user_id\":1,\"application\":\"AB12CD34\",\"reference\":\"BMA-2569-000042-K\","
      "\"service\":\"food-premises-licence\",\"due_date\":\"2026-12-01\","
      "\"status\":{\"th\":\"อยู่ระหว่างพิจารณา\",\"en\":\"In review\"}}";
  auto letter = mail.compose(job(payload));
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->to_address, "somchai@example.com");
  EXPECT_EQ(letter->subject,
            "เกินกำหนด: คำขอเลขที่ BMA-2569-000042-K "
            "(ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร)");
  for (const auto* part : {&letter->text, &letter->html}) {
    EXPECT_TRUE(contains(*part, "1 ธันวาคม 2569")) << *part;  // the Buddhist era
    EXPECT_TRUE(contains(*part, "อยู่ระหว่างพิจารณา")) << *part;
    EXPECT_TRUE(contains(*part, "https://pratu.example.go.th/agency/applications/AB12CD34"))
        << *part;
  }
  FakeProfiles english;
  auto in_english = OverdueMail(english, &services, translations(), "https://x.example")
                        .compose(job(std::string(payload).replace(11, 1, "2")));
  ASSERT_TRUE(in_english) << in_english.error().detail;
  EXPECT_TRUE(contains(in_english->text, "1 December 2026")) << in_english->text;
  EXPECT_TRUE(contains(in_english->text, "In review"));

  for (const std::string bad :
       {std::string("not json"), std::string("{\"user_id\":1}"),
        std::string(payload).replace(payload.find("2026-12-01"), 10, "yesterday"),
        std::string(payload).replace(11, 1, "3")}) {  // the last: no e-mail address
    auto refused = mail.compose(job(bad));
    ASSERT_FALSE(refused) << bad;
    EXPECT_TRUE(is_undeliverable(refused.error())) << bad;
  }
}

TEST_F(StepTakenMailTest, TellsAThaiApplicantTheServiceStatusAndWhatIsNextInThai) {
  auto letter = compose({});
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->to_address, "somchai@example.com");
  EXPECT_EQ(letter->to_name, "สมชาย ใจดี");
  EXPECT_EQ(letter->locale, web::Locale::th);
  EXPECT_EQ(letter->subject, "คำขอ ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร ของท่านมีความคืบหน้า");
  for (const auto* part : {&letter->text, &letter->html}) {
    EXPECT_TRUE(contains(*part, "ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร")) << *part;
    EXPECT_TRUE(contains(*part, "รอข้อมูลเพิ่มเติมจากผู้ยื่นคำขอ")) << *part;
    EXPECT_TRUE(contains(*part, "ขั้นตอนต่อไป: แก้ไขคำตอบหรือเอกสาร")) << *part;
    EXPECT_TRUE(contains(*part, "https://pratu.example.go.th/applications/AB12CD34")) << *part;
    EXPECT_FALSE(contains(*part, "More information")) << *part;
    EXPECT_FALSE(contains(*part, "สมชาย")) << "the letter names nobody";
  }
  EXPECT_TRUE(contains(letter->html, "<html lang=\"th\">"));
  EXPECT_TRUE(
      contains(letter->html, "<a href=\"https://pratu.example.go.th/applications/AB12CD34\">"));
}

TEST_F(StepTakenMailTest, WritesInEnglishForAnApplicantWhoChoseIt) {
  StepPayload payload;
  payload.user_id = kEnglishApplicant;
  auto letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->locale, web::Locale::en);
  EXPECT_EQ(letter->subject, "There is news about your application for Food premises licence");
  EXPECT_TRUE(contains(letter->text, "Its status is now: More information requested"))
      << letter->text;
  EXPECT_TRUE(contains(letter->text, "What happens next: Change the answers")) << letter->text;
  EXPECT_TRUE(contains(letter->text, "https://pratu.example.go.th/applications/AB12CD34"));
  EXPECT_FALSE(contains(letter->text, "รอข้อมูล")) << letter->text;
  EXPECT_FALSE(contains(letter->html, "ใบอนุญาต")) << letter->html;
}

TEST_F(StepTakenMailTest, NamesAServiceNotInTheCatalogueByItsSlug) {
  StepTakenMail without_catalogue(profiles_, nullptr, translations(),
                                  "https://pratu.example.go.th");
  auto letter = without_catalogue.compose(job(StepPayload{}.json()));
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->subject, "คำขอ food-premises-licence ของท่านมีความคืบหน้า");
}

TEST_F(StepTakenMailTest, LeavesOutTheNextLineWhenTheWorkflowSaysNothingNext) {
  StepPayload payload;
  payload.next_th.clear();
  payload.next_en.clear();
  auto letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_FALSE(contains(letter->text, "ขั้นตอนต่อไป")) << letter->text;
  EXPECT_FALSE(contains(letter->html, "ขั้นตอนต่อไป")) << letter->html;
  EXPECT_FALSE(contains(letter->html, "<p></p>")) << letter->html;
  EXPECT_FALSE(contains(letter->text, "\n\n\n")) << letter->text;
}

TEST_F(StepTakenMailTest, ADecidingStepSaysTheApplicationIsDecided) {
  StepPayload payload;
  payload.terminal = true;
  payload.status_th = "อนุมัติ";
  payload.status_en = "Approved";
  payload.next_th.clear();
  payload.next_en.clear();
  auto letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->subject, "คำขอ ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร ของท่านได้รับการพิจารณาแล้ว");
  EXPECT_TRUE(contains(letter->text, "ผลการพิจารณา: อนุมัติ")) << letter->text;
  EXPECT_TRUE(contains(letter->text, "เพื่อดูผลการพิจารณา")) << letter->text;

  payload.user_id = kEnglishApplicant;
  letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->subject, "Your application for Food premises licence has been decided");
  EXPECT_TRUE(contains(letter->text, "The decision: Approved")) << letter->text;
}

TEST_F(StepTakenMailTest, TheApplicantsOwnStepIsConfirmedBriefly) {
  StepPayload payload;
  payload.by_applicant = true;
  payload.status_th = "ส่งข้อมูลเพิ่มเติมแล้ว";
  payload.next_th = "เจ้าหน้าที่คนเดิมจะพิจารณาข้อมูลที่ส่งเพิ่มเติม";
  auto letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->subject, "ระบบได้รับข้อมูลที่ท่านแก้ไขในคำขอ ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร แล้ว");
  EXPECT_TRUE(contains(letter->text, "ระบบได้รับข้อมูลที่ท่านแก้ไข")) << letter->text;
  EXPECT_TRUE(contains(letter->text, "เจ้าหน้าที่คนเดิมจะพิจารณา")) << letter->text;
  EXPECT_TRUE(contains(letter->text, "https://pratu.example.go.th/applications/AB12CD34"));

  payload.user_id = kEnglishApplicant;
  letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->subject,
            "We have received your changes to your application for Food premises licence");
}

TEST_F(StepTakenMailTest, NeverCarriesTheReasonTheOfficerOrTheAnswers) {
  StepPayload payload;
  payload.extra =
      ",\"reason\":\"ไม่พบสำเนาทะเบียนบ้านของนายสมชาย\",\"officer\":\"นางสาวสมหญิง รักงาน\","
      "\"answers\":{\"shop_name\":\"ร้านข้าวแกงป้าศรี\"}";
  for (auto user : {kThaiApplicant, kEnglishApplicant}) {
    payload.user_id = user;
    auto letter = compose(payload);
    ASSERT_TRUE(letter) << letter.error().detail;
    for (const auto* part : {&letter->subject, &letter->text, &letter->html}) {
      EXPECT_FALSE(contains(*part, "ทะเบียนบ้าน")) << *part;
      EXPECT_FALSE(contains(*part, "สมหญิง")) << *part;
      EXPECT_FALSE(contains(*part, "ป้าศรี")) << *part;
    }
  }
}

TEST_F(StepTakenMailTest, EscapesTheStatusInTheHtmlPart) {
  StepPayload payload;
  payload.status_th = "<b>อนุมัติ</b>";
  auto letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_TRUE(contains(letter->html, "&lt;b&gt;อนุมัติ&lt;/b&gt;")) << letter->html;
  EXPECT_FALSE(contains(letter->html, "<b>")) << letter->html;
  EXPECT_TRUE(contains(letter->text, "<b>อนุมัติ</b>")) << "the text part is plain text";
}

TEST_F(StepTakenMailTest, WhatCanNeverBeSentIsUndeliverable) {
  auto refused = [&](const std::string& payload, std::string_view why) {
    auto letter = mail_.compose(job(payload));
    ASSERT_FALSE(letter) << payload;
    EXPECT_TRUE(is_undeliverable(letter.error())) << payload;
    EXPECT_EQ(letter.error().detail, why) << payload;
  };
  StepPayload without_email;
  without_email.user_id = kWithoutEmail;
  refused(without_email.json(), "no e-mail address");
  StepPayload without_account;
  without_account.user_id = kNobody;
  refused(without_account.json(), "no account");
  refused("not json at all", "payload unreadable");
  refused("[1, 2, 3]", "payload unreadable");
  refused("{\"user_id\":\"1\",\"application\":\"AB12CD34\",\"service\":\"x\"}",
          "payload unreadable");
  refused(
      "{\"user_id\":1,\"application\":\"AB12CD34\",\"service\":\"food-premises-licence\","
      "\"terminal\":false,\"by_applicant\":false}",
      "payload unreadable");
  refused(
      "{\"user_id\":1,\"application\":\"AB12CD34\",\"service\":\"food-premises-licence\","
      "\"status\":\"อนุมัติ\"}",
      "payload unreadable");
  refused(
      "{\"user_id\":1,\"application\":\"AB12CD34\",\"service\":\"food-premises-licence\","
      "\"status\":{\"th\":\"\",\"en\":\"\"}}",
      "payload unreadable");
  refused(
      "{\"user_id\":1,\"application\":\"AB12CD34\",\"service\":\"food-premises-licence\","
      "\"status\":{\"th\":\"อนุมัติ\",\"en\":\"Approved\"},\"terminal\":\"yes\"}",
      "payload unreadable");
}

TEST_F(StepTakenMailTest, AStatusInOneLanguageOnlyIsUsedForBoth) {
  StepPayload payload;
  payload.user_id = kEnglishApplicant;
  payload.status_en.clear();
  auto letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_TRUE(contains(letter->text, "รอข้อมูลเพิ่มเติมจากผู้ยื่นคำขอ")) << letter->text;
}

TEST_F(StepTakenMailTest, TheTextMessageIsOneLineToTheMobileInE164) {
  auto sms = mail_.compose_sms(job(StepPayload{}.json()));
  ASSERT_TRUE(sms) << sms.error().detail;
  EXPECT_EQ(sms->to_phone, "+66812345678");
  EXPECT_EQ(sms->text,
            "ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร: รอข้อมูลเพิ่มเติมจากผู้ยื่นคำขอ "
            "ดูรายละเอียดที่ https://pratu.example.go.th/applications/AB12CD34");
  StepPayload english;
  english.user_id = kEnglishApplicant;  // no mobile number
  auto none = mail_.compose_sms(job(english.json()));
  ASSERT_FALSE(none);
  EXPECT_TRUE(is_undeliverable(none.error()));
}

// Through the dispatcher, with the spool transport the demo uses.
class StepTakenDispatchTest : public pratu::test::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    settings_.from_address = "no-reply@pratu.example.go.th";
    settings_.message_id_domain = "pratu.example.go.th";
    transport_ = make_spool_transport(spool_.path());
  }

  std::vector<std::filesystem::path> spooled() const {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(spool_.path())) {
      if (entry.path().extension() == ".eml") out.push_back(entry.path());
    }
    return out;
  }

  FakeClock clock_{1'780'000'000};
  CountingRandom random_;
  FakeProfiles profiles_;
  FakeServices services_;
  NotificationSettings settings_;
  pratu::test::TempDir spool_{"pratu-step-mail-"};
  std::unique_ptr<MailTransport> transport_;
  StepTakenMail mail_{profiles_, &services_, translations(), "https://pratu.example.go.th"};
};

TEST_P(StepTakenDispatchTest, AStepTakenRowIsMailedOnceInThaiAndMarkedSent) {
  const std::string payload = StepPayload{}.json();
  auto id =
      database().write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
        PRATU_TRY(row, c.query_one("INSERT INTO outbox (topic, payload, created_at, available_at) "
                                   "VALUES ($1, $2, $3, $3) RETURNING id",
                                   {std::string(kStepTakenTopic), payload, clock_.now_seconds()}));
        return row->int64(0);
      });
  ASSERT_TRUE(id) << id.error().detail;
  OutboxDispatcher dispatcher(database(), clock_, random_, *transport_, settings_, "key", "a");
  dispatcher.add_topic(kStepTakenTopic, [this](const OutboxJob& j) { return mail_.compose(j); });

  auto counts = dispatcher.run_once();
  ASSERT_TRUE(counts) << counts.error().detail;
  EXPECT_EQ(counts->claimed, 1);
  EXPECT_EQ(counts->sent, 1);
  auto again = dispatcher.run_once();
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again->claimed, 0) << "a sent row is not sent again";

  const auto files = spooled();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename().string().rfind("ob-" + std::to_string(*id) + ".", 0), 0u);
  std::ifstream in(files[0], std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string message = bytes.str();
  const auto subject_at = message.find("\r\nSubject: ") + 11;
  const auto subject = message.substr(subject_at, message.find("\r\nDate:") - subject_at);
  EXPECT_EQ(test::decode_header(subject), "คำขอ ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร ของท่านมีความคืบหน้า");
  const auto text_at = message.find("base64\r\n\r\n") + 10;
  const std::string text =
      test::base64_decode(message.substr(text_at, message.find("--=_", text_at) - text_at));
  EXPECT_TRUE(contains(text, "สถานะของคำขอขณะนี้: รอข้อมูลเพิ่มเติมจากผู้ยื่นคำขอ")) << text;
  EXPECT_TRUE(contains(text, "https://pratu.example.go.th/applications/AB12CD34")) << text;

  auto done = database().read_value<bool>([&](storage::Connection& c) -> Result<bool> {
    PRATU_TRY(r,
              c.query_one("SELECT done_at, last_error, attempts FROM outbox WHERE id = $1", {*id}));
    if (!r) return Error::not_found("no row");
    return !r->is_null(0) && r->is_null(1) && r->int64(2) == 1;
  });
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_TRUE(*done) << "the row is finished as sent, after one attempt, with no error";
}

PRATU_INSTANTIATE_ENGINE_TESTS(StepTakenDispatchTest);

// A payment that moved the application on: one letter says what was received and the status it
// brought (ADR 0034), in the applicant's language; a step without a payment says nothing of one.
TEST_F(StepTakenMailTest, APaymentsStepSaysWhatWasReceivedAndTheNewStatus) {
  StepPayload payload;
  payload.status_th = "ชำระค่าธรรมเนียมแล้ว";
  payload.status_en = "Fee paid";
  payload.extra = ",\"bill\":\"BL7Q2X\",\"paid_satang\":150050";
  auto letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->subject, "ได้รับชำระค่าธรรมเนียม ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร แล้ว");
  for (const auto* part : {&letter->text, &letter->html}) {
    EXPECT_TRUE(contains(*part, "1,500.50")) << *part;
    EXPECT_TRUE(contains(*part, "ชำระค่าธรรมเนียมแล้ว")) << *part;
    EXPECT_TRUE(contains(*part, "ขั้นตอนต่อไป: แก้ไขคำตอบหรือเอกสาร")) << *part;
    EXPECT_TRUE(contains(*part, "ใบเสร็จรับเงินอิเล็กทรอนิกส์")) << *part;
    EXPECT_TRUE(contains(*part, "https://pratu.example.go.th/applications/AB12CD34")) << *part;
    EXPECT_FALSE(contains(*part, "หน่วยงานได้ดำเนินการ")) << "the agency took no step";
  }

  payload.user_id = kEnglishApplicant;
  letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_EQ(letter->subject, "We have received your payment for Food premises licence");
  EXPECT_TRUE(contains(letter->text, "your payment of 1,500.50 baht")) << letter->text;
  EXPECT_TRUE(contains(letter->text, "Its status is now: Fee paid")) << letter->text;

  payload.extra.clear();
  letter = compose(payload);
  ASSERT_TRUE(letter) << letter.error().detail;
  EXPECT_FALSE(contains(letter->text, "payment")) << letter->text;
}

}  // namespace
}  // namespace pratu::notifications
