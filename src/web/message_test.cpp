#include "web/message.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace pratu::web {
namespace {

using Fields = std::vector<Header>;

TEST(PercentDecode, DecodesEscapesOfEitherCase) {
  EXPECT_EQ(percent_decode("a%20b%2fc%2Fd", Plus::literal), "a b/c/d");
}

TEST(PercentDecode, RefusesInvalidAndTruncatedEscapes) {
  for (std::string_view text : {"100%", "%4", "%zz%4g", "%%41", "a%2"}) {
    EXPECT_FALSE(percent_decode(text, Plus::literal).has_value()) << text;
  }
  EXPECT_EQ(percent_decode("100%25", Plus::literal), "100%");
}

TEST(PercentDecode, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(percent_decode("a+b", Plus::space), "a b");
  EXPECT_EQ(percent_decode("a+b", Plus::literal), "a+b");
  EXPECT_EQ(percent_decode("a%2Bb", Plus::space), "a+b");
}

TEST(PercentDecode, DecodesOnlyOnce) { EXPECT_EQ(percent_decode("%2541", Plus::literal), "%41"); }

TEST(ParseTarget, RefusesMalformedEscapes) {
  for (std::string_view target :
       {"/search?q=%zz", "/a%zzb", "/a%4", "/search?q=100%", "/x?%g1=2"}) {
    EXPECT_FALSE(parse_target(target).has_value()) << target;
  }
  auto fine = parse_target("/search?q=%E0%B8%AD%e0%b8%b2+x&p=100%25");
  ASSERT_TRUE(fine.has_value());
  EXPECT_EQ(fine->query.at(0).second, "อา x");
  EXPECT_EQ(fine->query.at(1).second, "100%");
}

TEST(PercentEncode, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(percent_encode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(percent_encode("a b/&="), "a%20b%2F%26%3D");
  EXPECT_EQ(percent_encode("\xE0\xB8\x81"), "%E0%B8%81");
}

TEST(PercentEncode, RoundTripsThroughDecode) {
  const std::string text = "อาหาร & drinks / 100% +";
  EXPECT_EQ(percent_decode(percent_encode(text), Plus::literal), text);
}

TEST(ParseUrlencoded, DecodesThaiUtf8FieldsInOrder) {
  // "อาหาร" (food) percent-encoded as a browser sends it.
  auto fields = parse_urlencoded("q=%E0%B8%AD%E0%B8%B2%E0%B8%AB%E0%B8%B2%E0%B8%A3&page=2&q=x+y");
  ASSERT_TRUE(fields);
  EXPECT_EQ(*fields, (Fields{{"q", "อาหาร"}, {"page", "2"}, {"q", "x y"}}));
}

TEST(ParseUrlencoded, AcceptsRawUtf8AndMissingValues) {
  auto fields = parse_urlencoded("name=สมชาย&flag&empty=");
  ASSERT_TRUE(fields);
  EXPECT_EQ(*fields, (Fields{{"name", "สมชาย"}, {"flag", ""}, {"empty", ""}}));
}

TEST(ParseUrlencoded, SkipsEmptyPairsAndNames) {
  auto fields = parse_urlencoded("&&a=1&=orphan&&b=2&");
  ASSERT_TRUE(fields);
  EXPECT_EQ(*fields, (Fields{{"a", "1"}, {"b", "2"}}));
}

TEST(ParseUrlencoded, ValueMayContainEqualsSign) {
  auto fields = parse_urlencoded("token=abc==");
  ASSERT_TRUE(fields);
  EXPECT_EQ(*fields, (Fields{{"token", "abc=="}}));
}

TEST(ParseUrlencoded, RejectsInvalidUtf8) {
  EXPECT_FALSE(parse_urlencoded("q=%E0%B8"));     // truncated sequence
  EXPECT_FALSE(parse_urlencoded("q=%C0%AF"));     // overlong '/'
  EXPECT_FALSE(parse_urlencoded("q=%ED%A0%80"));  // UTF-16 surrogate
  EXPECT_FALSE(parse_urlencoded("%FF=1"));        // invalid name
}

TEST(ParseUrlencoded, RejectsMalformedEscapes) {
  for (std::string_view text : {"q=100%", "q=%zz", "%4=1", "a=1&b=%g0", "=%", "a=%E0%B8%A"}) {
    EXPECT_FALSE(parse_urlencoded(text).has_value()) << text;
  }
  EXPECT_EQ(*parse_urlencoded("q=100%25"), (Fields{{"q", "100%"}}));
}

TEST(ParseUrlencoded, RejectsTooManyFields) {
  EXPECT_TRUE(parse_urlencoded("a=1&b=2&c=3", 3));
  EXPECT_FALSE(parse_urlencoded("a=1&b=2&c=3&d=4", 3));
}

TEST(ParseTarget, SplitsDecodedPathAndQuery) {
  auto target = parse_target("/services/%E0%B8%81%20x?q=a+b&lang=th");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->path, "/services/ก x");
  EXPECT_EQ(target->query, (Fields{{"q", "a b"}, {"lang", "th"}}));
}

TEST(ParseTarget, PlusInPathIsLiteral) {
  auto target = parse_target("/a+b");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->path, "/a+b");
}

TEST(ParseTarget, AcceptsRootAndEmptyQuery) {
  auto target = parse_target("/?");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->path, "/");
  EXPECT_TRUE(target->query.empty());
}

TEST(ParseTarget, RejectsNonOriginForms) {
  EXPECT_FALSE(parse_target(""));
  EXPECT_FALSE(parse_target("*"));
  EXPECT_FALSE(parse_target("http://example.com/"));
  EXPECT_FALSE(parse_target("//evil.example/path"));
}

// A target without escapes or a query is taken as its own path without the full grammar:
// on random such targets it must agree with the same target read through the grammar
// (forced by an empty query, which changes nothing else).
TEST(ParseTarget, APlainTargetReadsAsTheGrammarWouldReadIt) {
  static constexpr std::string_view kChars = "abcXYZ019-._~!$&'()*+,;=:@/";
  std::mt19937 random(20261203);
  int accepted = 0, refused = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string target = "/";
    const int length = static_cast<int>(random() % 12);
    for (int j = 0; j < length; ++j) target.push_back(kChars[random() % kChars.size()]);
    const auto plain = parse_target(target);
    const auto through_grammar = parse_target(target + "?");
    ASSERT_EQ(plain.has_value(), through_grammar.has_value()) << target;
    if (!plain) {
      ++refused;
      continue;
    }
    ++accepted;
    EXPECT_EQ(plain->path, through_grammar->path) << target;
    EXPECT_EQ(plain->path, target);
    EXPECT_TRUE(plain->query.empty());
  }
  EXPECT_GT(accepted, 1000);
  EXPECT_GT(refused, 100);  // "//..." and dot segments
}

TEST(ParseTarget, RejectsDotSegmentsEvenWhenEncoded) {
  EXPECT_FALSE(parse_target("/static/../secret"));
  EXPECT_FALSE(parse_target("/static/%2e%2e/secret"));
  EXPECT_FALSE(parse_target("/a/./b"));
  EXPECT_FALSE(parse_target("/a/.."));
  EXPECT_TRUE(parse_target("/files/a..b"));
}

TEST(ParseTarget, RejectsNulEncodedSlashAndRawBytes) {
  EXPECT_FALSE(parse_target("/a%00b"));
  EXPECT_FALSE(parse_target("/a?x=%00"));
  EXPECT_FALSE(parse_target("/a%2Fb"));
  EXPECT_FALSE(parse_target("/a%2fb"));
  EXPECT_FALSE(parse_target("/a b"));
  EXPECT_FALSE(parse_target("/a\r\nX: y"));
  EXPECT_FALSE(parse_target("/a#frag"));
  EXPECT_FALSE(parse_target("/\xE0\xB8\x81"));  // non-ASCII must arrive percent-encoded
}

TEST(ParseTarget, RejectsInvalidUtf8InPathOrQuery) {
  EXPECT_FALSE(parse_target("/%FF"));
  EXPECT_FALSE(parse_target("/a?q=%E0%B8"));
}

TEST(ParseCookieHeader, SplitsPairsAndTrimsWhitespace) {
  auto cookies = parse_cookie_header("sid=abc123;  lang=th ;theme=\"dark\"");
  EXPECT_EQ(cookies, (Fields{{"sid", "abc123"}, {"lang", "th"}, {"theme", "dark"}}));
}

TEST(ParseCookieHeader, SkipsMalformedPairs) {
  auto cookies = parse_cookie_header("novalue; =anon; bad name=1; ok=1; q=\"a b\"; x=y,z; last=2");
  EXPECT_EQ(cookies, (Fields{{"ok", "1"}, {"last", "2"}}));
}

TEST(ParseCookieHeader, KeepsEqualsInValueAndEmptyValues) {
  auto cookies = parse_cookie_header("a=b=c; e=");
  EXPECT_EQ(cookies, (Fields{{"a", "b=c"}, {"e", ""}}));
}

TEST(ParseCookieHeader, IgnoresEmptyHeader) { EXPECT_TRUE(parse_cookie_header("").empty()); }

TEST(Request, FindsHeadersCaseInsensitively) {
  Request request;
  request.headers = {{"Content-Type", "text/plain"}, {"X-A", "1"}};
  EXPECT_EQ(request.header("content-type"), "text/plain");
  EXPECT_EQ(request.header("x-missing"), "");
}

TEST(Request, FindsCookieAcrossCookieHeaders) {
  Request request;
  request.headers = {{"Cookie", "a=1"}, {"cookie", "sid=xyz"}};
  EXPECT_EQ(request.cookie("sid"), "xyz");
  EXPECT_EQ(request.cookie("a"), "1");
  EXPECT_FALSE(request.cookie("b"));
}

TEST(Request, ReadsQueryAndPathParams) {
  Request request;
  request.query = {{"q", "x"}, {"q", "y"}};
  request.path_params = {{"slug", "food"}};
  EXPECT_EQ(request.query_param("q"), "x");
  EXPECT_FALSE(request.query_param("Q"));
  EXPECT_EQ(request.path_param("slug"), "food");
  EXPECT_EQ(request.path_param("other"), "");
}

TEST(Response, SetHeaderReplacesButSetCookieAppends) {
  Response response;
  response.set_header("X-A", "1");
  response.set_header("x-a", "2");
  response.set_header("Set-Cookie", "a=1");
  response.set_header("Set-Cookie", "b=2");
  EXPECT_EQ(response.headers, (Fields{{"X-A", "2"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}}));
  EXPECT_EQ(response.header("X-A"), "2");
}

TEST(Response, FactoriesSetStatusAndType) {
  auto redirect = Response::redirect("/done");
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(redirect.header("Location"), "/done");
  auto json = Response::json("{}", 201);
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.content_type, "application/json");
  EXPECT_EQ(Response::text("hi").content_type, "text/plain; charset=utf-8");
}

TEST(SetCookieValue, WritesAllAttributes) {
  CookieOptions options;
  options.max_age_seconds = 3600;
  options.secure = true;
  EXPECT_EQ(set_cookie_value("sid", "abc", options),
            "sid=abc; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax");
}

TEST(SetCookieValue, DeletionAddsExpiresInThePast) {
  CookieOptions options;
  options.max_age_seconds = 0;
  options.http_only = false;
  options.same_site = "Strict";
  EXPECT_EQ(set_cookie_value("lang", "", options),
            "lang=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Strict");
}

TEST(SetCookieValue, CannotBeUsedToInjectAttributesOrHeaders) {
  const std::string value = set_cookie_value("a", "x; Domain=evil\r\nSet-Cookie: b=1", {});
  EXPECT_EQ(value.find('\r'), std::string::npos);
  EXPECT_EQ(value.find("; Domain"), std::string::npos);
  EXPECT_EQ(value.rfind("a=xDomain=evilSet-Cookie:b=1;", 0), 0u);
}

TEST(Iequals, ComparesAsciiCaseInsensitively) {
  EXPECT_TRUE(iequals("Content-Length", "content-length"));
  EXPECT_FALSE(iequals("a", "ab"));
  EXPECT_FALSE(iequals("a", "b"));
}

}  // namespace
}  // namespace pratu::web
