#pragma once
/// How the middleware learns who is asking: offered by the module that keeps sessions
/// (accounts). The platform knows only this interface, not the sessions behind it.

#include <string_view>

#include "common/result.hpp"
#include "web/context.hpp"
#include "web/message.hpp"

namespace pratu::web {

/// The form field every POST form carries its CSRF token in.
inline constexpr std::string_view kCsrfField = "csrf_token";

class SessionGate {
 public:
  static constexpr const char* kServiceName = "a session gate (sign-in sessions)";
  virtual ~SessionGate() = default;

  /// Whether the request carries a session cookie worth looking up. No database: cheap enough
  /// for the I/O thread. False means "a visitor".
  virtual bool may_hold_session(const Request& request) const = 0;

  /// Whether the request's session, if any, can be attached from memory: no database read or
  /// write. A page that needs nothing else from the database may then run on the I/O thread.
  virtual bool answers_from_memory(const Request& /*request*/) const { return false; }

  /// For pages: fills the context from the request's cookies (person, session, CSRF token,
  /// session expiry and warning), and sets the cookies a page needs (the anonymous CSRF cookie).
  virtual Result<void> attach(const Request& request, RequestContext& context) = 0;

  /// For the API: fills only the person, session id and the session's CSRF token (which a
  /// change must send back in the X-CSRF-Token header); sets and renews no cookie.
  virtual Result<void> identify(const Request& request, RequestContext& context) = 0;

  /// Records `locale` as the language Pratu writes to the signed-in person of `context` in
  /// (they chose it on a page); their next request sees it in Principal::locale.
  virtual Result<void> remember_language(const RequestContext& /*context*/, Locale /*locale*/) {
    return ok();
  }
};

}  // namespace pratu::web
