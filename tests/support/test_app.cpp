#include "support/test_app.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "support/test_databases.hpp"

namespace pratu::testing {

namespace fs = std::filesystem;

namespace {

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(rd() % 100000);
}

void admin_exec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot reach the test PostgreSQL server: " + message);
  }
  PGresult* res = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string message = PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(sql + ": " + message);
}

// postgresql://user@host:port/db -> the same URL naming `database`.
std::string with_database(const std::string& url, const std::string& database) {
  auto slash = url.rfind('/');
  auto query = url.find('?', slash);
  return url.substr(0, slash + 1) + database +
         (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

std::string engine_name(Engine engine) { return engine == Engine::sqlite ? "sqlite" : "postgres"; }

FreshDatabase::FreshDatabase(Engine engine) : engine_(engine) {
  if (engine == Engine::sqlite) {
    auto dir = fs::temp_directory_path() / ("pratu-it-" + unique_suffix());
    fs::create_directories(dir);
    name_ = dir.string();
    url_ = "sqlite:" + (dir / "pratu.db").string();
    return;
  }
  const char* server = std::getenv("PRATU_TEST_POSTGRES_URL");
  if (server == nullptr || *server == '\0') return;
  admin_url_ = server;
  name_ = "pratu_it_" + unique_suffix();
  admin_exec(admin_url_, "CREATE DATABASE " + name_);
  url_ = with_database(admin_url_, name_);
}

FreshDatabase::~FreshDatabase() {
  try {
    if (engine_ == Engine::sqlite) {
      if (!name_.empty()) fs::remove_all(name_);
    } else if (!url_.empty()) {
      admin_exec(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }
  } catch (const std::exception&) {
    // A leftover temporary database must not fail the test that used it.
  }
}

app::Config test_config(const std::string& database_url) {
  app::Config config;
  config.database.url = database_url;
  config.database.pool_size = 4;
  config.server.host = "127.0.0.1";
  config.server.port = 0;
  config.server.io_threads = 1;
  config.server.worker_threads = 2;
  config.server.shutdown_grace_seconds = 5;
  std::string root = PRATU_SOURCE_DIR;
  config.paths.templates = root + "/templates";
  config.paths.locales = root + "/locales";
  config.paths.static_files = root + "/static";
  config.paths.migrations = root + "/migrations";
  config.paths.modules = root + "/src/domains";
  config.modules["catalog.directory"] = root + "/services";
  config.paths.openapi = root + "/docs/openapi.json";
  // Made only when something is stored; each test its own.
  config.paths.blobs =
      (std::filesystem::temp_directory_path() / test::detail::unique_name("pratu-blobs-")).string();
  config.log.level = "warn";
  return config;
}

TestApp::TestApp(const app::Config& config, app::Demo demo)
    : TestApp(config, demo, app::modules()) {}

TestApp::TestApp(const app::Config& config, app::Demo demo, app::Modules modules) {
  auto created = app::Application::create(config, std::move(modules), demo);
  if (!created) throw std::runtime_error("application failed to start: " + created.error().detail);
  app_ = std::move(*created);
  thread_ = std::thread([this] { app_->run(false); });
}

TestApp::~TestApp() {
  app_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace pratu::testing
