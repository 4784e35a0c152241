#pragma once
/// Starts the real application on 127.0.0.1:0 for integration tests, on a fresh SQLite file or
/// a fresh PostgreSQL database on the server named by PRATU_TEST_POSTGRES_URL.

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <cstdlib>

#include "app/application.hpp"
#include "app/config.hpp"
#include "support/http_client.hpp"

namespace pratu::testing {

enum class Engine { sqlite, postgres };

/// "sqlite" / "postgres", for test names.
std::string engine_name(Engine engine);

/// A fresh, empty database for one test; dropped when destroyed.
class FreshDatabase {
 public:
  explicit FreshDatabase(Engine engine);
  ~FreshDatabase();
  FreshDatabase(const FreshDatabase&) = delete;
  FreshDatabase& operator=(const FreshDatabase&) = delete;
  /// The URL to configure; empty when PostgreSQL is not available (the test should skip).
  const std::string& url() const { return url_; }

 private:
  Engine engine_;
  std::string url_;
  std::string admin_url_;
  std::string name_;
};

/// A configuration for tests: resources from the source tree, a free port, `url`.
app::Config test_config(const std::string& database_url);

/// The running application, stopped and joined when destroyed.
class TestApp {
 public:
  TestApp(const app::Config& config, app::Demo demo);
  /// With these modules instead of app::modules().
  TestApp(const app::Config& config, app::Demo demo, app::Modules modules);
  ~TestApp();
  std::uint16_t port() const { return app_->port(); }
  app::Application& app() { return *app_; }

 private:
  std::unique_ptr<app::Application> app_;
  std::thread thread_;
};

/// Skips (or, with CI set, fails) a PostgreSQL test when no server is configured.
#define PRATU_REQUIRE_DATABASE(db)                                                      \
  do {                                                                                  \
    if ((db).url().empty()) {                                                           \
      if (std::getenv("CI") != nullptr) FAIL() << "PRATU_TEST_POSTGRES_URL is not set"; \
      GTEST_SKIP() << "PRATU_TEST_POSTGRES_URL is not set";                             \
    }                                                                                   \
  } while (false)

/// A fixture running the demo application on a fresh database of the parameter's engine, with
/// a browser-like client.
class AppTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<FreshDatabase>(GetParam());
    PRATU_REQUIRE_DATABASE(*db_);
    app_ = std::make_unique<TestApp>(test_config(db_->url()), app::Demo::load);
    client_ = std::make_unique<HttpClient>(app_->port());
  }
  void TearDown() override {
    app_.reset();
    db_.reset();
  }
  std::unique_ptr<FreshDatabase> db_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace pratu::testing
