#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <stdexcept>

namespace pratu::testing {

namespace {

bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string round_trip(std::uint16_t port, const std::string& raw) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  std::size_t sent = 0;
  while (sent < raw.size()) {
    auto n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string out;
  char buf[16384];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string decode_chunked(const std::string& body) {
  std::string out;
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto eol = body.find("\r\n", pos);
    if (eol == std::string::npos) break;
    auto size = std::stoul(body.substr(pos, eol - pos), nullptr, 16);
    if (size == 0) break;
    out += body.substr(eol + 2, size);
    pos = eol + 2 + size + 2;
  }
  return out;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

std::vector<std::string> HttpResponse::set_cookies() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : headers) {
    if (iequals(key, "Set-Cookie")) out.push_back(value);
  }
  return out;
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& body,
                                 std::vector<std::pair<std::string, std::string>> extra) {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!cookies_.empty()) {
    std::string jar;
    for (const auto& [name, value] : cookies_)
      jar += (jar.empty() ? "" : "; ") + name + "=" + value;
    raw += "Cookie: " + jar + "\r\n";
  }
  for (const auto& [name, value] : extra) raw += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST")
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  raw += "\r\n" + body;

  auto text = round_trip(port_, raw);
  HttpResponse response;
  auto head_end = text.find("\r\n\r\n");
  if (head_end == std::string::npos) return response;
  auto head = text.substr(0, head_end);
  response.body = text.substr(head_end + 4);
  std::size_t line_end = head.find("\r\n");
  auto status_line = head.substr(0, line_end);
  if (status_line.size() >= 12) response.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos) {
    auto start = line_end + 2;
    line_end = head.find("\r\n", start);
    auto line =
        head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    response.headers.emplace_back(line.substr(0, colon), value);
  }
  if (iequals(response.header("Transfer-Encoding"), "chunked"))
    response.body = decode_chunked(response.body);
  for (const auto& set : response.set_cookies()) {
    auto eq = set.find('=');
    auto semi = set.find(';');
    auto name = set.substr(0, eq);
    auto value = set.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
    bool expired = set.find("Max-Age=0") != std::string::npos;
    std::erase_if(cookies_, [&](const auto& c) { return c.first == name; });
    if (!expired) cookies_.emplace_back(name, value);
  }
  return response;
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
  auto field = html.find("name=\"csrf_token\"");
  if (field == std::string::npos) return {};
  auto value = html.find("value=\"", field);
  if (value == std::string::npos) return {};
  value += 7;
  return html.substr(value, html.find('"', value) - value);
}

std::string url_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace pratu::testing
