#include "app/middleware.hpp"

#include <variant>

#include "common/log.hpp"
#include "web/form.hpp"
#include "web/locale.hpp"
#include "web/problem.hpp"

namespace pratu::app {

namespace {

constexpr int kLanguageCookieSeconds = 365 * 24 * 3600;

// Sets the page's language; true when the request chose it (?lang=), so it is remembered.
bool add_language(const web::Request& request, web::RequestContext& context, web::Locale fallback) {
  auto choice = web::choose_locale(request, fallback);
  context.locale = choice.locale;
  if (choice.remember) {
    web::CookieOptions options;
    options.max_age_seconds = kLanguageCookieSeconds;
    options.secure = request.secure;
    context.set_cookies.push_back(
        web::set_cookie_value(web::kLanguageCookie, web::locale_code(choice.locale), options));
  }
  return choice.remember;
}

void finish(web::Response& response, const web::RequestContext& context) {
  for (const auto& cookie : context.set_cookies)
    response.headers.emplace_back("Set-Cookie", cookie);
  if (response.content_type.rfind("text/html", 0) == 0) {
    // The page depends on the language and on who is logged in.
    response.set_header("Vary", "Cookie, Accept-Language");
  }
  if (context.user || !context.set_cookies.empty()) {
    if (response.header("Cache-Control").empty()) response.set_header("Cache-Control", "no-store");
  }
}

// Where to come back to after logging in: this page, if it is a page of this site.
std::string return_target(const web::Request& request) {
  const std::string& target = request.target;
  bool local = target.size() > 1 && target.front() == '/' && target[1] != '/' && target[1] != '\\';
  return local && request.method == "GET" ? target : request.path;
}

}  // namespace

std::string public_page_key(const web::Request& request, web::Locale locale) {
  if (!request.query.empty() || request.target.find('?') != std::string::npos) return {};
  return std::string(web::locale_code(locale)) + " " + request.path;
}

web::RequestContext Middleware::error_context(const web::Request& request) const {
  web::RequestContext context;
  context.request_id = request.request_id;
  context.locale = web::choose_locale(request, settings_.default_locale).locale;
  return context;
}

web::Response Middleware::failure(const web::Request& request, const web::RequestContext& context,
                                  web::Surface surface, const Error& error) const {
  const int status = web::http_status(error.code);
  // Logged once, here; the person sees only the message of their kind of error.
  const std::string status_text = std::to_string(status);
  const auto level = status >= 500 ? spdlog::level::err : spdlog::level::info;
  log::event(level, status >= 500 ? "request failed" : "request refused", context.request_id,
             {{"path", request.path}, {"status", status_text}, {"detail", error.detail}});
  return web::error_response(renderer_, request, context, surface, error);
}

std::optional<web::Response> Middleware::refuse(const web::RouteSpec& spec,
                                                const web::Request& request,
                                                web::RequestContext& context) const {
  std::string owner;
  if (spec.owner && context.user) {
    auto found = spec.owner(request, context);
    if (!found) return failure(request, context, spec.surface, found.error());
    owner = std::move(*found);
  }
  switch (web::decide(*spec.access, context.user, owner)) {
    case web::Verdict::allow: return std::nullopt;
    case web::Verdict::sign_in:
      if (spec.surface == web::Surface::page) {
        return web::Response::redirect(settings_.login_path +
                                       "?next=" + web::percent_encode(return_target(request)));
      } else {
        Error e{ErrorCode::unauthorized, "errors.pages.unauthorized.message", {}, {}, 0};
        auto response = failure(request, context, spec.surface, e);
        response.set_header("WWW-Authenticate", "Bearer realm=\"pratu\"");
        return response;
      }
    case web::Verdict::forbid: break;
  }
  log::warn("access refused", context.request_id,
            {{"path", request.path}, {"rule", std::string(web::access_name(*spec.access))}});
  return failure(request, context, spec.surface,
                 Error{ErrorCode::forbidden, "errors.pages.forbidden.message", {}, {}, 0});
}

std::optional<web::Response> Middleware::over_budget(const web::RouteSpec& spec,
                                                     const web::Request& request,
                                                     const web::RequestContext& context) const {
  const bool changes = request.method != "GET" && request.method != "HEAD";
  if (!changes || !context.user || spec.body == web::Body::streamed) return std::nullopt;
  const auto wait = budget_.take(context.user->user_id);
  if (!wait) return std::nullopt;
  return failure(request, context, spec.surface,
                 Error{ErrorCode::rate_limited,
                       "errors.pages.too_many_requests.message",
                       "changes by one person past their budget",
                       {},
                       *wait});
}

http::RawHandler Middleware::page(web::RouteSpec spec) const {
  return [this, spec = std::move(spec)](web::Request& request) {
    if (settings_.secure_cookies == SecureCookies::always) request.secure = true;
    if (settings_.secure_cookies == SecureCookies::never) request.secure = false;
    web::RequestContext context;
    context.request_id = request.request_id;
    const bool chose_language = add_language(request, context, settings_.default_locale);

    const bool is_post = request.method == "POST";
    const bool needs_session = sessions_.may_hold_session(request) || is_post ||
                               spec.forms == web::Forms::anonymous ||
                               *spec.access != web::Access::anyone;
    if (needs_session) {
      if (auto attached = sessions_.attach(request, context); !attached) {
        auto response = failure(request, context, spec.surface, attached.error());
        finish(response, context);
        return response;
      }
    }
    auto finished = [&context](web::Response response) {
      finish(response, context);
      return response;
    };
    // A signed-in person who chooses a language is written to in it from now on (a change
    // of theirs: it comes out of their budget, and past it is only not remembered).
    if (chose_language && context.user &&
        context.user->locale != web::locale_code(context.locale) &&
        !budget_.take(context.user->user_id)) {
      if (auto remembered = sessions_.remember_language(context, context.locale); !remembered) {
        log::warn("language not remembered", request.request_id,
                  {{"detail", remembered.error().detail}});
      }
    }
    if (auto refused = refuse(spec, request, context)) return finished(std::move(*refused));
    if (auto waits = over_budget(spec, request, context)) return finished(std::move(*waits));
    if (is_post) {
      std::string submitted;
      if (spec.body == web::Body::streamed) {
        submitted = std::string(request.header(web::kCsrfHeader));
      } else if (auto form = web::Form::parse(request)) {
        submitted = form->raw(web::kCsrfField);
      }
      if (!web::csrf_valid(context, submitted)) {
        log::warn("csrf token rejected", request.request_id, {{"path", request.path}});
        if (!spec.expired) return finished(renderer_.error_page(request, context, 403));
        auto shown = spec.expired(request, context);
        return finished(shown ? std::move(*shown)
                              : failure(request, context, spec.surface, shown.error()));
      }
    }
    auto response = spec.handler(request, context);
    return finished(response ? std::move(*response)
                             : failure(request, context, spec.surface, response.error()));
  };
}

http::RawHandler Middleware::public_page(http::RawHandler inner, PageCache& cache) const {
  return [this, inner = std::move(inner), &cache](web::Request& request) {
    if (sessions_.may_hold_session(request) || request.method != "GET") return inner(request);
    auto choice = web::choose_locale(request, settings_.default_locale);
    const std::string key = public_page_key(request, choice.locale);
    if (key.empty()) return inner(request);
    if (auto hit = cache.find(key)) return std::move(*hit);
    auto response = inner(request);
    bool sets_cookie = !response.header("Set-Cookie").empty();
    if (response.status == 200 && !sets_cookie && response.body_file.empty()) {
      // Kept and answered from one shared text: a hit copies the headers only.
      if (!response.shared_body) {
        response.shared_body = std::make_shared<const std::string>(std::move(response.body));
      } else if (!response.body.empty()) {
        response.shared_body = std::make_shared<const std::string>(response.text());
      }
      response.body.clear();
      cache.store(key, response);
    }
    return response;
  };
}

http::RawHandler Middleware::api(web::RouteSpec spec) const {
  return [this, spec = std::move(spec)](web::Request& request) {
    web::RequestContext context;
    context.request_id = request.request_id;
    context.locale = web::choose_locale(request, settings_.default_locale).locale;
    auto answer = [&]() -> web::Response {
      if (auto refused = api_refusal(spec, request, context)) return std::move(*refused);
      auto response = spec.handler(request, context);
      return response ? std::move(*response)
                      : failure(request, context, spec.surface, response.error());
    };
    auto response = answer();
    response.set_header("Access-Control-Allow-Origin", "*");
    return response;
  };
}

std::optional<web::Response> Middleware::api_refusal(const web::RouteSpec& spec,
                                                     const web::Request& request,
                                                     web::RequestContext& context) const {
  if (*spec.access != web::Access::anyone) {
    // The API sets no cookies: a session is read, never started or renewed here.
    if (auto known = sessions_.identify(request, context); !known) {
      return failure(request, context, spec.surface, known.error());
    }
  }
  if (auto refused = refuse(spec, request, context)) return refused;
  if (auto waits = over_budget(spec, request, context)) return waits;
  // A change made with a session cookie carries the session's CSRF token in a header,
  // which another site's page cannot set: its forms reach the API with the cookie alone.
  const bool changes = request.method != "GET" && request.method != "HEAD";
  if (changes && context.user && !context.bearer &&
      !web::csrf_valid(context, request.header(web::kCsrfHeader))) {
    log::warn("csrf token rejected", request.request_id, {{"path", request.path}});
    return failure(request, context, spec.surface,
                   Error{ErrorCode::forbidden, "errors.pages.forbidden.message", {}, {}, 0});
  }
  return std::nullopt;
}

std::function<std::optional<web::Response>(web::Request&)> Middleware::before_body(
    const web::RouteSpec& spec) const {
  return [this, spec](web::Request& request) -> std::optional<web::Response> {
    web::RequestContext context;
    context.request_id = request.request_id;
    context.locale = web::choose_locale(request, settings_.default_locale).locale;
    auto answer = [&]() -> std::optional<web::Response> {
      if (auto refused = api_refusal(spec, request, context)) return refused;
      auto target = spec.append_to(request, context);
      if (!target) return failure(request, context, spec.surface, target.error());
      if (auto* refusal = std::get_if<web::Response>(&*target)) return std::move(*refusal);
      request.append_to = std::get<web::PartialUpload>(std::move(*target));
      return std::nullopt;
    };
    auto response = answer();
    if (response) response->set_header("Access-Control-Allow-Origin", "*");
    return response;
  };
}

http::RawHandler Middleware::wrap(const web::RouteSpec& spec, PageCache& cache) const {
  switch (spec.surface) {
    case web::Surface::page: {
      auto handler = page(spec);
      if (spec.caching == web::Caching::public_page) return public_page(std::move(handler), cache);
      return handler;
    }
    case web::Surface::api: return api(spec);
    case web::Surface::operations: break;
  }
  return [this, spec](web::Request& request) {
    web::RequestContext context;
    context.request_id = request.request_id;
    auto response = spec.handler(request, context);
    return response ? std::move(*response)
                    : failure(request, context, spec.surface, response.error());
  };
}

}  // namespace pratu::app
