// Mail through the real server to a real SMTP server (npm's smtp-server, tests/e2e/lib/
// smtp_sink.js): while the mail server is down every notification waits and is retried; once
// it is back each arrives exactly once. Two Pratu nodes (two whole applications, each with its
// own database pool and sender) on one PostgreSQL database send each message exactly once.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "domains/notifications/smtp_test_sink.hpp"
#include "support/temp_dir.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using notifications::test::SmtpSink;

// A port nothing listens on now (the kernel's choice, released at once).
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t size = sizeof address;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

void require_sink() {
  if (auto why = notifications::test::smtp_sink_unavailable()) {
    if (running_in_ci()) FAIL() << *why;
    GTEST_SKIP() << *why;
  }
}

// Mail settings of a node sending through `port`, retrying quickly.
void send_through(app::Config& config, int port, int batch_size) {
  config.modules["notifications.transport"] = "smtp";
  config.modules["notifications.smtp_url"] = "smtp://127.0.0.1:" + std::to_string(port);
  config.modules["notifications.smtp_connect_timeout_seconds"] = "2";
  config.modules["notifications.smtp_timeout_seconds"] = "5";
  config.modules["notifications.poll_seconds"] = "1";
  config.modules["notifications.retry_seconds"] = "1";
  config.modules["notifications.batch_size"] = std::to_string(batch_size);
  config.modules["notifications.from_address"] = "no-reply@pratu.example.go.th";
}

std::unique_ptr<storage::Database> open(const std::string& url) {
  storage::DatabaseSettings settings;
  settings.url = url;
  settings.pool_size = 1;
  auto opened = storage::open_database(settings);
  EXPECT_TRUE(opened) << opened.error().detail;
  return opened ? std::move(*opened) : nullptr;
}

// Queues `n` draft-expiry mails to the demo applicant, as the applications module does.
void queue_mail(storage::Database& db, int n) {
  auto queued = db.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(user, c.query_one("SELECT id FROM users WHERE email = $1",
                                {std::string("applicant@demo.pratu.example")}));
    if (!user) return Error::not_found("the demo applicant");
    for (int i = 0; i < n; ++i) {
      const std::string payload = "{\"user_id\":" + std::to_string(user->int64(0)) +
                                  ",\"application\":\"AB12CD" + std::to_string(i) +
                                  "\",\"service\":\"building-permit\","
                                  "\"deleted_after\":1781000000}";
      PRATU_CHECK(
          c.execute("INSERT INTO outbox (topic, payload, created_at, available_at) "
                    "VALUES ('applications.draft_expiring', $1, 0, 0)",
                    {payload}));
    }
    return ok();
  });
  ASSERT_TRUE(queued) << queued.error().detail;
}

std::int64_t count(storage::Database& db, const std::string& sql) {
  auto n = db.read_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(row, c.query_one(sql));
    return row ? row->int64(0) : -1;
  });
  EXPECT_TRUE(n) << n.error().detail;
  return n ? *n : -1;
}

// Waits up to `seconds` for `done`; whether it came.
bool eventually(int seconds, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

// The Message-IDs of what the sink received, one per message, as mailparser read them.
std::multiset<std::string> received(const fs::path& dir) {
  std::multiset<std::string> ids;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto parsed = json::parse(text.str(), ec);
    if (ec || !parsed.is_object()) continue;
    const auto* id = parsed.as_object().if_contains("messageId");
    ids.insert(id != nullptr && id->is_string() ? std::string(id->get_string()) : "");
  }
  return ids;
}

class OutboxDeliveryIT : public AppTest {
 protected:
  void configure(app::Config& config) override {
    port_ = free_port();
    send_through(config, port_, 10);
  }
  int port_ = 0;
};

TEST_P(OutboxDeliveryIT, MailWaitsWhileTheServerIsDownAndEachArrivesOnceWhenItReturns) {
  require_sink();
  ASSERT_NE(port_, 0);
  auto db = open(db_->url());
  ASSERT_TRUE(db);
  constexpr int kMails = 12;
  queue_mail(*db, kMails);

  // The mail server is down: every row is tried, fails, and waits to be tried again.
  const bool retried = eventually(30, [&] {
    return count(*db,
                 "SELECT COUNT(*) FROM outbox WHERE attempts >= 2 AND done_at IS NULL "
                 "AND last_error IS NOT NULL") == kMails;
  });
  ASSERT_TRUE(retried) << "rows were not retried while the server was down";
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM outbox WHERE done_at IS NOT NULL"), 0);

  // It comes back on the same port: each row is sent, once.
  TempDir inbox("pratu-sink-");
  SmtpSink sink(inbox.path(), port_);
  ASSERT_EQ(sink.port(), port_) << "the SMTP server did not start on port " << port_;
  const bool sent = eventually(60, [&] {
    return count(*db, "SELECT COUNT(*) FROM outbox WHERE done_at IS NOT NULL") == kMails;
  });
  ASSERT_TRUE(sent) << "not every row was sent after the server came back";
  EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL"), 0);
  // A few more rounds of the sender change nothing.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto ids = received(inbox.path());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kMails));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), static_cast<std::size_t>(kMails))
      << "a message arrived twice";
}

PRATU_INSTANTIATE_ENGINE_TESTS(OutboxDeliveryIT);

// Two nodes on one PostgreSQL database, both sending: SKIP LOCKED claims keep each message to
// one of them.
TEST(OutboxTwoNodesIT, TwoNodesOnOnePostgresDatabaseSendEachMessageExactlyOnce) {
  PRATU_REQUIRE_ENGINE(Engine::postgres);
  require_sink();
  auto fresh = FreshDatabase::create(Engine::postgres);
  ASSERT_TRUE(fresh) << fresh.error().detail;
  TempDir inbox("pratu-sink-");
  SmtpSink sink(inbox.path());
  ASSERT_NE(sink.port(), 0);
  // Small batches, so each node claims many times and both take part.
  auto config = test_config((*fresh)->url());
  send_through(config, sink.port(), 2);
  auto first = std::make_unique<TestApp>(config, app::Demo::load);
  auto other = test_config((*fresh)->url());  // its own port
  send_through(other, sink.port(), 2);
  auto second = std::make_unique<TestApp>(other, app::Demo::none);

  auto db = open((*fresh)->url());
  ASSERT_TRUE(db);
  constexpr int kMails = 60;
  queue_mail(*db, kMails);
  const bool sent = eventually(90, [&] {
    return count(*db, "SELECT COUNT(*) FROM outbox WHERE done_at IS NOT NULL") == kMails;
  });
  ASSERT_TRUE(sent) << "not every row was sent";
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto ids = received(inbox.path());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kMails));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), static_cast<std::size_t>(kMails))
      << "a message was sent twice";
  // Both nodes sent some: the test is of two senders, not one.
  EXPECT_EQ(count(*db, "SELECT COUNT(DISTINCT claimed_by) FROM outbox"), 2);
  second.reset();
  first.reset();
}

}  // namespace
}  // namespace pratu::test
