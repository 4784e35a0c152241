#pragma once
/// Application wiring: builds every part from the configuration and runs the server.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/config.hpp"
#include "app/modules.hpp"
#include "common/result.hpp"
#include "web/access.hpp"

namespace pratu::app {

enum class Demo { none, load };

/// The running application: the database, what every page shares (translations, renderer,
/// middleware), the modules, the router and the server.
class Application {
 public:
  /// Builds everything with `modules` and binds the listening socket; the port is known after
  /// this. The modules take their settings from `config.modules`.
  static Result<std::unique_ptr<Application>> create(const Config& config, Modules modules,
                                                     Demo demo);
  /// `create` with every module of app::modules().
  static Result<std::unique_ptr<Application>> create(const Config& config, Demo demo);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  /// The bound port.
  std::uint16_t port() const;
  /// Serves until stop() or SIGTERM/SIGINT (when `handle_signals`), then drains.
  void run(bool handle_signals);
  /// Begins a graceful stop; safe from any thread.
  void stop();
  /// Every route as (method, pattern), for the OpenAPI check.
  std::vector<std::pair<std::string, std::string>> routes() const;
  /// One entry of the route table, for the access walk.
  struct RouteEntry {
    std::string method;
    std::string pattern;
    std::optional<web::Access> access;  // nullopt: the route declared none (a bug)
    bool api = false;                   // answers problem+json (under /api/)
  };
  /// The whole route table.
  std::vector<RouteEntry> route_table() const;
  /// What the modules' demo data says to the console (empty unless Demo::load).
  const std::string& demo_accounts_text() const;
  /// The OpenAPI document served, assembled from the platform's and the modules' parts.
  const std::string& openapi() const;

  struct Parts;

 private:
  explicit Application(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

/// `pratu serve`: returns the process exit code.
int serve(const Config& config, Modules modules, Demo demo);
/// `pratu migrate`.
int migrate_command(const Config& config, const Modules& modules);
/// A module's command: opens and migrates the database, then runs it.
int run_command(const Config& config, const Modules& modules, const platform::Command& command);

/// The migrations of the platform and of every module that has a migrations/ folder.
std::vector<storage::MigrationSource> migration_sources(const Config& config,
                                                        const Modules& modules);

}  // namespace pratu::app
