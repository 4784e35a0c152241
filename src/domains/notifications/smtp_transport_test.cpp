// The SMTP transport against a real SMTP server nobody in Pratu wrote: npm's smtp-server,
// with the message read back by npm's mailparser (tests/e2e/lib/smtp_sink.js).
#include <csignal>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "domains/notifications/mail_message.hpp"
#include "domains/notifications/mail_transport.hpp"
#include "support/temp_dir.hpp"
#include "support/test_databases.hpp"

extern char** environ;

namespace pratu::notifications {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

const fs::path kSink = PRATU_SOURCE_DIR "/tests/e2e/lib/smtp_sink.js";
const fs::path kPackages = PRATU_SOURCE_DIR "/tests/e2e/node_modules";

// The sink as a child process of this test, stopped (by its own id) when this goes away.
class SmtpSink {
 public:
  explicit SmtpSink(const fs::path& out_dir) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    const std::string script = kSink.string();
    const std::string out = out_dir.string();
    char* argv[] = {const_cast<char*>("node"), const_cast<char*>(script.c_str()),
                    const_cast<char*>(out.c_str()), nullptr};
    const int spawned = posix_spawnp(&pid_, "node", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawned != 0) {
      pid_ = -1;
      close(pipe_fds[0]);
      return;
    }
    // Its first line: {"port": N}.
    std::string line;
    char c = 0;
    while (read(pipe_fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(pipe_fds[0]);
    boost::system::error_code ec;
    auto parsed = json::parse(line, ec);
    if (!ec && parsed.is_object() && parsed.as_object().contains("port")) {
      port_ = static_cast<int>(parsed.at("port").to_number<std::int64_t>());
    }
  }
  ~SmtpSink() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  /// The port it listens on, or 0 when it did not start.
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

class SmtpTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kPackages / "smtp-server") || !fs::exists(kPackages / "mailparser")) {
      const std::string why =
          "the SMTP test server is not installed: run `npm ci` in tests/e2e (bin/test does)";
      if (test::running_in_ci()) FAIL() << why;
      GTEST_SKIP() << why;
    }
    sink_ = std::make_unique<SmtpSink>(dir_.path());
    ASSERT_GT(sink_->port(), 0) << "the SMTP test server did not start (is node installed?)";
    settings_.url = "smtp://127.0.0.1:" + std::to_string(sink_->port());
    settings_.connect_timeout_seconds = 5;
    settings_.timeout_seconds = 20;
  }

  // The n-th message the sink accepted, as it parsed it; waits for it a little.
  json::object received(int n) {
    const auto file = dir_.path() / (std::to_string(n) + ".json");
    for (int i = 0; i < 100 && !fs::exists(file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto parsed = json::parse(text.str(), ec);
    return !ec && parsed.is_object() ? parsed.as_object() : json::object{};
  }

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

  test::TempDir dir_{"pratu-smtp-"};
  std::unique_ptr<SmtpSink> sink_;
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
  test::TempDir dir("pratu-spool-");
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
