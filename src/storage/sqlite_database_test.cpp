// What only the SQLite engine does: pragmas, FTS5, placeholder rewriting, files on disk.
#include "storage/sqlite/sqlite_database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "storage/core_migrations_for_tests.hpp"
#include "storage/sqlite/placeholder_rewrite.hpp"
#include "support/temp_dir.hpp"
#include "support/test_databases.hpp"
#include "support/writer_hold.hpp"

namespace pratu::storage {
namespace {

using sqlite::rewrite_placeholders;

TEST(PlaceholderRewrite, TurnsNumberedPlaceholdersIntoSqliteOnes) {
  EXPECT_EQ(rewrite_placeholders("SELECT * FROM t WHERE a = $1 AND b IN ($2,$10)"),
            "SELECT * FROM t WHERE a = ?1 AND b IN (?2,?10)");
}

TEST(PlaceholderRewrite, LeavesStringLiteralsAlone) {
  EXPECT_EQ(rewrite_placeholders("SELECT '$1', 'it''s $2', $3"), "SELECT '$1', 'it''s $2', ?3");
}

TEST(PlaceholderRewrite, LeavesQuotedIdentifiersAndCommentsAlone) {
  EXPECT_EQ(rewrite_placeholders("SELECT \"a$1\", [b$2], `c$3` -- $4 it's\n, $5 /* $6 ' */ , $7"),
            "SELECT \"a$1\", [b$2], `c$3` -- $4 it's\n, ?5 /* $6 ' */ , ?7");
}

TEST(PlaceholderRewrite, LeavesDollarsThatAreNotPlaceholdersAlone) {
  EXPECT_EQ(rewrite_placeholders("SELECT a$1, $x, $ 1, price$"), "SELECT a$1, $x, $ 1, price$");
}

TEST(PlaceholderRewrite, KeepsThaiTextIntact) {
  EXPECT_EQ(rewrite_placeholders("SELECT 'อาหาร $1' WHERE ชื่อ = $1"),
            "SELECT 'อาหาร $1' WHERE ชื่อ = ?1");
}

TEST(PlaceholderRewrite, SurvivesAnUnclosedLiteral) {
  EXPECT_EQ(rewrite_placeholders("SELECT $1, 'abc $2"), "SELECT ?1, 'abc $2");
}

class SqliteEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created =
        test::TestDatabase::create(test::Engine::sqlite, testing_support::core_options());
    ASSERT_TRUE(created) << created.error().detail;
    test_database_ = std::move(*created);
  }
  Database& database() { return test_database_->db(); }
  std::unique_ptr<test::TestDatabase> test_database_;
};

TEST_F(SqliteEngine, UsesWalFullSyncAndForeignKeys) {
  auto r = database().write([](Connection& c) -> Result<void> {
    PRATU_TRY(mode, c.query_one("PRAGMA journal_mode", {}));
    EXPECT_EQ(mode->text(0), "wal");
    PRATU_TRY(sync, c.query_one("PRAGMA synchronous", {}));
    EXPECT_EQ(sync->int64(0), 2) << "synchronous is not FULL";
    PRATU_TRY(fk, c.query_one("PRAGMA foreign_keys", {}));
    EXPECT_EQ(fk->int64(0), 1);
    return ok();
  });
  ASSERT_TRUE(r) << r.error().detail;
}

TEST_F(SqliteEngine, EnforcesForeignKeys) {
  auto r = database().write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute_script(
        "CREATE TABLE parents (id INTEGER PRIMARY KEY);"
        "CREATE TABLE children (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents (id));"));
    return ok();
  });
  ASSERT_TRUE(r) << r.error().detail;
  auto orphan = database().write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute("INSERT INTO children (id, parent) VALUES (1, 99)", {}));
    return ok();
  });
  EXPECT_FALSE(orphan);
}

TEST_F(SqliteEngine, HasFts5ForThaiSearch) {
  auto r = database().write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute_script("CREATE VIRTUAL TABLE search USING fts5(body)"));
    // Thai is indexed as space-separated words (the catalogue segments it with ICU first).
    PRATU_CHECK(
        c.execute("INSERT INTO search (body) VALUES ($1)", {"ใบอนุญาต จัดตั้ง สถานที่ จำหน่าย อาหาร"}));
    PRATU_CHECK(c.execute("INSERT INTO search (body) VALUES ($1)", {"ทะเบียน พาณิชย์"}));
    return ok();
  });
  ASSERT_TRUE(r) << r.error().detail;
  auto hits = database().read_value<std::vector<Row>>([](Connection& c) {
    return c.query("SELECT body FROM search WHERE search MATCH $1 ORDER BY rank", {"อาหาร"});
  });
  ASSERT_TRUE(hits) << hits.error().detail;
  ASSERT_EQ(hits->size(), 1U);
  EXPECT_EQ((*hits)[0].text(0), "ใบอนุญาต จัดตั้ง สถานที่ จำหน่าย อาหาร");
}

TEST_F(SqliteEngine, CoreTablesAreStrict) {
  auto r = database().write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute(
        "INSERT INTO blobs (sha256, size_bytes, media_type, created_at) VALUES ($1, $2, $3, 0)",
        {std::string(64, 'b'), "not a number", "text/plain"}));
    return ok();
  });
  EXPECT_FALSE(r);
}

TEST_F(SqliteEngine, TwoHandlesOnOneFileShareCommittedData) {
  auto other = open_database(test_database_->settings());
  ASSERT_TRUE(other) << other.error().detail;
  auto wrote = (*other)->write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute(
        "INSERT INTO blobs (sha256, size_bytes, media_type, created_at) VALUES ($1, 1, $2, 0)",
        {std::string(64, 'c'), "text/plain"}));
    return ok();
  });
  ASSERT_TRUE(wrote) << wrote.error().detail;
  auto n = database().read_value<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM blobs", {}));
    return row->int64(0);
  });
  ASSERT_TRUE(n) << n.error().detail;
  EXPECT_EQ(*n, 1);
}

TEST_F(SqliteEngine, ExecuteRejectsTwoStatements) {
  auto r = database().write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute("SELECT 1; SELECT 2", {}));
    return ok();
  });
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("execute_script"), std::string::npos) << r.error().detail;
}

TEST_F(SqliteEngine, NestedWriteOnOneThreadFailsInsteadOfHanging) {
  Result<void> inner = ok();
  auto outer = database().write([&](Connection&) -> Result<void> {
    inner = database().write([](Connection&) { return ok(); });
    return ok();
  });
  ASSERT_TRUE(outer);
  ASSERT_FALSE(inner);
  EXPECT_EQ(inner.error().code, ErrorCode::internal);
}

// Writers queued behind a running write are committed together, each in a savepoint: one
// writer's failure — an error it returns, a statement that failed though it said ok, or an
// exception — undoes only its own work, and every other writer's rows are committed.
TEST_F(SqliteEngine, QueuedWritersShareACommitAndFailAlone) {
  ASSERT_TRUE(database().write([](Connection& c) {
    return c.execute_script("CREATE TABLE group_commit (id INTEGER PRIMARY KEY, v TEXT) STRICT");
  }));
  test::WriterHold hold(database());
  auto insert = [](Connection& c, int id) -> Result<void> {
    PRATU_CHECK(c.execute("INSERT INTO group_commit (id, v) VALUES ($1, 'x')", {std::int64_t{id}}));
    return ok();
  };
  constexpr int kWriters = 6;
  std::vector<Result<void>> results(kWriters, ok());
  std::vector<std::thread> writers;
  std::atomic<int> queued = 0;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      ++queued;
      results[w] = database().write([&, w](Connection& c) -> Result<void> {
        const int id = 10 * (w + 1);
        PRATU_CHECK(insert(c, id));
        switch (w) {
          case 1: return Error::invalid({{"v", "errors.invalid_input"}});  // its row undone
          case 3:
            // A duplicate key it ignores: the failed statement still fails the unit.
            (void)insert(c, id);
            return ok();
          case 4: throw std::runtime_error("work threw");
          default: return insert(c, id + 1);
        }
      });
    });
  }
  // Let every writer queue behind the holder before it lets go.
  while (queued.load() < kWriters) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  hold.release();
  for (auto& t : writers) t.join();

  EXPECT_TRUE(results[0]);
  EXPECT_EQ(results[1].error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(results[2]);
  EXPECT_FALSE(results[3]);
  ASSERT_FALSE(results[4]);
  EXPECT_NE(results[4].error().detail.find("work threw"), std::string::npos);
  EXPECT_TRUE(results[5]);
  std::vector<std::int64_t> ids;
  ASSERT_TRUE(database().read([&](Connection& c) -> Result<void> {
    PRATU_TRY(rows, c.query("SELECT id FROM group_commit ORDER BY id", {}));
    for (const auto& row : rows) ids.push_back(row.int64(0));
    return ok();
  }));
  EXPECT_EQ(ids, (std::vector<std::int64_t>{10, 11, 30, 31, 60, 61}));
  // And the writer goes on as before.
  EXPECT_TRUE(database().write([&](Connection& c) { return insert(c, 99); }));
}

// Many writers at once, each acknowledged only for what was committed: every row that was
// acknowledged is there, and no other.
TEST_F(SqliteEngine, ConcurrentWritersAreEachCommittedOnce) {
  ASSERT_TRUE(database().write([](Connection& c) {
    return c.execute_script("CREATE TABLE acknowledged (id INTEGER PRIMARY KEY) STRICT");
  }));
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::atomic<int> acknowledged = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::int64_t id = t * 1000 + i;
        auto done = database().write([&](Connection& c) -> Result<void> {
          PRATU_CHECK(c.execute("INSERT INTO acknowledged (id) VALUES ($1)", {id}));
          // Every fifth fails after writing: its row must not stay.
          if (i % 5 == 4) return Error::invalid({{"id", "errors.invalid_input"}});
          return ok();
        });
        if (done) ++acknowledged;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(acknowledged.load(), kThreads * kEach * 4 / 5);
  std::int64_t count = 0;
  std::int64_t failed_rows = -1;
  ASSERT_TRUE(database().read([&](Connection& c) -> Result<void> {
    PRATU_TRY(all, c.query_one("SELECT COUNT(*) FROM acknowledged", {}));
    count = all->int64(0);
    PRATU_TRY(bad, c.query_one("SELECT COUNT(*) FROM acknowledged WHERE id % 1000 % 5 = 4", {}));
    failed_rows = bad->int64(0);
    return ok();
  }));
  EXPECT_EQ(count, acknowledged.load());
  EXPECT_EQ(failed_rows, 0);
}

TEST(SqliteOpen, CreatesTheParentDirectory) {
  const test::TempDir dir("pratu-open-");
  DatabaseSettings settings;
  settings.url = "sqlite:" + (dir / "nested" / "deeper" / "pratu.db").string();
  settings.pool_size = 1;
  {
    auto db = open_database(settings);
    ASSERT_TRUE(db) << db.error().detail;
    EXPECT_TRUE((*db)->ping());
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "nested" / "deeper" / "pratu.db"));
}

TEST(DatabaseUrl, RejectsUnknownSchemesAndEmptyPaths) {
  for (const char* url : {"mysql://localhost/pratu", "sqlite:", "sqlite::memory:", "pratu.db"}) {
    DatabaseSettings settings;
    settings.url = url;
    auto db = open_database(settings);
    ASSERT_FALSE(db) << url;
    EXPECT_EQ(db.error().code, ErrorCode::invalid_input) << url;
    EXPECT_FALSE(db.error().detail.empty());
  }
}

TEST(DatabaseUrl, RejectsAnEmptyPool) {
  DatabaseSettings settings;
  settings.url = "sqlite:/tmp/never-created/pratu.db";
  settings.pool_size = 0;
  auto db = open_database(settings);
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().detail.find("pool_size"), std::string::npos);
}

TEST(RowConversions, ConvertBetweenTypes) {
  Row row({Value{std::int64_t{42}}, Value{2.5}, Value{std::string("17")}, Value{nullptr},
           Value{std::string("ไทย")}});
  EXPECT_EQ(row.text(0), "42");
  EXPECT_EQ(row.real(0), 42.0);
  EXPECT_EQ(row.text(1), "2.5");
  EXPECT_EQ(row.int64(1), 2);
  EXPECT_EQ(row.int64(2), 17);
  EXPECT_EQ(row.real(2), 17.0);
  EXPECT_TRUE(row.is_null(3));
  EXPECT_EQ(row.real(3), 0.0);
  EXPECT_EQ(row.int64(4), 0);
  EXPECT_EQ(row.size(), 5U);
}

}  // namespace
}  // namespace pratu::storage
