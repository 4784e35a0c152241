// A notice and the outbox rows of its channels, written together on both engines (on
// PostgreSQL as one deferred statement), and a write whose outbox rows must not outlive it.
#include "platform/outbox.hpp"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <string>
#include <vector>

#include "platform/notices.hpp"
#include "support/test_databases.hpp"

namespace pratu::platform {
namespace {

using test::DatabaseTest;

class OutboxWrites : public DatabaseTest {
 protected:
  std::vector<storage::Row> rows(const std::string& sql) {
    auto read = database().read_value<std::vector<storage::Row>>(
        [&](storage::Connection& c) { return c.query(sql, {}); });
    EXPECT_TRUE(read) << read.error().detail;
    return read ? *read : std::vector<storage::Row>{};
  }
};

TEST_P(OutboxWrites, ANoticeIsWrittenWithOneOutboxRowPerChannel) {
  const boost::json::object payload{{"user_id", 7}, {"application", "APP-1"}, {"state", "paid"}};
  ASSERT_TRUE(database().write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(notify(c, "applications.step_taken", payload, 100, kEveryChannel));
    return notify(c, "payments.paid", payload, 101, kPortalOnly);
  }));
  auto notices = rows("SELECT user_id, topic, application, payload FROM notices ORDER BY id");
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].int64(0), 7);
  EXPECT_EQ(notices[0].text(1), "applications.step_taken");
  EXPECT_EQ(notices[0].text(2), "APP-1");
  EXPECT_EQ(boost::json::parse(notices[0].text(3)), boost::json::value(payload));
  EXPECT_EQ(notices[1].text(1), "payments.paid");
  auto outbox = rows("SELECT topic, payload, created_at, available_at FROM outbox ORDER BY topic");
  ASSERT_EQ(outbox.size(), 2u) << "mail and text message; nothing for the portal-only notice";
  EXPECT_EQ(outbox[0].text(0), "applications.step_taken");
  EXPECT_EQ(outbox[1].text(0), "sms.applications.step_taken");
  for (const auto& row : outbox) {
    EXPECT_EQ(boost::json::parse(row.text(1)), boost::json::value(payload));
    EXPECT_EQ(row.int64(2), 100);
    EXPECT_EQ(row.int64(3), 100);
  }
}

TEST_P(OutboxWrites, AFailedWriteTakesItsOutboxRowsWithIt) {
  ASSERT_TRUE(database().write([](storage::Connection& c) {
    return c.execute_script("CREATE TABLE things (id BIGINT PRIMARY KEY)");
  }));
  const std::string insert = "INSERT INTO things (id) VALUES ($1)";
  ASSERT_TRUE(database().write([&](storage::Connection& c) -> Result<void> {
    return outbox::defer_with_outbox(c, insert, {std::int64_t{1}}, {"things.made"},
                                     R"({"thing":1})", 5);
  }));
  auto again = database().write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(outbox::defer_with_outbox(c, insert, {std::int64_t{2}}, {"things.made"},
                                          R"({"thing":2})", 6));
    // The same thing twice: refused, and the transaction with it.
    PRATU_CHECK(outbox::defer_with_outbox(c, insert, {std::int64_t{1}}, {"things.made"},
                                          R"({"thing":1})", 6));
    return ok();
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict) << again.error().detail;
  auto things = rows("SELECT id FROM things");
  ASSERT_EQ(things.size(), 1u);
  auto outbox = rows("SELECT payload FROM outbox");
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(boost::json::parse(outbox[0].text(0)), boost::json::parse(R"({"thing":1})"));
}

// A payload is checked to be JSON text, the same on both engines (migrations/*/0004): what is
// not JSON is refused, and JSON that PostgreSQL's jsonb would refuse (an escaped NUL) is taken
// as SQLite's json_valid takes it.
TEST_P(OutboxWrites, APayloadIsCheckedAsJsonTextTheSameOnBothEngines) {
  auto write = [&](const std::string& table, const std::string& payload) {
    const std::string sql =
        table == "outbox"
            ? "INSERT INTO outbox (topic, payload, created_at, available_at) VALUES ($1, $2, 0, 0)"
            : "INSERT INTO notices (user_id, topic, payload, created_at) VALUES (1, $1, $2, 0)";
    return database().write([&](storage::Connection& c) -> Result<void> {
      PRATU_CHECK(c.execute(sql, {"t", payload}));
      return ok();
    });
  };
  for (const std::string table : {"outbox", "notices"}) {
    for (const std::string bad : {"not json", R"({"a":)", ""}) {
      auto refused = write(table, bad);
      EXPECT_FALSE(refused) << table << ": '" << bad << "'";
    }
    for (const std::string good : {R"({"a":"\u0000"})", R"({"a":[1,2.5,null,true]})"}) {
      auto taken = write(table, good);
      EXPECT_TRUE(taken) << table << ": '" << good << "': " << (taken ? "" : taken.error().detail);
    }
  }
  EXPECT_EQ(rows("SELECT payload FROM outbox").size(), 2u);
  EXPECT_EQ(rows("SELECT payload FROM notices").size(), 2u);
}

PRATU_INSTANTIATE_ENGINE_TESTS(OutboxWrites);

}  // namespace
}  // namespace pratu::platform
