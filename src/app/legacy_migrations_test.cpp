// A database made before modules existed — one numbering, 0001 to 0006, in schema_migrations —
// moves to the modules' numbering without running anything again and without losing a row.

#include <gtest/gtest.h>

#include <filesystem>

#include "app/application.hpp"
#include "app/modules.hpp"
#include "common/files.hpp"
#include "support/test_databases.hpp"

namespace pratu::app {
namespace {

namespace fs = std::filesystem;

class LegacyMigrationsTest : public test::DatabaseTest {
 protected:
  test::TestDatabaseOptions database_options() const override {
    return {.migrations = test::Migrations::skip};
  }
};

// The files of the single numbering, in its order, as they now live in the modules.
struct Legacy {
  int version;
  const char* name;
  const char* file;  // relative to the repository root, without the dialect folder
};
constexpr Legacy kOldNumbering[] = {
    {1, "core", "migrations/{d}/0001_core.sql"},
    {2, "catalog", "src/domains/catalog/migrations/{d}/0001_catalog.sql"},
    {3, "accounts", "src/domains/accounts/migrations/{d}/0001_accounts.sql"},
    {4, "server_secrets", "migrations/{d}/0002_server_secrets.sql"},
    {5, "catalog_digests", "src/domains/catalog/migrations/{d}/0002_catalog_digests.sql"},
    {6, "supervisor_role", "src/domains/accounts/migrations/{d}/0002_supervisor_role.sql"},
};

std::string file_for(const Legacy& legacy, storage::Dialect dialect) {
  std::string path = legacy.file;
  path.replace(path.find("{d}"), 3, dialect == storage::Dialect::postgres ? "postgres" : "sqlite");
  return std::string(PRATU_SOURCE_DIR) + "/" + path;
}

// Builds the database as the last release did, up to `last`, with one officer in it.
void make_old_database(storage::Database& db, int last) {
  ASSERT_TRUE(db.write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute_script(
        c.dialect() == storage::Dialect::postgres
            ? "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
              " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            : "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
              " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"));
    for (const auto& legacy : kOldNumbering) {
      if (legacy.version > last) break;
      PRATU_TRY(sql, read_file(file_for(legacy, c.dialect())));
      PRATU_CHECK(c.execute_script(sql));
      PRATU_CHECK(c.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                            {std::int64_t{legacy.version}, std::string(legacy.name)}));
    }
    PRATU_CHECK(c.execute(
        "INSERT INTO users (id, role, agency_code, email, password_hash, created_at, "
        "updated_at, password_changed_at) VALUES (41, 'officer', 'bma', 'o@example.org', 'h', 1, "
        "1, 1)",
        {}));
    return ok();
  }));
}

std::int64_t count(storage::Database& db, const std::string& sql) {
  auto n = db.read_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(row, c.query_one(sql, {}));
    return row->int64(0);
  });
  return n ? *n : -1;
}

std::vector<storage::MigrationSource> sources() {
  Config config;
  config.paths.migrations = PRATU_SOURCE_DIR "/migrations";
  config.paths.modules = PRATU_SOURCE_DIR "/src/domains";
  // Only the modules of the old numbering: modules added since have nothing to carry forward.
  auto all = migration_sources(config, modules());
  std::erase_if(all, [](const storage::MigrationSource& source) {
    return source.module != "platform" && source.module != "catalog" && source.module != "accounts";
  });
  return all;
}

// The last database of the old numbering runs none of it again, only what came after it (the
// accounts' message language, staff duties and their changes, the clerk role, and the
// platform's notices and payload checks).
TEST_P(LegacyMigrationsTest, AnUpToDateDatabaseRunsNothingAgain) {
  make_old_database(database(), 6);
  auto migrated = storage::migrate(database(), sources());
  ASSERT_TRUE(migrated) << migrated.error().detail;
  EXPECT_EQ(*migrated, 6);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM module_migrations"), 12);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM users WHERE locale = ''"), 1);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM users WHERE email = 'o@example.org'"), 1);
}

TEST_P(LegacyMigrationsTest, AnOlderDatabaseRunsOnlyWhatItLacks) {
  make_old_database(database(), 3);
  auto migrated = storage::migrate(database(), sources());
  ASSERT_TRUE(migrated) << migrated.error().detail;
  // server_secrets, notices, catalog_digests, supervisor_role, message_language, staff_duties,
  // staff_duty_events, clerk_role, json_payload_checks
  EXPECT_EQ(*migrated, 9);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM module_migrations"), 12);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM users WHERE email = 'o@example.org'"), 1);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM server_secrets"), 0);
}

PRATU_INSTANTIATE_ENGINE_TESTS(LegacyMigrationsTest);

}  // namespace
}  // namespace pratu::app
