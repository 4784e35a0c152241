// Behaviour both engines share, run on SQLite and on PostgreSQL.
#include "storage/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/core_migrations_for_tests.hpp"
#include "support/test_databases.hpp"
#include "support/writer_hold.hpp"

namespace pratu::storage {
namespace {

using test::DatabaseTest;

// Runs a script in its own write transaction.
void run_script(Database& db, const std::string& sql) {
  auto r = db.write([&](Connection& c) { return c.execute_script(sql); });
  ASSERT_TRUE(r) << r.error().detail;
}

std::int64_t count_rows(Database& db, const std::string& table) {
  auto n = db.read_value<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM " + table, {}));
    return row->int64(0);
  });
  EXPECT_TRUE(n) << n.error().detail;
  return n ? *n : -1;
}

class StorageEngine : public DatabaseTest {
 protected:
  test::TestDatabaseOptions database_options() const override {
    return testing_support::core_options();
  }
};

TEST_P(StorageEngine, ARelaxedWriteCommitsAndRollsBackLikeAnyOther) {
  run_script(database(), "CREATE TABLE relaxed (id BIGINT PRIMARY KEY)");
  ASSERT_TRUE(database().write(
      [](Connection& c) -> Result<void> {
        PRATU_CHECK(c.execute("INSERT INTO relaxed (id) VALUES ($1)", {std::int64_t{1}}));
        return ok();
      },
      Durability::relaxed));
  auto failed = database().write(
      [](Connection& c) -> Result<void> {
        PRATU_CHECK(c.execute("INSERT INTO relaxed (id) VALUES ($1)", {std::int64_t{2}}));
        return Error::internal("changed my mind");
      },
      Durability::relaxed);
  EXPECT_FALSE(failed);
  auto ids = database().read_value<std::vector<Row>>(
      [](Connection& c) { return c.query("SELECT id FROM relaxed", {}); });
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), 1u);
  EXPECT_EQ((*ids)[0].int64(0), 1);
  if (database().dialect() == Dialect::sqlite) {
    // The next writer, whoever it is, commits with a full sync again.
    auto level = database().write_value<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
      PRATU_TRY(row, c.query_one("PRAGMA synchronous", {}));
      return row ? row->int64(0) : -1;
    });
    ASSERT_TRUE(level);
    EXPECT_EQ(*level, 2) << "FULL";
  }
}

TEST_P(StorageEngine, RoundTripsEveryValueType) {
  run_script(database(),
             "CREATE TABLE vals (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, s TEXT)");
  const std::string thai = "ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร กรุงเทพมหานคร ๑๒๓";
  const std::vector<std::vector<Value>> rows = {
      {std::int64_t{1}, std::numeric_limits<std::int64_t>::max(), 3.141592653589793, thai},
      {std::int64_t{2}, std::numeric_limits<std::int64_t>::min(), -1e-300, "it's \"quoted\" $1"},
      {std::int64_t{3}, std::int64_t{0}, 0.1, ""},
      {std::int64_t{4}, nullptr, nullptr, nullptr},
  };
  auto wrote = database().write([&](Connection& c) -> Result<void> {
    for (const auto& row : rows) {
      PRATU_CHECK(c.execute("INSERT INTO vals (id, i, r, s) VALUES ($1, $2, $3, $4)", row));
    }
    return ok();
  });
  ASSERT_TRUE(wrote) << wrote.error().detail;

  auto read = database().read_value<std::vector<Row>>(
      [](Connection& c) { return c.query("SELECT id, i, r, s FROM vals ORDER BY id", {}); });
  ASSERT_TRUE(read) << read.error().detail;
  ASSERT_EQ(read->size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ((*read)[i].values(), rows[i]) << "row " << i;
  }
  const Row& nulls = (*read)[3];
  EXPECT_TRUE(nulls.is_null(1));
  EXPECT_EQ(nulls.int64(1), 0);
  EXPECT_EQ(nulls.text(3), "");
  EXPECT_EQ(nulls.optional_text(3), std::nullopt);
  EXPECT_EQ((*read)[0].optional_text(3), thai);
}

TEST_P(StorageEngine, ThaiTextMatchesAsParameter) {
  run_script(database(), "CREATE TABLE names (name TEXT NOT NULL)");
  auto found = database().write_value<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
    PRATU_CHECK(c.execute("INSERT INTO names (name) VALUES ($1)", {"สมชาย ใจดี"}));
    PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM names WHERE name = $1", {"สมชาย ใจดี"}));
    return row->int64(0);
  });
  ASSERT_TRUE(found) << found.error().detail;
  EXPECT_EQ(*found, 1);
}

TEST_P(StorageEngine, ExecuteCountsChangedRows) {
  run_script(database(), "CREATE TABLE items (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
  auto changed = database().write_value<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
    for (std::int64_t id = 1; id <= 5; ++id) {
      PRATU_CHECK(c.execute("INSERT INTO items (id, n) VALUES ($1, 0)", {id}));
    }
    return c.execute("UPDATE items SET n = n + 1 WHERE id > $1", {std::int64_t{2}});
  });
  ASSERT_TRUE(changed) << changed.error().detail;
  EXPECT_EQ(*changed, 3);
}

TEST_P(StorageEngine, QueryOneReturnsNothingForNoRows) {
  auto row = database().read_value<std::optional<Row>>([](Connection& c) {
    return c.query_one("SELECT sha256 FROM blobs WHERE sha256 = $1", {"nothing"});
  });
  ASSERT_TRUE(row) << row.error().detail;
  EXPECT_FALSE(row->has_value());
}

TEST_P(StorageEngine, FailedWorkLeavesNothingBehind) {
  run_script(database(), "CREATE TABLE items (id BIGINT PRIMARY KEY)");
  auto r = database().write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute("INSERT INTO items (id) VALUES (1)", {}));
    return Error::invalid({{"name", "errors.required"}});
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(count_rows(database(), "items"), 0);
}

TEST_P(StorageEngine, FailedStatementRollsBackEarlierOnes) {
  run_script(database(), "CREATE TABLE items (id BIGINT PRIMARY KEY)");
  auto r = database().write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute("INSERT INTO items (id) VALUES (1)", {}));
    PRATU_CHECK(c.execute("INSERT INTO no_such_table (id) VALUES (1)", {}));
    return ok();
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
  EXPECT_EQ(count_rows(database(), "items"), 0);
}

TEST_P(StorageEngine, SwallowedFailureStillAbortsTheTransaction) {
  // PostgreSQL aborts a transaction at its first error; SQLite is made to behave the same,
  // so code that passes on one engine passes on the other.
  run_script(database(), "CREATE TABLE items (id BIGINT PRIMARY KEY)");
  Result<std::int64_t> after_failure = std::int64_t{0};
  auto r = database().write([&](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute("INSERT INTO items (id) VALUES (1)", {}));
    (void)c.execute("INSERT INTO items (id) VALUES (1)", {});  // fails: duplicate
    after_failure = c.execute("INSERT INTO items (id) VALUES (2)", {});
    return ok();
  });
  EXPECT_FALSE(after_failure);
  ASSERT_FALSE(r);
  EXPECT_EQ(count_rows(database(), "items"), 0);
}

// A deferred write lands with its transaction: the statements after it see it, in the order
// written, and the commit keeps it, however many there are (more than one pipeline holds).
TEST_P(StorageEngine, DeferredWritesLandInOrderWithTheTransaction) {
  run_script(database(), "CREATE TABLE items (id BIGINT PRIMARY KEY, note TEXT NOT NULL)");
  std::optional<Row> seen;
  auto r = database().write([&](Connection& c) -> Result<void> {
    for (std::int64_t id = 1; id <= 150; ++id) {
      PRATU_CHECK(c.defer("INSERT INTO items (id, note) VALUES ($1, $2)",
                          {id, "note " + std::to_string(id)}));
    }
    PRATU_CHECK(c.defer("UPDATE items SET note = 'changed' WHERE id = $1", {std::int64_t{7}}));
    PRATU_TRY(row, c.query_one("SELECT COUNT(*), MAX(id) FROM items WHERE note <> 'changed'", {}));
    seen = row;
    // Left for the commit to send.
    PRATU_CHECK(c.defer("INSERT INTO items (id, note) VALUES ($1, $2)",
                        {std::int64_t{151}, std::string("last")}));
    return ok();
  });
  ASSERT_TRUE(r) << r.error().detail;
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->int64(0), 149) << "the update ran after the inserts it follows";
  EXPECT_EQ(seen->int64(1), 150);
  EXPECT_EQ(count_rows(database(), "items"), 151);
  auto note = database().read_value<std::string>([](Connection& c) -> Result<std::string> {
    PRATU_TRY(row, c.query_one("SELECT note FROM items WHERE id = $1", {std::int64_t{7}}));
    return row ? row->text(0) : std::string();
  });
  ASSERT_TRUE(note) << note.error().detail;
  EXPECT_EQ(*note, "changed");
}

// A deferred write that fails fails the transaction, whether the next statement or the
// commit sends it: nothing of it stays, the error is the write's own, and the connection
// serves the next transaction.
TEST_P(StorageEngine, AFailedDeferredWriteFailsItsTransaction) {
  run_script(database(), "CREATE TABLE items (id BIGINT PRIMARY KEY)");
  const std::string insert = "INSERT INTO items (id) VALUES ($1)";
  auto by_statement = database().write([&](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute(insert, {std::int64_t{1}}));
    PRATU_CHECK(c.defer(insert, {std::int64_t{1}}));  // a duplicate
    PRATU_CHECK(c.query("SELECT COUNT(*) FROM items", {}));
    return ok();
  });
  ASSERT_FALSE(by_statement);
  EXPECT_EQ(by_statement.error().code, ErrorCode::conflict) << by_statement.error().detail;
  auto by_commit = database().write([&](Connection& c) -> Result<void> {
    PRATU_CHECK(c.defer(insert, {std::int64_t{2}}));
    (void)c.defer(insert, {std::int64_t{2}});  // a duplicate, left for the commit
    return ok();
  });
  ASSERT_FALSE(by_commit);
  EXPECT_EQ(count_rows(database(), "items"), 0);
  auto rolled_back = database().write([&](Connection& c) -> Result<void> {
    PRATU_CHECK(c.defer(insert, {std::int64_t{3}}));
    return Error::invalid({{"id", "errors.required"}});
  });
  ASSERT_FALSE(rolled_back);
  EXPECT_EQ(rolled_back.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(count_rows(database(), "items"), 0);
  ASSERT_TRUE(database().write([&](Connection& c) -> Result<void> {
    PRATU_CHECK(c.defer(insert, {std::int64_t{4}}));
    return ok();
  }));
  EXPECT_EQ(count_rows(database(), "items"), 1);
}

// A deferred write's RETURNING rows are there once the transaction has committed, whether a
// later statement or the commit sent it; each holds its own rows, in the order written.
TEST_P(StorageEngine, ADeferredQueryDeliversItsRowsByTheCommit) {
  run_script(database(), "CREATE TABLE counters (name TEXT PRIMARY KEY, last BIGINT NOT NULL)");
  const std::string take =
      "INSERT INTO counters (name, last) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET "
      "last = counters.last + 1 RETURNING last";
  std::vector<std::shared_ptr<const DeferredRows>> taken;
  std::shared_ptr<const DeferredRows> none;
  std::int64_t seen = 0;
  auto r = database().write([&](Connection& c) -> Result<void> {
    for (int i = 0; i < 3; ++i) {
      PRATU_TRY(rows, c.defer_query(take, {std::string("a")}));
      taken.push_back(rows);
    }
    PRATU_TRY(count, c.query_one("SELECT last FROM counters WHERE name = $1", {"a"}));
    seen = count ? count->int64(0) : -1;
    PRATU_TRY(other, c.defer_query(take, {std::string("b")}));  // sent with the commit
    taken.push_back(other);
    PRATU_TRY(empty, c.defer_query("UPDATE counters SET last = 0 WHERE name = $1 RETURNING last",
                                   {std::string("nobody")}));
    none = empty;
    return ok();
  });
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(seen, 3) << "a later statement sees the deferred ones";
  ASSERT_EQ(taken.size(), 4u);
  const std::int64_t expected[] = {1, 2, 3, 1};
  for (std::size_t i = 0; i < taken.size(); ++i) {
    ASSERT_TRUE(taken[i]->ready) << i;
    ASSERT_EQ(taken[i]->rows.size(), 1u) << i;
    EXPECT_EQ(taken[i]->rows[0].int64(0), expected[i]) << i;
  }
  ASSERT_TRUE(none->ready);
  EXPECT_TRUE(none->rows.empty());
}

TEST_P(StorageEngine, UniqueViolationIsConflictNamingTheConstraintNotTheValue) {
  run_script(database(),
             "CREATE TABLE accounts (id BIGINT PRIMARY KEY, email TEXT NOT NULL,"
             " CONSTRAINT accounts_email_key UNIQUE (email))");
  auto insert = [&](std::int64_t id) {
    return database().write([&](Connection& c) -> Result<void> {
      PRATU_CHECK(c.execute("INSERT INTO accounts (id, email) VALUES ($1, $2)",
                            {id, "somchai@example.go.th"}));
      return ok();
    });
  };
  ASSERT_TRUE(insert(1));
  auto second = insert(2);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::conflict);
  EXPECT_TRUE(is_unique_violation(second.error(), "email")) << second.error().detail;
  EXPECT_FALSE(is_unique_violation(second.error(), "national_id"));
  EXPECT_EQ(second.error().detail.find("somchai"), std::string::npos) << second.error().detail;
  EXPECT_EQ(count_rows(database(), "accounts"), 1);
}

TEST_P(StorageEngine, PrimaryKeyViolationIsConflict) {
  auto insert = [&] {
    return database().write([](Connection& c) -> Result<void> {
      PRATU_CHECK(c.execute(
          "INSERT INTO blobs (sha256, size_bytes, media_type, created_at) VALUES ($1, 1, $2, 0)",
          {std::string(64, 'a'), "text/plain"}));
      return ok();
    });
  };
  ASSERT_TRUE(insert());
  auto second = insert();
  ASSERT_FALSE(second);
  EXPECT_TRUE(is_unique_violation(second.error())) << second.error().detail;
}

TEST_P(StorageEngine, DataErrorDetailOmitsTheValue) {
  auto r = database().write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute(
        "INSERT INTO outbox (topic, payload, created_at, available_at) VALUES ($1, $2, 0, 0)",
        {"mail", "not json 1234567890123"}));
    return ok();
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail.find("1234567890123"), std::string::npos) << r.error().detail;
}

TEST_P(StorageEngine, PlaceholdersInsideStringLiteralsAreLeftAlone) {
  auto row = database().read_value<std::optional<Row>>([](Connection& c) {
    return c.query_one("SELECT '$1', 'it''s $2', $2, $1 -- $3 'unclosed\n", {"first", "second"});
  });
  ASSERT_TRUE(row) << row.error().detail;
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->text(0), "$1");
  EXPECT_EQ((*row)->text(1), "it's $2");
  EXPECT_EQ((*row)->text(2), "second");
  EXPECT_EQ((*row)->text(3), "first");
}

TEST_P(StorageEngine, WrongParameterCountIsAnError) {
  auto r = database().read([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.query("SELECT $1::text", {"a", "b"}));
    return ok();
  });
  EXPECT_FALSE(r);
}

TEST_P(StorageEngine, MigrationsAreRecordedAndCreateTheCoreTables) {
  auto rows = database().read_value<std::vector<Row>>([](Connection& c) {
    return c.query(
        "SELECT version, name FROM module_migrations WHERE module = 'platform' ORDER BY version",
        {});
  });
  ASSERT_TRUE(rows) << rows.error().detail;
  ASSERT_FALSE(rows->empty());
  EXPECT_EQ((*rows)[0].int64(0), 1);
  EXPECT_EQ((*rows)[0].text(1), "core");
  EXPECT_EQ(count_rows(database(), "outbox"), 0);
  EXPECT_EQ(count_rows(database(), "blobs"), 0);
}

TEST_P(StorageEngine, MigrateAgainAppliesNothing) {
  auto before = count_rows(database(), "module_migrations");
  auto again = migrate(database(), testing_support::core_migrations_dir());
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(count_rows(database(), "module_migrations"), before);
}

TEST_P(StorageEngine, OutboxHandsOutGeneratedIds) {
  auto ids = database().write_value<std::vector<std::int64_t>>(
      [](Connection& c) -> Result<std::vector<std::int64_t>> {
        std::vector<std::int64_t> out;
        for (int i = 0; i < 2; ++i) {
          PRATU_TRY(row,
                    c.query_one("INSERT INTO outbox (topic, payload, created_at, available_at)"
                                " VALUES ($1, $2, $3, $3) RETURNING id",
                                {"mail.welcome", R"({"to":"สมชาย"})", std::int64_t{1780000000}}));
          out.push_back(row->int64(0));
        }
        return out;
      });
  ASSERT_TRUE(ids) << ids.error().detail;
  ASSERT_EQ(ids->size(), 2U);
  EXPECT_LT((*ids)[0], (*ids)[1]);
}

TEST_P(StorageEngine, ConcurrentWritersLoseNoUpdate) {
  run_script(database(), "CREATE TABLE counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
  run_script(database(), "INSERT INTO counters (id, n) VALUES (1, 0)");
  constexpr int kThreads = 8;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto r = database().write([](Connection& c) -> Result<void> {
          PRATU_CHECK(c.execute("UPDATE counters SET n = n + 1 WHERE id = 1", {}));
          return ok();
        });
        if (!r) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto n = database().read_value<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(row, c.query_one("SELECT n FROM counters WHERE id = 1", {}));
    return row->int64(0);
  });
  ASSERT_TRUE(n) << n.error().detail;
  EXPECT_EQ(*n, kThreads * kIncrements);
}

TEST_P(StorageEngine, ReadersSeeOnlyCommittedData) {
  run_script(database(), "CREATE TABLE items (id BIGINT PRIMARY KEY)");
  std::mutex mutex;
  std::condition_variable changed;
  bool inserted = false;
  bool checked = false;
  std::thread writer([&] {
    auto r = database().write([&](Connection& c) -> Result<void> {
      PRATU_CHECK(c.execute("INSERT INTO items (id) VALUES (1)", {}));
      std::unique_lock lock(mutex);
      inserted = true;
      changed.notify_all();
      changed.wait(lock, [&] { return checked; });
      return ok();
    });
    EXPECT_TRUE(r) << r.error().detail;
  });
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return inserted; });
  }
  EXPECT_EQ(count_rows(database(), "items"), 0) << "uncommitted row visible";
  {
    std::lock_guard lock(mutex);
    checked = true;
  }
  changed.notify_all();
  writer.join();
  EXPECT_EQ(count_rows(database(), "items"), 1) << "committed row not visible";
}

TEST_P(StorageEngine, ReadSeesOneSnapshot) {
  run_script(database(), "CREATE TABLE items (id BIGINT PRIMARY KEY)");
  std::int64_t first = -1;
  std::int64_t second = -1;
  auto r = database().read([&](Connection& c) -> Result<void> {
    PRATU_TRY(a, c.query_one("SELECT COUNT(*) FROM items", {}));
    first = a->int64(0);
    std::thread([&] { run_script(database(), "INSERT INTO items (id) VALUES (1)"); }).join();
    PRATU_TRY(b, c.query_one("SELECT COUNT(*) FROM items", {}));
    second = b->int64(0);
    return ok();
  });
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 0);
  EXPECT_EQ(count_rows(database(), "items"), 1);
}

TEST_P(StorageEngine, ReadTransactionCannotWrite) {
  run_script(database(), "CREATE TABLE items (id BIGINT PRIMARY KEY)");
  auto r = database().read([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute("INSERT INTO items (id) VALUES (1)", {}));
    return ok();
  });
  EXPECT_FALSE(r);
  EXPECT_EQ(count_rows(database(), "items"), 0);
}

TEST_P(StorageEngine, PingSucceeds) {
  auto r = database().ping();
  EXPECT_TRUE(r) << r.error().detail;
}

TEST_P(StorageEngine, ReportsStatementLatency) {
  std::atomic<int> calls{0};
  std::atomic<bool> negative{false};
  set_latency_observer([&](double seconds) {
    ++calls;
    if (seconds < 0) negative = true;
  });
  auto r = database().read([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.query("SELECT 1", {}));
    return ok();
  });
  set_latency_observer({});
  ASSERT_TRUE(r);
  EXPECT_GE(calls.load(), 1);
  EXPECT_FALSE(negative.load());
  int after_clear = calls.load();
  ASSERT_TRUE(database().ping());
  EXPECT_EQ(calls.load(), after_clear);
}

PRATU_INSTANTIATE_ENGINE_TESTS(StorageEngine);

// A pool of one connection, with a short wait, to exhaust it.
class StoragePoolOfOne : public DatabaseTest {
 protected:
  test::TestDatabaseOptions database_options() const override {
    auto options = testing_support::core_options();
    options.pool_size = 1;
    options.busy_timeout_ms = 200;
    return options;
  }
};

TEST_P(StoragePoolOfOne, ExhaustedPoolTimesOutAsUnavailable) {
  Result<void> inner = ok();
  std::chrono::steady_clock::duration waited{};
  auto outer = database().read([&](Connection&) -> Result<void> {
    auto start = std::chrono::steady_clock::now();
    inner = database().read([](Connection&) { return ok(); });
    waited = std::chrono::steady_clock::now() - start;
    return ok();
  });
  ASSERT_TRUE(outer) << outer.error().detail;
  ASSERT_FALSE(inner);
  EXPECT_EQ(inner.error().code, ErrorCode::unavailable);
  EXPECT_GE(waited, std::chrono::milliseconds(150));
  EXPECT_LT(waited, std::chrono::seconds(3));
  // The pool recovers once the connection is back.
  EXPECT_TRUE(database().ping());
}

TEST_P(StoragePoolOfOne, BusyWriterTimesOutAsUnavailable) {
  // PostgreSQL's pool is shared by reads and writes; SQLite's writer is one connection.
  test::WriterHold hold(database());
  auto blocked = database().write([](Connection&) { return ok(); });
  hold.release();
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::unavailable);
  EXPECT_TRUE(database().write([](Connection&) { return ok(); }));
}

PRATU_INSTANTIATE_ENGINE_TESTS(StoragePoolOfOne);

}  // namespace
}  // namespace pratu::storage
