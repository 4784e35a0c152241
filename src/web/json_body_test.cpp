#include "web/json_body.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pratu::web {
namespace {

TEST(ParseJsonBody, ParsesAnObject) {
  auto value = parse_json_body(R"({"name":"สมชาย","n":[1,2]})");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->at("name").as_string(), "สมชาย");
  EXPECT_EQ(value->at("n").as_array().size(), 2u);
}

TEST(ParseJsonBody, RejectsMalformedJsonWithAKey) {
  for (const char* body : {"", "{", "{\"a\":1,}", "[1] [2]", "{\"a\":1} // c", "nul"}) {
    auto value = parse_json_body(body);
    ASSERT_FALSE(value) << body;
    EXPECT_EQ(value.error().code, ErrorCode::invalid_input);
    EXPECT_EQ(value.error().message_key, "http.json.invalid") << body;
  }
}

TEST(ParseJsonBody, RejectsInvalidUtf8) {
  auto value = parse_json_body("\"\xC0\xAF\"");
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().message_key, "http.json.invalid");
}

TEST(ParseJsonBody, RejectsBodiesOverTheSizeLimit) {
  JsonLimits limits;
  limits.max_bytes = 10;
  EXPECT_TRUE(parse_json_body("[1,2,3,4]", limits));
  auto value = parse_json_body("[1,2,3,4,5]", limits);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().message_key, "http.json.too_large");
  EXPECT_EQ(value.error().code, ErrorCode::too_large);  // 413, not 422
}

TEST(ParseJsonBody, RejectsNestingDeeperThanTheLimit) {
  JsonLimits limits;
  limits.max_depth = 4;
  EXPECT_TRUE(parse_json_body("[[[[1]]]]", limits));
  auto value = parse_json_body("[[[[[1]]]]]", limits);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().message_key, "http.json.too_deep");
}

TEST(ParseJsonBody, SurvivesVeryDeepInputWithDefaultLimits) {
  auto value = parse_json_body(std::string(50000, '['));
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().message_key, "http.json.too_deep");
}

}  // namespace
}  // namespace pratu::web
