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
      PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM module_migrations", {}));
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

TEST_P(Migrator, EachModuleNumbersItsOwnMigrationsAndRunsAfterThoseBeforeIt) {
  MigrationFiles later;
  files_.add("0001_people.sql", "CREATE TABLE people (id INTEGER PRIMARY KEY);");
  later.add(
      "0001_letters.sql",
      "CREATE TABLE letters (id INTEGER PRIMARY KEY, person INTEGER REFERENCES people (id));");
  auto r = migrate(database(), {{"people", files_.dir()}, {"letters", later.dir()}});
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(*r, 2);
  EXPECT_TRUE(table_exists("letters"));
  auto rows = database().read_value<std::vector<Row>>([](Connection& c) {
    return c.query("SELECT module, version, name FROM module_migrations ORDER BY module", {});
  });
  ASSERT_TRUE(rows) << rows.error().detail;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].text(0), "letters");
  EXPECT_EQ((*rows)[0].int64(1), 1);
  EXPECT_EQ((*rows)[1].text(0), "people");
  EXPECT_EQ((*rows)[1].int64(1), 1);

  // A module's next migration runs alone; the other module's history is left as it is.
  later.add("0002_stamps.sql", "CREATE TABLE stamps (id INTEGER PRIMARY KEY);");
  auto again = migrate(database(), {{"people", files_.dir()}, {"letters", later.dir()}});
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(*again, 1);
  EXPECT_EQ(applied_count(), 3);
}

TEST_P(Migrator, RefusesADatabaseWithAModuleThisBuildDoesNotHave) {
  MigrationFiles other;
  files_.add("0001_people.sql", "CREATE TABLE people (id INTEGER PRIMARY KEY);");
  other.add("0001_letters.sql", "CREATE TABLE letters (id INTEGER PRIMARY KEY);");
  ASSERT_TRUE(migrate(database(), {{"people", files_.dir()}, {"letters", other.dir()}}));
  auto r = migrate(database(), {{"people", files_.dir()}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("module letters"), std::string::npos) << r.error().detail;
}

TEST_P(Migrator, RefusesAModuleListedTwice) {
  files_.add("0001_people.sql", "CREATE TABLE people (id INTEGER PRIMARY KEY);");
  auto r = migrate(database(), {{"people", files_.dir()}, {"people", files_.dir()}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("twice"), std::string::npos) << r.error().detail;
}

// A database migrated before modules had one numbering in schema_migrations: its history moves
// into module_migrations by name, nothing applied runs again, and what is new runs.
TEST_P(Migrator, CarriesTheHistoryOfOneNumberingForwardIntoModules) {
  MigrationFiles catalog;
  files_.add("0001_core.sql", "CREATE TABLE core_table (id INTEGER PRIMARY KEY);");
  files_.add("0002_server_secrets.sql", "CREATE TABLE secrets_table (id INTEGER PRIMARY KEY);");
  catalog.add("0001_catalog.sql", "CREATE TABLE catalog_table (id INTEGER PRIMARY KEY);");
  ASSERT_TRUE(database().write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute_script(
        "CREATE TABLE core_table (id INTEGER PRIMARY KEY);"
        "CREATE TABLE catalog_table (id INTEGER PRIMARY KEY);"
        "INSERT INTO catalog_table (id) VALUES (5);"
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL);"
        "INSERT INTO schema_migrations VALUES (1, 'core', '2026-01-02T03:04:05Z');"
        "INSERT INTO schema_migrations VALUES (2, 'catalog', '2026-01-02T03:04:06Z');"));
    return ok();
  }));
  // Running core or catalog again would fail: their tables exist.
  auto r = migrate(database(), {{"platform", files_.dir()}, {"catalog", catalog.dir()}});
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(*r, 1);
  EXPECT_TRUE(table_exists("secrets_table"));
  EXPECT_FALSE(table_exists("schema_migrations"));
  auto rows = database().read_value<std::vector<Row>>([](Connection& c) {
    return c.query("SELECT module, version, name FROM module_migrations ORDER BY module, version",
                   {});
  });
  ASSERT_TRUE(rows) << rows.error().detail;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].text(0) + "/" + (*rows)[0].text(1) + "/" + (*rows)[0].text(2),
            "catalog/1/catalog");
  EXPECT_EQ((*rows)[1].text(0) + "/" + (*rows)[1].text(1) + "/" + (*rows)[1].text(2),
            "platform/1/core");
  EXPECT_EQ((*rows)[2].text(0) + "/" + (*rows)[2].text(1) + "/" + (*rows)[2].text(2),
            "platform/2/server_secrets");
  auto kept = database().read_value<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM catalog_table", {}));
    return row->int64(0);
  });
  ASSERT_TRUE(kept);
  EXPECT_EQ(*kept, 1);
}

TEST_P(Migrator, RefusesAnOldHistoryItCannotPlace) {
  files_.add("0001_core.sql", "CREATE TABLE core_table (id INTEGER PRIMARY KEY);");
  ASSERT_TRUE(database().write([](Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute_script(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL);"
        "INSERT INTO schema_migrations VALUES (1, 'something_else', '2026-01-02T03:04:05Z');"));
    return ok();
  }));
  auto r = migrate(database(), {{"platform", files_.dir()}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("something_else"), std::string::npos) << r.error().detail;
  EXPECT_FALSE(table_exists("core_table"));
}

PRATU_INSTANTIATE_ENGINE_TESTS(Migrator);

}  // namespace
}  // namespace pratu::storage
