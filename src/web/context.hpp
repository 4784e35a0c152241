#pragma once
/// What middleware learns about a request before its handler runs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "web/message.hpp"

namespace pratu::web {

enum class Locale { th, en };

/// "th" or "en".
const char* locale_code(Locale locale);

/// What a person is to Pratu; the words are in web/access.hpp (role_name).
enum class Role { applicant, officer, supervisor, clerk, admin };

/// What an agency's officer, supervisor or clerk may do beside their role (docs/adr/0028): take
/// money at the counter, or keep the agency's books. Bits of Principal::duties.
enum class Duty : unsigned { cashier = 1, finance = 2 };

/// The logged-in person, as far as pages and permission checks need.
struct Principal {
  std::int64_t user_id = 0;
  std::string display_name;
  Role role = Role::applicant;
  std::string agency_code;  // an agency's staff only: officers, supervisors and clerks
  std::string locale;       // the language Pratu writes to them in: "th", "en", or "" (Thai)
  unsigned duties = 0;      // Duty bits; an agency's staff only

  bool has(Duty duty) const { return (duties & static_cast<unsigned>(duty)) != 0; }
};

/// Per-request state shared by middleware and the handler.
struct RequestContext {
  std::string request_id;
  Locale locale = Locale::th;
  std::optional<Principal> user;
  std::string session_id;                // database session id (not the cookie secret), if any
  std::string csrf_token;                // to embed in forms
  bool bearer = false;                   // the API: identified by an Authorization header
  std::int64_t session_expires_at = 0;   // idle expiry, seconds since epoch; 0: no session
  int session_warning_seconds = 0;       // warn this long before session_expires_at
  std::vector<std::string> set_cookies;  // Set-Cookie values to add to the response
};

}  // namespace pratu::web

#include <functional>

#include "common/result.hpp"

namespace pratu::web {

/// A handler: a plain function of (request, context) -> response, testable without a socket.
/// Invalid input is the handler's to answer (the form again, 422); any other error it returns
/// is logged once and turned into an error page or problem+json by the kind of route.
using Handler = std::function<Result<Response>(const Request&, RequestContext&)>;

}  // namespace pratu::web
