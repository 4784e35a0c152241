#include "domains/accounts/session_service.hpp"

#include <algorithm>

#include "crypto/digest.hpp"
#include "domains/accounts/accounts_repository.hpp"

namespace pratu::accounts {

namespace {

constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kTokenBytes = 32;

// Cookies are untrusted input: only a token of our own shape is looked at.
bool is_token(std::string_view text) {
  return text.size() == 2 * kSecretBytes && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool is_live(const Session& s, std::int64_t now) {
  return now < s.idle_expires_at && now < s.absolute_expires_at;
}

web::CookieOptions cookie_options(bool secure) {
  web::CookieOptions options;
  options.path = "/";
  options.http_only = true;
  options.same_site = "Lax";
  options.secure = secure;
  return options;
}

}  // namespace

web::Principal principal_of(const User& user) {
  web::Principal p;
  p.user_id = user.id;
  p.display_name = user.display_name();
  p.role = std::string(role_name(user.role));
  p.agency_code = user.agency_code;
  return p;
}

SessionService::SessionService(storage::Database& db, const Clock& clock, Random& random,
                               SessionSettings settings)
    : db_(db), clock_(clock), random_(random), settings_(settings) {}

std::string SessionService::session_id_of(std::string_view secret) {
  return crypto::sha256_hex(secret);
}

std::string SessionService::session_cookie(std::string_view secret, bool secure) {
  return web::set_cookie_value(kSessionCookie, secret, cookie_options(secure));
}

std::string SessionService::clear_session_cookie(bool secure) {
  auto options = cookie_options(secure);
  options.max_age_seconds = 0;
  return web::set_cookie_value(kSessionCookie, "", options);
}

Result<StartedSession> SessionService::start(UserId user_id, std::string_view previous_session_id,
                                             bool secure) {
  std::int64_t now = clock_.now_seconds();
  std::string secret = random_.token(kSecretBytes);
  Session s;
  s.id = session_id_of(secret);
  s.user_id = user_id;
  s.csrf_token = random_.token(kTokenBytes);
  s.created_at = now;
  s.last_seen_at = now;
  s.absolute_expires_at = now + std::int64_t{settings_.absolute_hours} * 3600;
  s.idle_expires_at =
      std::min(now + std::int64_t{settings_.idle_minutes} * 60, s.absolute_expires_at);
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    if (!previous_session_id.empty()) {
      PRATU_CHECK(repository::delete_session(c, previous_session_id));
    }
    return repository::insert_session(c, s);
  });
  if (!written) return written.error();
  return StartedSession{std::move(s), session_cookie(secret, secure)};
}

Result<std::optional<ActiveSession>> SessionService::resolve(std::string_view cookie_value) {
  if (!is_token(cookie_value)) return std::optional<ActiveSession>();
  std::string id = session_id_of(cookie_value);
  PRATU_TRY(found, db_.read_value<std::optional<repository::SessionWithUser>>(
                       [&](storage::Connection& c) { return repository::find_session(c, id); }));
  if (!found) return std::optional<ActiveSession>();
  std::int64_t now = clock_.now_seconds();
  Session& s = found->session;
  if (!is_live(s, now) || found->user.disabled) {
    auto deleted = db_.write_value<std::int64_t>(
        [&](storage::Connection& c) { return repository::delete_session(c, id); });
    if (!deleted) return deleted.error();
    return std::optional<ActiveSession>();
  }
  // Writing on every request would make each page view a write; a minute's slack is harmless.
  if (now - s.last_seen_at > settings_.touch_interval_seconds) {
    std::int64_t idle =
        std::min(now + std::int64_t{settings_.idle_minutes} * 60, s.absolute_expires_at);
    PRATU_CHECK(db_.write(
        [&](storage::Connection& c) { return repository::touch_session(c, id, now, idle); }));
    s.last_seen_at = now;
    s.idle_expires_at = idle;
  }
  return std::optional<ActiveSession>(ActiveSession{std::move(s), principal_of(found->user)});
}

Result<std::optional<ActiveSession>> SessionService::resolve_request(const web::Request& request) {
  auto cookie = request.cookie(kSessionCookie);
  if (!cookie) return std::optional<ActiveSession>();
  return resolve(*cookie);
}

AnonymousCsrf SessionService::ensure_anonymous_csrf(const web::Request& request) {
  auto cookie = request.cookie(kCsrfCookie);
  if (cookie && is_token(*cookie)) return AnonymousCsrf{*cookie, std::nullopt};
  std::string token = random_.token(kTokenBytes);
  auto set_cookie = web::set_cookie_value(kCsrfCookie, token, cookie_options(request.secure));
  return AnonymousCsrf{std::move(token), std::move(set_cookie)};
}

Result<void> SessionService::attach(const web::Request& request, web::RequestContext& context) {
  PRATU_TRY(active, resolve_request(request));
  if (active) {
    context.user = std::move(active->principal);
    context.session_id = active->session.id;
    context.csrf_token = active->session.csrf_token;
    context.session_expires_at = active->session.idle_expires_at;
    return ok();
  }
  // A session cookie that no longer resolves is dropped, so the browser stops sending it.
  if (request.cookie(kSessionCookie)) {
    context.set_cookies.push_back(clear_session_cookie(request.secure));
  }
  auto csrf = ensure_anonymous_csrf(request);
  context.user.reset();
  context.session_id.clear();
  context.session_expires_at = 0;
  context.csrf_token = std::move(csrf.token);
  if (csrf.set_cookie) context.set_cookies.push_back(std::move(*csrf.set_cookie));
  return ok();
}

bool SessionService::csrf_matches(std::string_view expected, std::string_view submitted) {
  if (expected.empty()) return false;
  return crypto::constant_time_equal(expected, submitted);
}

Result<std::int64_t> SessionService::extend(std::string_view session_id) {
  std::int64_t now = clock_.now_seconds();
  return db_.write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
    PRATU_TRY(found, repository::find_session(c, session_id));
    if (!found || !is_live(found->session, now) || found->user.disabled) {
      return Error::not_found("session to extend");
    }
    std::int64_t idle = std::min(now + std::int64_t{settings_.idle_minutes} * 60,
                                 found->session.absolute_expires_at);
    PRATU_CHECK(repository::touch_session(c, session_id, now, idle));
    return idle;
  });
}

Result<void> SessionService::end(std::string_view session_id) {
  if (session_id.empty()) return ok();
  auto deleted = db_.write_value<std::int64_t>(
      [&](storage::Connection& c) { return repository::delete_session(c, session_id); });
  if (!deleted) return deleted.error();
  return ok();
}

Result<std::int64_t> SessionService::end_all_for_user(UserId user_id,
                                                      std::string_view keep_session_id) {
  return db_.write_value<std::int64_t>([&](storage::Connection& c) {
    return repository::delete_user_sessions(c, user_id, keep_session_id);
  });
}

Result<std::int64_t> SessionService::purge_expired() {
  std::int64_t now = clock_.now_seconds();
  return db_.write_value<std::int64_t>(
      [&](storage::Connection& c) { return repository::delete_expired_sessions(c, now); });
}

}  // namespace pratu::accounts
