#pragma once
/// A small blocking HTTP/1.1 client for integration tests: one request per connection.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pratu::testing {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// First header named `name` (case-insensitive), or empty.
  std::string header(const std::string& name) const;
  /// Every Set-Cookie header.
  std::vector<std::string> set_cookies() const;
};

/// Keeps cookies between requests, like a browser.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : port_(port) {}

  /// Sends a request; `extra` headers are added as given.
  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& body = {},
                       std::vector<std::pair<std::string, std::string>> extra = {});
  HttpResponse get(const std::string& target) { return request("GET", target); }
  /// POSTs an urlencoded form built from `fields`.
  HttpResponse post_form(const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& fields);

  /// The cookie jar's value for `name`.
  std::optional<std::string> cookie(const std::string& name) const;
  void clear_cookies() { cookies_.clear(); }

 private:
  std::uint16_t port_;
  std::vector<std::pair<std::string, std::string>> cookies_;
};

/// The value of the hidden csrf_token field in an HTML page, or empty.
std::string extract_csrf_token(const std::string& html);

/// Percent-encodes a form value.
std::string url_encode(const std::string& text);

}  // namespace pratu::testing
