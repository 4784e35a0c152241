// migrate(): ordering, bookkeeping, refusal of inconsistent histories, concurrency.
#include "storage/database.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "support/test_databases.hpp"

namespace pratu::storage {
namespace {

// A migrations directory of its own, with files written by the test.
class MigrationFiles {
 public:
  MigrationFiles()
      : root_(std::filesystem::temp_directory_path() / test::detail::unique_name("pratu-mig-")) {
    std::filesystem::create_directories(root_ / "sqlite");
    std::filesystem::create_directories(root_ / "postgres");
  }
  ~MigrationFiles() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  // Writes the same SQL for both dialects.
  void add(const std::string& file, const std::string& sql) {
    for (const char* dialect : {"sqlite", "postgres"}) {
      std::ofstream(root_ / dialect / file) << sql;
    }
  }
  void remove(const std::string& file) {
    for (const char* dialect : {"sqlite", "postgres"})
      std::filesystem::remove(root_ / dialect / file);
  }
  std::string dir() const { return root_.string(); }

 private:
  std::filesystem::path root_;
};

class Migrator : public test::DatabaseTest {
 protected:
  test::TestDatabaseOptions database_options() const override {
    return {.migrations = test::Migrations::skip};
  }

  bool table_exists(const std::string& table) {
    auto r = database().read([&](Connection& c) -> Result<void> {
      PRATU_CHECK(c.query("SELECT COUNT(*) FROM " + table, {}));
      return ok();
    });
    return static_cast<bool>(r);
  }

  std::int64_t applied_count() {
    auto n = database().read_value<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
      PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM schema_migrations", {}));
      return row->int64(0);
    });
    return n ? *n : -1;
  }

  MigrationFiles files_;
};

TEST_P(Migrator, AppliesInOrderOnceEach) {
  files_.add("0001_first.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY);");
  files_.add("0002_second.sql",
             "CREATE TABLE second_table (id INTEGER PRIMARY KEY REFERENCES first_table (id));\n"
             "INSERT INTO first_table (id) VALUES (7);");
  auto first = migrate(database(), files_.dir());
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ(*first, 2);
  EXPECT_TRUE(table_exists("second_table"));

  auto second = migrate(database(), files_.dir());
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_EQ(*second, 0);
  EXPECT_EQ(applied_count(), 2);

  files_.add("0003_third.sql", "CREATE TABLE third_table (id INTEGER PRIMARY KEY);");
  auto third = migrate(database(), files_.dir());
  ASSERT_TRUE(third) << third.error().detail;
  EXPECT_EQ(*third, 1);
  EXPECT_EQ(applied_count(), 3);
}

TEST_P(Migrator, RefusesAGapInNumbering) {
  files_.add("0001_first.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY);");
  files_.add("0003_third.sql", "CREATE TABLE third_table (id INTEGER PRIMARY KEY);");
  auto r = migrate(database(), files_.dir());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("gap"), std::string::npos) << r.error().detail;
  EXPECT_FALSE(table_exists("first_table"));
}

TEST_P(Migrator, RefusesARenamedAppliedMigration) {
  files_.add("0001_first.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY);");
  ASSERT_TRUE(migrate(database(), files_.dir()));
  files_.remove("0001_first.sql");
  files_.add("0001_renamed.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY);");
  auto r = migrate(database(), files_.dir());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("0001_renamed.sql"), std::string::npos) << r.error().detail;
}

TEST_P(Migrator, RefusesADatabaseNewerThanItsFiles) {
  files_.add("0001_first.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY);");
  files_.add("0002_second.sql", "CREATE TABLE second_table (id INTEGER PRIMARY KEY);");
  ASSERT_TRUE(migrate(database(), files_.dir()));
  files_.remove("0002_second.sql");
  auto r = migrate(database(), files_.dir());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("does not know"), std::string::npos) << r.error().detail;
}

TEST_P(Migrator, RefusesABadlyNamedFile) {
  files_.add("1_first.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY);");
  auto r = migrate(database(), files_.dir());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("1_first.sql"), std::string::npos) << r.error().detail;
}

TEST_P(Migrator, FailedMigrationLeavesNoTraceAndKeepsEarlierOnes) {
  files_.add("0001_first.sql", "CREATE TABLE first_table (id INTEGER PRIMARY KEY);");
  files_.add("0002_broken.sql",
             "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\n"
             "SELECT * FROM no_such_table_anywhere;");
  auto r = migrate(database(), files_.dir());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("0002_broken.sql"), std::string::npos) << r.error().detail;
  EXPECT_TRUE(table_exists("first_table"));
  EXPECT_FALSE(table_exists("half_done"));
  EXPECT_EQ(applied_count(), 1);
}

TEST_P(Migrator, MissingDirectoryIsAnError) {
  auto r = migrate(database(), files_.dir() + "/nowhere");
  EXPECT_FALSE(r);
}

TEST_P(Migrator, TwoProcessesMigratingAtOnceApplyEachMigrationOnce) {
  // Each "process" is a separate Database on the same URL, so the engines' own locking
  // (advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite) is what keeps them apart.
  for (int i = 1; i <= 6; ++i) {
    char file[32];
    std::snprintf(file, sizeof file, "%04d_step_%d.sql", i, i);
    files_.add(file, "CREATE TABLE step_" + std::to_string(i) + " (id INTEGER PRIMARY KEY);");
  }
  auto other = open_database(test_database().settings());
  ASSERT_TRUE(other) << other.error().detail;
  Result<int> mine = 0;
  Result<int> theirs = 0;
  std::thread a([&] { mine = migrate(database(), files_.dir()); });
  std::thread b([&] { theirs = migrate(**other, files_.dir()); });
  a.join();
  b.join();
  ASSERT_TRUE(mine) << mine.error().detail;
  ASSERT_TRUE(theirs) << theirs.error().detail;
  EXPECT_EQ(*mine + *theirs, 6);
  EXPECT_EQ(applied_count(), 6);
}

PRATU_INSTANTIATE_ENGINE_TESTS(Migrator);

}  // namespace
}  // namespace pratu::storage
