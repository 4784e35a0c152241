#pragma once
/// Runs the same test on both storage engines, each case on a fresh, migrated database.
///
///   class AccountRepositoryTest : public pratu::test::DatabaseTest {};
///   TEST_P(AccountRepositoryTest, FindsTheAccountItSaved) {
///     pratu::storage::Database& db = database();
///     ...
///   }
///   PRATU_INSTANTIATE_ENGINE_TESTS(AccountRepositoryTest);
///
/// PostgreSQL cases run on the server whose URL is in PRATU_TEST_POSTGRES_URL (start one with
/// `bin/postgres-test-server start DIR`); each case gets its own database, dropped afterwards.
/// Without that variable they are skipped with a message, or fail when CI is set: CI must
/// never skip PostgreSQL silently. Header-only; needs PRATU_SOURCE_DIR (the repository root).

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "support/temp_dir.hpp"

#ifndef PRATU_SOURCE_DIR
#error "test_databases.hpp needs PRATU_SOURCE_DIR (the repository root) defined"
#endif

namespace pratu::test {

enum class Engine { sqlite, postgres };

/// Every engine a storage test runs on.
inline std::vector<Engine> test_engines() { return {Engine::sqlite, Engine::postgres}; }

/// "sqlite" or "postgres".
inline std::string engine_name(Engine engine) {
  return engine == Engine::sqlite ? "sqlite" : "postgres";
}

/// Prints an engine by name in gtest messages.
inline void PrintTo(Engine engine, std::ostream* out) { *out << engine_name(engine); }

/// Names parameterised cases after their engine (for INSTANTIATE_TEST_SUITE_P).
inline std::string engine_param_name(const ::testing::TestParamInfo<Engine>& info) {
  return engine_name(info.param);
}

/// The directory holding the platform's migrations/sqlite and migrations/postgres.
inline std::string migrations_dir() { return PRATU_SOURCE_DIR "/migrations"; }

/// The migrations of one domain module (src/domains/<module>/migrations).
inline storage::MigrationSource module_migrations(const std::string& module) {
  return {module, PRATU_SOURCE_DIR "/src/domains/" + module + "/migrations"};
}

/// The platform's migrations and those of `modules`, in that order.
inline std::vector<storage::MigrationSource> migrations_of(
    std::initializer_list<std::string> modules) {
  std::vector<storage::MigrationSource> out{{"platform", migrations_dir()}};
  for (const auto& m : modules) out.push_back(module_migrations(m));
  return out;
}

/// The platform's migrations and every module's, modules in name order (tests of a module
/// whose tables refer to a later name's list their own with migrations_of).
inline std::vector<storage::MigrationSource> all_migrations() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(PRATU_SOURCE_DIR "/src/domains")) {
    if (std::filesystem::is_directory(entry.path() / "migrations")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  std::vector<storage::MigrationSource> out{{"platform", migrations_dir()}};
  for (const auto& m : names) out.push_back(module_migrations(m));
  return out;
}

/// A copy of `source` in `dir` (both dialects) holding only its migrations up to `last`: a
/// database as an earlier release left it.
inline storage::MigrationSource migrations_up_to(const storage::MigrationSource& source, int last,
                                                 const std::filesystem::path& dir) {
  for (const char* dialect : {"sqlite", "postgres"}) {
    std::filesystem::create_directories(dir / dialect);
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(source.directory) / dialect)) {
      if (std::stoi(entry.path().filename().string().substr(0, 4)) <= last) {
        std::filesystem::copy_file(entry.path(), dir / dialect / entry.path().filename(),
                                   std::filesystem::copy_options::overwrite_existing);
      }
    }
  }
  return {source.module, dir.string()};
}

/// The version of the migration of `source` named `name` (the same in both dialects), or 0.
inline int migration_version(const storage::MigrationSource& source, const std::string& name) {
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(source.directory) / "sqlite")) {
    auto file = entry.path().filename().string();
    if (file.substr(5) == name + ".sql") return std::stoi(file.substr(0, 4));
  }
  return 0;
}

/// True when running in CI (env CI set and not "false"/"0").
inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0' && std::string(ci) != "false" && std::string(ci) != "0";
}

/// The PostgreSQL server tests may use (env PRATU_TEST_POSTGRES_URL), if any.
inline std::optional<std::string> test_postgres_url() {
  const char* url = std::getenv("PRATU_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

/// Why `engine` cannot run here, or nullopt if it can.
inline std::optional<std::string> engine_unavailable_reason(Engine engine) {
  if (engine == Engine::postgres && !test_postgres_url()) {
    return std::string(
        "PostgreSQL case not run: set PRATU_TEST_POSTGRES_URL (start a server with "
        "`bin/postgres-test-server start DIR`; it prints the URL)");
  }
  return std::nullopt;
}

/// Skips the current test (fails it when CI is set) if `engine` cannot run here.
#define PRATU_REQUIRE_ENGINE(engine)                                                 \
  do {                                                                               \
    if (auto pratu_reason_ = ::pratu::test::engine_unavailable_reason(engine)) {     \
      if (::pratu::test::running_in_ci()) FAIL() << "CI is set: " << *pratu_reason_; \
      GTEST_SKIP() << *pratu_reason_;                                                \
    }                                                                                \
  } while (false)

/// Runs a DatabaseTest-derived suite once per engine, cases named .../sqlite and .../postgres.
#define PRATU_INSTANTIATE_ENGINE_TESTS(suite)                                                  \
  INSTANTIATE_TEST_SUITE_P(Engines, suite, ::testing::ValuesIn(::pratu::test::test_engines()), \
                           ::pratu::test::engine_param_name)

enum class Migrations { apply, skip };

/// How to open a test database.
struct TestDatabaseOptions {
  Migrations migrations = Migrations::apply;
  int pool_size = 4;
  int busy_timeout_ms = 5000;
  std::vector<storage::MigrationSource> sources = all_migrations();  // applied in this order
};

namespace detail {

using test::unique_name;  // some callers still name it detail::unique_name

// `url` naming database `name` instead of its own.
inline std::string with_database_name(const std::string& url, const std::string& name) {
  auto authority = url.find("://");
  authority = authority == std::string::npos ? 0 : authority + 3;
  auto path = url.find_first_of("/?", authority);
  if (path == std::string::npos) return url + "/" + name;
  if (url[path] == '?') return url.substr(0, path) + "/" + name + url.substr(path);
  auto query = url.find('?', path);
  return url.substr(0, path + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

// Runs one statement outside a transaction (CREATE/DROP DATABASE need that).
inline Result<void> run_on_server(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return Error::unavailable("cannot reach the test PostgreSQL server: " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* result = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string message = ok ? "" : PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (!ok) return Error::internal(sql + ": " + message);
  return {};
}

}  // namespace detail

/// A fresh, empty database nobody has opened yet: a file in a temporary directory of its own,
/// or a database of its own on the test PostgreSQL server. Removed when this goes away.
class FreshDatabase {
 public:
  /// Creates it on `engine`; fails (unavailable) when that engine cannot run here.
  static Result<std::unique_ptr<FreshDatabase>> create(Engine engine) {
    std::unique_ptr<FreshDatabase> out(new FreshDatabase(engine));
    if (engine == Engine::sqlite) {
      out->sqlite_dir_ = std::make_unique<TempDir>("pratu-test-");
      out->url_ = "sqlite:" + (*out->sqlite_dir_ / "pratu.db").string();
      return out;
    }
    auto server = test_postgres_url();
    if (!server) return Error::unavailable(*engine_unavailable_reason(engine));
    std::string name = unique_name("pratu_t_");
    auto created = detail::run_on_server(*server, "CREATE DATABASE " + name);
    if (!created) return created.error();
    out->server_url_ = *server;
    out->postgres_name_ = name;
    out->url_ = detail::with_database_name(*server, name);
    return out;
  }

  ~FreshDatabase() {
    if (!postgres_name_.empty()) {
      auto dropped = detail::run_on_server(
          server_url_, "DROP DATABASE IF EXISTS " + postgres_name_ + " WITH (FORCE)");
      if (!dropped) std::cerr << "test database not dropped: " << dropped.error().detail << "\n";
    }
  }
  FreshDatabase(const FreshDatabase&) = delete;
  FreshDatabase& operator=(const FreshDatabase&) = delete;

  /// The URL naming it (`sqlite:PATH` or `postgresql://...`), as the configuration takes it.
  const std::string& url() const { return url_; }
  /// Which engine it is on.
  Engine engine() const { return engine_; }

 private:
  explicit FreshDatabase(Engine engine) : engine_(engine) {}

  Engine engine_;
  std::string url_;
  std::unique_ptr<TempDir> sqlite_dir_;
  std::string server_url_;
  std::string postgres_name_;
};

/// A fresh database, opened (and migrated unless told not to); removed when this goes away.
class TestDatabase {
 public:
  /// Creates and opens a fresh database on `engine`, migrated unless options say otherwise.
  static Result<std::unique_ptr<TestDatabase>> create(Engine engine,
                                                      TestDatabaseOptions options = {}) {
    std::unique_ptr<TestDatabase> out(new TestDatabase(engine));
    out->settings_.pool_size = options.pool_size;
    out->settings_.busy_timeout_ms = options.busy_timeout_ms;
    auto fresh = FreshDatabase::create(engine);
    if (!fresh) return fresh.error();
    out->fresh_ = std::move(*fresh);
    out->settings_.url = out->fresh_->url();
    auto opened = storage::open_database(out->settings_);
    if (!opened) return opened.error();
    out->db_ = std::move(*opened);
    if (options.migrations == Migrations::apply) {
      auto migrated = storage::migrate(*out->db_, options.sources);
      if (!migrated) return migrated.error();
    }
    return out;
  }

  ~TestDatabase() {
    db_.reset();  // close every connection before the database goes
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  /// The open database.
  storage::Database& db() { return *db_; }
  /// Settings naming this database: to open a second handle, or to start the server on it.
  const storage::DatabaseSettings& settings() const { return settings_; }
  /// Which engine it runs on.
  Engine engine() const { return engine_; }

 private:
  explicit TestDatabase(Engine engine) : engine_(engine) {}

  Engine engine_;
  std::unique_ptr<FreshDatabase> fresh_;
  storage::DatabaseSettings settings_;
  std::unique_ptr<storage::Database> db_;
};

/// A fixture giving each case (one per engine) a fresh migrated database.
/// A subclass overriding SetUp calls DatabaseTest::SetUp() first and returns if IsSkipped().
class DatabaseTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    PRATU_REQUIRE_ENGINE(GetParam());
    auto created = TestDatabase::create(GetParam(), database_options());
    ASSERT_TRUE(created) << "cannot open a test database on " << engine_name(GetParam()) << ": "
                         << created.error().detail;
    test_database_ = std::move(*created);
  }
  void TearDown() override { test_database_.reset(); }

  /// Override to open the database differently (no migrations, a small pool, ...).
  virtual TestDatabaseOptions database_options() const { return {}; }

  /// The database of this case.
  storage::Database& database() { return test_database_->db(); }
  /// The database with its settings, to open a second handle on it.
  TestDatabase& test_database() { return *test_database_; }
  /// The engine of this case.
  Engine engine() const { return GetParam(); }

 private:
  std::unique_ptr<TestDatabase> test_database_;
};

}  // namespace pratu::test
