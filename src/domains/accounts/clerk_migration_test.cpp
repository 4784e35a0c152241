// The migration that brings the clerk role (accounts 0006, docs/adr/0032) rebuilds users on
// SQLite with foreign keys off: in a database in use, the rows that refer to a person stay as
// they were (no ON DELETE CASCADE or SET NULL fires), the indexes another module made on users
// come back, and foreign keys hold again afterwards. PostgreSQL changes the constraints in
// place.

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_databases.hpp"

namespace pratu::accounts {
namespace {

namespace fs = std::filesystem;

class ClerkRoleMigration : public test::DatabaseTest {
 protected:
  test::TestDatabaseOptions database_options() const override {
    return {.migrations = test::Migrations::skip};
  }

  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    test::DatabaseTest::TearDown();
  }

  // Every module's migrations, the accounts' only up to `last`.
  Result<int> migrate_accounts_up_to(int last) {
    auto sources = test::all_migrations();
    for (auto& source : sources) {
      if (source.module == "accounts") source = test::migrations_up_to(source, last, dir_);
    }
    return storage::migrate(database(), sources);
  }

  std::int64_t count(const std::string& sql) {
    auto n =
        database().read_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(row, c.query_one(sql, {}));
          return row->int64(0);
        });
    return n ? *n : -1;
  }

  Result<void> run(const std::string& sql) {
    return database().write([&](storage::Connection& c) -> Result<void> {
      PRATU_CHECK(c.execute(sql, {}));
      return ok();
    });
  }

  const fs::path dir_ = fs::temp_directory_path() / test::detail::unique_name("pratu-clerk-");
};

TEST_P(ClerkRoleMigration, KeepsEveryRowThatRefersToAPersonAndAllowsClerks) {
  const int version = test::migration_version(test::module_migrations("accounts"), "clerk_role");
  ASSERT_GT(version, 1);
  ASSERT_TRUE(migrate_accounts_up_to(version - 1)) << "the migrations before clerk_role";
  // An officer and the supervisor who gave them the cashier duty, each with a session: the
  // officer's session and duty would go with a cascade, the supervisor's name in the record
  // with a SET NULL.
  ASSERT_TRUE(
      run("INSERT INTO users (id, role, agency_code, email, given_name, password_hash, "
          "created_at, updated_at, password_changed_at) VALUES "
          "(41, 'officer', 'bma', 'o@example.org', 'Somsri', 'h', 1, 1, 1), "
          "(42, 'supervisor', 'bma', 's@example.org', 'Somchai', 'h', 1, 1, 1)"));
  ASSERT_TRUE(
      run("INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, "
          "idle_expires_at, absolute_expires_at) VALUES ('a', 41, 't', 1, 1, 9, 9), "
          "('b', 42, 't', 1, 1, 9, 9)"));
  ASSERT_TRUE(
      run("INSERT INTO staff_duties (user_id, duty, granted_at) VALUES (41, 'cashier', 2)"));
  ASSERT_TRUE(
      run("INSERT INTO staff_duty_events (user_id, agency_code, duty, action, "
          "by_user_id, at) VALUES (41, 'bma', 'cashier', 'granted', 42, 2)"));
  EXPECT_FALSE(
      run("INSERT INTO users (role, agency_code, email, password_hash, created_at, "
          "updated_at, password_changed_at) VALUES ('clerk', 'bma', 'c@example.org', "
          "'h', 1, 1, 1)"))
      << "no clerks before the migration";

  auto applied = migrate_accounts_up_to(version);
  ASSERT_TRUE(applied) << applied.error().detail;
  EXPECT_EQ(*applied, 1);

  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE id = 41 AND role = 'officer' AND "
                  "agency_code = 'bma' AND given_name = 'Somsri'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM staff_duties WHERE user_id = 41"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM staff_duty_events WHERE by_user_id = 42"), 1);
  if (engine() == test::Engine::sqlite) {
    // Made on users by the applications module's migration 0005; the rebuild dropped them.
    EXPECT_EQ(count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                    "('users_given_name', 'users_family_name')"),
              2);
  }

  // A clerk works for an agency; the roles stay a closed list.
  EXPECT_TRUE(
      run("INSERT INTO users (role, agency_code, email, password_hash, created_at, "
          "updated_at, password_changed_at) VALUES ('clerk', 'bma', 'c@example.org', "
          "'h', 1, 1, 1)"));
  EXPECT_FALSE(
      run("INSERT INTO users (role, email, password_hash, created_at, updated_at, "
          "password_changed_at) VALUES ('clerk', 'd@example.org', 'h', 1, 1, 1)"))
      << "a clerk without an agency";
  EXPECT_FALSE(
      run("INSERT INTO users (role, agency_code, email, password_hash, created_at, "
          "updated_at, password_changed_at) VALUES ('cashier', 'bma', 'e@example.org', "
          "'h', 1, 1, 1)"))
      << "a role nobody knows";
  // Foreign keys hold again, and their actions fire again.
  EXPECT_FALSE(
      run("INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, "
          "idle_expires_at, absolute_expires_at) VALUES ('z', 999, 't', 1, 1, 9, 9)"))
      << "a session of nobody";
  ASSERT_TRUE(run("DELETE FROM users WHERE id = 42"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM staff_duty_events WHERE by_user_id IS NULL"), 1);
}

PRATU_INSTANTIATE_ENGINE_TESTS(ClerkRoleMigration);

}  // namespace
}  // namespace pratu::accounts
