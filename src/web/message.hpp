#pragma once
/// Transport-free HTTP request and response: handlers see these, never Beast types.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pratu::web {

using Header = std::pair<std::string, std::string>;

/// Case-insensitive ASCII comparison of header names.
bool iequals(std::string_view a, std::string_view b);

/// A request body that a route streamed to storage instead of memory.
struct Upload {
  std::string path;    // where the stored bytes are
  std::string sha256;  // 64 lowercase hex digits
  std::int64_t size_bytes = 0;
};

/// A partial upload a streamed body is appended to instead of becoming a blob of its own
/// (tus PATCH): named by the route before any of the body is read.
struct PartialUpload {
  std::string id;                // the BlobWriter's id
  std::int64_t offset = 0;       // where the body must start: the bytes already stored
  std::int64_t limit_bytes = 0;  // the most the upload may hold once the body is appended
};

/// A request as the router hands it to a handler.
struct Request {
  std::string method;               // "GET", "POST", ...
  std::string target;               // raw target, "/search?q=x"
  std::string path;                 // decoded path, "/search"
  std::vector<Header> query;        // decoded query parameters, in order
  std::vector<Header> headers;      // as received
  std::vector<Header> path_params;  // from the route pattern, "/services/{slug}"
  std::string body;
  std::string remote_address;  // client IP as text
  std::string request_id;
  bool secure = false;           // reached us over TLS (or a trusted proxy says so)
  std::optional<Upload> upload;  // routes with a streamed body: the stored body
  /// Routes that append their streamed body to a partial upload: which one (see RouteSpec).
  std::optional<PartialUpload> append_to;
  /// The session gate's reading of the session cookie, kept so that the several looks one
  /// request takes at it (cache, I/O thread, middleware) check its signature once: unset
  /// until first read; then the session id, or empty for no cookie or a forged one.
  mutable std::optional<std::string> session_id_memo;

  /// First header named `name` (case-insensitive), or empty.
  std::string_view header(std::string_view name) const;
  /// First query parameter named `name`.
  std::optional<std::string> query_param(std::string_view name) const;
  /// The route parameter named `name`, or empty.
  std::string_view path_param(std::string_view name) const;
  /// The cookie named `name` from the Cookie header.
  std::optional<std::string> cookie(std::string_view name) const;
};

/// A response built by a handler; the http layer adds security headers and compression.
struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<Header> headers;
  std::string body;
  /// When set, the body is this file (and `body` stays empty): the transport streams it from
  /// disk a piece at a time, so a large file costs no more memory than a small one, and
  /// answers a Range for one part of it (206, or 416 outside it).
  std::string body_file;
  /// When set, the body is `body` (often empty) followed by this text, shared with whoever
  /// keeps it (the page cache, a page's kept contents): answering from it copies nothing.
  std::shared_ptr<const std::string> shared_body;

  /// The body's text, wherever it is kept (not a body_file): joined, so a copy.
  std::string text() const;
  /// The body's length in bytes (not a body_file).
  std::size_t text_size() const { return body.size() + (shared_body ? shared_body->size() : 0); }

  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const;

  /// 303 See Other to `location` (redirect after a successful POST).
  static Response redirect(std::string location, int status = 303);
  /// application/json body.
  static Response json(std::string body, int status = 200);
  /// text/plain body.
  static Response text(std::string body, int status = 200);
};

/// Attributes of a Set-Cookie header.
struct CookieOptions {
  std::string path = "/";
  std::int64_t max_age_seconds = -1;  // -1: session cookie; 0: delete
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";
};

/// Serialises a Set-Cookie value.
std::string set_cookie_value(std::string_view name, std::string_view value,
                             const CookieOptions& options);

/// Parses a Cookie header into name/value pairs; malformed pairs are skipped. Untrusted input.
std::vector<Header> parse_cookie_header(std::string_view header);

/// What '+' stands for in percent-encoded text: itself (paths) or a space (forms, queries).
enum class Plus { literal, space };

/// Percent-decodes `text`; nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text, Plus plus);

/// Percent-encodes everything but unreserved characters.
std::string percent_encode(std::string_view text);

/// Parses application/x-www-form-urlencoded (query strings and form bodies). Untrusted input.
/// Fails (nullopt) on more than `max_fields` fields, a malformed escape or invalid UTF-8.
std::optional<std::vector<Header>> parse_urlencoded(std::string_view text,
                                                    std::size_t max_fields = 256);

/// Splits a request target into its decoded path and query; nullopt if it is not an
/// origin-form target ("/..."), contains NUL or "..", or its query is malformed.
struct Target {
  std::string path;
  std::vector<Header> query;
};
std::optional<Target> parse_target(std::string_view target);

}  // namespace pratu::web
