#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include <boost/url/encode.hpp>
#include <boost/url/grammar/ci_string.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <cerrno>
#include <stdexcept>

namespace pratu::test {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return boost::urls::grammar::ci_is_equal(a, b);
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

bool HttpResponse::has_header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return true;
  }
  return false;
}

std::vector<std::string> HttpResponse::set_cookies() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : headers) {
    if (iequals(key, "Set-Cookie")) out.push_back(value);
  }
  return out;
}

HttpConnection::HttpConnection(std::uint16_t port, std::chrono::milliseconds timeout,
                               const char* source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket");
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (source != nullptr) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      ::close(fd_);
      throw std::runtime_error("bind");
    }
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect");
  }
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool HttpConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool HttpConnection::fill() {
  char chunk[16384];
  const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

bool HttpConnection::read_until(std::string_view delimiter, std::size_t& found) {
  while ((found = buffer_.find(delimiter)) == std::string::npos) {
    if (!fill()) return false;
  }
  return true;
}

std::optional<HttpResponse> HttpConnection::read_response(ResponseTo to) {
  std::size_t header_end;
  if (!read_until("\r\n\r\n", header_end)) return std::nullopt;
  HttpResponse response;
  const std::string_view head_text(buffer_.data(), header_end);
  const std::size_t line_end = head_text.find("\r\n");
  const std::string_view status_line = head_text.substr(0, line_end);
  if (status_line.size() < 12) return std::nullopt;
  response.status = std::stoi(std::string(status_line.substr(9, 3)));
  std::string_view rest =
      line_end == std::string_view::npos ? std::string_view{} : head_text.substr(line_end + 2);
  while (!rest.empty()) {
    const std::size_t end = rest.find("\r\n");
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  buffer_.erase(0, header_end + 4);

  const bool no_body = to == ResponseTo::head || response.status == 304 || response.status == 204 ||
                       response.status < 200;
  if (no_body) return response;
  if (iequals(response.header("Transfer-Encoding"), "chunked")) {
    for (;;) {
      std::size_t size_end;
      if (!read_until("\r\n", size_end)) return std::nullopt;
      const std::size_t size = std::stoul(buffer_.substr(0, size_end), nullptr, 16);
      buffer_.erase(0, size_end + 2);
      if (size == 0) break;
      while (buffer_.size() < size + 2) {
        if (!fill()) return std::nullopt;
      }
      response.body.append(buffer_, 0, size);
      buffer_.erase(0, size + 2);
    }
    std::size_t trailer_line;  // trailers, up to the empty line
    do {
      if (!read_until("\r\n", trailer_line)) return std::nullopt;
      buffer_.erase(0, trailer_line + 2);
    } while (trailer_line != 0);
    return response;
  }
  if (!response.has_header("Content-Length")) {  // the body runs to the end of the connection
    while (fill()) {
    }
    response.body = std::move(buffer_);
    buffer_.clear();
    return response;
  }
  const std::size_t length = std::stoul(response.header("Content-Length"));
  while (buffer_.size() < length) {
    if (!fill()) return std::nullopt;
  }
  response.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return response;
}

bool HttpConnection::closed_by_peer() {
  char c;
  const auto n = ::recv(fd_, &c, 1, 0);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

std::string get(std::string_view target, std::string_view extra_headers) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

std::optional<HttpResponse> fetch(std::uint16_t port, std::string_view raw, ResponseTo to) {
  HttpConnection connection(port);
  if (!connection.send(raw)) return std::nullopt;
  return connection.read_response(to);
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& body,
                                 const std::vector<std::pair<std::string, std::string>>& extra) {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!cookies_.empty()) {
    std::string jar;
    for (const auto& [name, value] : cookies_) {
      jar += (jar.empty() ? "" : "; ") + name + "=" + value;
    }
    raw += "Cookie: " + jar + "\r\n";
  }
  for (const auto& [name, value] : extra) raw += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST") {
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  raw += "\r\n" + body;

  HttpConnection connection(port_, std::chrono::seconds(30));
  connection.send(raw);  // the server may answer and close before it has read it all
  auto response = connection.read_response(method == "HEAD" ? ResponseTo::head : ResponseTo::other);
  if (!response) return {};
  for (const auto& set : response->set_cookies()) {
    const auto eq = set.find('=');
    const auto semi = set.find(';');
    const auto name = set.substr(0, eq);
    const auto value =
        set.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
    const bool expired = set.find("Max-Age=0") != std::string::npos;
    std::erase_if(cookies_, [&](const auto& c) { return c.first == name; });
    if (!expired) cookies_.emplace_back(name, value);
  }
  return std::move(*response);
}

HttpResponse HttpClient::post_form(const std::string& target,
                                   const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += (body.empty() ? "" : "&") + url_encode(name) + "=" + url_encode(value);
  }
  return request("POST", target, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
}

std::optional<std::string> HttpClient::cookie(const std::string& name) const {
  for (const auto& [key, value] : cookies_) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string extract_csrf_token(const std::string& html) {
  const auto field = html.find("name=\"csrf_token\"");
  if (field == std::string::npos) return {};
  auto value = html.find("value=\"", field);
  if (value == std::string::npos) return {};
  value += 7;
  return html.substr(value, html.find('"', value) - value);
}

std::string url_encode(const std::string& text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string gunzip(std::string_view data) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[16384];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      inflateEnd(&stream);
      throw std::runtime_error("corrupt gzip");
    }
    out.append(chunk, sizeof chunk - stream.avail_out);
  }
  inflateEnd(&stream);
  return out;
}

}  // namespace pratu::test
