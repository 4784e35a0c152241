// The SMTP transport against a real SMTP server nobody in Pratu wrote: npm's smtp-server,
// with the message read back by npm's mailparser (tests/e2e/lib/smtp_sink.js).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "domains/notifications/mail_message.hpp"
#include "domains/notifications/mail_transport.hpp"
#include "domains/notifications/smtp_test_sink.hpp"
#include "support/temp_dir.hpp"
#include "support/test_databases.hpp"

namespace pratu::notifications {
namespace {

namespace json = boost::json;

class SmtpTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = test::smtp_sink_unavailable()) {
      if (pratu::test::running_in_ci()) FAIL() << *why;
      GTEST_SKIP() << *why;
    }
    sink_ = std::make_unique<test::SmtpSink>(dir_.path());
    ASSERT_GT(sink_->port(), 0) << "the SMTP test server did not start (is node installed?)";
    settings_.url = "smtp://127.0.0.1:" + std::to_string(sink_->port());
    settings_.connect_timeout_seconds = 5;
    settings_.timeout_seconds = 20;
  }

  json::object received(int n) { return test::received_mail(dir_.path(), n); }

  static MailMessage thai_message(std::string to) {
    return {.from = {"no-reply@pratu.example.go.th", "ประตู"},
            .to = {std::move(to), "สมชาย ใจดี"},
            .subject = "ร่างคำขอจดทะเบียนพาณิชย์ (ตั้งใหม่) ของท่านจะถูกลบหลังวันที่ 17 ธันวาคม 2569",
            .date = 1'780'000'000,
            .message_id = "ob-7.0123456789abcdef0123@pratu.example.go.th",
            .text = "เรียน ผู้ใช้บริการ\n\nร่างคำขอนี้จะถูกลบหลังวันที่ 17 ธันวาคม 2569\n",
            .html = "<p>ร่างคำขอนี้จะถูกลบหลังวันที่ <strong>17 ธันวาคม 2569</strong></p>\n"};
  }

  SendResult send(const MailMessage& message) {
    auto bytes = build_message(message);
    EXPECT_TRUE(bytes);
    auto transport = make_smtp_transport(settings_);
    return transport->send({message.from.address, message.to.address, message.message_id},
                           bytes ? *bytes : "");
  }

  pratu::test::TempDir dir_{"pratu-smtp-"};
  std::unique_ptr<test::SmtpSink> sink_;
  SmtpSettings settings_;
};

TEST_F(SmtpTransportTest, DeliversAThaiMessageThatAnotherParserReadsBack) {
  const auto message = thai_message("applicant@example.com");
  const auto result = send(message);
  ASSERT_EQ(result.delivery, Delivery::sent) << result.detail;
  const auto mail = received(1);
  ASSERT_FALSE(mail.empty()) << "the SMTP server got no message";
  EXPECT_EQ(mail.at("mailFrom").as_string(), "no-reply@pratu.example.go.th");
  ASSERT_EQ(mail.at("rcptTo").as_array().size(), 1u);
  EXPECT_EQ(mail.at("rcptTo").as_array()[0].as_string(), "applicant@example.com");
  EXPECT_EQ(mail.at("subject").as_string(), message.subject);
  EXPECT_EQ(mail.at("messageId").as_string(), "<" + message.message_id + ">");
  const auto& to = mail.at("to").as_array().at(0).as_object();
  EXPECT_EQ(to.at("address").as_string(), "applicant@example.com");
  EXPECT_EQ(to.at("name").as_string(), "สมชาย ใจดี");
  EXPECT_EQ(mail.at("from").as_array().at(0).as_object().at("name").as_string(), "ประตู");
  // mailparser gives the text with LF line ends, as it was written.
  EXPECT_EQ(mail.at("text").as_string(), message.text);
  EXPECT_EQ(mail.at("html").as_string(), message.html);
  EXPECT_EQ(mail.at("date").as_string(), "2026-05-28T20:26:40.000Z");
}

TEST_F(SmtpTransportTest, LogsInWhenGivenALogin) {
  settings_.username = "pratu";
  settings_.password = "secret";
  const auto result = send(thai_message("applicant@example.com"));
  ASSERT_EQ(result.delivery, Delivery::sent) << result.detail;
  EXPECT_EQ(received(1).at("user").as_string(), "pratu");
}

TEST_F(SmtpTransportTest, ARefusedRecipientIsPermanentAndATemporaryRefusalRetryable) {
  const auto refused = send(thai_message("refuse@example.com"));
  EXPECT_EQ(refused.delivery, Delivery::permanent);
  EXPECT_EQ(refused.detail, "smtp 550");
  const auto later = send(thai_message("later@example.com"));
  EXPECT_EQ(later.delivery, Delivery::retryable);
  EXPECT_EQ(later.detail, "smtp 451");
}

TEST_F(SmtpTransportTest, NoServerListeningIsRetryable) {
  sink_.reset();  // its port is now closed
  const auto result = send(thai_message("applicant@example.com"));
  EXPECT_EQ(result.delivery, Delivery::retryable);
  EXPECT_EQ(result.detail.find("example.com"), std::string::npos) << "no address in the detail";
}

TEST(SpoolTransport, WritesEachMessageAsAnEmlFileNamedByItsMessageId) {
  pratu::test::TempDir dir("pratu-spool-");
  auto spool = make_spool_transport(dir.path() / "mail");
  const auto result =
      spool->send({"a@b.c", "d@e.f", "ob-3.abc@pratu.go.th"}, "Subject: x\r\n\r\nx\r\n");
  ASSERT_EQ(result.delivery, Delivery::sent) << result.detail;
  std::ifstream in(dir.path() / "mail" / "ob-3.abc_pratu.go.th.eml");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "Subject: x\r\n\r\nx\r\n");
}

}  // namespace
}  // namespace pratu::notifications
