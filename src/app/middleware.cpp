#include "app/middleware.hpp"

#include "common/log.hpp"
#include "web/form.hpp"
#include "web/locale.hpp"

namespace pratu::app {

namespace {

constexpr int kLanguageCookieSeconds = 365 * 24 * 3600;

void add_language(const web::Request& request, web::RequestContext& context,
                  web::Locale fallback) {
  auto choice = web::choose_locale(request, fallback);
  context.locale = choice.locale;
  if (choice.remember) {
    web::CookieOptions options;
    options.max_age_seconds = kLanguageCookieSeconds;
    options.secure = request.secure;
    context.set_cookies.push_back(
        web::set_cookie_value(web::kLanguageCookie, web::locale_code(choice.locale), options));
  }
}

void finish(web::Response& response, const web::RequestContext& context) {
  for (const auto& cookie : context.set_cookies) response.headers.emplace_back("Set-Cookie", cookie);
  if (response.content_type.rfind("text/html", 0) == 0) {
    // The page depends on the language and on who is logged in.
    response.set_header("Vary", "Cookie, Accept-Language");
  }
  if (context.user || !context.set_cookies.empty()) {
    if (response.header("Cache-Control").empty()) response.set_header("Cache-Control", "no-store");
  }
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

http::RawHandler Middleware::page(web::Handler handler, Forms forms, web::Handler expired) const {
  return [this, handler = std::move(handler), forms, expired = std::move(expired)](web::Request& request) {
    if (settings_.secure_cookies == SecureCookies::always) request.secure = true;
    if (settings_.secure_cookies == SecureCookies::never) request.secure = false;
    web::RequestContext context;
    context.request_id = request.request_id;
    add_language(request, context, settings_.default_locale);

    bool has_session_cookie = request.cookie(accounts::kSessionCookie).has_value();
    bool is_post = request.method == "POST";
    if (has_session_cookie || is_post || forms == Forms::anonymous) {
      if (auto attached = sessions_.attach(request, context); !attached) {
        log::error("session lookup failed", request.request_id, {{"detail", attached.error().detail}});
        auto response = renderer_.error_page(request, context, 503);
        response.set_header("Retry-After", "5");
        return response;
      }
    }
    if (is_post) {
      auto form = web::Form::parse(request);
      std::string submitted = form ? form->raw(accounts::kCsrfField) : std::string();
      if (!web::csrf_valid(context, submitted)) {
        log::warn("csrf token rejected", request.request_id, {{"path", request.path}});
        auto response = expired ? expired(request, context) : renderer_.error_page(request, context, 403);
        finish(response, context);
        return response;
      }
    }
    auto response = handler(request, context);
    finish(response, context);
    return response;
  };
}

http::RawHandler Middleware::public_page(web::Handler handler, PageCache& cache) const {
  return [this, inner = page(std::move(handler)), &cache](web::Request& request) {
    if (request.cookie(accounts::kSessionCookie) || request.method != "GET") return inner(request);
    auto choice = web::choose_locale(request, settings_.default_locale);
    const std::string key = public_page_key(request, choice.locale);
    if (key.empty()) return inner(request);
    if (auto hit = cache.find(key)) return std::move(*hit);
    auto response = inner(request);
    bool sets_cookie = !response.header("Set-Cookie").empty();
    if (response.status == 200 && !sets_cookie) cache.store(key, response);
    return response;
  };
}

http::RawHandler Middleware::api(web::Handler handler) const {
  return [this, handler = std::move(handler)](web::Request& request) {
    web::RequestContext context;
    context.request_id = request.request_id;
    context.locale = web::choose_locale(request, settings_.default_locale).locale;
    auto response = handler(request, context);
    response.set_header("Access-Control-Allow-Origin", "*");
    return response;
  };
}

}  // namespace pratu::app
