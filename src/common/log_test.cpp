#include "common/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <boost/json/parse.hpp>

#include <memory>
#include <sstream>
#include <string>

namespace pratu::log {
namespace {

TEST(Redact, RemovesThaiNationalIdsWithOrWithoutDashes) {
  EXPECT_EQ(redact("id 1101700207030 ok"), "id [id] ok");
  EXPECT_EQ(redact("id=1-1017-00207-03-0"), "id=[id]");
  EXPECT_EQ(redact("id 1 1017 00207 03 0."), "id [id].");
}

TEST(Redact, RemovesEmails) {
  EXPECT_EQ(redact("from somchai.j+gov@mail.example.go.th, ok"), "from [email], ok");
  EXPECT_EQ(redact("a@b and @handle"), "a@b and @handle");
}

TEST(Redact, RemovesThaiPhoneNumbers) {
  EXPECT_EQ(redact("call 0812345678"), "call [phone]");
  EXPECT_EQ(redact("call 081-234-5678 now"), "call [phone] now");
  EXPECT_EQ(redact("call 081 234 5678"), "call [phone]");
  EXPECT_EQ(redact("office 02-123-4567"), "office [phone]");
  EXPECT_EQ(redact("intl +66 81 234 5678"), "intl [phone]");
  EXPECT_EQ(redact("intl +66812345678"), "intl [phone]");
  EXPECT_EQ(redact("took 12 0812345678"), "took 12 [phone]");
}

TEST(Redact, RemovesLongTokens) {
  EXPECT_EQ(redact("sid 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            "sid [token]");
  EXPECT_EQ(redact("Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
                   "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.abc"),
            "Bearer [token].[token].abc");
  EXPECT_EQ(redact("k=dGhpcyBpcyBhIHNlY3JldCB0b2tlbiB2YWx1ZQ=="), "k=[token]");
}

TEST(Redact, RemovesSecretValuesByKey) {
  EXPECT_EQ(redact("password=hunter2&user=a"), "password=[redacted]&user=a");
  EXPECT_EQ(redact("new_password: abc def"), "new_password: [redacted] def");
  EXPECT_EQ(redact(R"({"csrf_token":"x1","client_secret": "s e"})"),
            R"({"csrf_token":"[redacted]","client_secret": "[redacted]"})");
  EXPECT_EQ(redact("TOKEN=abc"), "TOKEN=[redacted]");
}

TEST(Redact, LeavesOrdinaryOperationalTextAlone) {
  const std::string text =
      "GET /services/{slug} 200 in 12.5 ms, 2048 bytes, 2024-01-15 12:30:45 from 127.0.0.1:8080 "
      "request 3fa2c1d9e8b7a6f5 commercial-registration-for-limited-companies";
  EXPECT_EQ(redact(text), text);
}

TEST(Redact, HandlesHugeInputsInLinearTime) {
  const std::string digits(200000, '1');
  const std::string spaced = [] {
    std::string s;
    for (int i = 0; i < 100000; ++i) s += "1 ";
    return s;
  }();
  EXPECT_TRUE(redact(digits) == "[token]");  // a long digit run is a token
  EXPECT_EQ(redact(spaced).rfind("[id] [id] ", 0), 0u);
}

class CapturedLog : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("test", sink);
    logger->set_pattern("%v");
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
  }
  void TearDown() override { spdlog::set_default_logger(previous_); }
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(CapturedLog, WritesOneJsonObjectPerLineWithRedactedFields) {
  init("debug", Format::json);
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);

  info("login for somchai@example.com", "0123456789abcdef",
       {{"status", "200"}, {"citizen", "1101700207030"}, {"note", "say \"hi\"\n"}});

  const std::string line = out_.str();
  ASSERT_EQ(line.back(), '\n');
  ASSERT_EQ(line.find('\n'), line.size() - 1);
  auto json = boost::json::parse(line).as_object();
  EXPECT_EQ(json.at("level").as_string(), "info");
  EXPECT_EQ(json.at("msg").as_string(), "login for [email]");
  EXPECT_EQ(json.at("request_id").as_string(), "0123456789abcdef");
  EXPECT_EQ(json.at("status").as_int64(), 200);
  EXPECT_EQ(json.at("citizen").as_string(), "[id]");
  EXPECT_EQ(json.at("note").as_string(), "say \"hi\"\n");
  const std::string ts(json.at("ts").as_string());
  EXPECT_EQ(ts.size(), 24u);
  EXPECT_EQ(ts.back(), 'Z');
}

TEST_F(CapturedLog, VerbatimEventsKeepTheProgramsValuesButRedactTheRequestId) {
  init("debug", Format::json);
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);

  // A byte count that happens to look like a phone number stays a number; a request id sent
  // by a client holding a national id is still redacted; a secret's key still hides it.
  event_verbatim(spdlog::level::info, "request", "1101700207030",
                 {{"bytes", "0812345678"}, {"route", "catalog.service"}, {"token", "abc"}});
  auto json = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(json.at("msg").as_string(), "request");
  EXPECT_EQ(json.at("request_id").as_string(), "[id]");
  EXPECT_EQ(json.at("bytes").as_string(), "0812345678");
  EXPECT_EQ(json.at("route").as_string(), "catalog.service");
  EXPECT_EQ(json.at("token").as_string(), "[redacted]");

  // An id the server made is written as it is (it carries nothing personal); the same text
  // from a client is checked like anything a client sends.
  out_.str("");
  event_verbatim(spdlog::level::info, "request", "f00d-0812345678", {}, RequestId::own);
  EXPECT_EQ(boost::json::parse(out_.str()).at("request_id").as_string(), "f00d-0812345678");
  out_.str("");
  event_verbatim(spdlog::level::info, "request", "f00d-0812345678", {});
  EXPECT_NE(boost::json::parse(out_.str()).at("request_id").as_string(), "f00d-0812345678");

  out_.str("");
  info("request", "", {{"bytes", "0812345678"}});
  EXPECT_EQ(boost::json::parse(out_.str()).as_object().at("bytes").as_string(), "[phone]");
}

TEST_F(CapturedLog, TextFormatKeepsEachEventOnOneLine) {
  init("info", Format::text);
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);

  warn("bad\nforged line", "", {{"password", "x"}, {"who", "a\nb"}});
  const std::string line = out_.str();
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_NE(line.find(" warn bad forged line password=[redacted] who=a b"), std::string::npos);
  init("info", Format::json);
}

TEST_F(CapturedLog, SkipsEventsBelowTheLevel) {
  spdlog::default_logger()->set_level(spdlog::level::warn);
  info("quiet");
  EXPECT_TRUE(out_.str().empty());
  error("loud");
  EXPECT_NE(out_.str().find("loud"), std::string::npos);
}

}  // namespace
}  // namespace pratu::log
