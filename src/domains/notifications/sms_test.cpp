#include "domains/notifications/sms.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cctype>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

namespace pratu::notifications {
namespace {

// An HTTP server on 127.0.0.1 that takes one connection, reads one request and answers it
// with `status` (or, given 0, never answers), keeping what it read.
class OneRequestServer {
 public:
  explicit OneRequestServer(int status) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        ::listen(listener_, 1) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, status] { serve(status); });
  }
  ~OneRequestServer() {
    if (thread_.joinable()) thread_.join();
    if (listener_ >= 0) ::close(listener_);
  }
  OneRequestServer(const OneRequestServer&) = delete;
  OneRequestServer& operator=(const OneRequestServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/sms"; }
  int port() const { return port_; }
  /// What the client sent (read it after the client is done).
  std::string request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  void serve(int status) {
    pollfd waiting{listener_, POLLIN, 0};
    if (::poll(&waiting, 1, 10'000) != 1) return;  // nobody came
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    char buffer[4096];
    std::size_t wanted = std::string::npos;  // the whole request's length, once known
    while (request_.size() < wanted) {
      pollfd readable{fd, POLLIN, 0};
      if (::poll(&readable, 1, 10'000) != 1) break;
      const auto n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      request_.append(buffer, static_cast<std::size_t>(n));
      const auto head_end = request_.find("\r\n\r\n");
      if (head_end != std::string::npos && wanted == std::string::npos) {
        std::string head = request_.substr(0, head_end);
        for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto at = head.find("\r\ncontent-length:");
        wanted = head_end + 4 + (at == std::string::npos ? 0 : std::stoul(head.substr(at + 17)));
      }
    }
    if (status != 0) {
      const std::string body = "{\"echo\":\"+66812345678\"}";  // as some gateways do
      const std::string reply = "HTTP/1.1 " + std::to_string(status) +
                                " Whatever\r\nContent-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                                body;
      ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
    } else {
      // Silent until the client gives up and hangs up.
      pollfd closed{fd, POLLIN, 0};
      ::poll(&closed, 1, 10'000);
    }
    ::close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string request_;
};

SmsSettings settings_for(const OneRequestServer& server) {
  SmsSettings s;
  s.provider = "http";
  s.url = server.url();
  s.token = "gateway-token-123";
  s.connect_timeout_seconds = 2;
  s.timeout_seconds = 2;
  return s;
}

TEST(HttpSmsProvider, PostsTheNumberAndTextAsJsonWithTheBearerTokenAndA200IsSent) {
  OneRequestServer server(200);
  ASSERT_GT(server.port(), 0);
  HttpSmsProvider sms(settings_for(server));
  const auto result = sms.send("+66812345678", "ใบอนุญาต: อนุมัติ ดูรายละเอียดที่ https://x");
  EXPECT_EQ(result.delivery, Delivery::sent) << result.detail;
  EXPECT_TRUE(result.detail.empty());
  const std::string request = server.request();
  EXPECT_EQ(request.rfind("POST /v1/sms HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("\r\nAuthorization: Bearer gateway-token-123\r\n"), std::string::npos)
      << request;
  EXPECT_NE(request.find("\r\nContent-Type: application/json\r\n"), std::string::npos) << request;
  const auto body = boost::json::parse(request.substr(request.find("\r\n\r\n") + 4)).as_object();
  EXPECT_EQ(body.at("to").as_string(), "+66812345678");
  EXPECT_EQ(body.at("text").as_string(), "ใบอนุญาต: อนุมัติ ดูรายละเอียดที่ https://x");
}

TEST(HttpSmsProvider, A400IsPermanentAndSaysOnlyTheStatus) {
  OneRequestServer server(400);
  ASSERT_GT(server.port(), 0);
  HttpSmsProvider sms(settings_for(server));
  const auto result = sms.send("+66812345678", "ข้อความ");
  EXPECT_EQ(result.delivery, Delivery::permanent);
  EXPECT_EQ(result.detail, "http 400") << "never the reply, which may echo the number";
}

TEST(HttpSmsProvider, A503IsRetried) {
  OneRequestServer server(503);
  ASSERT_GT(server.port(), 0);
  HttpSmsProvider sms(settings_for(server));
  const auto result = sms.send("+66812345678", "ข้อความ");
  EXPECT_EQ(result.delivery, Delivery::retryable);
  EXPECT_EQ(result.detail, "http 503");
}

TEST(HttpSmsProvider, AGatewayThatNeverAnswersIsRetriedAfterTheTimeout) {
  OneRequestServer server(0);
  ASSERT_GT(server.port(), 0);
  auto settings = settings_for(server);
  settings.timeout_seconds = 1;
  HttpSmsProvider sms(settings);
  const auto result = sms.send("+66812345678", "ข้อความ");
  EXPECT_EQ(result.delivery, Delivery::retryable);
  EXPECT_FALSE(result.detail.empty());
}

TEST(HttpSmsProvider, NoServerIsRetried) {
  SmsSettings s;
  s.provider = "http";
  s.url = "http://127.0.0.1:1/v1/sms";  // nothing listens on port 1
  s.connect_timeout_seconds = 2;
  s.timeout_seconds = 2;
  const auto result = HttpSmsProvider(s).send("+66812345678", "ข้อความ");
  EXPECT_EQ(result.delivery, Delivery::retryable);
}

TEST(SmsStatus, TwoHundredsAreSentFourHundredsPermanentAndTheRestRetried) {
  EXPECT_EQ(classify_http_status(200), Delivery::sent);
  EXPECT_EQ(classify_http_status(202), Delivery::sent);
  EXPECT_EQ(classify_http_status(400), Delivery::permanent);
  EXPECT_EQ(classify_http_status(422), Delivery::permanent);
  EXPECT_EQ(classify_http_status(401), Delivery::retryable);  // our token: our configuration
  EXPECT_EQ(classify_http_status(429), Delivery::retryable);  // slow down, not never
  EXPECT_EQ(classify_http_status(500), Delivery::retryable);
  EXPECT_EQ(classify_http_status(503), Delivery::retryable);
  EXPECT_EQ(classify_http_status(302), Delivery::retryable);
}

TEST(E164Mobile, TakesTheAccountsFormOrE164AndNothingElse) {
  EXPECT_EQ(e164_mobile("0812345678"), "+66812345678");
  EXPECT_EQ(e164_mobile("+66812345678"), "+66812345678");
  EXPECT_FALSE(e164_mobile(""));
  EXPECT_FALSE(e164_mobile("081234567"));
  EXPECT_FALSE(e164_mobile("08123456789"));
  EXPECT_FALSE(e164_mobile("081-234-5678"));
  EXPECT_FALSE(e164_mobile("+1812345678"));
}

TEST(LogSmsProvider, LogsTheLengthAndTheNumbersLastDigitsOnly) {
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::debug);
  spdlog::set_default_logger(logger);
  LogSmsProvider sms;
  const auto result = sms.send("+66812345678", "ใบอนุญาต: อนุมัติ");
  spdlog::set_default_logger(previous);

  EXPECT_EQ(result.delivery, Delivery::sent);
  const std::string line = out.str();
  ASSERT_FALSE(line.empty()) << "nothing was logged";
  EXPECT_EQ(line.find("812345678"), std::string::npos) << line;
  EXPECT_EQ(line.find("2345678"), std::string::npos) << line;
  EXPECT_EQ(line.find("ใบอนุญาต"), std::string::npos) << line;
  EXPECT_EQ(line.find("อนุมัติ"), std::string::npos) << line;
  const auto fields = boost::json::parse(line).as_object();
  EXPECT_EQ(fields.at("to_ends_with").as_string(), "...678");
  EXPECT_EQ(fields.at("characters").as_int64(), 17) << "the length, in characters";
}

TEST(SmsProviders, NoneMakesNoProvider) {
  SmsSettings s;
  s.provider = "none";
  EXPECT_EQ(make_sms_provider(s), nullptr);
  s.provider = "log";
  EXPECT_NE(make_sms_provider(s), nullptr);
}

}  // namespace
}  // namespace pratu::notifications
