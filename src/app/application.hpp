#pragma once
/// Application wiring: builds every part from the configuration and runs the server.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/config.hpp"
#include "common/result.hpp"
#include "web/access.hpp"

namespace pratu::app {

enum class Demo { none, load };

/// The running application: database, catalogue, accounts, renderer, router and server.
class Application {
 public:
  /// Builds everything and binds the listening socket; the port is known after this.
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
  /// Demo accounts created at startup (empty unless Demo::load on an empty database).
  const std::string& demo_accounts_text() const;

  struct Parts;

 private:
  explicit Application(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

/// `pratu serve`: returns the process exit code.
int serve(const Config& config, Demo demo);
/// `pratu migrate`.
int migrate_command(const Config& config);
/// `pratu catalog load`.
int catalog_load_command(const Config& config);
/// `pratu user create`.
int user_create_command(const Config& config, const std::string& role, const std::string& agency,
                        const std::string& login, const std::string& password);

}  // namespace pratu::app
