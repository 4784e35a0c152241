#include "http/router.hpp"

#include <gtest/gtest.h>

namespace pratu::http {
namespace {

RawHandler named(std::string name) {
  return [name](web::Request&) { return web::Response::text(name); };
}

std::string run(const Match& match) {
  web::Request request;
  return match.route->handler(request).body;
}

TEST(Router, MatchesLiteralPaths) {
  Router router;
  router.add("GET", "/", named("home"));
  router.add("GET", "/services", named("services"));
  EXPECT_EQ(run(router.match("GET", "/")), "home");
  EXPECT_EQ(run(router.match("GET", "/services")), "services");
  EXPECT_EQ(router.match("GET", "/services/").route, nullptr);
  EXPECT_EQ(router.match("GET", "/nope").route, nullptr);
  EXPECT_FALSE(router.match("GET", "/nope").method_mismatch);
}

TEST(Router, LiteralSegmentsBeatParametersWhateverTheOrderAdded) {
  Router router;
  router.add("GET", "/services/{slug}", named("service"));
  router.add("GET", "/services/search", named("search"));
  router.add("GET", "/{a}/{b}", named("anything"));
  EXPECT_EQ(run(router.match("GET", "/services/search")), "search");
  EXPECT_EQ(run(router.match("GET", "/services/food")), "service");
  EXPECT_EQ(run(router.match("GET", "/agencies/food")), "anything");
}

TEST(Router, EarliestLiteralSegmentDecides) {
  Router router;
  router.add("GET", "/{x}/edit", named("param-first"));
  router.add("GET", "/users/{id}", named("literal-first"));
  EXPECT_EQ(run(router.match("GET", "/users/edit")), "literal-first");
}

TEST(Router, CapturesDecodedParameters) {
  Router router;
  router.add("GET", "/agencies/{code}/services/{slug}", named("x"));
  auto match = router.match("GET", "/agencies/dbd/services/จดทะเบียน พาณิชย์");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.params, (std::vector<web::Header>{{"code", "dbd"}, {"slug", "จดทะเบียน พาณิชย์"}}));
}

TEST(Router, ParameterDoesNotMatchAnEmptySegment) {
  Router router;
  router.add("GET", "/services/{slug}", named("service"));
  EXPECT_EQ(router.match("GET", "/services/").route, nullptr);
}

TEST(Router, ReportsMethodMismatchWithAllowedMethods) {
  Router router;
  router.add("GET", "/login", named("form"));
  router.add("POST", "/login", named("submit"));
  router.add("DELETE", "/items/{id}", named("delete"));
  auto match = router.match("PUT", "/login");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.method_mismatch);
  EXPECT_EQ(match.allowed, (std::vector<std::string>{"GET", "HEAD", "POST"}));
  EXPECT_EQ(router.match("GET", "/items/3").allowed, (std::vector<std::string>{"DELETE"}));
}

TEST(Router, HeadFallsBackToGet) {
  Router router;
  router.add("GET", "/page", named("get"));
  EXPECT_EQ(run(router.match("HEAD", "/page")), "get");
  router.add("HEAD", "/page", named("head"));
  EXPECT_EQ(run(router.match("HEAD", "/page")), "head");
}

TEST(Router, MethodsAreCaseSensitive) {
  Router router;
  router.add("GET", "/page", named("get"));
  EXPECT_TRUE(router.match("get", "/page").method_mismatch);
}

TEST(Router, NamesDefaultToThePattern) {
  Router router;
  router.add("GET", "/services/{slug}", named("x"));
  router.add("GET", "/", named("x"), RouteOptions{"home", 1024, Execution::inline_});
  EXPECT_EQ(router.routes()[0].options.name, "/services/{slug}");
  EXPECT_EQ(router.routes()[1].options.name, "home");
  EXPECT_EQ(router.routes()[1].options.execution, Execution::inline_);
}

TEST(Router, RejectsDuplicateAndRelativePatterns) {
  Router router;
  router.add("GET", "/a", named("x"));
  EXPECT_THROW(router.add("GET", "/a", named("y")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "a", named("y")), std::invalid_argument);
  EXPECT_NO_THROW(router.add("POST", "/a", named("y")));
}

TEST(Router, SplitsPatternsOnceWhenAdded) {
  Router router;
  router.add("GET", "/agencies/{code}/services", named("x"));
  const auto& segments = router.routes()[0].segments;
  ASSERT_EQ(segments.size(), 3u);
  EXPECT_EQ(segments[0].text, "agencies");
  EXPECT_FALSE(segments[0].parameter);
  EXPECT_EQ(segments[1].text, "code");
  EXPECT_TRUE(segments[1].parameter);
  EXPECT_EQ(segments[2].text, "services");
}

TEST(Router, PathsLongerThanAnyPatternMatchNothing) {
  Router router;
  router.add("GET", "/{a}", named("x"));
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "/a";
  const auto match = router.match("GET", deep);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_FALSE(match.method_mismatch);
  std::string pattern;
  for (std::size_t i = 0; i <= Router::kMaxSegments; ++i)
    pattern += "/{p" + std::to_string(i) + "}";
  EXPECT_THROW(router.add("GET", pattern, named("y")), std::invalid_argument);
}

}  // namespace
}  // namespace pratu::http
