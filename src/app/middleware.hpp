#pragma once
/// What runs around every handler: language, session, access rules, CSRF, cookies, and the
/// one place where a handler's error becomes an HTTP answer.

#include <functional>
#include <optional>
#include <string>

#include "app/page_cache.hpp"
#include "http/router.hpp"
#include "web/context.hpp"
#include "web/render.hpp"
#include "web/route.hpp"
#include "web/session_gate.hpp"
#include "web/write_budget.hpp"

namespace pratu::app {

/// How cookies are marked Secure.
enum class SecureCookies { automatic, always, never };

struct MiddlewareSettings {
  web::Locale default_locale = web::Locale::th;
  SecureCookies secure_cookies = SecureCookies::automatic;
  std::string login_path = "/login";  // where a page that needs a login sends the visitor
  int writes_per_second = 20;         // changes one signed-in person may make (0: no limit)
  int write_burst = 120;              // ... of which this many at once
};

/// Wraps declared routes with the steps of their kind.
class Middleware {
 public:
  Middleware(const web::Renderer& renderer, web::SessionGate& sessions, MiddlewareSettings settings)
      : renderer_(renderer),
        sessions_(sessions),
        settings_(std::move(settings)),
        budget_(settings_.writes_per_second, settings_.write_burst) {}

  /// The router entry of `spec`:
  /// - page: chooses the language (remembering `?lang=`), resolves the session, applies the
  ///   access rule (a visitor who must log in is sent to the login page and back; anyone else
  ///   not allowed gets 403), checks the CSRF token of every POST (a failed one goes to
  ///   `spec.expired`, which shows the form again with what was typed, or to the 403 page),
  ///   takes every change a signed-in person makes from their budget (429 with Retry-After
  ///   past it; streamed bodies, bounded by their own caps, excepted),
  ///   runs the handler, adds the cookies it asked for and marks pages for logged-in people
  ///   `no-store`; a public page comes from `cache` for visitors without a session.
  /// - api: language, session only when the rule needs one, 401/403 as problem+json, the
  ///   same budget for changes.
  /// - operations: the handler alone.
  /// Any error a handler returns is logged once with the request id and answered by the kind
  /// of route: an error page in the person's language, or problem+json.
  http::RawHandler wrap(const web::RouteSpec& spec, PageCache& cache) const;

  /// For an API route that appends its streamed body to a partial upload
  /// (`spec.append_to`): the api steps up to the handler (session, access rule, CSRF for a
  /// cookie session), then `spec.append_to`, whose answer goes to `request.append_to`; a
  /// response when the request may not go on, before any of its body is read.
  std::function<std::optional<web::Response>(web::Request&)> before_body(
      const web::RouteSpec& spec) const;
  /// The context for a request that reached no handler (error pages).
  web::RequestContext error_context(const web::Request& request) const;

  /// The answer to `error` for a route of kind `surface`, logged once.
  web::Response failure(const web::Request& request, const web::RequestContext& context,
                        web::Surface surface, const Error& error) const;

 private:
  http::RawHandler page(web::RouteSpec spec) const;
  http::RawHandler public_page(http::RawHandler inner, PageCache& cache) const;
  http::RawHandler api(web::RouteSpec spec) const;
  /// The api steps before the handler: an answer when the request may not go on.
  std::optional<web::Response> api_refusal(const web::RouteSpec& spec, const web::Request& request,
                                           web::RequestContext& context) const;
  /// Takes a change by a signed-in person from their budget; an answer when they must wait.
  std::optional<web::Response> over_budget(const web::RouteSpec& spec, const web::Request& request,
                                           const web::RequestContext& context) const;
  /// Applies the route's rule; an answer when the request may not go on.
  std::optional<web::Response> refuse(const web::RouteSpec& spec, const web::Request& request,
                                      web::RequestContext& context) const;

  const web::Renderer& renderer_;
  web::SessionGate& sessions_;
  MiddlewareSettings settings_;
  mutable web::WriteBudget budget_;  // thread-safe
};

}  // namespace pratu::app
