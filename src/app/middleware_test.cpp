#include "app/middleware.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "crypto/secure_random.hpp"
#include "domains/accounts/session_service.hpp"
#include "http/static_assets.hpp"
#include "support/test_databases.hpp"

namespace pratu::app {
namespace {

const std::string kKey = "cookie-signing-key-for-the-middleware-tests-0123";

class FixedAssets final : public web::AssetUrls {
 public:
  std::string url(std::string_view path) const override { return "/static/" + std::string(path); }
};

// The middleware with the real renderer and a session service on a fresh SQLite database.
class MiddlewareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = web::Translations::load(PRATU_SOURCE_DIR "/locales");
    ASSERT_TRUE(t) << t.error().detail;
    translations_ = std::move(*t);
    auto r = web::Renderer::load(PRATU_SOURCE_DIR "/templates", translations_, assets_);
    ASSERT_TRUE(r) << r.error().detail;
    renderer_ = std::move(*r);
    auto db = test::TestDatabase::create(test::Engine::sqlite);
    ASSERT_TRUE(db) << db.error().detail;
    db_ = std::move(*db);
    sessions_ = std::make_unique<accounts::SessionService>(db_->db(), clock_, random_, kKey);
    middleware_ = std::make_unique<Middleware>(*renderer_, *sessions_, MiddlewareSettings{});
    cache_ = std::make_unique<PageCache>(16, std::chrono::seconds(60));
  }

  web::RouteSpec route(web::Surface surface, web::Access access, web::Handler handler = {}) {
    web::RouteSpec spec;
    spec.method = "GET";
    spec.pattern = surface == web::Surface::api ? "/api/v1/things" : "/things";
    spec.access = access;
    spec.surface = surface;
    spec.handler =
        handler ? std::move(handler)
                : [this](const web::Request&, web::RequestContext&) -> Result<web::Response> {
      ++handler_runs_;
      return web::Response::text("done");
    };
    return spec;
  }

  web::Response call(const web::RouteSpec& spec, std::string target, std::string cookie = {}) {
    web::Request request;
    request.method = spec.method;
    auto parsed = web::parse_target(target);
    request.path = parsed->path;
    request.query = parsed->query;
    request.target = std::move(target);
    request.request_id = "req-mw-1";
    if (!cookie.empty()) request.headers.push_back({"Cookie", cookie});
    return middleware_->wrap(spec, *cache_)(request);
  }

  FakeClock clock_;
  crypto::SecureRandom random_;
  web::Translations translations_;
  FixedAssets assets_;
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<test::TestDatabase> db_;
  std::unique_ptr<accounts::SessionService> sessions_;
  std::unique_ptr<Middleware> middleware_;
  std::unique_ptr<PageCache> cache_;
  int handler_runs_ = 0;
};

TEST_F(MiddlewareTest, APageThatNeedsALoginSendsTheVisitorToLogInAndBack) {
  auto response = call(route(web::Surface::page, web::Access::signed_in), "/things?sort=new");
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(response.header("Location"), "/login?next=%2Fthings%3Fsort%3Dnew");
  EXPECT_EQ(handler_runs_, 0);
}

TEST_F(MiddlewareTest, AnApiCallWithoutALoginGets401AsProblemJson) {
  auto response = call(route(web::Surface::api, web::Access::signed_in), "/api/v1/things");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_FALSE(response.header("WWW-Authenticate").empty());
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("status").as_int64(), 401);
  EXPECT_EQ(handler_runs_, 0);
}

TEST_F(MiddlewareTest, AForgedSessionCookieIsJustAVisitor) {
  // Unsigned (the old shape), or signed with another key: never looked up, never a person.
  for (std::string forged :
       {std::string(64, 'a'), std::string(64, 'a') + "." + std::string(32, 'b')}) {
    auto response = call(route(web::Surface::api, web::Access::signed_in), "/api/v1/things",
                         "pratu_session=" + forged);
    EXPECT_EQ(response.status, 401) << forged;
  }
}

TEST_F(MiddlewareTest, HandlerErrorsAreAnsweredOnceByTheKindOfRoute) {
  auto failing = [](const web::Request&, web::RequestContext&) -> Result<web::Response> {
    return Error::internal("the disk is on fire: secret detail");
  };
  auto page = call(route(web::Surface::page, web::Access::anyone, failing), "/things");
  EXPECT_EQ(page.status, 500);
  EXPECT_EQ(page.content_type.rfind("text/html", 0), 0u);
  EXPECT_NE(page.body.find("req-mw-1"), std::string::npos) << "the reference to quote";
  EXPECT_EQ(page.body.find("secret detail"), std::string::npos) << "internals stay in the log";

  auto api = call(route(web::Surface::api, web::Access::anyone, failing), "/api/v1/things");
  EXPECT_EQ(api.status, 500);
  EXPECT_EQ(api.content_type, "application/problem+json");
  EXPECT_EQ(api.body.find("secret detail"), std::string::npos);

  auto limited = [](const web::Request&, web::RequestContext&) -> Result<web::Response> {
    return Error{ErrorCode::rate_limited, "errors.pages.too_many_requests.message", {}, {}, 30};
  };
  auto slow = call(route(web::Surface::page, web::Access::anyone, limited), "/things");
  EXPECT_EQ(slow.status, 429);
  EXPECT_EQ(slow.header("Retry-After"), "30");
  auto missing = [](const web::Request&, web::RequestContext&) -> Result<web::Response> {
    return Error::not_found("thing 7");
  };
  EXPECT_EQ(call(route(web::Surface::page, web::Access::anyone, missing), "/things").status, 404);
}

}  // namespace
}  // namespace pratu::app
