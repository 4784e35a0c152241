#pragma once
/// The route table: method + path pattern -> handler, with per-route limits.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/context.hpp"
#include "web/message.hpp"

namespace pratu::http {

/// Where a route's handler runs.
enum class Execution {
  worker,  // on the bounded worker pool (database, hashing, rendering): the default
  inline_, // on the I/O thread: only for work that never blocks (health, metrics)
};

struct RouteOptions {
  std::string name;                 // metrics label, e.g. "service_page"; default: the pattern
  std::size_t body_limit = 64 * 1024;
  Execution execution = Execution::worker;
  /// For worker routes: when set and true for a request, that request runs on the I/O thread
  /// instead (e.g. a page rendered from memory for a visitor with no session to look up).
  std::function<bool(const web::Request&)> inline_when;
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
  bool method_mismatch = false;  // the path exists with another method (405)
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
