#include "app/page_cache.hpp"

#include <gtest/gtest.h>

namespace pratu::app {
namespace {

web::Request get(std::string target) {
  web::Request request;
  request.method = "GET";
  auto parsed = web::parse_target(target);
  request.path = parsed->path;
  request.query = parsed->query;
  request.target = std::move(target);
  return request;
}

TEST(PublicPageKey, IsTheLanguageAndPath) {
  EXPECT_EQ(public_page_key(get("/services/food"), web::Locale::th), "th /services/food");
  EXPECT_EQ(public_page_key(get("/services/food"), web::Locale::en), "en /services/food");
  EXPECT_NE(public_page_key(get("/services/food"), web::Locale::th),
            public_page_key(get("/services/fool"), web::Locale::th));
}

// Made-up parameters must neither fill the cache nor put their text into pages others get.
TEST(PublicPageKey, PagesWithAQueryAreNotCached) {
  for (const char* target : {"/services/food?utm_source=x", "/?lang=en", "/agencies?", "/?a"}) {
    EXPECT_EQ(public_page_key(get(target), web::Locale::th), "") << target;
  }
}

}  // namespace
}  // namespace pratu::app
