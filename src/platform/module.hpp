#pragma once
/// A domain module: everything one domain brings to Pratu, declared in its own folder and
/// plugged into the app by one line in src/app/modules.cpp. See docs/adding-a-domain.md.
///
/// Besides what this interface returns, a module named `d` owns, by convention:
///   src/domains/d/migrations/{sqlite,postgres}/NNNN_name.sql  its schema, numbered from 0001
///   src/domains/d/openapi.json                               its part of the API document
///   locales/{th,en}/d.yaml                                   its strings, under the key `d`
///   templates/pages/d/                                       its pages
///
/// Lifecycle (the app calls, in module-list order):
///   settings()       before the configuration is read: the sections the module owns
///   add_commands()   before the command line is parsed: its `pratu d ...` commands
///   start()          after migrations: builds its services, offers interfaces to later modules
///   seed_demo()      with --demo on an empty database, after every module started
///   routes(), housekeeping()  after every module started

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/metrics.hpp"
#include "common/result.hpp"
#include "platform/earned_features.hpp"
#include "platform/services.hpp"
#include "platform/settings.hpp"
#include "storage/blob_store.hpp"
#include "storage/database.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace CLI {
class App;
}

namespace pratu::platform {

/// Settings of the platform every module may read.
struct SharedSettings {
  std::chrono::seconds cache_ttl{60};  // how long a cached page or result may be served
  std::size_t page_entries = 4096;     // pages (or their contents) a cache may keep
  bool https = false;                  // people reach Pratu over HTTPS (server.public_url)
  std::string public_url;              // where people reach Pratu, for links in e-mails
};

/// What the app lends a module while it starts and runs. Outlives the module's services.
struct Shared {
  const Clock& clock;
  Random& random;
  metrics::Registry& metrics;
  storage::Database& db;
  const storage::BlobStore& blobs;  // where streamed bodies land (web::Body::streamed)
  const web::Translations& translations;
  const web::Renderer* renderer;  // null for commands, which render no pages
  Services& services;
  SharedSettings settings;
  EarnedFeatures& earned;  // what modules run for each service (see Module::prepare)
};

/// Work done every `interval` on one background thread of each node; several nodes doing it
/// at once must be harmless. A failure is logged and tried again next time.
struct PeriodicTask {
  std::string name;  // for the log: "catalog: reload"
  std::chrono::seconds interval;
  std::function<Result<void>()> run;
  /// On a thread of its own, so that another task's long run (a backlog of documents to sign)
  /// does not delay it; otherwise one after another with the others.
  bool alone = false;
};

/// A `pratu d ...` command: the CLI subcommand it added and what runs when it is chosen.
/// `run` gets the app's Shared (database migrated, translations loaded, no renderer) and
/// returns the process exit code.
struct Command {
  CLI::App* command = nullptr;
  std::function<int(Shared&)> run;
};

class Module {
 public:
  virtual ~Module() = default;
  /// The module's name: its folder under src/domains, its locale file, its migrations' key.
  virtual std::string_view name() const = 0;
  /// The configuration sections it owns, bound to its own settings (see settings.hpp).
  virtual std::vector<SettingsSection> settings() { return {}; }
  /// Adds its subcommands under `cli` (usually one named after the module).
  virtual std::vector<Command> add_commands(CLI::App& /*cli*/) { return {}; }
  /// Reads the module's own files before any module starts (also before a command runs): it
  /// may offer what needs no database to later modules through shared.services (the catalogue
  /// offers the service directory) and declare in shared.earned what it runs for which service
  /// (a form earns "e_form"). No database access here.
  virtual Result<void> prepare(Shared& /*shared*/) { return ok(); }
  /// Builds its services; may offer interfaces to later modules through shared.services.
  virtual Result<void> start(Shared& shared) = 0;
  /// Demo data for a fresh database; returns text for the console (may be empty).
  virtual Result<std::string> seed_demo(Shared& /*shared*/) { return std::string(); }
  /// Its routes, each with an access rule.
  virtual web::Routes routes() { return {}; }
  /// Its periodic background work.
  virtual std::vector<PeriodicTask> housekeeping() { return {}; }
};

}  // namespace pratu::platform
