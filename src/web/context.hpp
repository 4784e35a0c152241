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

/// The logged-in person, as far as pages and permission checks need.
struct Principal {
  std::int64_t user_id = 0;
  std::string display_name;
  std::string role;         // "applicant" | "officer" | "admin"
  std::string agency_code;  // officers only
};

/// Per-request state shared by middleware and the handler.
struct RequestContext {
  std::string request_id;
  Locale locale = Locale::th;
  std::optional<Principal> user;
  std::string session_id;        // database session id (not the cookie secret), if any
  std::string csrf_token;        // to embed in forms
  std::int64_t session_expires_at = 0;  // idle expiry, seconds since epoch; 0: no session
  std::vector<std::string> set_cookies;  // Set-Cookie values to add to the response
};

}  // namespace pratu::web

#include <functional>

namespace pratu::web {

/// A handler: a plain function of (request, context) -> response, testable without a socket.
using Handler = std::function<Response(const Request&, RequestContext&)>;

}  // namespace pratu::web
