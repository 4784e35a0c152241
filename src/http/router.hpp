#pragma once
/// The route table: method + path pattern -> handler, with per-route limits.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/body_sink.hpp"
#include "web/access.hpp"
#include "web/context.hpp"
#include "web/message.hpp"

namespace pratu::http {

/// Where a route's handler runs.
enum class Execution {
  worker,   // on the bounded worker pool (database, hashing, rendering): the default
  inline_,  // on the I/O thread: only for work that never blocks (health, metrics)
};

/// Which worker pool a worker route runs on: each kind of work waits in its own bounded
/// queue for its own threads, so a burst of one kind cannot starve the others.
enum class Pool {
  pages,             // pages and the API: database and rendering (the default)
  password_hashing,  // Argon2id: logins, registrations, password changes
  documents,         // heavy documents: large uploads, generated files
};
inline constexpr std::size_t kPoolCount = 3;

/// How a route takes its request body.
enum class BodyMode {
  in_memory,  // into request.body, up to body_limit (the default)
  streamed,   // chunk by chunk into the route's sink, up to stream_limit: request.upload
};

struct RouteOptions {
  std::string name;  // metrics label, e.g. "service_page"; default: the pattern
  std::size_t body_limit = 64 * 1024;
  Execution execution = Execution::worker;
  /// For worker routes: when set and true for a request, that request runs on the I/O thread
  /// instead (e.g. a page rendered from memory for a visitor with no session to look up).
  std::function<bool(const web::Request&)> inline_when;
  Pool pool = Pool::pages;
  BodyMode body = BodyMode::in_memory;
  std::uint64_t stream_limit = 0;  // for streamed bodies: the largest accepted (413 beyond)
  BodySinkFactory sink;            // for streamed bodies: where they go
  /// For streamed bodies: asked on the I/O thread once the head has arrived, before any of
  /// the body is read or stored; a status refuses the request there and closes the
  /// connection. Must not block (no database).
  std::function<std::optional<int>(const web::Request&)> admit;
  /// For streamed bodies: runs on the route's pool after admit, before any of the body is
  /// read (path_params are set); a response answers the request instead, the body unread and
  /// the connection closed. May block (database); may set request fields the sink reads.
  std::function<std::optional<web::Response>(web::Request&)> before_body;
  /// Who may use the route, as its domain declared it (enforced by the app's middleware;
  /// kept here so the route table can be walked and checked).
  std::optional<web::Access> access;
};

/// A handler that runs on the raw request with no per-request context (middleware builds
/// the context inside, in the app layer).
using RawHandler = std::function<web::Response(web::Request&)>;

/// One segment of a route pattern, split once when the route is added.
struct PatternSegment {
  std::string text;        // the literal, or the parameter's name
  bool parameter = false;  // "{name}": matches any one non-empty path segment
};

struct Route {
  std::string method;
  std::string pattern;  // "/services/{slug}": a {name} segment matches one path segment
  RawHandler handler;
  RouteOptions options;
  std::vector<PatternSegment> segments;  // the pattern, split by Router::add
};

struct Match {
  const Route* route = nullptr;
  std::vector<web::Header> params;
  bool method_mismatch = false;      // the path exists with another method (405)
  std::vector<std::string> allowed;  // methods allowed for the path when method_mismatch
};

class Router {
 public:
  /// Most segments a pattern may have; longer paths match no route.
  static constexpr std::size_t kMaxSegments = 32;

  /// Adds a route; patterns are matched segment by segment, literal segments first.
  void add(std::string method, std::string pattern, RawHandler handler, RouteOptions options = {});
  /// Finds the route for a decoded path.
  Match match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace pratu::http
