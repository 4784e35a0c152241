#pragma once
/// A route as a domain declares it: method, pattern, who may use it, what kind of route it is
/// and its handler. The app turns each declaration into a router entry wrapped with the
/// steps every request of its kind goes through (language, session, access, CSRF, errors).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.hpp"
#include "web/access.hpp"
#include "web/context.hpp"
#include "web/message.hpp"

namespace pratu::web {

/// What kind of route: decides how refusals and errors are answered.
enum class Surface {
  page,        // HTML for people: a login redirect, an error page in their language
  api,         // JSON under /api/: 401/403 and every error as application/problem+json
  operations,  // plain text for machines (health, metrics): no session, no cookies
};

/// Whether a page shows a form before login, and so needs the anonymous CSRF cookie.
enum class Forms { none, anonymous };

/// Whether a page is the same for every visitor without a session, and so may be cached.
enum class Caching { none, public_page };

/// Where the handler runs.
enum class Runs {
  worker,                  // on the worker pool: database, hashing, rendering
  io_thread,               // on the I/O thread: only work that never blocks
  io_thread_for_visitors,  // on the I/O thread for visitors without a session (pages
                           // from memory), on the worker pool for people logged in
};

/// What kind of work a worker route does: each kind has its own pool of workers, so a burst
/// of one (a rush of logins) cannot hold up the others.
enum class Work {
  pages,             // pages and the API: database and rendering
  password_hashing,  // Argon2id: logins, registrations, password changes
  documents,         // heavy documents: large uploads, generated files and signatures
};

/// How a route takes its request body.
enum class Body {
  in_memory,  // read whole into request.body, up to body_limit (forms, JSON)
  streamed,   // written as it arrives to the blob store, hashed, up to stream_limit; the
              // handler finds it in request.upload. A page's CSRF token then comes in the
              // X-CSRF-Token header, since there is no form to carry it.
};

/// The header carrying the CSRF token where no form can: streamed uploads, API writes.
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

/// Finds the agency that owns the resource a request names, for the agency access rules.
using OwnerLookup = std::function<Result<std::string>(const Request&, const RequestContext&)>;

/// Names the partial upload a streamed body extends, or answers the request without reading
/// its body (see RouteSpec::append_to).
using AppendTarget =
    std::function<Result<std::variant<PartialUpload, Response>>(const Request&, RequestContext&)>;

/// One route of a domain.
struct RouteSpec {
  std::string method;
  std::string pattern;           // "/services/{slug}"
  std::optional<Access> access;  // required: a route without one is refused at startup
  Surface surface = Surface::page;
  Handler handler;
  std::string name;            // metrics label; default: the pattern
  std::size_t body_limit = 0;  // 0: the server's default
  Body body = Body::in_memory;
  std::uint64_t stream_limit = 0;  // Body::streamed: the largest body accepted (413 beyond)
  /// Body::streamed: when set, the body is appended to the partial upload this names instead
  /// of becoming a blob; it runs on the worker after the access rule and before any of the
  /// body is read, and an error answers the request (the body unread). The handler then finds
  /// request.upload with the partial upload's path and size (no SHA-256 yet).
  AppendTarget append_to;
  Runs runs = Runs::worker;
  Work work = Work::pages;
  /// For worker routes: true when a request may run on the I/O thread after all.
  std::function<bool(const Request&)> inline_when;
  Forms forms = Forms::none;
  Caching caching = Caching::none;
  /// A POST whose CSRF token failed goes here (to show the form again with what was typed),
  /// else to the 403 page.
  Handler expired;
  /// For Access::agency_officer and agency_supervisor on a route that names a resource.
  OwnerLookup owner;
};

using Routes = std::vector<RouteSpec>;

/// Member `method` of `self` as a route's handler.
template <class Handlers>
Handler bound(Handlers* self,
              Result<Response> (Handlers::*method)(const Request&, RequestContext&)) {
  return [self, method](const Request& request, RequestContext& context) {
    return (self->*method)(request, context);
  };
}

/// A route for `access` on `surface`, everything else as RouteSpec's defaults.
inline RouteSpec route(std::string method, std::string pattern, Access access, Surface surface,
                       std::string name, Handler handler) {
  RouteSpec s;
  s.method = std::move(method);
  s.pattern = std::move(pattern);
  s.access = access;
  s.surface = surface;
  s.name = std::move(name);
  s.handler = std::move(handler);
  return s;
}

}  // namespace pratu::web
