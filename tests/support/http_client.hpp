#pragma once
/// The one blocking HTTP/1.1 client of the tests, over POSIX sockets on loopback.
///
/// `HttpConnection` sends raw bytes and reads responses one after another on the same
/// connection (keep-alive, pipelining, and what a well-behaved client never sends);
/// `HttpClient` sends one request per connection and keeps cookies like a browser.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pratu::test {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // de-chunked, still compressed if it came so

  /// First header named `name` (case-insensitive), or empty.
  std::string header(std::string_view name) const;
  /// True when a header named `name` is present, even empty.
  bool has_header(std::string_view name) const;
  /// Every Set-Cookie header.
  std::vector<std::string> set_cookies() const;
};

/// What a response answers: the response to HEAD has no body whatever its Content-Length.
enum class ResponseTo { other, head };

/// One connection to 127.0.0.1 that sends raw bytes and reads the responses in order.
class HttpConnection {
 public:
  /// Connects to 127.0.0.1:`port`, from `source` (another loopback address such as
  /// 127.0.0.2) when given; every read gives up after `timeout`. Throws when it cannot.
  explicit HttpConnection(std::uint16_t port,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
                          const char* source = nullptr);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  /// Sends raw bytes; false if the peer is gone.
  bool send(std::string_view bytes);

  /// Reads one response, framed by Content-Length, chunked coding or the end of the
  /// connection; nullopt on EOF before a whole response, reset or timeout.
  std::optional<HttpResponse> read_response(ResponseTo to = ResponseTo::other);

  /// True when the server closes the connection (EOF or reset) before the read timeout.
  bool closed_by_peer();

 private:
  bool fill();
  bool read_until(std::string_view delimiter, std::size_t& found);

  int fd_ = -1;
  std::string buffer_;
};

/// A GET request for `target` with optional extra header lines (each ending in \r\n).
std::string get(std::string_view target, std::string_view extra_headers = {});

/// Sends raw bytes on a new connection and reads one response.
std::optional<HttpResponse> fetch(std::uint16_t port, std::string_view raw,
                                  ResponseTo to = ResponseTo::other);

/// Keeps cookies between requests, like a browser; one connection per request.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : port_(port) {}

  /// Sends a request with the jar's cookies and `extra` headers; status 0 when no whole
  /// response came back.
  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& body = {},
                       const std::vector<std::pair<std::string, std::string>>& extra = {});
  /// GETs `target`.
  HttpResponse get(const std::string& target) { return request("GET", target); }
  /// POSTs an urlencoded form built from `fields`.
  HttpResponse post_form(const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& fields);

  /// The cookie jar's value for `name`.
  std::optional<std::string> cookie(const std::string& name) const;
  /// Empties the cookie jar.
  void clear_cookies() { cookies_.clear(); }

 private:
  std::uint16_t port_;
  std::vector<std::pair<std::string, std::string>> cookies_;
};

/// The value of the hidden csrf_token field in an HTML page, or empty.
std::string extract_csrf_token(const std::string& html);

/// Percent-encodes a form value.
std::string url_encode(const std::string& text);

/// Inflates a gzip stream; throws on corrupt input.
std::string gunzip(std::string_view data);

}  // namespace pratu::test
