#pragma once
/// A deliberately small blocking HTTP/1.1 client over POSIX sockets, for the server tests:
/// it sends raw bytes, so tests can also send what a well-behaved client never would.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/message.hpp"

namespace pratu::http::test_client {

/// Inflates a gzip stream; throws on corrupt input.
inline std::string gunzip(std::string_view data) {
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

struct Response {
  int status = 0;
  std::vector<web::Header> headers;
  std::string body;

  /// First header named `name` (case-insensitive), or empty.
  std::string header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (web::iequals(key, name)) return value;
    }
    return {};
  }
  bool has_header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (web::iequals(key, name)) return true;
    }
    return false;
  }
};

class Connection {
 public:
  /// Connects to 127.0.0.1:`port`, from `source` (another loopback address such as
  /// 127.0.0.2) when given; every read gives up after `timeout`.
  explicit Connection(std::uint16_t port,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
                      const char* source = nullptr) {
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
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Sends raw bytes; false if the peer is gone.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Reads one response (Content-Length framed); nullopt on EOF, reset or timeout.
  /// `head`: the response to a HEAD request has no body whatever its Content-Length.
  std::optional<Response> read_response(bool head = false) {
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    Response response;
    std::string_view head_text(buffer_.data(), header_end);
    const std::size_t line_end = head_text.find("\r\n");
    const std::string_view status_line = head_text.substr(0, line_end);
    if (status_line.size() < 12) return std::nullopt;
    response.status = std::stoi(std::string(status_line.substr(9, 3)));
    std::string_view rest =
        line_end == std::string_view::npos ? std::string_view{} : head_text.substr(line_end + 2);
    while (!rest.empty()) {
      const std::size_t end = rest.find("\r\n");
      const std::string_view line = rest.substr(0, end);
      const std::size_t colon = line.find(':');
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
    }
    buffer_.erase(0, header_end + 4);
    std::size_t length = 0;
    if (const auto text = response.header("Content-Length"); !text.empty()) {
      length = std::stoul(text);
    }
    const bool no_body =
        head || response.status == 304 || response.status == 204 || response.status < 200;
    if (!no_body) {
      while (buffer_.size() < length) {
        if (!fill()) return std::nullopt;
      }
      response.body = buffer_.substr(0, length);
      buffer_.erase(0, length);
    }
    return response;
  }

  /// True when the server closes the connection (EOF or reset) before `timeout` passes.
  bool closed_by_peer() {
    char c;
    const auto n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool fill() {
    char chunk[16384];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
};

/// A GET request with optional extra header lines (each ending in \r\n).
inline std::string get(std::string_view target, std::string_view extra_headers = {}) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

/// Sends one request on a new connection and reads the response.
inline std::optional<Response> fetch(std::uint16_t port, std::string_view raw, bool head = false) {
  Connection connection(port);
  if (!connection.send(raw)) return std::nullopt;
  return connection.read_response(head);
}

}  // namespace pratu::http::test_client
