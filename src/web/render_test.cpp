#include "web/render.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "support/temp_dir.hpp"
#include "web/form.hpp"

namespace pratu::web {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

class FixedAssets final : public AssetUrls {
 public:
  std::string url(std::string_view path) const override { return "/static/" + std::string(path); }
};

class RendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = Translations::load(PRATU_SOURCE_DIR "/locales");
    ASSERT_TRUE(t.has_value()) << t.error().detail;
    translations_ = std::move(*t);
    auto r = Renderer::load(PRATU_SOURCE_DIR "/templates", translations_, assets_);
    ASSERT_TRUE(r.has_value()) << r.error().detail;
    renderer_ = std::move(*r);
    request_.path = "/somewhere";
    request_.query = {{"q", "อาหาร"}};
    context_.request_id = "req-1234";
  }
  Translations translations_;
  FixedAssets assets_;
  std::unique_ptr<Renderer> renderer_;
  Request request_;
  RequestContext context_;
};

TEST_F(RendererTest, ThaiLayoutDeclaresLanguageAndOffersEnglish) {
  auto html = renderer_->render(request_, context_, "errors/error", {{"title", "x"}});
  EXPECT_NE(html.find("<html lang=\"th\">"), std::string::npos);
  EXPECT_NE(html.find("lang=\"en\""), std::string::npos);
  // The switch keeps the page and its query.
  EXPECT_NE(html.find("/somewhere?q=%E0%B8%AD"), std::string::npos);
  EXPECT_NE(html.find("lang=en"), std::string::npos);
}

TEST_F(RendererTest, LanguageLinkNeverLeavesTheSite) {
  // A decoded path such as "/\\evil.com" or "//evil.com" must not become a link to another host.
  for (std::string path : {"/\\evil.com", "//evil.com", "/\\/evil.com", "/a\"b<c"}) {
    request_.path = path;
    request_.query.clear();
    auto html = renderer_->render(request_, context_, "errors/error", {{"title", "x"}});
    EXPECT_EQ(html.find("href=\"/\\"), std::string::npos) << path;
    EXPECT_EQ(html.find("href=\"//"), std::string::npos) << path;
  }
  request_.path = "/\\evil.com";
  auto html = renderer_->render(request_, context_, "errors/error", {{"title", "x"}});
  EXPECT_NE(html.find("href=\"/%5Cevil.com?lang=en\""), std::string::npos);
  request_.path = "/services/ร้าน";
  html = renderer_->render(request_, context_, "errors/error", {{"title", "x"}});
  EXPECT_NE(html.find("href=\"/services/%E0%B8%A3"), std::string::npos);
}

TEST_F(RendererTest, ErrorPageShowsStatusTextAndRequestId) {
  context_.locale = Locale::en;
  auto response = renderer_->error_page(request_, context_, 404);
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.text().find("Page not found"), std::string::npos);
  EXPECT_NE(response.text().find("req-1234"), std::string::npos);
  EXPECT_NE(response.text().find("<html lang=\"en\">"), std::string::npos);
}

TEST_F(RendererTest, TitleIsPrefixedWhenTheFormHasErrors) {
  context_.locale = Locale::en;
  auto model = form_errors_model(translations_, Locale::en, {{"email", "errors.invalid_input"}});
  model["title"] = "Register";
  auto html = renderer_->render(request_, context_, "errors/error", std::move(model));
  EXPECT_NE(html.find("<title>Error: Register – Pratu</title>"), std::string::npos)
      << html.substr(0, 400);
}

TEST_F(RendererTest, LoggedInLayoutOffersLogoutWithCsrfToken) {
  context_.user = Principal{1, "สมชาย ใจดี", Role::applicant, ""};
  context_.csrf_token = "tok123";
  auto html = renderer_->render(request_, context_, "errors/error", {});
  EXPECT_NE(html.find("action=\"/logout\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"/login\""), std::string::npos);
  EXPECT_NE(html.find("value=\"tok123\""), std::string::npos);
}

TEST_F(RendererTest, LayoutLinksTheFaviconInBothFormats) {
  auto html = renderer_->render(request_, context_, "errors/error", {});
  EXPECT_NE(html.find("<link rel=\"icon\" href=\"/static/favicon.ico\" sizes=\"32x32\">"),
            std::string::npos);
  EXPECT_NE(html.find("<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"),
            std::string::npos);
}

TEST_F(RendererTest, PageDescriptionComesFromItsLocaleEntry) {
  context_.locale = Locale::en;
  auto html = renderer_->render(request_, context_, "accounts/login", {{"title", "Log in"}});
  const auto& expected = translations_.text(Locale::en, "accounts.descriptions.login");
  EXPECT_NE(html.find("<meta name=\"description\" content=\"" + expected + "\">"),
            std::string::npos);
}

TEST_F(RendererTest, HandlerDescriptionWinsAndIsEscaped) {
  auto html = renderer_->render(request_, context_, "catalog/service",
                                {{"description", "ขอใบอนุญาต <ร้านอาหาร> & \"ตลาด\""}});
  EXPECT_NE(html.find("<meta name=\"description\" content=\"ขอใบอนุญาต &lt;ร้านอาหาร&gt; &amp; "
                      "&quot;ตลาด&quot;\">"),
            std::string::npos);
}

TEST_F(RendererTest, PageWithoutItsOwnDescriptionGetsTheSiteOne) {
  auto html = renderer_->render(request_, context_, "catalog/_service_card", {});
  const auto& expected = translations_.text(Locale::th, "site.description");
  ASSERT_NE(expected, "site.description");
  EXPECT_NE(html.find("<meta name=\"description\" content=\"" + expected + "\">"),
            std::string::npos);
}

// The catalogue's pages are the same for everyone: a signed-in person's copy renders only the
// layout (see ContentCacheTest), which is what keeps such a page fast.
TEST_F(RendererTest, CatalogPagesShowNothingOfThePersonInTheirContent) {
  for (const char* page :
       {"catalog/home", "catalog/agencies", "catalog/agency", "catalog/service"}) {
    EXPECT_TRUE(renderer_->is_impersonal(page)) << page;
  }
  EXPECT_FALSE(renderer_->is_impersonal("accounts/login"));  // its form carries the CSRF token
}

// Templates of its own: a layout that shows the person, pages that do and do not.
class ContentCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = Translations::load(PRATU_SOURCE_DIR "/locales");
    ASSERT_TRUE(t.has_value()) << t.error().detail;
    translations_ = std::move(*t);
    dir_.write("layouts/main.mustache",
               "<h>{{#user}}{{display_name}}|{{csrf_token}}{{/user}}{{^user}}visitor{{/user}}</h>"
               "<t>{{document_title}}</t><m>{{{content}}}</m>");
    dir_.write("pages/x/plain.mustache", "<p>{{body}}</p>");
    dir_.write("pages/x/personal.mustache", "<p>{{body}} {{csrf_token}}</p>");
    dir_.write("pages/x/nested.mustache", "{{#items}}<i>{{name}} {{path}}</i>{{/items}}");
    dir_.write("pages/x/through_partial.mustache", "<p>{{body}}</p>{{> greeting}}");
    dir_.write("partials/greeting.mustache", "{{#user}}hello {{display_name}}{{/user}}");
    auto r = Renderer::load(dir_.path().string(), translations_, assets_);
    ASSERT_TRUE(r.has_value()) << r.error().detail;
    renderer_ = std::move(*r);
  }
  static RequestContext person(std::string name, std::string token) {
    RequestContext c;
    c.user = Principal{1, std::move(name), Role::applicant, ""};
    c.csrf_token = std::move(token);
    return c;
  }
  test::TempDir dir_;
  Translations translations_;
  FixedAssets assets_;
  std::unique_ptr<Renderer> renderer_;
  Request request_;
  ContentCache contents_{16, std::chrono::seconds(60)};
};

TEST_F(ContentCacheTest, OnlyPagesThatNameNothingOfTheRequestAreImpersonal) {
  EXPECT_TRUE(renderer_->is_impersonal("x/plain"));
  EXPECT_FALSE(renderer_->is_impersonal("x/personal"));
  EXPECT_FALSE(renderer_->is_impersonal("x/nested"));           // {{path}} inside a section
  EXPECT_FALSE(renderer_->is_impersonal("x/through_partial"));  // {{#user}} in a partial
  EXPECT_FALSE(renderer_->is_impersonal("x/missing"));
}

TEST_F(ContentCacheTest, ContentIsRenderedOnceAndTheLayoutForEachPerson) {
  const json::value first = json::object{{"title", "One"}, {"body", "first"}};
  auto a =
      renderer_->shared_page(request_, person("Anong", "tok-a"), "x/plain", first, contents_, "k");
  EXPECT_NE(a.text().find("<h>Anong|tok-a</h>"), std::string::npos) << a.text();
  EXPECT_NE(a.text().find("<m><p>first</p></m>"), std::string::npos) << a.text();
  EXPECT_NE(a.text().find("<t>One"), std::string::npos) << a.text();

  // The same key with another model: the kept content (and title) is served, so it was not
  // rendered again; the layout still shows the second person, never the first.
  const json::value second = json::object{{"title", "Two"}, {"body", "second"}};
  auto b =
      renderer_->shared_page(request_, person("Boon", "tok-b"), "x/plain", second, contents_, "k");
  EXPECT_NE(b.text().find("<h>Boon|tok-b</h>"), std::string::npos) << b.text();
  EXPECT_NE(b.text().find("<m><p>first</p></m>"), std::string::npos) << b.text();
  EXPECT_NE(b.text().find("<t>One"), std::string::npos) << b.text();
  EXPECT_EQ(b.text().find("Anong"), std::string::npos) << b.text();
  EXPECT_EQ(b.text().find("tok-a"), std::string::npos) << b.text();

  // Another key, or another language, is content of its own.
  auto c = renderer_->shared_page(request_, person("Boon", "tok-b"), "x/plain", second, contents_,
                                  "other");
  EXPECT_NE(c.text().find("<p>second</p>"), std::string::npos) << c.text();
  auto english = person("Boon", "tok-b");
  english.locale = Locale::en;
  auto d = renderer_->shared_page(request_, english, "x/plain", second, contents_, "k");
  EXPECT_NE(d.text().find("<p>second</p>"), std::string::npos) << d.text();

  // A visitor gets the same content in the visitor's layout.
  auto e = renderer_->shared_page(request_, RequestContext{}, "x/plain", second, contents_, "k");
  EXPECT_NE(e.text().find("<h>visitor</h><t>One"), std::string::npos) << e.text();
}

// The layout after the content names nothing of the request's here ("</m>"): it is kept with
// the content, and every response shares that one text instead of copying it.
TEST_F(ContentCacheTest, ResponsesShareTheKeptContentToTheEndOfThePage) {
  const json::value model = json::object{{"title", "One"}, {"body", "first"}};
  auto a =
      renderer_->shared_page(request_, person("Anong", "tok-a"), "x/plain", model, contents_, "k");
  auto b =
      renderer_->shared_page(request_, person("Boon", "tok-b"), "x/plain", model, contents_, "k");
  ASSERT_TRUE(a.shared_body && b.shared_body);
  EXPECT_EQ(a.shared_body.get(), b.shared_body.get());
  EXPECT_EQ(*a.shared_body, "<p>first</p></m>");
  EXPECT_EQ(b.text(), "<h>Boon|tok-b</h><t>One – " + translations_.text(Locale::th, "site.name") +
                          "</t><m><p>first</p></m>");
  EXPECT_EQ(b.text(),
            renderer_->render_shared(request_, person("Boon", "tok-b"), "x/plain", model));
}

// A layout whose end shows the person is rendered for each request after the kept content.
TEST_F(ContentCacheTest, ALayoutEndThatShowsThePersonIsRenderedForEach) {
  test::TempDir dir;
  dir.write("layouts/main.mustache",
            "<m>{{{content}}}</m><f>{{#user}}{{display_name}}{{/user}}</f>");
  dir.write("pages/x/plain.mustache", "<p>{{body}}</p>");
  auto r = Renderer::load(dir.path().string(), translations_, assets_);
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  const json::value model = json::object{{"body", "first"}};
  auto a = (*r)->shared_page(request_, person("Anong", "tok-a"), "x/plain", model, contents_, "k");
  auto b = (*r)->shared_page(request_, person("Boon", "tok-b"), "x/plain", model, contents_, "k");
  EXPECT_EQ(a.text(), "<m><p>first</p></m><f>Anong</f>");
  EXPECT_EQ(b.text(), "<m><p>first</p></m><f>Boon</f>");
  EXPECT_FALSE(b.shared_body);
}

TEST_F(ContentCacheTest, PagesThatShowThePersonAreNeverKept) {
  for (const char* page : {"x/personal", "x/through_partial"}) {
    const json::value model = json::object{{"body", "b"}};
    auto a =
        renderer_->shared_page(request_, person("Anong", "tok-a"), page, model, contents_, "k");
    auto b = renderer_->shared_page(request_, person("Boon", "tok-b"), page, model, contents_, "k");
    EXPECT_NE(a.text().find("Anong"), std::string::npos) << page << ": " << a.text();
    EXPECT_EQ(b.text().find("Anong"), std::string::npos) << page << ": " << b.text();
    EXPECT_EQ(b.text().find("tok-a"), std::string::npos) << page << ": " << b.text();
  }
  EXPECT_EQ(contents_.find("th|x/personal|k"), std::nullopt);
}

// Search engines show the description under the title: every page template has its own.
TEST(Translations, EveryPageTemplateHasADescription) {
  auto t = Translations::load(PRATU_SOURCE_DIR "/locales");
  ASSERT_TRUE(t.has_value()) << t.error().detail;
  const fs::path pages = PRATU_SOURCE_DIR "/templates/pages";
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(pages)) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() != ".mustache" || name.front() == '_') continue;
    const auto page = fs::relative(entry.path(), pages).replace_extension().generic_string();
    // "accounts/login" -> "accounts.descriptions.login": in the domain's own locale file.
    const auto slash = page.find('/');
    std::string key = page.substr(0, slash) + ".descriptions." + page.substr(slash + 1);
    std::replace(key.begin(), key.end(), '/', '.');
    for (auto locale : {Locale::th, Locale::en}) {
      EXPECT_NE(t->find(locale, key), nullptr) << key;
    }
    ++checked;
  }
  EXPECT_GT(checked, 5);
}

// A locales folder with `files` (path -> text), loaded; the error text, or "" when it loads.
std::string load_error(const std::vector<std::pair<std::string, std::string>>& files) {
  const test::TempDir dir("pratu-locale-test-");
  for (const auto& [path, text] : files) dir.write(path, text);
  auto t = Translations::load(dir.path().string());
  return t ? std::string() : t.error().detail;
}

TEST(Translations, EveryKeyExistsInBothLocales) {
  auto error = load_error({{"th/common.yaml", "a:\n  b: \"ไทย\"\n  c: \"x\"\n"},
                           {"en/common.yaml", "a:\n  b: \"Thai\"\n"}});
  EXPECT_NE(error.find("en/common.yaml: missing key a.c"), std::string::npos) << error;
  error = load_error({{"th/common.yaml", "a: \"ก\"\n"},
                      {"en/common.yaml", "a: \"A\"\n"},
                      {"th/shop.yaml", "shop:\n  buy: \"ซื้อ\"\n"},
                      {"en/shop.yaml", "shop:\n  sell: \"Sell\"\n"}});
  EXPECT_NE(error.find("en/shop.yaml: missing key shop.buy"), std::string::npos) << error;
}

TEST(Translations, EachDomainHasAFileInBothLanguagesUnderItsOwnName) {
  const std::pair<std::string, std::string> th{"th/common.yaml", "a: \"ก\"\n"};
  const std::pair<std::string, std::string> en{"en/common.yaml", "a: \"A\"\n"};
  EXPECT_EQ(load_error({th, en}), "");
  auto error = load_error({th, en, {"th/shop.yaml", "shop:\n  buy: \"ซื้อ\"\n"}});
  EXPECT_NE(error.find("en/shop.yaml is missing"), std::string::npos) << error;
  error =
      load_error({th, en, {"th/shop.yaml", "cart: \"x\"\n"}, {"en/shop.yaml", "cart: \"x\"\n"}});
  EXPECT_NE(error.find("only keys under \"shop\""), std::string::npos) << error;
  error = load_error({th, en, {"th/shop.yaml", "a: \"x\"\n"}, {"en/shop.yaml", "a: \"x\"\n"}});
  EXPECT_FALSE(error.empty()) << "a domain file may not redefine a shared key";
  error = load_error({{"th/common.yaml", "a: \"ก\"\n"}, {"en/common.yaml", "b: \"B\"\n"}});
  EXPECT_NE(error.find("missing key"), std::string::npos);
}

TEST(Translations, FormatsPlaceholders) {
  auto t = Translations::load(PRATU_SOURCE_DIR "/locales");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->text(Locale::en, "site.name"), "Pratu");
  EXPECT_EQ(t->text(Locale::th, "no.such.key"), "no.such.key");
}

TEST(CsrfValid, AcceptsOnlyTheExactToken) {
  RequestContext context;
  context.csrf_token = "abcdef";
  EXPECT_TRUE(csrf_valid(context, "abcdef"));
  EXPECT_FALSE(csrf_valid(context, "abcdeF"));
  EXPECT_FALSE(csrf_valid(context, ""));
  context.csrf_token.clear();
  EXPECT_FALSE(csrf_valid(context, ""));
}

}  // namespace
}  // namespace pratu::web
