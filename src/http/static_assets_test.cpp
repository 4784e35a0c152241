#include "http/static_assets.hpp"

#include <gtest/gtest.h>

#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

namespace pratu::http {
namespace {

class StaticAssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write("css/pratu.css", std::string(2000, 'a'));
    write("images/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    write("images/icon.png", std::string("\x89PNG\r\n\x1a\n", 8));
    write("robots.txt", "User-agent: *\n");
    write(".hidden", "x");
    write(".git/config", "x");
  }
  void write(const std::string& name, const std::string& content) { dir_.write(name, content); }

  std::unique_ptr<StaticAssets> load() {
    auto assets = StaticAssets::load(dir_.path().string());
    EXPECT_TRUE(assets);
    return std::move(*assets);
  }

  static web::Request request(std::string path, std::vector<web::Header> headers = {}) {
    web::Request r;
    r.method = "GET";
    r.path = std::move(path);
    r.headers = std::move(headers);
    return r;
  }

  test::TempDir dir_{"pratu-static-"};
};

TEST_F(StaticAssetsTest, FingerprintsWithTheFirstTenHexOfSha256) {
  auto assets = load();
  EXPECT_EQ(assets->size(), 4u);
  // sha256 of 2000 'a' characters.
  EXPECT_EQ(assets->url("css/pratu.css"), "/static/css/pratu.c4a700f85b.css");
  EXPECT_EQ(assets->url("robots.txt").rfind("/static/robots.", 0), 0u);
  EXPECT_EQ(assets->url("missing.css"), "/static/missing.css");
}

TEST_F(StaticAssetsTest, ServesContentTypeEtagAndImmutableCaching) {
  auto assets = load();
  auto svg = assets->serve(request(assets->url("images/logo.svg")));
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->content_type, "image/svg+xml");
  EXPECT_EQ(svg->header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(svg->header("ETag").front(), '"');
  auto png = assets->serve(request(assets->url("images/icon.png")));
  ASSERT_TRUE(png);
  EXPECT_EQ(png->content_type, "image/png");
  EXPECT_EQ(png->body.size(), 8u);
}

TEST_F(StaticAssetsTest, AnswersNotModifiedForAMatchingEtag) {
  auto assets = load();
  const std::string url = assets->url("css/pratu.css");
  const std::string etag(assets->serve(request(url))->header("ETag"));
  auto response = assets->serve(request(url, {{"If-None-Match", "\"other\", " + etag}}));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 304);
  EXPECT_TRUE(response->body.empty());
  EXPECT_EQ(assets->serve(request(url, {{"If-None-Match", "\"other\""}}))->status, 200);
}

TEST_F(StaticAssetsTest, ServesThePrecompressedVariantForTextWhenAccepted) {
  auto assets = load();
  const std::string url = assets->url("css/pratu.css");
  auto gz = assets->serve(request(url, {{"Accept-Encoding", "gzip"}}));
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz->header("Vary"), "Accept-Encoding");
  EXPECT_EQ(test::gunzip(gz->body), std::string(2000, 'a'));
  EXPECT_NE(gz->header("ETag"), assets->serve(request(url))->header("ETag"));
  auto png = assets->serve(request(assets->url("images/icon.png"), {{"Accept-Encoding", "gzip"}}));
  EXPECT_TRUE(png->header("Content-Encoding").empty());
}

TEST_F(StaticAssetsTest, UnknownOrStaleUrlsAreNotFound) {
  auto assets = load();
  EXPECT_FALSE(assets->serve(request("/static/css/pratu.css")));
  EXPECT_FALSE(assets->serve(request("/static/css/pratu.0123456789.css")));
  EXPECT_FALSE(assets->serve(request("/static/.hidden")));
  EXPECT_FALSE(assets->serve(request("/static/")));
}

TEST_F(StaticAssetsTest, MissingDirectoryIsAnError) {
  EXPECT_FALSE(StaticAssets::load((dir_ / "nope").string()));
}

}  // namespace
}  // namespace pratu::http
