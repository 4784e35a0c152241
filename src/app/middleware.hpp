#pragma once
/// What runs around every page handler: language, session, CSRF, cookies.

#include "app/page_cache.hpp"
#include "domains/accounts/session_service.hpp"
#include "http/router.hpp"
#include "web/context.hpp"
#include "web/render.hpp"

namespace pratu::app {

/// Whether a route shows a form before login (and so needs the anonymous CSRF cookie).
enum class Forms { none, anonymous };

/// Whether a page is the same for every visitor without a session (and so may be cached).
enum class Caching { none, public_page };

/// How cookies are marked Secure.
enum class SecureCookies { automatic, always, never };

struct MiddlewareSettings {
  web::Locale default_locale = web::Locale::th;
  SecureCookies secure_cookies = SecureCookies::automatic;
};

/// Wraps page and API handlers with the per-request steps.
class Middleware {
 public:
  Middleware(const web::Renderer& renderer, accounts::SessionService& sessions,
             MiddlewareSettings settings)
      : renderer_(renderer), sessions_(sessions), settings_(settings) {}

  /// A page handler: chooses the language (remembering `?lang=`), resolves the session,
  /// checks the CSRF token of every POST, adds the cookies the handler asked for, and marks
  /// pages for logged-in people `no-store`. A POST whose token fails goes to `expired`
  /// instead (which must only show the form again with what was typed), or gets the 403 page.
  http::RawHandler page(web::Handler handler, Forms forms = Forms::none,
                        web::Handler expired = {}) const;

  /// A page the same for every visitor without a session: served from `cache` for them
  /// (keyed by language and target), rendered afresh for people who are logged in.
  http::RawHandler public_page(web::Handler handler, PageCache& cache) const;

  /// An API handler: language only (no cookies, no session); errors are problem+json.
  http::RawHandler api(web::Handler handler) const;

  /// The context for a request that reached no handler (error pages).
  web::RequestContext error_context(const web::Request& request) const;

 private:
  const web::Renderer& renderer_;
  accounts::SessionService& sessions_;
  MiddlewareSettings settings_;
};

}  // namespace pratu::app
