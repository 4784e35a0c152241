#pragma once
/// Starts the real application on 127.0.0.1:0 for integration tests, on a fresh database of
/// either engine (support/test_databases.hpp says which engines run here and how).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "app/application.hpp"
#include "app/config.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_databases.hpp"

namespace pratu::test {

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
  /// Where the blob store keeps its files.
  const std::filesystem::path& blobs_root() const { return blobs_root_; }

 private:
  std::filesystem::path blobs_root_;
  std::unique_ptr<app::Application> app_;
  std::thread thread_;
};

/// A fixture with a fresh database of the parameter's engine and no application: for tests that
/// start the application themselves, or see it refuse to start. Instantiate it with
/// PRATU_INSTANTIATE_ENGINE_TESTS.
class FreshDatabaseTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    PRATU_REQUIRE_ENGINE(GetParam());
    auto fresh = FreshDatabase::create(GetParam());
    ASSERT_TRUE(fresh) << "cannot create a test database on " << engine_name(GetParam()) << ": "
                       << fresh.error().detail;
    db_ = std::move(*fresh);
  }
  std::unique_ptr<FreshDatabase> db_;
};

/// A FreshDatabaseTest with a copy of the demo catalogue (services/) to change before starting.
class CopiedServicesTest : public FreshDatabaseTest {
 protected:
  void SetUp() override {
    FreshDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::filesystem::copy(std::filesystem::path(PRATU_SOURCE_DIR) / "services", services(),
                          std::filesystem::copy_options::recursive);
  }
  /// The copy's folder: what `catalog.directory` should name.
  std::filesystem::path services() const { return dir_.path() / "services"; }

 private:
  TempDir dir_;
};

/// A fixture running the demo application on a fresh database of the parameter's engine, with
/// a browser-like client. Instantiate it with PRATU_INSTANTIATE_ENGINE_TESTS.
class AppTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    PRATU_REQUIRE_ENGINE(GetParam());
    auto fresh = FreshDatabase::create(GetParam());
    ASSERT_TRUE(fresh) << "cannot create a test database on " << engine_name(GetParam()) << ": "
                       << fresh.error().detail;
    db_ = std::move(*fresh);
    auto config = test_config(db_->url());
    configure(config);
    app_ = std::make_unique<TestApp>(config, app::Demo::load);
    client_ = std::make_unique<HttpClient>(app_->port());
  }
  /// What a fixture changes in the configuration before the application starts.
  virtual void configure(app::Config&) {}
  void TearDown() override {
    app_.reset();
    db_.reset();
  }
  std::unique_ptr<FreshDatabase> db_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace pratu::test
