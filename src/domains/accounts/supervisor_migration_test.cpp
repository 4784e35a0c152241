// The migration that brings the supervisor role rebuilds the users table on SQLite: every
// account and every live session must come through it, with its foreign key intact.

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_databases.hpp"

namespace pratu::accounts {
namespace {

namespace fs = std::filesystem;

class SupervisorMigrationTest : public ::testing::TestWithParam<test::Engine> {};

TEST_P(SupervisorMigrationTest, KeepsEveryAccountAndSessionAndAdmitsSupervisors) {
  PRATU_REQUIRE_ENGINE(GetParam());
  auto created = test::TestDatabase::create(GetParam(), {.migrations = test::Migrations::skip});
  ASSERT_TRUE(created) << created.error().detail;
  auto& db = (*created)->db();
  const fs::path dir = fs::temp_directory_path() / test::detail::unique_name("pratu-mig-");
  const auto accounts = test::module_migrations("accounts");
  const int version = test::migration_version(accounts, "supervisor_role");
  ASSERT_GT(version, 1);
  const storage::MigrationSource platform{"platform", test::migrations_dir()};
  ASSERT_TRUE(storage::migrate(db, {platform, test::migrations_up_to(accounts, version - 1, dir)}));

  ASSERT_TRUE(db.write([](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute(
        "INSERT INTO users (id, role, agency_code, email, password_hash, created_at, updated_at, "
        "password_changed_at) VALUES (41, 'officer', 'bma', 'o@example.org', 'h', 1, 1, 1)",
        {}));
    PRATU_CHECK(
        c.execute("INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, "
                  "idle_expires_at, absolute_expires_at) VALUES ('s1', 41, 't', 1, 1, 2, 3)",
                  {}));
    return ok();
  }));

  ASSERT_TRUE(storage::migrate(db, {platform, test::migrations_up_to(accounts, version, dir)}));
  fs::remove_all(dir);

  auto kept = db.read_value<std::vector<storage::Row>>([](storage::Connection& c) {
    return c.query("SELECT u.email, s.csrf_token FROM users u JOIN sessions s ON s.user_id = u.id",
                   {});
  });
  ASSERT_TRUE(kept) << kept.error().detail;
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].text(0), "o@example.org");
  EXPECT_EQ((*kept)[0].text(1), "t");

  auto insert = [&db](const std::string& sql) {
    return db.write([&](storage::Connection& c) -> Result<void> {
      PRATU_CHECK(c.execute(sql, {}));
      return ok();
    });
  };
  EXPECT_TRUE(
      insert("INSERT INTO users (role, agency_code, email, password_hash, created_at, "
             "updated_at, password_changed_at) VALUES ('supervisor', 'bma', "
             "'s@example.org', 'h', 1, 1, 1)"));
  EXPECT_FALSE(
      insert("INSERT INTO users (role, email, password_hash, created_at, updated_at, "
             "password_changed_at) VALUES ('supervisor', 's2@example.org', 'h', 1, 1, 1)"))
      << "a supervisor without an agency";
  EXPECT_FALSE(
      insert("INSERT INTO users (role, email, password_hash, created_at, updated_at, "
             "password_changed_at) VALUES ('owner', 'x@example.org', 'h', 1, 1, 1)"))
      << "an unknown role";
  // The session still belongs to its user: deleting the user ends it.
  ASSERT_TRUE(insert("DELETE FROM users WHERE id = 41"));
  auto left = db.read_value<std::vector<storage::Row>>(
      [](storage::Connection& c) { return c.query("SELECT id FROM sessions", {}); });
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, SupervisorMigrationTest,
                         ::testing::ValuesIn(test::test_engines()), test::engine_param_name);

}  // namespace
}  // namespace pratu::accounts
