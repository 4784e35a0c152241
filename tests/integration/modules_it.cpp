// A domain module added the way docs/adding-a-domain.md says, beside the real ones: its
// configuration, migrations, routes (an API write and a streamed upload), housekeeping and
// part of the API document all reach the running app; a module list in the wrong order, or
// two modules describing one API path, stop it at startup.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/application.hpp"
#include "app/modules.hpp"
#include "platform/agency_directory.hpp"
#include "platform/module.hpp"
#include "support/sha256.hpp"
#include "support/test_app.hpp"
#include "support/test_databases.hpp"

namespace pratu::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// What a probe module saw, kept outside it (the app owns the module).
struct ProbeLog {
  std::atomic<int> housekeeping_runs{0};
  std::atomic<int> started{0};
};

class ProbeModule final : public platform::Module {
 public:
  explicit ProbeModule(ProbeLog& log) : log_(log) {}
  std::string_view name() const override { return "probe"; }

  std::vector<platform::SettingsSection> settings() override {
    return {{"probe",
             {platform::integer("interval_seconds", "How often the probe's housekeeping runs",
                                interval_seconds_, 1, 60)},
             {}}};
  }

  Result<void> start(platform::Shared& shared) override {
    PRATU_TRY(agencies, shared.services.need<platform::AgencyDirectory>("probe"));
    agencies_ = agencies;
    db_ = &shared.db;
    ++log_.started;
    return ok();
  }

  web::Routes routes() override {
    web::Routes r;
    web::RouteSpec count;
    count.method = "GET";
    count.pattern = "/api/v1/probe";
    count.access = web::Access::anyone;
    count.surface = web::Surface::api;
    count.handler = [this](const web::Request&, web::RequestContext&) -> Result<web::Response> {
      PRATU_TRY(rows,
                db_->read_value<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
                  PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM probe_marks", {}));
                  return row->int64(0);
                }));
      return web::Response::json(json::serialize(
          json::object{{"marks", rows}, {"agencies", agencies_->agency_codes().size()}}));
    };
    r.push_back(count);

    web::RouteSpec mark = count;
    mark.method = "POST";
    mark.access = web::Access::signed_in;
    mark.handler = [this](const web::Request&, web::RequestContext&) -> Result<web::Response> {
      PRATU_CHECK(db_->write([](storage::Connection& c) -> Result<void> {
        PRATU_CHECK(c.execute("INSERT INTO probe_marks (note) VALUES ('x')", {}));
        return ok();
      }));
      return web::Response::json("{\"marked\":true}");
    };
    r.push_back(mark);

    web::RouteSpec upload;
    upload.method = "POST";
    upload.pattern = "/probe/upload";
    upload.access = web::Access::signed_in;
    upload.surface = web::Surface::page;
    upload.body = web::Body::streamed;
    upload.stream_limit = 1024;
    upload.work = web::Work::documents;
    upload.handler = [](const web::Request& request,
                        web::RequestContext&) -> Result<web::Response> {
      if (!request.upload) return Error::internal("no upload");
      return web::Response::text(request.upload->sha256 + " " +
                                 std::to_string(request.upload->size_bytes));
    };
    r.push_back(upload);
    return r;
  }

  std::vector<platform::PeriodicTask> housekeeping() override {
    return {{"probe: count", std::chrono::seconds(interval_seconds_), [this]() -> Result<void> {
               ++log_.housekeeping_runs;
               return ok();
             }}};
  }

 private:
  ProbeLog& log_;
  int interval_seconds_ = 60;
  const platform::AgencyDirectory* agencies_ = nullptr;
  storage::Database* db_ = nullptr;
};

// A modules directory holding the real modules (links to src/domains) and the probe's files.
class ModulesDir {
 public:
  explicit ModulesDir(const std::string& probe_openapi)
      : root_(fs::temp_directory_path() / unique_name("pratu-modules-")) {
    for (const auto& entry : fs::directory_iterator(PRATU_SOURCE_DIR "/src/domains")) {
      if (entry.is_directory()) {
        fs::create_directories(root_);
        fs::create_directory_symlink(entry.path(), root_ / entry.path().filename());
      }
    }
    for (const char* dialect : {"sqlite", "postgres"}) {
      fs::create_directories(root_ / "probe" / "migrations" / dialect);
      std::ofstream(root_ / "probe" / "migrations" / dialect / "0001_probe.sql")
          << "CREATE TABLE probe_marks (id "
          << (std::string(dialect) == "sqlite" ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY")
          << ", note TEXT NOT NULL);\n";
    }
    std::ofstream(root_ / "probe" / "openapi.json") << probe_openapi;
  }
  ~ModulesDir() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string path() const { return root_.string(); }

 private:
  fs::path root_;
};

const char* const kProbeOpenApi = R"({
  "paths": {
    "/api/v1/probe": {
      "get": {"operationId": "countProbeMarks", "summary": "Count the marks",
              "responses": {"200": {"description": "The count"}}},
      "post": {"operationId": "addProbeMark", "summary": "Add a mark",
               "responses": {"200": {"description": "Added"},
                             "403": {"$ref": "#/components/responses/Problem"}}}
    }
  }
})";

app::Modules with_probe(ProbeLog& log, bool probe_first = false) {
  auto modules = app::modules();
  auto probe = std::make_unique<ProbeModule>(log);
  if (probe_first) {
    modules.insert(modules.begin(), std::move(probe));
  } else {
    modules.push_back(std::move(probe));
  }
  return modules;
}

class ModulesIT : public FreshDatabaseTest {
 protected:
  app::Config config_for(const ModulesDir& dir) {
    auto config = test_config(db_->url());
    config.paths.modules = dir.path();
    config.modules["probe.interval_seconds"] = "1";
    return config;
  }
  // Logs the demo applicant in; returns the session's CSRF token.
  static std::string log_in(HttpClient& client) {
    auto form = client.get("/login");
    auto posted = client.post_form("/login", {{"csrf_token", extract_csrf_token(form.body)},
                                              {"login", "applicant@demo.pratu.example"},
                                              {"password", "pratu-demo-applicant"}});
    EXPECT_EQ(posted.status, 303) << posted.body;
    return extract_csrf_token(client.get("/account").body);
  }
};

TEST_P(ModulesIT, AnAddedModuleBringsItsTablesRoutesDocumentAndHousekeeping) {
  ModulesDir dir(kProbeOpenApi);
  ProbeLog log;
  auto created = app::Application::create(config_for(dir), with_probe(log), app::Demo::load);
  ASSERT_TRUE(created) << created.error().detail;
  auto& application = **created;
  std::thread runner([&] { application.run(false); });

  HttpClient client(application.port());
  auto count = client.get("/api/v1/probe");
  EXPECT_EQ(count.status, 200) << count.body;
  auto body = json::parse(count.body).as_object();
  EXPECT_EQ(body.at("marks").as_int64(), 0);
  EXPECT_GT(body.at("agencies").as_int64(), 0);  // through the catalogue's agency directory

  auto doc = json::parse(application.openapi()).as_object();
  EXPECT_TRUE(doc.at("paths").as_object().contains("/api/v1/probe"));
  EXPECT_TRUE(doc.at("paths").as_object().contains("/api/v1/services"));

  bool listed = false;
  for (const auto& route : application.route_table()) {
    if (route.pattern == "/api/v1/probe" && route.method == "POST") {
      listed = true;
      EXPECT_EQ(route.access, web::Access::signed_in);
    }
  }
  EXPECT_TRUE(listed);

  // Housekeeping every second (the module's own configuration key).
  for (int i = 0; i < 50 && log.housekeeping_runs == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GE(log.housekeeping_runs.load(), 1);
  application.stop();
  runner.join();

  // Its migration is recorded under its own name and number.
  auto opened = storage::open_database({.url = db_->url()});
  ASSERT_TRUE(opened) << opened.error().detail;
  auto rows = (*opened)->read_value<std::vector<storage::Row>>([](storage::Connection& c) {
    return c.query("SELECT module, version, name FROM module_migrations ORDER BY module, version",
                   {});
  });
  ASSERT_TRUE(rows) << rows.error().detail;
  std::vector<std::string> applied;
  for (const auto& row : *rows)
    applied.push_back(row.text(0) + "/" + row.text(1) + "/" + row.text(2));
  // Beside every other module's, whichever the app lists.
  EXPECT_NE(std::find(applied.begin(), applied.end(), "probe/1/probe"), applied.end())
      << ::testing::PrintToString(applied);
  EXPECT_NE(std::find(applied.begin(), applied.end(), "platform/1/core"), applied.end());
}

TEST_P(ModulesIT, AnApiChangeMadeWithASessionCookieNeedsTheCsrfHeader) {
  ModulesDir dir(kProbeOpenApi);
  ProbeLog log;
  TestApp running(config_for(dir), app::Demo::load, with_probe(log));
  HttpClient client(running.port());
  EXPECT_EQ(client.request("POST", "/api/v1/probe").status, 401);

  const auto token = log_in(client);
  ASSERT_FALSE(token.empty());
  // A form on another site reaches the API with the cookie but without the header.
  auto forged = client.request("POST", "/api/v1/probe", "", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(forged.status, 403);
  EXPECT_NE(forged.header("Content-Type").find("application/problem+json"), std::string::npos);
  auto wrong = client.request("POST", "/api/v1/probe", "", {{"X-CSRF-Token", token + "x"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(json::parse(client.get("/api/v1/probe").body).at("marks").as_int64(), 0);

  // A route that sets no body limit takes the server's default (64 KiB), not nothing.
  auto made = client.request("POST", "/api/v1/probe", std::string(2000, 'x'),
                             {{"X-CSRF-Token", token}, {"Content-Type", "text/plain"}});
  EXPECT_EQ(made.status, 200) << made.body;
  EXPECT_EQ(json::parse(client.get("/api/v1/probe").body).at("marks").as_int64(), 1);
}

TEST_P(ModulesIT, AStreamedUploadRouteStoresTheBodyAndTakesItsTokenFromAHeader) {
  ModulesDir dir(kProbeOpenApi);
  ProbeLog log;
  auto config = config_for(dir);
  TestApp running(config, app::Demo::load, with_probe(log));
  HttpClient client(running.port());
  const std::string bytes = "a document of some forty bytes, or so...";
  // A stranger is turned away before anything is stored.
  auto stranger = client.request("POST", "/probe/upload", bytes,
                                 {{"Content-Type", "text/plain"}, {"X-CSRF-Token", "anything"}});
  EXPECT_EQ(stranger.status, 403);
  auto stored_files = [&config] {
    int n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(config.paths.blobs, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file()) ++n;
    }
    return n;
  };
  EXPECT_EQ(stored_files(), 0);

  const auto token = log_in(client);
  auto refused = client.request("POST", "/probe/upload", bytes, {{"Content-Type", "text/plain"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(stored_files(), 0);
  auto stored = client.request("POST", "/probe/upload", bytes,
                               {{"Content-Type", "text/plain"}, {"X-CSRF-Token", token}});
  EXPECT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(stored.body, reference_sha256(bytes) + " " + std::to_string(bytes.size()));
  EXPECT_EQ(stored_files(), 1);
  auto too_big = client.request("POST", "/probe/upload", std::string(2048, 'x'),
                                {{"Content-Type", "text/plain"}, {"X-CSRF-Token", token}});
  EXPECT_EQ(too_big.status, 413);
  fs::remove_all(config.paths.blobs);
}

TEST_P(ModulesIT, AModuleBeforeWhatItNeedsStopsTheStart) {
  ModulesDir dir(kProbeOpenApi);
  ProbeLog log;
  auto created = app::Application::create(config_for(dir), with_probe(log, true), app::Demo::none);
  ASSERT_FALSE(created);
  EXPECT_NE(created.error().detail.find("probe needs the agency directory"), std::string::npos)
      << created.error().detail;
}

TEST_P(ModulesIT, TwoModulesDescribingOneApiPathStopTheStart) {
  ModulesDir dir(R"({"paths": {"/api/v1/services": {"get": {"responses": {}}}}})");
  ProbeLog log;
  auto created = app::Application::create(config_for(dir), with_probe(log), app::Demo::none);
  ASSERT_FALSE(created);
  EXPECT_NE(created.error().detail.find("/api/v1/services"), std::string::npos)
      << created.error().detail;
  EXPECT_NE(created.error().detail.find("probe"), std::string::npos) << created.error().detail;
}

TEST_P(ModulesIT, AModuleKeyNobodyDeclaresStopsTheStart) {
  ModulesDir dir(kProbeOpenApi);
  ProbeLog log;
  auto config = config_for(dir);
  config.modules["probe.nonsense"] = "1";
  auto created = app::Application::create(config, with_probe(log), app::Demo::none);
  ASSERT_FALSE(created);
  EXPECT_NE(created.error().detail.find("probe.nonsense"), std::string::npos);
}

PRATU_INSTANTIATE_ENGINE_TESTS(ModulesIT);

}  // namespace
}  // namespace pratu::test
