// migrate(): ordering, bookkeeping, refusal of inconsistent histories, concurrency.
#include "storage/database.hpp"

#include <gtest/gtest.h>

#include <chrono>
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
  void add(const std::string& file, const std::string& sql) { add(file, sql, sql); }
  // Writes each dialect's own SQL.
  void add(const std::string& file, const std::string& sqlite_sql,
           const std::string& postgres_sql) {
    std::ofstream(root_ / "sqlite" / file) << sqlite_sql;
    std::ofstream(root_ / "postgres" / file) << postgres_sql;
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

// Two modules as the accounts module and those after it will be: "people" owns a table that
// "letters" refers to (ON DELETE CASCADE and SET NULL) and indexes, and a later migration of
// "people" rebuilds it with a wider CHECK.
class MigratorRebuild : public Migrator {
 protected:
  void SetUp() override {
    Migrator::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    people_.add("0001_people.sql",
                "CREATE TABLE people (id INTEGER PRIMARY KEY,"
                " role TEXT NOT NULL CHECK (role IN ('clerk', 'officer')),"
                " email TEXT NOT NULL);"
                "INSERT INTO people (id, role, email) VALUES (1, 'clerk', 'a@example.org');"
                "INSERT INTO people (id, role, email) VALUES (2, 'officer', 'b@example.org');");
    const std::string letters =
        "CREATE TABLE letters (id INTEGER PRIMARY KEY,"
        " person INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE);"
        "CREATE TABLE notes (id INTEGER PRIMARY KEY,"
        " author INTEGER REFERENCES people (id) ON DELETE SET NULL);"
        "CREATE INDEX people_by_email ON people (email);"
        "CREATE TABLE renamed_roles (id INTEGER PRIMARY KEY, role TEXT NOT NULL);"
        "INSERT INTO letters (id, person) VALUES (10, 1);"
        "INSERT INTO letters (id, person) VALUES (11, 2);"
        "INSERT INTO notes (id, author) VALUES (20, 1);"
        "INSERT INTO notes (id, author) VALUES (21, 2);";
    // A trigger too on SQLite, where DROP TABLE takes it with the table.
    letters_.add("0001_letters.sql",
                 letters +
                     "CREATE TRIGGER people_role_renamed AFTER UPDATE OF role ON people"
                     " BEGIN INSERT INTO renamed_roles (id, role) VALUES (NEW.id, NEW.role); END;",
                 letters);
    auto r = migrate_both();
    ASSERT_TRUE(r) << r.error().detail;
    ASSERT_EQ(*r, 2);
  }

  Result<int> migrate_both() {
    return migrate(database(), {{"people", people_.dir()}, {"letters", letters_.dir()}});
  }

  // The parent rebuilt the SQLite way (lang_altertable.html), copying the rows `where` picks.
  static std::string sqlite_rebuild(const std::string& where) {
    return "-- pratu:rebuild\n"
           "CREATE TABLE new_people (id INTEGER PRIMARY KEY,"
           " role TEXT NOT NULL CHECK (role IN ('clerk', 'officer', 'supervisor')),"
           " email TEXT NOT NULL);\n"
           "INSERT INTO new_people (id, role, email) SELECT id, role, email FROM people" +
           where +
           ";\n"
           "DROP TABLE people;\n"
           "ALTER TABLE new_people RENAME TO people;\n";
  }

  Result<void> run(const std::string& sql) {
    return database().write([&](Connection& c) -> Result<void> {
      PRATU_CHECK(c.execute_script(sql));
      return ok();
    });
  }

  std::vector<std::string> rows(const std::string& sql) {
    auto found =
        database().read_value<std::vector<Row>>([&](Connection& c) { return c.query(sql, {}); });
    EXPECT_TRUE(found) << found.error().detail;
    std::vector<std::string> out;
    if (!found) return out;
    for (const auto& row : *found) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        line += (i == 0 ? "" : "/") + (row.is_null(i) ? std::string("null") : row.text(i));
      }
      out.push_back(line);
    }
    return out;
  }

  // On SQLite, the index and trigger "letters" made on people, as sqlite_master has them.
  std::vector<std::string> people_schema() {
    return rows(
        "SELECT type, name FROM sqlite_master WHERE tbl_name = 'people'"
        " AND type IN ('index', 'trigger') ORDER BY name");
  }

  // The writer enforces foreign keys: a letter to nobody is refused.
  void expect_foreign_keys_enforced() {
    EXPECT_FALSE(run("INSERT INTO letters (id, person) VALUES (99, 999)"));
    if (database().dialect() == Dialect::sqlite) {
      auto on = database().write_value<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
        PRATU_TRY(row, c.query_one("PRAGMA foreign_keys", {}));
        return row->int64(0);
      });
      ASSERT_TRUE(on) << on.error().detail;
      EXPECT_EQ(*on, 1);
    }
  }

  MigrationFiles people_;
  MigrationFiles letters_;
};

TEST_P(MigratorRebuild, ChangesACheckOnATableOthersReferToAndKeepsTheirRows) {
  people_.add("0002_supervisors.sql", sqlite_rebuild(""),
              "-- pratu:rebuild\n"
              "ALTER TABLE people DROP CONSTRAINT people_role_check;\n"
              "ALTER TABLE people ADD CONSTRAINT people_role_check"
              " CHECK (role IN ('clerk', 'officer', 'supervisor'));\n");
  auto r = migrate_both();
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(*r, 1);
  EXPECT_EQ(applied_count(), 3);

  // With foreign keys enforced, DROP TABLE people would have deleted letters and emptied
  // notes' authors.
  EXPECT_EQ(rows("SELECT id, person FROM letters ORDER BY id"),
            (std::vector<std::string>{"10/1", "11/2"}));
  EXPECT_EQ(rows("SELECT id, author FROM notes ORDER BY id"),
            (std::vector<std::string>{"20/1", "21/2"}));
  EXPECT_EQ(rows("SELECT id, role, email FROM people ORDER BY id"),
            (std::vector<std::string>{"1/clerk/a@example.org", "2/officer/b@example.org"}));

  EXPECT_TRUE(run("INSERT INTO people (id, role, email) VALUES (3, 'supervisor', 'c@x.org')"));
  EXPECT_FALSE(run("INSERT INTO people (id, role, email) VALUES (4, 'janitor', 'd@x.org')"));
  expect_foreign_keys_enforced();

  if (database().dialect() == Dialect::sqlite) {
    EXPECT_EQ(people_schema(),
              (std::vector<std::string>{"index/people_by_email", "trigger/people_role_renamed"}));
    ASSERT_TRUE(run("UPDATE people SET role = 'supervisor' WHERE id = 2"));
    EXPECT_EQ(rows("SELECT id, role FROM renamed_roles"),
              (std::vector<std::string>{"2/supervisor"}));
  }
  // The children still refer to the rebuilt table: its actions go on as before.
  ASSERT_TRUE(run("DELETE FROM people WHERE id = 1"));
  EXPECT_EQ(rows("SELECT id FROM letters ORDER BY id"), (std::vector<std::string>{"11"}));
  EXPECT_EQ(rows("SELECT id, author FROM notes ORDER BY id"),
            (std::vector<std::string>{"20/null", "21/2"}));
}

TEST_P(MigratorRebuild, ThatBreaksAReferenceFailsAndChangesNothing) {
  // On SQLite the copy leaves out person 2, to whom a letter and a note refer. On PostgreSQL,
  // which checks each statement, the new CHECK refuses person 2 instead.
  people_.add("0002_clerks_only.sql", sqlite_rebuild(" WHERE id = 1"),
              "-- pratu:rebuild\n"
              "ALTER TABLE people DROP CONSTRAINT people_role_check;\n"
              "ALTER TABLE people ADD CONSTRAINT people_role_check CHECK (role = 'clerk');\n");
  auto r = migrate_both();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("0002_clerks_only.sql"), std::string::npos) << r.error().detail;
  if (database().dialect() == Dialect::sqlite) {
    EXPECT_NE(r.error().detail.find("refers to people"), std::string::npos) << r.error().detail;
  }
  EXPECT_EQ(applied_count(), 2);
  EXPECT_EQ(rows("SELECT id, role FROM people ORDER BY id"),
            (std::vector<std::string>{"1/clerk", "2/officer"}));
  EXPECT_EQ(rows("SELECT id, person FROM letters ORDER BY id"),
            (std::vector<std::string>{"10/1", "11/2"}));
  EXPECT_EQ(rows("SELECT id, author FROM notes ORDER BY id"),
            (std::vector<std::string>{"20/1", "21/2"}));
  // The old CHECK holds.
  EXPECT_FALSE(run("INSERT INTO people (id, role, email) VALUES (3, 'supervisor', 'c@x.org')"));
  expect_foreign_keys_enforced();
  if (database().dialect() == Dialect::sqlite) {
    EXPECT_EQ(people_schema(),
              (std::vector<std::string>{"index/people_by_email", "trigger/people_role_renamed"}));
  }
}

// A rebuild runs in a transaction of its own: writes queued before and after it are not
// batched with it (on SQLite they would run without foreign keys), and they succeed.
TEST_P(MigratorRebuild, WritesQueuedAroundARebuildRunApartFromIt) {
  Result<void> before = ok();
  Result<void> rebuilt = ok();
  Result<void> after = ok();
  std::int64_t enforced_in_rebuild = -1;
  std::thread first;
  std::thread rebuild;
  std::thread second;
  // Holds the writer while the others queue up behind it, in order.
  auto held = database().write([&](Connection&) -> Result<void> {
    first = std::thread([&] { before = run("INSERT INTO letters (id, person) VALUES (12, 1)"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    rebuild = std::thread([&] {
      rebuilt = database().rebuild([&](Connection& c) -> Result<void> {
        if (c.dialect() == Dialect::sqlite) {
          PRATU_TRY(row, c.query_one("PRAGMA foreign_keys", {}));
          enforced_in_rebuild = row->int64(0);
        }
        return ok();
      });
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    second = std::thread([&] { after = run("INSERT INTO letters (id, person) VALUES (13, 999)"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return ok();
  });
  for (std::thread* t : {&first, &rebuild, &second}) {
    if (t->joinable()) t->join();
  }
  ASSERT_TRUE(held) << held.error().detail;
  EXPECT_TRUE(before) << before.error().detail;
  EXPECT_TRUE(rebuilt) << rebuilt.error().detail;
  EXPECT_FALSE(after) << "a letter to nobody was written";
  if (database().dialect() == Dialect::sqlite) EXPECT_EQ(enforced_in_rebuild, 0);
  EXPECT_EQ(rows("SELECT id, person FROM letters ORDER BY id"),
            (std::vector<std::string>{"10/1", "11/2", "12/1"}));
  expect_foreign_keys_enforced();
}

PRATU_INSTANTIATE_ENGINE_TESTS(Migrator);
PRATU_INSTANTIATE_ENGINE_TESTS(MigratorRebuild);

}  // namespace
}  // namespace pratu::storage
