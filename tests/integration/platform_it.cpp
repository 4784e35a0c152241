// The real server on 127.0.0.1:0, on SQLite and on PostgreSQL: operations endpoints, pages,
// language, security headers, API errors and the OpenAPI document.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <functional>
#include <set>

#include "support/http_client.hpp"
#include "support/promtool.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

using PlatformIT = AppTest;

TEST_P(PlatformIT, HealthAndReadinessAnswer) {
  EXPECT_EQ(client_->get("/healthz").status, 200);
  auto ready = client_->get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_NE(ready.body.find("ok"), std::string::npos);
}

TEST_P(PlatformIT, MetricsAreValidPrometheusText) {
  client_->get("/");
  client_->get("/no-such-page");
  auto metrics = client_->get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.header("Content-Type").find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("pratu_http_requests_total"), std::string::npos);
  EXPECT_NE(metrics.body.find("pratu_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find("pratu_worker_queue_depth"), std::string::npos);
  EXPECT_NE(metrics.body.find("pratu_db_query_duration_seconds"), std::string::npos);
  EXPECT_EQ(promtool_check_metrics(metrics.body), 0) << "promtool rejected:\n"
                                                     << metrics.body.substr(0, 2000);
}

TEST_P(PlatformIT, HomePageIsThaiByDefaultWithSecurityHeaders) {
  auto home = client_->get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("<html lang=\"th\">"), std::string::npos);
  auto csp = home.header("Content-Security-Policy");
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(home.header("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(home.header("Referrer-Policy").empty());
  EXPECT_FALSE(home.header("X-Request-Id").empty());
  EXPECT_EQ(home.body.find("<script>"), std::string::npos);
  EXPECT_EQ(home.body.find("style=\""), std::string::npos);
}

TEST_P(PlatformIT, LanguageSwitchIsRememberedInACookie) {
  auto english = client_->get("/?lang=en");
  ASSERT_EQ(english.status, 200);
  EXPECT_NE(english.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_EQ(client_->cookie("pratu_lang"), "en");
  auto next = client_->get("/agencies");
  EXPECT_NE(next.body.find("<html lang=\"en\">"), std::string::npos);
  auto back = client_->get("/agencies?lang=th");
  EXPECT_NE(back.body.find("<html lang=\"th\">"), std::string::npos);
}

TEST_P(PlatformIT, AcceptLanguageChoosesEnglishForANewVisitor) {
  auto page = client_->request("GET", "/", {}, {{"Accept-Language", "en-GB,en;q=0.9"}});
  EXPECT_NE(page.body.find("<html lang=\"en\">"), std::string::npos);
}

TEST_P(PlatformIT, MissingPageIsALocalizedErrorWithReference) {
  auto page = client_->get("/no-such-page?lang=en");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("Page not found"), std::string::npos);
  auto id = page.header("X-Request-Id");
  ASSERT_FALSE(id.empty());
  EXPECT_NE(page.body.find(id), std::string::npos);
}

TEST_P(PlatformIT, StaticAssetsAreFingerprintedAndCachedForever) {
  auto home = client_->get("/");
  auto start = home.body.find("/static/css/pratu.");
  ASSERT_NE(start, std::string::npos);
  auto url = home.body.substr(start, home.body.find('"', start) - start);
  auto css = client_->get(url);
  EXPECT_EQ(css.status, 200);
  EXPECT_NE(css.header("Cache-Control").find("immutable"), std::string::npos);
  EXPECT_NE(css.header("Content-Type").find("text/css"), std::string::npos);
  auto again = client_->request("GET", url, {}, {{"If-None-Match", css.header("ETag")}});
  EXPECT_EQ(again.status, 304);
}

// Browsers and crawlers ask for /favicon.ico whatever the page links; a 404 there is an error
// in every visitor's console.
TEST_P(PlatformIT, FaviconIsServedAtTheRootAndLinkedFromEveryPage) {
  auto icon = client_->get("/favicon.ico");
  ASSERT_EQ(icon.status, 200);
  EXPECT_EQ(icon.header("Content-Type"), "image/x-icon");
  EXPECT_EQ(icon.body.substr(0, 4), std::string("\0\0\1\0", 4));  // an ICO header
  EXPECT_EQ(icon.header("Cache-Control").find("immutable"), std::string::npos);
  auto home = client_->get("/");
  EXPECT_NE(home.body.find("<link rel=\"icon\" href=\"/static/favicon."), std::string::npos);
  auto missing = client_->get("/no-such-page");
  EXPECT_NE(missing.body.find("<link rel=\"icon\""), std::string::npos);
}

TEST_P(PlatformIT, SearchApiFindsThaiWordInsideUnspacedName) {
  auto result = client_->get("/api/v1/services?q=%E0%B8%AD%E0%B8%B2%E0%B8%AB%E0%B8%B2%E0%B8%A3");
  ASSERT_EQ(result.status, 200);
  EXPECT_NE(result.header("Content-Type").find("application/json"), std::string::npos);
  auto json = boost::json::parse(result.body).as_object();
  ASSERT_GT(json.at("total").as_int64(), 0);
  bool found = false;
  for (const auto& item : json.at("items").as_array()) {
    auto name = item.at("name").at("th").as_string();
    if (std::string_view(name.data(), name.size()).find("ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร") !=
        std::string_view::npos)
      found = true;
  }
  EXPECT_TRUE(found) << result.body;
}

TEST_P(PlatformIT, ApiErrorsAreProblemJson) {
  auto missing = client_->get("/api/v1/services/no-such-service");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.header("Content-Type").find("application/problem+json"), std::string::npos);
  auto json = boost::json::parse(missing.body).as_object();
  EXPECT_EQ(json.at("status").as_int64(), 404);
  EXPECT_TRUE(json.contains("title"));
  EXPECT_TRUE(json.contains("type"));
}

// Errors the transport finds before any handler runs are problem+json under /api/ too.
TEST_P(PlatformIT, TransportErrorsUnderApiAreProblemJson) {
  const std::vector<std::pair<HttpResponse, int>> cases = {
      {client_->get("/api/v1/services/%ff"), 400},
      {client_->get("/api/v1/services?q=%00"), 400},
      {client_->get("/api/v1/services?q=%zz"), 400},
      {client_->request("GET", "/api/v1/services", {}, {{"X-Filler", std::string(20000, 'a')}}),
       431},
      {client_->request("GET", "/api/v1/services", {}, {{"Transfer-Encoding", "gzip"}}), 400},
  };
  for (const auto& [response, status] : cases) {
    EXPECT_EQ(response.status, status);
    EXPECT_NE(response.header("Content-Type").find("application/problem+json"), std::string::npos)
        << response.body;
    auto json = boost::json::parse(response.body).as_object();
    EXPECT_EQ(json.at("status").as_int64(), status);
    EXPECT_TRUE(json.contains("title"));
  }
}

TEST_P(PlatformIT, OpenApiDocumentDescribesExactlyTheApiRoutes) {
  auto doc = client_->get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  auto json = boost::json::parse(doc.body).as_object();
  EXPECT_EQ(json.at("openapi").as_string(), "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, operations] : json.at("paths").as_object()) {
    for (const auto& [method, op] : operations.as_object()) {
      std::string upper;
      for (char c : std::string(method))
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(upper + " " + std::string(path));
    }
  }
  std::set<std::string> served;
  for (const auto& route : app_->app().routes()) {
    if (route.second.rfind("/api/", 0) == 0) served.insert(route.first + " " + route.second);
  }
  EXPECT_EQ(documented, served);

  // Assembled from the platform's part and the modules': every reference resolves.
  std::vector<std::string> refs;
  std::function<void(const boost::json::value&)> collect = [&](const boost::json::value& v) {
    if (v.is_object()) {
      for (const auto& [key, member] : v.as_object()) {
        if (key == "$ref" && member.is_string()) refs.emplace_back(member.as_string());
        collect(member);
      }
    } else if (v.is_array()) {
      for (const auto& item : v.as_array()) collect(item);
    }
  };
  const boost::json::value root = json;
  collect(root);
  EXPECT_FALSE(refs.empty());
  for (const auto& ref : refs) {
    ASSERT_EQ(ref.rfind("#/", 0), 0u) << ref;
    const boost::json::value* at = &root;
    std::size_t start = 2;
    while (at != nullptr && start <= ref.size()) {
      auto end = ref.find('/', start);
      auto name = ref.substr(start, end == std::string::npos ? std::string::npos : end - start);
      at = at->is_object() ? at->as_object().if_contains(name) : nullptr;
      if (end == std::string::npos) break;
      start = end + 1;
    }
    EXPECT_NE(at, nullptr) << ref << " points nowhere";
  }
}

// The test client connects from 127.0.0.1, which may read /metrics without a token; once a
// token is configured, nobody may without it.
TEST_P(PlatformIT, MetricsAskForTheTokenOnceOneIsSet) {
  app_.reset();
  app::Config config = test_config(db_->url());
  config.metrics.token = "scrape-token-for-the-tests";
  app_ = std::make_unique<TestApp>(config, app::Demo::none);
  HttpClient scraper(app_->port());
  EXPECT_EQ(scraper.get("/metrics").status, 403);
  EXPECT_EQ(scraper.request("GET", "/metrics", {}, {{"Authorization", "Bearer wrong"}}).status,
            403);
  auto allowed = scraper.request("GET", "/metrics", {},
                                 {{"Authorization", "Bearer scrape-token-for-the-tests"}});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_NE(allowed.body.find("pratu_http_requests_total"), std::string::npos);
}

TEST_P(PlatformIT, PostWithoutCsrfTokenIsRefused) {
  auto response =
      client_->post_form("/login", {{"login", "applicant@demo.pratu.example"}, {"password", "x"}});
  EXPECT_EQ(response.status, 403);
}

PRATU_INSTANTIATE_ENGINE_TESTS(PlatformIT);

}  // namespace
}  // namespace pratu::test
