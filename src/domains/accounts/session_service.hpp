#pragma once
/// Logged-in browsers, stored in the database so every node shares them, and the CSRF tokens
/// that protect their forms.
///
/// The session cookie (`pratu_session`) holds 32 random bytes and their HMAC under a key every
/// node shares; the database keeps only the bytes' SHA-256, so a copy of the database cannot
/// be replayed as cookies, and a cookie nobody here made is turned away without a database
/// look-up (public pages stay on their fast path). Before login, forms are protected by a
/// double-submit token in the `pratu_csrf` cookie, signed the same way, so a cookie planted
/// by a neighbouring site cannot forge a form. Over HTTPS both cookies carry the `__Host-`
/// prefix (Secure, Path=/, no Domain: no subdomain can set or shadow them).
///
/// What the app's middleware calls on each request:
///   1. `attach(request, context)`: resolves the session cookie (filling context.user,
///      session_id, csrf_token, session_expires_at) or, without a session, ensures the
///      anonymous CSRF cookie (context.csrf_token, plus a Set-Cookie in context.set_cookies
///      when it sets one).
///   2. On a POST: `csrf_matches(context.csrf_token, form.value("csrf_token"))`
///      (or web::csrf_valid); refuse with 403 when it is false.

#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "common/ttl_cache.hpp"
#include "crypto/digest.hpp"
#include "domains/accounts/accounts.hpp"
#include "storage/database.hpp"
#include "web/context.hpp"
#include "web/message.hpp"
#include "web/session_gate.hpp"

namespace pratu::accounts {

/// Lifetimes, from the `sessions` config section.
struct SessionSettings {
  int idle_minutes = 30;            // ends after this long without a request
  int absolute_hours = 12;          // ends this long after login, however active
  int warning_minutes = 5;          // pages warn this long before the idle expiry
  int touch_interval_seconds = 60;  // slide the idle expiry at most this often (cheap reads)
  // How long a node answers from memory for a session it read from the database, instead of
  // reading it again. A session ended on this node is refused at once; one ended on another
  // node (or a user disabled in the database) is refused within this many seconds. 0: every
  // request reads the database.
  int cache_seconds = 2;
  bool host_prefix = false;  // the site is served over HTTPS: __Host- cookies, always Secure
};

inline constexpr std::string_view kSessionCookie = "pratu_session";
inline constexpr std::string_view kCsrfCookie = "pratu_csrf";
/// The prefix browsers keep for cookies set Secure on Path=/ without a Domain.
inline constexpr std::string_view kHostPrefix = "__Host-";
/// The name of the shared secret (storage::shared_secret) that signs both cookies.
inline constexpr std::string_view kCookieSecretName = "cookie_signing";
/// The form field every POST form carries.
inline constexpr std::string_view kCsrfField = web::kCsrfField;

/// A live session with the person it belongs to.
struct ActiveSession {
  Session session;
  web::Principal principal;
};

/// A session just started: the Set-Cookie value to send (it carries the only copy of the
/// secret) and the stored session.
struct StartedSession {
  Session session;
  std::string set_cookie;
  std::string token;  // the cookie's value: what an API client sends as a bearer token
};

/// The anonymous CSRF token of a request; `set_cookie` is set when the token is new.
struct AnonymousCsrf {
  std::string token;
  std::optional<std::string> set_cookie;
};

/// Creates, resolves, slides and ends sessions. Thread-safe.
class SessionService final : public web::SessionGate {
 public:
  static constexpr std::size_t kMinSigningKeyBytes = 32;

  /// Throws std::invalid_argument when `signing_key` is shorter than kMinSigningKeyBytes.
  SessionService(storage::Database& db, const Clock& clock, Random& random, std::string signing_key,
                 SessionSettings settings = {});

  /// The session cookie's name (`__Host-pratu_session` over HTTPS).
  const std::string& session_cookie_name() const { return session_cookie_name_; }
  /// The anonymous CSRF cookie's name.
  const std::string& csrf_cookie_name() const { return csrf_cookie_name_; }

  /// Whether the request carries a session cookie this site made and has not seen ended
  /// lately. No database: cheap enough for the I/O thread. False means "a visitor".
  bool may_hold_session(const web::Request& request) const override;

  /// Whether the request's session cookie names a live session this node holds in memory
  /// (see SessionSettings::cache_seconds), so attaching it reads and writes no database: a
  /// page that needs nothing else from the database may then run on the I/O thread.
  bool answers_from_memory(const web::Request& request) const override;

  /// Starts a session for `user_id` at login, first ending `previous_session_id` (the
  /// session id in the context, if any) so a session fixed before login is never promoted.
  Result<StartedSession> start(UserId user_id, std::string_view previous_session_id, bool secure);

  /// A new session for `user_id` and its cookie, not yet stored (see `store`): lets a login
  /// write the session in the same transaction as its other writes.
  StartedSession prepare(UserId user_id, bool secure);
  /// Stores a session made by `prepare` inside the caller's write transaction `c`, first
  /// ending `previous_session_id` (may be empty).
  Result<void> store(storage::Connection& c, const Session& session,
                     std::string_view previous_session_id);

  /// The live session `cookie_value` names, with its user; nullopt for an unknown, expired or
  /// malformed cookie or a disabled user. Slides the idle expiry when more than
  /// `touch_interval_seconds` have passed since the last slide.
  Result<std::optional<ActiveSession>> resolve(std::string_view cookie_value);

  /// `resolve` on the request's `pratu_session` cookie.
  Result<std::optional<ActiveSession>> resolve_request(const web::Request& request);

  /// The request's `pratu_csrf` token if it is well-formed, else a new one with its Set-Cookie.
  AnonymousCsrf ensure_anonymous_csrf(const web::Request& request);

  /// Middleware step: fills `context` from the request's cookies (see the file comment).
  Result<void> attach(const web::Request& request, web::RequestContext& context) override;

  /// For the API: the person, session id and CSRF token of the request's session, if any; no
  /// cookies. A request with `Authorization: Bearer <token>` (a token from POST
  /// /api/v1/tokens) is identified by it alone, and needs no CSRF token: no other site can
  /// make a browser send that header.
  Result<void> identify(const web::Request& request, web::RequestContext& context) override;
  Result<void> remember_language(const web::RequestContext& context, web::Locale locale) override;

  /// True if a submitted CSRF token matches the expected one (constant time; empty never
  /// matches).
  static bool csrf_matches(std::string_view expected, std::string_view submitted);

  /// Slides the idle expiry of a live session now ("stay logged in"); returns the new idle
  /// expiry, or not_found if the session is gone.
  Result<std::int64_t> extend(std::string_view session_id);

  /// Ends one session (logout).
  Result<void> end(std::string_view session_id);

  /// Ends every session of `user_id` except `keep_session_id` (may be empty: all of them);
  /// returns how many ended.
  Result<std::int64_t> end_all_for_user(UserId user_id, std::string_view keep_session_id = {});
  /// `end_all_for_user` in one transaction with `also` (a password change): both or neither.
  Result<std::int64_t> end_all_for_user(
      UserId user_id, std::string_view keep_session_id,
      const std::function<Result<void>(storage::Connection&)>& also);

  /// Deletes expired sessions (for a periodic job); returns how many.
  Result<std::int64_t> purge_expired();

  /// Forgets what this node remembers of `user_id`'s sessions: a change of what they may do
  /// (their duties) holds from their next request here, and within cache_seconds elsewhere.
  void forget_user(UserId user_id) { forget_live_of_user(user_id, {}); }

  /// The Set-Cookie value carrying `secret` and its signature (HttpOnly, SameSite=Lax, Path=/,
  /// Secure if `secure` or over HTTPS).
  std::string session_cookie(std::string_view secret, bool secure) const;
  /// The Set-Cookie value that deletes the session cookie.
  std::string clear_session_cookie(bool secure) const;

  /// The database id of a session secret (its SHA-256, hex).
  static std::string session_id_of(std::string_view secret);

  /// The lifetimes in force.
  const SessionSettings& settings() const { return settings_; }

 private:
  // "value.signature" for a random value, and the value back when the signature holds.
  std::string signed_value(std::string_view purpose, std::string_view value) const;
  std::optional<std::string_view> verified_value(std::string_view purpose,
                                                 std::string_view cookie) const;
  web::CookieOptions cookie_options(bool secure) const;
  // The session id the request's signed session cookie names, or empty; read once per request.
  const std::string& session_id_from(const web::Request& request) const;
  // The session id a session cookie's value names, or empty when it is not one of ours.
  std::string session_id_of_cookie(const std::string& cookie) const;
  // Cookies whose session id each thread keeps (session_id_of_cookie).
  static constexpr std::size_t kSeenCookiesPerThread = 256;
  // `resolve` after the cookie's signature has been checked.
  Result<std::optional<ActiveSession>> resolve_id(const std::string& id);
  void remember_unknown(const std::string& session_id) const;
  // The live sessions this node read lately (see SessionSettings::cache_seconds).
  struct LiveSession {
    ActiveSession active;
    std::int64_t fresh_until = 0;  // answered from memory while now < this
  };
  std::optional<ActiveSession> cached(const std::string& session_id, std::int64_t now) const;
  // `cached(...).has_value()` without the copy.
  bool is_cached(const std::string& session_id, std::int64_t now) const;
  // The entry of a session fresh at `now`, or nullptr; the caller holds live_mutex_.
  const LiveSession* fresh_live(const std::string& session_id, std::int64_t now) const;
  // Remembers `active` unless a session was forgotten since `epoch` (live_epoch() before the
  // database was read): what was read may predate that ending.
  void remember_live(const ActiveSession& active, std::int64_t now, std::uint64_t epoch);
  std::uint64_t live_epoch() const;
  void forget_live(std::string_view session_id);
  void forget_live_of_user(UserId user_id, std::string_view keep_session_id);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  crypto::HmacSha256 signer_;  // keyed with the signing key
  SessionSettings settings_;
  std::string session_cookie_name_;
  std::string csrf_cookie_name_;
  // Sessions found ended or unknown lately: a replayed old cookie costs no database read.
  mutable TtlCache<bool> unknown_sessions_;
  // Tells this service from an earlier one at the same address (per-thread memos key on it).
  const std::uint64_t instance_;
  mutable std::shared_mutex live_mutex_;
  std::unordered_map<std::string, LiveSession> live_sessions_;
  std::uint64_t live_epoch_ = 0;  // counts forgets; see remember_live
};

/// What pages know of a user.
web::Principal principal_of(const User& user);

}  // namespace pratu::accounts
