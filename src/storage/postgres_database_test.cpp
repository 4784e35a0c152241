// What only the PostgreSQL engine does: column types, reconnection, URL handling.
#include "storage/postgres/postgres_database.hpp"

#include <gtest/gtest.h>

#include "storage/core_migrations_for_tests.hpp"
#include "support/test_databases.hpp"

namespace pratu::storage {
namespace {

class PostgresEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    PRATU_REQUIRE_ENGINE(test::Engine::postgres);
    auto options = testing_support::core_options();
    options.pool_size = 1;
    auto created = test::TestDatabase::create(test::Engine::postgres, options);
    ASSERT_TRUE(created) << created.error().detail;
    test_database_ = std::move(*created);
  }
  Database& database() { return test_database_->db(); }
  // The process id of the backend serving the pool's (one) connection.
  Result<std::int64_t> backend_pid() {
    return database().read_value<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
      PRATU_TRY(row, c.query_one("SELECT pg_backend_pid()", {}));
      return row->int64(0);
    });
  }
  // Ends backend `pid` from another connection, as a server restart or an administrator does.
  Result<void> terminate_backend(std::int64_t pid) {
    PRATU_TRY(admin, open_database(test_database_->settings()));
    return admin->write([&](Connection& c) -> Result<void> {
      PRATU_CHECK(c.query("SELECT pg_terminate_backend($1::int)", {pid}));
      return ok();
    });
  }
  std::unique_ptr<test::TestDatabase> test_database_;
};

TEST_F(PostgresEngine, ConvertsColumnsByType) {
  auto row = database().read_value<std::optional<Row>>([](Connection& c) {
    return c.query_one(
        "SELECT 7::int2, 8::int4, 9::int8, 1.5::float4, 2.25::float8, 3.125::numeric,"
        " true, false, 'text'::text, '{\"a\":1}'::jsonb, NULL::int8",
        {});
  });
  ASSERT_TRUE(row) << row.error().detail;
  ASSERT_TRUE(row->has_value());
  const std::vector<Value> expected = {
      std::int64_t{7}, std::int64_t{8}, std::int64_t{9}, 1.5,           2.25,   3.125,
      std::int64_t{1}, std::int64_t{0}, "text",          R"({"a": 1})", nullptr};
  EXPECT_EQ((*row)->values(), expected);
}

// A statement with parameters is prepared once per connection and then only bound and run;
// one that does not parse is reported as before and not kept.
TEST_F(PostgresEngine, StatementsWithParametersArePreparedOncePerConnection) {
  auto r = database().read([](Connection& c) -> Result<void> {
    for (std::int64_t n = 1; n <= 3; ++n) {
      PRATU_TRY(row, c.query_one("SELECT $1::bigint * 2 AS twice", {n}));
      EXPECT_EQ(row->int64(0), 2 * n);
    }
    PRATU_TRY(kept, c.query("SELECT statement FROM pg_prepared_statements "
                            "WHERE statement = $1",
                            {std::string("SELECT $1::bigint * 2 AS twice")}));
    EXPECT_EQ(kept.size(), 1u) << "prepared once, however often it ran";
    return ok();
  });
  ASSERT_TRUE(r) << r.error().detail;
  auto broken = database().read([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.query("SELEKT $1::int", {std::int64_t{1}}));
    return ok();
  });
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().detail.find("42601"), std::string::npos) << broken.error().detail;
  EXPECT_TRUE(database().read([](Connection& c) -> Result<void> {
    PRATU_TRY(row, c.query_one("SELECT $1::bigint + 1", {std::int64_t{41}}));
    EXPECT_EQ(row->int64(0), 42);
    return ok();
  }));
}

TEST_F(PostgresEngine, NumberParametersReachTypedColumns) {
  auto row = database().read_value<std::optional<Row>>([](Connection& c) {
    return c.query_one("SELECT $1::int8 + 1, $2::float8 * 2, $3::boolean",
                       {std::int64_t{41}, 1.25, std::int64_t{1}});
  });
  ASSERT_TRUE(row) << row.error().detail;
  EXPECT_EQ((*row)->int64(0), 42);
  EXPECT_EQ((*row)->real(1), 2.5);
  EXPECT_EQ((*row)->int64(2), 1);
}

TEST_F(PostgresEngine, ReconnectsAfterTheServerDropsTheConnection) {
  auto pid = backend_pid();
  ASSERT_TRUE(pid) << pid.error().detail;
  auto killed = terminate_backend(*pid);
  ASSERT_TRUE(killed) << killed.error().detail;

  auto again = backend_pid();
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_NE(*again, *pid);
}

// A statement first met in a pipeline that an earlier error aborted was never prepared:
// the next transaction on the connection prepares it again instead of naming what the
// server lacks.
TEST_F(PostgresEngine, AStatementMetInAnAbortedPipelineIsPreparedAgain) {
  ASSERT_TRUE(database().write([](Connection& c) {
    return c.execute_script("CREATE TABLE probe (id BIGINT PRIMARY KEY, note TEXT)");
  }));
  const std::string novel = "INSERT INTO probe (id, note) VALUES ($1, $2)";
  auto failed = database().write([&](Connection& c) -> Result<void> {
    PRATU_CHECK(c.defer("INSERT INTO probe (id) VALUES ($1)", {std::int64_t{1}}));
    PRATU_CHECK(c.defer("INSERT INTO probe (id) VALUES ($1)", {std::int64_t{1}}));
    PRATU_CHECK(c.defer(novel, {std::int64_t{2}, std::string("after the failure")}));
    return ok();
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::conflict) << failed.error().detail;
  auto again = database().write([&](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute(novel, {std::int64_t{3}, std::string("prepared now")}));
    return ok();
  });
  ASSERT_TRUE(again) << again.error().detail;
  auto rows = database().read_value<std::vector<Row>>(
      [](Connection& c) { return c.query("SELECT id FROM probe ORDER BY id", {}); });
  ASSERT_TRUE(rows) << rows.error().detail;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().int64(0), 3);
}

// The server drops an idle connection: a write whose BEGIN it never answered is sent again
// on a new connection, whole and once.
TEST_F(PostgresEngine, AWriteOnADroppedConnectionRunsOnceOnANewOne) {
  ASSERT_TRUE(database().write([](Connection& c) {
    return c.execute_script("CREATE TABLE probe (id BIGINT PRIMARY KEY)");
  }));
  auto pid = backend_pid();
  ASSERT_TRUE(pid) << pid.error().detail;
  auto killed = terminate_backend(*pid);
  ASSERT_TRUE(killed) << killed.error().detail;
  int runs = 0;
  auto written = database().write([&](Connection& c) -> Result<void> {
    ++runs;
    PRATU_CHECK(c.defer("INSERT INTO probe (id) VALUES ($1)", {std::int64_t{1}}));
    PRATU_CHECK(c.execute("INSERT INTO probe (id) VALUES ($1)", {std::int64_t{2}}));
    return ok();
  });
  ASSERT_TRUE(written) << written.error().detail;
  EXPECT_EQ(runs, 1);
  auto count = database().read_value<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM probe", {}));
    return row->int64(0);
  });
  ASSERT_TRUE(count) << count.error().detail;
  EXPECT_EQ(*count, 2);
}

// A deferred query is sent with the commit: the row it locks is free until then, so another
// transaction changes it meanwhile without waiting, and the commit's rows count that change.
TEST_F(PostgresEngine, ADeferredQueryLocksItsRowOnlyForTheCommit) {
  ASSERT_TRUE(database().write([](Connection& c) {
    return c.execute_script(
        "CREATE TABLE counters (name TEXT PRIMARY KEY, last BIGINT NOT NULL);"
        "INSERT INTO counters VALUES ('a', 1)");
  }));
  auto other = open_database(test_database_->settings());
  ASSERT_TRUE(other) << other.error().detail;
  std::shared_ptr<const DeferredRows> taken;
  auto written = database().write([&](Connection& c) -> Result<void> {
    PRATU_TRY(rows, c.defer_query("UPDATE counters SET last = last + 1 WHERE name = $1 "
                                  "RETURNING last",
                                  {std::string("a")}));
    taken = rows;
    // Were the row locked already, this would wait, and fail after the lock timeout.
    return (*other)->write([](Connection& o) -> Result<void> {
      PRATU_CHECK(o.execute_script("SET LOCAL lock_timeout = '2s'"));
      PRATU_CHECK(o.execute("UPDATE counters SET last = last + 10 WHERE name = $1", {"a"}));
      return ok();
    });
  });
  ASSERT_TRUE(written) << written.error().detail;
  ASSERT_TRUE(taken->ready);
  ASSERT_EQ(taken->rows.size(), 1u);
  EXPECT_EQ(taken->rows[0].int64(0), 12);
}

// A deferred query in a pipeline that failed delivers nothing; on a dropped connection it is
// sent again with its transaction, and delivers its rows once.
TEST_F(PostgresEngine, ADeferredQueryDeliversOnlyWhatCommitted) {
  ASSERT_TRUE(database().write([](Connection& c) {
    return c.execute_script(
        "CREATE TABLE counters (name TEXT PRIMARY KEY, last BIGINT NOT NULL);"
        "CREATE TABLE probe (id BIGINT PRIMARY KEY)");
  }));
  const std::string take =
      "INSERT INTO counters (name, last) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET "
      "last = counters.last + 1 RETURNING last";
  std::shared_ptr<const DeferredRows> lost;
  auto failed = database().write([&](Connection& c) -> Result<void> {
    PRATU_TRY(rows, c.defer_query(take, {std::string("a")}));
    lost = rows;
    PRATU_CHECK(c.defer("INSERT INTO probe (id) VALUES ($1)", {std::int64_t{1}}));
    PRATU_CHECK(c.defer("INSERT INTO probe (id) VALUES ($1)", {std::int64_t{1}}));
    return ok();
  });
  ASSERT_FALSE(failed);
  EXPECT_FALSE(lost->ready);
  EXPECT_TRUE(lost->rows.empty());

  auto pid = backend_pid();
  ASSERT_TRUE(pid) << pid.error().detail;
  ASSERT_TRUE(terminate_backend(*pid));
  std::shared_ptr<const DeferredRows> taken;
  int runs = 0;
  auto written = database().write([&](Connection& c) -> Result<void> {
    ++runs;
    PRATU_TRY(rows, c.defer_query(take, {std::string("a")}));
    taken = rows;
    return ok();
  });
  ASSERT_TRUE(written) << written.error().detail;
  EXPECT_EQ(runs, 1);
  ASSERT_TRUE(taken->ready);
  ASSERT_EQ(taken->rows.size(), 1u);
  EXPECT_EQ(taken->rows[0].int64(0), 1) << "the failed transaction's count did not stay";
}

TEST_F(PostgresEngine, SkipLockedClaimsDifferentOutboxRows) {
  auto inserted = database().write([](Connection& c) -> Result<void> {
    for (int i = 0; i < 2; ++i) {
      PRATU_CHECK(c.execute(
          "INSERT INTO outbox (topic, payload, created_at, available_at) VALUES ('t', '{}', 0, 0)",
          {}));
    }
    return ok();
  });
  ASSERT_TRUE(inserted) << inserted.error().detail;
  auto other = open_database(test_database_->settings());
  ASSERT_TRUE(other) << other.error().detail;
  constexpr const char* kClaim =
      "SELECT id FROM outbox WHERE done_at IS NULL AND available_at <= 0"
      " ORDER BY available_at, id LIMIT 1 FOR UPDATE SKIP LOCKED";
  std::int64_t first = 0;
  std::int64_t second = 0;
  auto r = database().write([&](Connection& c) -> Result<void> {
    PRATU_TRY(mine, c.query_one(kClaim, {}));
    first = mine->int64(0);
    return (*other)->write([&](Connection& c2) -> Result<void> {
      PRATU_TRY(theirs, c2.query_one(kClaim, {}));
      second = theirs->int64(0);
      return ok();
    });
  });
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_NE(first, 0);
  EXPECT_NE(second, 0);
  EXPECT_NE(first, second);
}

TEST(PostgresOpen, UnreachableServerIsUnavailable) {
  DatabaseSettings settings;
  settings.url = "postgresql://postgres:secret-password@127.0.0.1:1/pratu";
  settings.connect_timeout_seconds = 2;
  auto db = open_database(settings);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::unavailable);
  EXPECT_EQ(db.error().detail.find("secret-password"), std::string::npos) << db.error().detail;
}

TEST(PostgresUrl, RedactsPasswords) {
  EXPECT_EQ(postgres::redact_url("postgresql://user:pa:ss@db.example:5432/pratu"),
            "postgresql://user:***@db.example:5432/pratu");
  EXPECT_EQ(postgres::redact_url("postgres://db/pratu?user=u&password=p1&sslmode=require"),
            "postgres://db/pratu?user=u&password=***&sslmode=require");
  EXPECT_EQ(postgres::redact_url("postgresql://postgres@127.0.0.1:5432/pratu_test"),
            "postgresql://postgres@127.0.0.1:5432/pratu_test");
}

TEST(TestDatabaseUrl, SwapsTheDatabaseName) {
  using test::detail::with_database_name;
  EXPECT_EQ(with_database_name("postgresql://postgres@127.0.0.1:5432/pratu_test", "x"),
            "postgresql://postgres@127.0.0.1:5432/x");
  EXPECT_EQ(with_database_name("postgresql://h:1", "x"), "postgresql://h:1/x");
  EXPECT_EQ(with_database_name("postgresql://h:1?sslmode=disable", "x"),
            "postgresql://h:1/x?sslmode=disable");
  EXPECT_EQ(with_database_name("postgresql://h/db?sslmode=disable", "x"),
            "postgresql://h/x?sslmode=disable");
}

}  // namespace
}  // namespace pratu::storage
