#include "domains/accounts/session_service.hpp"

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "crypto/digest.hpp"
#include "domains/accounts/accounts_repository.hpp"

namespace pratu::accounts {

namespace {

constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kTokenBytes = 32;
// 128 bits of HMAC-SHA-256, in hex: enough that a forged cookie is never accepted.
constexpr std::size_t kSignatureHexChars = 32;
// Ended or unknown sessions remembered per node, so a replayed cookie costs no database read.
constexpr std::size_t kUnknownSessionsRemembered = 16 * 1024;
constexpr std::chrono::seconds kUnknownSessionsFor{600};
constexpr std::string_view kSessionPurpose = "session";
constexpr std::string_view kCsrfPurpose = "csrf";

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Cookies are untrusted input: only a token of our own shape is looked at.
bool is_token(std::string_view text) { return text.size() == 2 * kSecretBytes && is_hex(text); }

bool is_live(const Session& s, std::int64_t now) {
  return now < s.idle_expires_at && now < s.absolute_expires_at;
}

const std::string& checked_key(const std::string& key) {
  if (key.size() < SessionService::kMinSigningKeyBytes) {
    throw std::invalid_argument("session signing key is shorter than 32 bytes");
  }
  return key;
}

// Live sessions remembered per node; a full map starts over (bounded, like TtlCache).
constexpr std::size_t kLiveSessionsRemembered = 16 * 1024;

}  // namespace

web::Principal principal_of(const User& user) {
  web::Principal p;
  p.user_id = user.id;
  p.display_name = user.display_name();
  p.role = user.role;
  p.agency_code = user.agency_code;
  p.locale = user.locale;
  p.duties = user.duties;
  return p;
}

namespace {

std::uint64_t next_instance() {
  static std::atomic<std::uint64_t> count{0};
  return ++count;
}

}  // namespace

SessionService::SessionService(storage::Database& db, const Clock& clock, Random& random,
                               std::string signing_key, SessionSettings settings)
    : db_(db),
      clock_(clock),
      random_(random),
      signer_(checked_key(signing_key)),
      settings_(settings),
      session_cookie_name_((settings.host_prefix ? std::string(kHostPrefix) : std::string()) +
                           std::string(kSessionCookie)),
      csrf_cookie_name_((settings.host_prefix ? std::string(kHostPrefix) : std::string()) +
                        std::string(kCsrfCookie)),
      unknown_sessions_(kUnknownSessionsRemembered, kUnknownSessionsFor),
      instance_(next_instance()) {}

web::CookieOptions SessionService::cookie_options(bool secure) const {
  web::CookieOptions options;
  options.path = "/";
  options.http_only = true;
  options.same_site = "Lax";
  options.secure = secure || settings_.host_prefix;
  return options;
}

std::string SessionService::signed_value(std::string_view purpose, std::string_view value) const {
  std::string message = std::string(purpose) + ":" + std::string(value);
  return std::string(value) + "." + signer_.hex(message).substr(0, kSignatureHexChars);
}

std::optional<std::string_view> SessionService::verified_value(std::string_view purpose,
                                                               std::string_view cookie) const {
  // Cookies are untrusted input: only a value of our own shape is looked at.
  if (cookie.size() != 2 * kSecretBytes + 1 + kSignatureHexChars) return std::nullopt;
  auto value = cookie.substr(0, 2 * kSecretBytes);
  auto signature = cookie.substr(2 * kSecretBytes + 1);
  if (cookie[2 * kSecretBytes] != '.' || !is_token(value) || !is_hex(signature)) {
    return std::nullopt;
  }
  std::string message = std::string(purpose) + ":" + std::string(value);
  auto expected = signer_.hex(message).substr(0, kSignatureHexChars);
  if (!crypto::constant_time_equal(expected, signature)) return std::nullopt;
  return value;
}

void SessionService::remember_unknown(const std::string& session_id) const {
  unknown_sessions_.store(session_id, true);
}

const std::string& SessionService::session_id_from(const web::Request& request) const {
  if (!request.session_id_memo) {
    auto cookie = request.cookie(session_cookie_name_);
    request.session_id_memo = cookie ? session_id_of_cookie(*cookie) : std::string();
  }
  return *request.session_id_memo;
}

std::string SessionService::session_id_of_cookie(const std::string& cookie) const {
  // Checking the signature and hashing the secret cost more than the rest of a page served
  // from memory. The answer depends on nothing but the cookie and this service's key, so
  // each thread keeps the answers for the cookies it saw lately (a forged cookie answers ""
  // again; sessions ended since are told by the caller, which looks the id up).
  struct Seen {
    std::uint64_t owner = 0;
    std::unordered_map<std::string, std::string> ids;
  };
  thread_local Seen seen;
  if (seen.owner != instance_) {
    seen.ids.clear();
    seen.owner = instance_;
  }
  if (auto it = seen.ids.find(cookie); it != seen.ids.end()) return it->second;
  auto secret = verified_value(kSessionPurpose, cookie);
  std::string id = secret ? session_id_of(*secret) : std::string();
  if (seen.ids.size() >= kSeenCookiesPerThread) seen.ids.clear();
  seen.ids.emplace(cookie, id);
  return id;
}

Result<void> SessionService::remember_language(const web::RequestContext& context,
                                               web::Locale locale) {
  if (!context.user) return ok();
  const std::string code = web::locale_code(locale);
  PRATU_CHECK(db_.write(
      [&](storage::Connection& c) {
    return repository::update_locale(c, context.user->user_id, code, clock_.now_seconds());
      },
      storage::Durability::relaxed));
  // The person's sessions kept in memory carry the old language.
  forget_live_of_user(context.user->user_id, {});
  return ok();
}

bool SessionService::may_hold_session(const web::Request& request) const {
  const std::string& id = session_id_from(request);
  return !id.empty() && !unknown_sessions_.contains(id);
}

bool SessionService::answers_from_memory(const web::Request& request) const {
  const std::string& id = session_id_from(request);
  return !id.empty() && !unknown_sessions_.contains(id) && is_cached(id, clock_.now_seconds());
}

std::string SessionService::session_id_of(std::string_view secret) {
  return crypto::sha256_hex(secret);
}

std::string SessionService::session_cookie(std::string_view secret, bool secure) const {
  return web::set_cookie_value(session_cookie_name_, signed_value(kSessionPurpose, secret),
                               cookie_options(secure));
}

std::string SessionService::clear_session_cookie(bool secure) const {
  auto options = cookie_options(secure);
  options.max_age_seconds = 0;
  return web::set_cookie_value(session_cookie_name_, "", options);
}

Result<StartedSession> SessionService::start(UserId user_id, std::string_view previous_session_id,
                                             bool secure) {
  StartedSession started = prepare(user_id, secure);
  // Relaxed (ADR 0012): a session lost to a power cut only asks for a login again.
  PRATU_CHECK(db_.write(
      [&](storage::Connection& c) { return store(c, started.session, previous_session_id); },
      storage::Durability::relaxed));
  return started;
}

StartedSession SessionService::prepare(UserId user_id, bool secure) {
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
  return StartedSession{std::move(s), session_cookie(secret, secure),
                        signed_value(kSessionPurpose, secret)};
}

Result<void> SessionService::store(storage::Connection& c, const Session& session,
                                   std::string_view previous_session_id) {
  if (!previous_session_id.empty()) {
    // Refused on this node from now on, committed or not (a login that fails to commit
    // ends the old session here too): resolve looks at unknown sessions before live ones.
    remember_unknown(std::string(previous_session_id));
    forget_live(previous_session_id);
    PRATU_CHECK(repository::delete_session(c, previous_session_id));
  }
  return repository::insert_session(c, session);
}

Result<std::optional<ActiveSession>> SessionService::resolve(std::string_view cookie_value) {
  auto secret = verified_value(kSessionPurpose, cookie_value);
  if (!secret) return std::optional<ActiveSession>();
  return resolve_id(session_id_of(*secret));
}

Result<std::optional<ActiveSession>> SessionService::resolve_id(const std::string& id) {
  if (unknown_sessions_.contains(id)) return std::optional<ActiveSession>();
  std::int64_t now = clock_.now_seconds();
  if (auto active = cached(id, now)) return active;
  const std::uint64_t epoch = live_epoch();
  PRATU_TRY(found, db_.read_value<std::optional<repository::SessionWithUser>>(
                       [&](storage::Connection& c) { return repository::find_session(c, id); }));
  if (!found) {
    forget_live(id);
    remember_unknown(id);
    return std::optional<ActiveSession>();
  }
  Session& s = found->session;
  if (!is_live(s, now) || found->user.disabled) {
    forget_live(id);
    auto deleted = db_.write_value<std::int64_t>(
        [&](storage::Connection& c) { return repository::delete_session(c, id); });
    if (!deleted) return deleted.error();
    remember_unknown(id);
    return std::optional<ActiveSession>();
  }
  // Writing on every request would make each page view a write; a minute's slack is harmless.
  if (now - s.last_seen_at > settings_.touch_interval_seconds) {
    std::int64_t idle =
        std::min(now + std::int64_t{settings_.idle_minutes} * 60, s.absolute_expires_at);
    PRATU_CHECK(db_.write(
        [&](storage::Connection& c) { return repository::touch_session(c, id, now, idle); },
        storage::Durability::relaxed));
    s.last_seen_at = now;
    s.idle_expires_at = idle;
  }
  ActiveSession active{std::move(s), principal_of(found->user)};
  remember_live(active, now, epoch);
  return std::optional<ActiveSession>(std::move(active));
}

std::optional<ActiveSession> SessionService::cached(const std::string& session_id,
                                                    std::int64_t now) const {
  std::shared_lock lock(live_mutex_);
  const LiveSession* live = fresh_live(session_id, now);
  if (live == nullptr) return std::nullopt;
  return live->active;
}

bool SessionService::is_cached(const std::string& session_id, std::int64_t now) const {
  std::shared_lock lock(live_mutex_);
  return fresh_live(session_id, now) != nullptr;
}

const SessionService::LiveSession* SessionService::fresh_live(const std::string& session_id,
                                                              std::int64_t now) const {
  auto it = live_sessions_.find(session_id);
  if (it == live_sessions_.end() || now >= it->second.fresh_until) return nullptr;
  const Session& s = it->second.active.session;
  // Past its expiry or due a slide of the idle expiry: the database decides, as without a
  // cache (a clock moved back never makes an old entry fresh for longer than cache_seconds).
  if (!is_live(s, now) || now - s.last_seen_at > settings_.touch_interval_seconds ||
      now < it->second.fresh_until - settings_.cache_seconds) {
    return nullptr;
  }
  return &it->second;
}

std::uint64_t SessionService::live_epoch() const {
  std::shared_lock lock(live_mutex_);
  return live_epoch_;
}

void SessionService::remember_live(const ActiveSession& active, std::int64_t now,
                                   std::uint64_t epoch) {
  if (settings_.cache_seconds <= 0) return;
  std::unique_lock lock(live_mutex_);
  if (epoch != live_epoch_) return;
  if (live_sessions_.size() >= kLiveSessionsRemembered &&
      !live_sessions_.contains(active.session.id)) {
    live_sessions_.clear();
  }
  live_sessions_.insert_or_assign(active.session.id,
                                  LiveSession{active, now + settings_.cache_seconds});
}

void SessionService::forget_live(std::string_view session_id) {
  std::unique_lock lock(live_mutex_);
  ++live_epoch_;
  live_sessions_.erase(std::string(session_id));
}

void SessionService::forget_live_of_user(UserId user_id, std::string_view keep_session_id) {
  std::unique_lock lock(live_mutex_);
  ++live_epoch_;
  std::erase_if(live_sessions_, [&](const auto& entry) {
    return entry.second.active.session.user_id == user_id && entry.first != keep_session_id;
  });
}

Result<std::optional<ActiveSession>> SessionService::resolve_request(const web::Request& request) {
  const std::string& id = session_id_from(request);
  if (id.empty()) return std::optional<ActiveSession>();
  return resolve_id(id);
}

AnonymousCsrf SessionService::ensure_anonymous_csrf(const web::Request& request) {
  auto cookie = request.cookie(csrf_cookie_name_);
  if (cookie && verified_value(kCsrfPurpose, *cookie)) return AnonymousCsrf{*cookie, std::nullopt};
  std::string token = signed_value(kCsrfPurpose, random_.token(kTokenBytes));
  auto set_cookie = web::set_cookie_value(csrf_cookie_name_, token, cookie_options(request.secure));
  return AnonymousCsrf{std::move(token), std::move(set_cookie)};
}

Result<void> SessionService::attach(const web::Request& request, web::RequestContext& context) {
  PRATU_TRY(active, resolve_request(request));
  if (active) {
    context.user = std::move(active->principal);
    context.session_id = active->session.id;
    context.csrf_token = active->session.csrf_token;
    context.session_expires_at = active->session.idle_expires_at;
    context.session_warning_seconds = settings_.warning_minutes * 60;
    return ok();
  }
  // A session cookie that no longer resolves is dropped, so the browser stops sending it.
  if (request.cookie(session_cookie_name_)) {
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

Result<void> SessionService::identify(const web::Request& request, web::RequestContext& context) {
  const auto authorization = request.header("Authorization");
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    // A malformed or unknown token is nobody: the route's rule then answers 401.
    if (!authorization.starts_with(kBearer)) return ok();
    auto secret = verified_value(kSessionPurpose, authorization.substr(kBearer.size()));
    if (!secret) return ok();
    PRATU_TRY(by_token, resolve_id(session_id_of(*secret)));
    if (by_token) {
      context.user = std::move(by_token->principal);
      context.session_id = by_token->session.id;
      context.bearer = true;
    }
    return ok();
  }
  PRATU_TRY(active, resolve_request(request));
  if (active) {
    context.user = std::move(active->principal);
    context.session_id = active->session.id;
    context.csrf_token = active->session.csrf_token;  // what a change must send back
  }
  return ok();
}

bool SessionService::csrf_matches(std::string_view expected, std::string_view submitted) {
  if (expected.empty()) return false;
  return crypto::constant_time_equal(expected, submitted);
}

Result<std::int64_t> SessionService::extend(std::string_view session_id) {
  std::int64_t now = clock_.now_seconds();
  auto extended =
      db_.write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
        PRATU_TRY(found, repository::find_session(c, session_id));
        if (!found || !is_live(found->session, now) || found->user.disabled) {
          return Error::not_found("session to extend");
        }
        std::int64_t idle = std::min(now + std::int64_t{settings_.idle_minutes} * 60,
                                     found->session.absolute_expires_at);
        PRATU_CHECK(repository::touch_session(c, session_id, now, idle));
        return idle;
      });
  // After the commit (see remember_live): the next request reads the new expiry.
  forget_live(session_id);
  return extended;
}

Result<void> SessionService::end(std::string_view session_id) {
  if (session_id.empty()) return ok();
  auto deleted = db_.write_value<std::int64_t>(
      [&](storage::Connection& c) { return repository::delete_session(c, session_id); });
  if (!deleted) return deleted.error();
  // After the commit, so no read from before it can be remembered again (see remember_live).
  forget_live(session_id);
  remember_unknown(std::string(session_id));
  return ok();
}

Result<std::int64_t> SessionService::end_all_for_user(UserId user_id,
                                                      std::string_view keep_session_id) {
  return end_all_for_user(user_id, keep_session_id, {});
}

Result<std::int64_t> SessionService::end_all_for_user(
    UserId user_id, std::string_view keep_session_id,
    const std::function<Result<void>(storage::Connection&)>& also) {
  auto ended = db_.write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
    if (also) PRATU_CHECK(also(c));
    return repository::delete_user_sessions(c, user_id, keep_session_id);
  });
  // After the commit (see remember_live); a failed transaction ended nothing, but forgetting
  // costs only a read.
  forget_live_of_user(user_id, keep_session_id);
  return ended;
}

Result<std::int64_t> SessionService::purge_expired() {
  std::int64_t now = clock_.now_seconds();
  return db_.write_value<std::int64_t>(
      [&](storage::Connection& c) { return repository::delete_expired_sessions(c, now); });
}

}  // namespace pratu::accounts
