#pragma once
// What the benchmarks' load tools share (bench/documents_load.cpp, bench/payments_load.cpp):
// their "--name value" options, latencies and their report, and a keep-alive HTTP/1.1
// connection that times each request. Not part of Pratu: a client to measure it with.

#include <sys/resource.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pratu::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

using Options = std::map<std::string, std::string, std::less<>>;

inline std::string option(const Options& o, std::string_view name,
                          const std::string& fallback = {}) {
  auto it = o.find(name);
  return it == o.end() ? fallback : it->second;
}
inline double number(const Options& o, std::string_view name, double fallback) {
  auto it = o.find(name);
  return it == o.end() ? fallback : std::strtod(it->second.c_str(), nullptr);
}

inline double ms_since(SteadyClock::time_point from) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - from).count();
}

// The user + system CPU seconds of this process so far.
inline double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Latencies {
  std::vector<double> ms;

  void add(const Latencies& other) { ms.insert(ms.end(), other.ms.begin(), other.ms.end()); }

  // "NAME_count", then p50, p90, p99 and the maximum in ms, a line each.
  std::string report(const std::string& name) {
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
      if (ms.empty()) return 0.0;
      auto i = static_cast<std::size_t>(std::lround(q * static_cast<double>(ms.size() - 1)));
      return ms[std::min(i, ms.size() - 1)];
    };
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(2);
    out << name << "_count " << ms.size() << "\n"
        << name << "_p50_ms " << at(0.5) << "\n"
        << name << "_p90_ms " << at(0.9) << "\n"
        << name << "_p99_ms " << at(0.99) << "\n"
        << name << "_max_ms " << (ms.empty() ? 0.0 : ms.back()) << "\n";
    return out.str();
  }
};

struct Answer {
  int status = 0;  // 0: a socket error
  std::string body;
  std::string location;
  std::string error;
};

// One keep-alive connection, used by one thread, reconnecting when the server closed it.
class Connection {
 public:
  Connection(std::string host, std::string port) : host_(std::move(host)), port_(std::move(port)) {}

  Answer send(http::verb method, const std::string& target, const std::string& body = {},
              const Headers& headers = {}) {
    Answer answer;
    for (int attempt = 0; attempt < 2; ++attempt) {
      beast::error_code ec;
      if (!socket_.is_open()) {
        tcp::resolver resolver(io_);
        const auto endpoints = resolver.resolve(host_, port_, ec);
        if (!ec) asio::connect(socket_, endpoints, ec);
        if (ec) {
          answer.error = "connect: " + ec.message();
          socket_.close(ec);
          return answer;
        }
        socket_.set_option(tcp::no_delay(true));
      }
      http::request<http::string_body> request{method, target, 11};
      request.set(http::field::host, host_ + ":" + port_);
      request.set(http::field::user_agent, "pratu-bench");
      for (const auto& [name, value] : headers) request.set(name, value);
      request.body() = body;
      request.prepare_payload();
      http::write(socket_, request, ec);
      if (!ec) {
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);  // a signed PDF, a page
        http::read(socket_, buffer_, parser, ec);
        if (!ec) {
          auto& response = parser.get();
          answer.status = static_cast<int>(response.result_int());
          answer.body = std::move(response.body());
          answer.location = std::string(response[http::field::location]);
          if (!response.keep_alive()) close();
          return answer;
        }
      }
      answer.error = ec.message();
      close();
      // A keep-alive connection the server had closed: once more on a new one.
      if (ec != http::error::end_of_stream && ec != asio::error::connection_reset &&
          ec != asio::error::broken_pipe) {
        return answer;
      }
    }
    return answer;
  }

 private:
  void close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    buffer_.clear();
  }

  std::string host_, port_;
  asio::io_context io_;
  tcp::socket socket_{io_};
  beast::flat_buffer buffer_;
};

struct Target {
  std::string host, port;
};

inline std::optional<Target> target_of(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) return std::nullopt;
  const std::string authority =
      url.substr(kScheme.size(), url.find('/', kScheme.size()) - kScheme.size());
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  return Target{authority.substr(0, colon), authority.substr(colon + 1)};
}

/// The options of `argv` after the mode (argv[1]): "--name value" pairs; nullopt when they are
/// not pairs of that shape.
inline std::optional<Options> options_of(int argc, char** argv) {
  Options o;
  for (int i = 2; i < argc; i += 2) {
    if (i + 1 >= argc || std::string_view(argv[i]).rfind("--", 0) != 0) return std::nullopt;
    o[argv[i]] = argv[i + 1];
  }
  return o;
}

}  // namespace pratu::bench
