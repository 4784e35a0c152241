// Notifications in the real app on SQLite and PostgreSQL: a draft-expiry row in the outbox
// becomes a Thai e-mail in the spool directory (the demo's transport) within a poll or two,
// and the row is done.

#include <gtest/gtest.h>

#include <algorithm>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "domains/notifications/mail_test_support.hpp"
#include "support/temp_dir.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

class NotificationsIT : public AppTest {
 protected:
  void configure(app::Config& config) override {
    config.modules["notifications.poll_seconds"] = "1";
    config.modules["notifications.spool_dir"] = spool_.path().string();
    config.server.public_url = "https://pratu.example.go.th";
  }
  void SetUp() override {
    AppTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    storage::DatabaseSettings settings;
    settings.url = db_->url();
    settings.pool_size = 1;
    auto opened = storage::open_database(settings);
    ASSERT_TRUE(opened) << opened.error().detail;
    handle_ = std::move(*opened);
  }
  void TearDown() override {
    handle_.reset();
    AppTest::TearDown();
  }

  TempDir spool_{"pratu-mail-"};
  std::unique_ptr<storage::Database> handle_;
};

TEST_P(NotificationsIT, ADraftAboutToBeDeletedIsMailedToItsApplicantInThai) {
  auto id = handle_->write_value<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(user, c.query_one("SELECT id FROM users WHERE email = $1",
                                {std::string("applicant@demo.pratu.example")}));
    if (!user) return Error::not_found("the demo applicant");
    const std::string payload = "{\"user_id\":" + std::to_string(user->int64(0)) +
                                ",\"application\":\"AB12CD34\",\"service\":\"building-permit\","
                                "\"deleted_after\":1781000000}";
    PRATU_TRY(row, c.query_one("INSERT INTO outbox (topic, payload, created_at, available_at) "
                               "VALUES ('applications.draft_expiring', $1, 0, 0) RETURNING id",
                               {payload}));
    return row->int64(0);
  });
  ASSERT_TRUE(id) << id.error().detail;

  std::filesystem::path eml;
  for (int i = 0; i < 100 && eml.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (const auto& entry : std::filesystem::directory_iterator(spool_.path())) {
      if (entry.path().extension() == ".eml") eml = entry.path();
    }
  }
  ASSERT_FALSE(eml.empty()) << "no message was spooled";
  EXPECT_EQ(eml.filename().string().rfind("ob-" + std::to_string(*id) + ".", 0), 0u);
  std::ifstream in(eml);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string message = bytes.str();
  EXPECT_NE(message.find("\r\n <applicant@demo.pratu.example>\r\n"), std::string::npos)
      << message.substr(0, 400);
  const auto subject_at = message.find("\r\nSubject: ") + 11;
  const auto subject = message.substr(subject_at, message.find("\r\nDate: ") - subject_at);
  EXPECT_EQ(notifications::test::decode_header(subject),
            "ร่างคำขอ การขออนุญาตก่อสร้างอาคาร (ใบอนุญาต อ.1) ของท่านจะถูกลบ");
  const auto text_at = message.find("base64\r\n\r\n") + 10;
  const auto text = notifications::test::base64_decode(
      message.substr(text_at, message.find("\r\n--", text_at) - text_at));
  EXPECT_NE(text.find("https://pratu.example.go.th/applications/AB12CD34"), std::string::npos);
  EXPECT_NE(text.find("9 มิถุนายน 2569"), std::string::npos);

  // The row is finished just after the file is written.
  bool done = false;
  for (int i = 0; i < 50 && !done; ++i) {
    auto sent = handle_->read_value<bool>([&](storage::Connection& c) -> Result<bool> {
      PRATU_TRY(row, c.query_one("SELECT done_at, last_error FROM outbox WHERE id = $1", {*id}));
      return row && !row->is_null(0) && row->is_null(1);
    });
    ASSERT_TRUE(sent) << sent.error().detail;
    done = *sent;
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(done) << "the outbox row is not finished as sent";
}

TEST_P(NotificationsIT, TheHolderIsMailedWhenTheirDocumentIsIssuedRevokedAndPosted) {
  auto queued = handle_->write([](storage::Connection& c) -> Result<void> {
    PRATU_TRY(user, c.query_one("SELECT id FROM users WHERE email = $1",
                                {std::string("applicant@demo.pratu.example")}));
    if (!user) return Error::not_found("the demo applicant");
    const std::string who =
        "{\"user_id\":" + std::to_string(user->int64(0)) +
        ",\"service\":\"company-certificate\",\"number\":\"DBD-C-2569-000042\",";
    for (const auto& [topic, rest] : std::vector<std::pair<std::string, std::string>>{
             {"documents.issued", "\"application\":\"AB12CD34\"}"},
             {"documents.status_changed", "\"status\":\"revoked\"}"},
             {"documents.delivered",
              "\"delivery\":\"posted\",\"tracking_number\":\"EE123456785TH\"}"}}) {
      PRATU_CHECK(
          c.execute("INSERT INTO outbox (topic, payload, created_at, available_at) "
                    "VALUES ($1, $2, 0, 0)",
                    {topic, who + rest}));
    }
    return ok();
  });
  ASSERT_TRUE(queued) << queued.error().detail;
  std::vector<std::string> texts;
  for (int i = 0; i < 100 && texts.size() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    texts.clear();
    for (const auto& entry : std::filesystem::directory_iterator(spool_.path())) {
      if (entry.path().extension() != ".eml") continue;
      std::ifstream in(entry.path());
      std::stringstream bytes;
      bytes << in.rdbuf();
      const std::string message = bytes.str();
      const auto subject_at = message.find("\r\nSubject: ") + 11;
      const auto text_at = message.find("base64\r\n\r\n") + 10;
      texts.push_back(notifications::test::decode_header(
                          message.substr(subject_at, message.find("\r\nDate: ") - subject_at)) +
                      "\n" +
                      notifications::test::base64_decode(
                          message.substr(text_at, message.find("\r\n--", text_at) - text_at)));
    }
  }
  ASSERT_EQ(texts.size(), 3u) << "not every document mail was spooled";
  std::sort(texts.begin(), texts.end());
  auto has = [&](std::string_view part) {
    return std::any_of(texts.begin(), texts.end(),
                       [&](const std::string& t) { return t.find(part) != std::string::npos; });
  };
  EXPECT_TRUE(has("เอกสาร หนังสือรับรองนิติบุคคล ของท่านพร้อมแล้ว เลขที่ DBD-C-2569-000042") ||
              has("ของท่านพร้อมแล้ว เลขที่ DBD-C-2569-000042"));
  EXPECT_TRUE(has("https://pratu.example.go.th/applications/AB12CD34"));
  EXPECT_TRUE(has("เอกสารเลขที่ DBD-C-2569-000042"));
  EXPECT_TRUE(has("ถูกเพิกถอน"));
  EXPECT_TRUE(has("หมายเลขพัสดุไปรษณีย์ไทย: EE123456785TH"));
}

PRATU_INSTANTIATE_ENGINE_TESTS(NotificationsIT);

}  // namespace
}  // namespace pratu::test
