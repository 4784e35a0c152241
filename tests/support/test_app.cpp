#include "support/test_app.hpp"

#include <filesystem>
#include <stdexcept>

namespace pratu::test {

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
  config.modules["applications.address_data"] = root + "/datasets/thai-address";
  config.modules["applications.holidays"] = root + "/datasets/holidays/th-government.yaml";
  config.modules["payments.billers_file"] = root + "/config/billers.yaml";
  config.paths.openapi = root + "/docs/openapi.json";
  // Made only when something is stored; each test its own.
  config.paths.blobs =
      (std::filesystem::temp_directory_path() / unique_name("pratu-blobs-")).string();
  // Mail the app sends lands here, not in the checkout's data/mail.
  config.modules["notifications.spool_dir"] =
      (std::filesystem::temp_directory_path() / unique_name("pratu-mail-")).string();
  // The demo's test signing keys, likewise.
  config.modules["documents.pki_dir"] =
      (std::filesystem::temp_directory_path() / unique_name("pratu-pki-")).string();
  config.log.level = "warn";
  return config;
}

TestApp::TestApp(const app::Config& config, app::Demo demo)
    : TestApp(config, demo, app::modules()) {}

TestApp::TestApp(const app::Config& config, app::Demo demo, app::Modules modules)
    : blobs_root_(config.paths.blobs) {
  auto created = app::Application::create(config, std::move(modules), demo);
  if (!created) throw std::runtime_error("application failed to start: " + created.error().detail);
  app_ = std::move(*created);
  thread_ = std::thread([this] { app_->run(false); });
}

TestApp::~TestApp() {
  app_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace pratu::test
