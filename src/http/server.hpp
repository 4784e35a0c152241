#pragma once
/// The HTTP/1.1 server: accepts connections, reads requests within named limits, routes them
/// to handlers on the I/O threads or the worker pool, and writes hardened responses.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/metrics.hpp"
#include "common/result.hpp"
#include "http/client_address.hpp"
#include "http/router.hpp"
#include "web/message.hpp"

namespace pratu::http {

class StaticAssets;

/// Every limit of the transport, named.
struct ServerSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see Server::port())
  std::size_t io_threads = 1;
  std::size_t worker_threads = 4;  // pool for pages and the API (Pool::pages)
  std::size_t worker_queue_limit = 256;
  std::size_t hashing_threads = 2;  // pool for password hashing (Pool::password_hashing)
  std::size_t hashing_queue_limit = 256;
  std::size_t document_threads = 2;  // pool for heavy documents (Pool::documents)
  std::size_t document_queue_limit = 64;
  int worker_niceness = 0;  // Linux nice of the workers (0..19): above 0 they yield to I/O
  std::size_t header_limit_bytes = 16 * 1024;        // request line + headers; 431 beyond
  std::size_t default_body_limit = 64 * 1024;        // for requests that match no route
  std::chrono::milliseconds read_timeout{10'000};    // to receive a whole request
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{30'000};   // to send a whole response
  std::chrono::milliseconds shutdown_grace{10'000};  // for in-flight requests on stop()
  std::size_t gzip_min_bytes = 1024;
  std::size_t max_requests_per_connection = 1000;
  // Open connections in all; at the cap an idle one is closed to make room, else the new one.
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_address = 256;  // beyond: new connections are closed
  // Peers whose X-Forwarded-For/-Proto are believed; empty: no one's.
  TrustedProxies trusted_proxies;
  AddressLogging client_address_logging = AddressLogging::truncated;  // in the access log
  bool https_only = false;  // the public address is https: every response carries HSTS
};

/// What the application adds to the transport.
struct ServerHooks {
  /// Renders the page for an error status (400, 404, 405, 408, 413, 431, 500, 503); the
  /// request carries at least method, path, headers and request_id. Unset: a plain page.
  std::function<web::Response(const web::Request&, int status)> error_page;
};

class Server {
 public:
  /// `router`, `assets` (may be null) and `metrics` must outlive the server.
  Server(ServerSettings settings, const Router& router, const StaticAssets* assets,
         metrics::Registry& metrics, ServerHooks hooks = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens; fails naming the address when it cannot.
  Result<void> start();
  /// The bound port (after start()).
  std::uint16_t port() const;
  /// Serves on the I/O threads until stop() has finished; call once, after start().
  void run();
  /// Graceful stop, callable from any thread: stops accepting, closes idle connections, lets
  /// in-flight requests finish for up to shutdown_grace, then closes the rest.
  void stop();
  /// Makes SIGINT and SIGTERM call stop(); call before run().
  void stop_on_signals();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A request id from an incoming X-Request-Id when it is 1..64 of [A-Za-z0-9-], else a new
/// random 16-hex-character id.
std::string request_id_for(std::string_view incoming);

}  // namespace pratu::http
