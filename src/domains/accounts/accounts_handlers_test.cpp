#include "domains/accounts/accounts_handlers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "domains/accounts/accounts_test_fixture.hpp"

namespace pratu::accounts {
namespace {

namespace fs = std::filesystem;
using testing::AccountsTest;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::valid_registration;

class FixedAssets final : public web::AssetUrls {
 public:
  std::string url(std::string_view path) const override { return "/static/" + std::string(path); }
};

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += "&";
    body += web::percent_encode(name) + "=" + web::percent_encode(value);
  }
  return body;
}

std::string cookie_pair(const std::string& set_cookie) {
  return set_cookie.substr(0, set_cookie.find(';'));
}

class AccountsHandlersTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto t = web::Translations::load(PRATU_SOURCE_DIR "/locales");
    ASSERT_TRUE(t) << t.error().detail;
    translations_ = std::make_unique<web::Translations>(std::move(*t));
    auto r = web::Renderer::load(PRATU_SOURCE_DIR "/templates", *translations_, assets_);
    ASSERT_TRUE(r) << r.error().detail;
    renderer_ = std::move(*r);
    handlers_ = std::make_unique<AccountsHandlers>(*accounts_, *sessions_, *renderer_);
  }
  void TearDown() override { AccountsTest::TearDown(); }

  web::Request get(const std::string& path, const std::string& cookie = {}) {
    web::Request request;
    request.method = "GET";
    auto target = web::parse_target(path);
    request.target = path;
    request.path = target->path;
    request.query = target->query;
    request.remote_address = "192.0.2.44";
    request.request_id = "req-test";
    if (!cookie.empty()) request.headers.push_back({"Cookie", cookie});
    return request;
  }

  web::Request post(const std::string& path,
                    const std::vector<std::pair<std::string, std::string>>& fields,
                    const std::string& cookie = {}) {
    web::Request request = get(path, cookie);
    request.method = "POST";
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    request.body = form_body(fields);
    return request;
  }

  // A handler's answer; an error fails the test (the handlers here answer every expected case).
  web::Response answer(Result<web::Response> response) {
    if (response) return std::move(*response);
    ADD_FAILURE() << "handler failed: " << response.error().detail;
    return web::Response::text("", 500);
  }

  // What the app's middleware does before a handler runs.
  web::RequestContext context_for(const web::Request& request,
                                  web::Locale locale = web::Locale::th) {
    web::RequestContext context;
    context.request_id = request.request_id;
    context.locale = locale;
    EXPECT_TRUE(sessions_->attach(request, context));
    context.set_cookies.clear();
    return context;
  }

  // Registers the valid citizen through the page and returns the session cookie pair.
  std::string register_through_page() {
    auto r = valid_registration();
    auto request = post("/register", {{"national_id", r.national_id},
                                      {"title", r.title},
                                      {"given_name", r.given_name},
                                      {"family_name", r.family_name},
                                      {"email", r.email},
                                      {"mobile", r.mobile},
                                      {"password", r.password},
                                      {"password_confirmation", r.password_confirmation}});
    auto context = context_for(request);
    auto response = answer(handlers_->register_submit(request, context));
    EXPECT_EQ(response.status, 303);
    EXPECT_EQ(response.header("Location"), "/account?registered=1");
    EXPECT_EQ(context.set_cookies.size(), 1u);
    return context.set_cookies.empty() ? "" : cookie_pair(context.set_cookies[0]);
  }

  FixedAssets assets_;
  std::unique_ptr<web::Translations> translations_;
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<AccountsHandlers> handlers_;
};

TEST_P(AccountsHandlersTest, RegisterFormLabelsEveryFieldAndCarriesTheCsrfToken) {
  auto request = get("/register");
  auto context = context_for(request);
  auto response = answer(handlers_->register_form(request, context));
  EXPECT_EQ(response.status, 200);
  const auto& html = response.body;
  for (const char* id : {"national_id", "title", "given_name", "family_name", "email", "mobile",
                         "password", "password_confirmation"}) {
    EXPECT_THAT(html, HasSubstr("for=\"" + std::string(id) + "\"")) << id;
    EXPECT_THAT(html, HasSubstr("id=\"" + std::string(id) + "\"")) << id;
  }
  EXPECT_THAT(html, HasSubstr("name=\"csrf_token\" value=\"" + context.csrf_token + "\""));
  EXPECT_THAT(html, HasSubstr("inputmode=\"numeric\""));
  EXPECT_THAT(html, HasSubstr("aria-describedby=\"national_id-hint\""));
  for (const char* token :
       {"given-name", "family-name", "email", "tel", "new-password", "honorific-prefix"}) {
    EXPECT_THAT(html, HasSubstr("autocomplete=\"" + std::string(token) + "\"")) << token;
  }
  EXPECT_THAT(html, HasSubstr("<option value=\"miss\">นางสาว</option>"));
  EXPECT_THAT(html, Not(HasSubstr("accounts.")));  // no untranslated key
  EXPECT_THAT(html, Not(HasSubstr("onpaste")));
}

TEST_P(AccountsHandlersTest, RegisterWithAWrongCheckDigitShowsTheErrorAndKeepsWhatWasTyped) {
  auto request = post("/register", {{"national_id", "1-2345-45678-78-9"},
                                    {"title", "mrs"},
                                    {"given_name", "มาลี"},
                                    {"family_name", "<ศรีสุข>"},
                                    {"email", "malee@example.org"},
                                    {"mobile", "0812345678"},
                                    {"password", "my secret passphrase"},
                                    {"password_confirmation", "my secret passphrase"}});
  auto context = context_for(request);
  auto response = answer(handlers_->register_submit(request, context));
  EXPECT_EQ(response.status, 422);
  const auto& html = response.body;
  EXPECT_THAT(html, HasSubstr("<title>ข้อผิดพลาด:"));
  EXPECT_THAT(html, HasSubstr("class=\"error-summary\""));
  EXPECT_THAT(html, HasSubstr("<a href=\"#national_id\">เลขประจำตัวประชาชนไม่ถูกต้อง"));
  EXPECT_THAT(html, HasSubstr("<a href=\"#family_name\">"));
  EXPECT_THAT(html, HasSubstr("id=\"national_id-error\""));
  EXPECT_THAT(
      html,
      HasSubstr("aria-describedby=\"national_id-hint national_id-error\" aria-invalid=\"true\""));
  EXPECT_THAT(html, HasSubstr("value=\"1-2345-45678-78-9\""));
  EXPECT_THAT(html, HasSubstr("value=\"มาลี\""));
  EXPECT_THAT(html, HasSubstr("value=\"&lt;ศรีสุข&gt;\""));  // kept, and escaped
  EXPECT_THAT(html, HasSubstr("value=\"malee@example.org\""));
  EXPECT_THAT(html, HasSubstr("<option value=\"mrs\" selected>"));
  EXPECT_THAT(html, Not(HasSubstr("my secret passphrase")));
  EXPECT_TRUE(context.set_cookies.empty());
}

TEST_P(AccountsHandlersTest, RegisterWithATakenIdOrEmailSaysSo) {
  register_through_page();
  auto r = valid_registration();
  auto request = post("/register", {{"national_id", r.national_id},
                                    {"title", r.title},
                                    {"given_name", "x"},
                                    {"family_name", "y"},
                                    {"email", r.email},
                                    {"mobile", r.mobile},
                                    {"password", r.password},
                                    {"password_confirmation", r.password}});
  auto context = context_for(request, web::Locale::en);
  auto response = answer(handlers_->register_submit(request, context));
  EXPECT_EQ(response.status, 422);
  EXPECT_THAT(response.body, HasSubstr("An account with this national ID number already exists"));
  EXPECT_THAT(response.body, HasSubstr("An account with this email address already exists"));
}

TEST_P(AccountsHandlersTest, TooManyRegistrationsSay429KeepWhatWasTypedAndWhenToTryAgain) {
  web::Response response;
  for (int i = 0; i <= registrations_->settings().address_max_attempts; ++i) {
    auto request = post("/register", {{"national_id", "1234567890122"},
                                      {"given_name", "สมชาย"},
                                      {"email", "somchai@example.org"},
                                      {"password", "some password typed"}});
    auto context = context_for(request, web::Locale::en);
    response = answer(handlers_->register_submit(request, context));
  }
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.header("Retry-After"), "3600");
  EXPECT_THAT(response.body, HasSubstr("Try again in 60 minutes"));
  EXPECT_THAT(response.body, HasSubstr("class=\"error-summary\""));
  EXPECT_THAT(response.body, HasSubstr("value=\"somchai@example.org\""));
  EXPECT_THAT(response.body, HasSubstr("value=\"1234567890122\""));
  EXPECT_THAT(response.body, Not(HasSubstr("some password typed")));

  auto request = post("/register", {{"national_id", "1234567890122"}});
  auto context = context_for(request, web::Locale::th);
  EXPECT_THAT(answer(handlers_->register_submit(request, context)).body,
              HasSubstr("ลองใหม่ได้ในอีก 60 นาที"));
}

TEST_P(AccountsHandlersTest, RegisteringLogsInAndShowsTheAccount) {
  std::string cookie = register_through_page();
  ASSERT_THAT(cookie, ::testing::StartsWith("pratu_session="));
  auto request = get("/account?registered=1", cookie);
  auto context = context_for(request);
  ASSERT_TRUE(context.user);
  auto response = answer(handlers_->account(request, context));
  EXPECT_EQ(response.status, 200);
  const auto& html = response.body;
  EXPECT_THAT(html, HasSubstr("notification-banner--success"));
  EXPECT_THAT(html, HasSubstr("role=\"alert\""));
  EXPECT_THAT(html, HasSubstr("นางสาวสมหญิง รักเรียน"));
  EXPECT_THAT(html, HasSubstr("3-1006-xxxxx-xx-5"));
  EXPECT_THAT(html, Not(HasSubstr("3100600445635")));
  EXPECT_THAT(html, HasSubstr("somying@example.org"));
  EXPECT_THAT(html, HasSubstr("089-123-4567"));
  EXPECT_THAT(html, HasSubstr("ผู้ยื่นคำขอ"));
  EXPECT_THAT(html, HasSubstr("href=\"/account/password\""));
  EXPECT_THAT(html, Not(HasSubstr("accounts.")));
}

TEST_P(AccountsHandlersTest, RoutesDeclareWhoMayUseThem) {
  std::map<std::string, web::Access> declared;
  for (const auto& route : handlers_->routes()) {
    ASSERT_TRUE(route.access.has_value()) << route.method << " " << route.pattern;
    declared[route.method + " " + route.pattern] = *route.access;
  }
  // The forms a visitor needs before logging in are open to anyone; the rest need a login.
  EXPECT_EQ(declared.at("GET /register"), web::Access::anyone);
  EXPECT_EQ(declared.at("POST /register"), web::Access::anyone);
  EXPECT_EQ(declared.at("GET /login"), web::Access::anyone);
  EXPECT_EQ(declared.at("POST /login"), web::Access::anyone);
  EXPECT_EQ(declared.at("GET /account"), web::Access::signed_in);
  EXPECT_EQ(declared.at("GET /account/password"), web::Access::signed_in);
  EXPECT_EQ(declared.at("POST /account/password"), web::Access::signed_in);
  EXPECT_EQ(declared.at("POST /session/extend"), web::Access::signed_in);
}

TEST_P(AccountsHandlersTest, LoginFormOffersUsernameAndCurrentPasswordAutocomplete) {
  auto request = get("/login?next=/services/food-licence");
  auto context = context_for(request, web::Locale::en);
  auto response = answer(handlers_->login_form(request, context));
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.body, HasSubstr("autocomplete=\"username\""));
  EXPECT_THAT(response.body, HasSubstr("autocomplete=\"current-password\""));
  EXPECT_THAT(response.body, HasSubstr("name=\"next\" value=\"/services/food-licence\""));
  EXPECT_THAT(response.body, HasSubstr("National ID number or email address"));
  EXPECT_THAT(response.body, Not(HasSubstr("accounts.")));
}

TEST_P(AccountsHandlersTest, LoginSetsTheSessionCookieAndGoesToASafeNext) {
  register_through_page();
  const std::string password = valid_registration().password;
  auto request = post("/login", {{"login", "somying@example.org"},
                                 {"password", password},
                                 {"next", "/services/food-licence?x=1"}});
  auto context = context_for(request);
  auto response = answer(handlers_->login_submit(request, context));
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(response.header("Location"), "/services/food-licence?x=1");
  ASSERT_EQ(context.set_cookies.size(), 1u);
  EXPECT_THAT(context.set_cookies[0], HasSubstr("pratu_session="));
  EXPECT_THAT(context.set_cookies[0], HasSubstr("HttpOnly"));

  auto elsewhere = post(
      "/login", {{"login", "3100600445635"}, {"password", password}, {"next", "//evil.example/"}});
  auto context2 = context_for(elsewhere);
  EXPECT_EQ(answer(handlers_->login_submit(elsewhere, context2)).header("Location"), "/account");
}

// A clerk's desk is the counter or the books (docs/adr/0032): that is where their login leads
// when no page asked for them; a page that asked still comes first.
TEST_P(AccountsHandlersTest, AClerkLandsAtTheirDeskAndOthersAtTheirAccount) {
  const unsigned cashier = static_cast<unsigned>(web::Duty::cashier);
  const unsigned finance = static_cast<unsigned>(web::Duty::finance);
  const std::string password = "a long clerk passphrase";
  ASSERT_TRUE(accounts_->create_user(Role::clerk, "bma", "till@bma.go.th", password, cashier));
  ASSERT_TRUE(accounts_->create_user(Role::clerk, "bma", "books@bma.go.th", password, finance));
  ASSERT_TRUE(accounts_->create_user(Role::clerk, "bma", "new@bma.go.th", password));
  ASSERT_TRUE(accounts_->create_user(Role::officer, "bma", "case@bma.go.th", password, cashier));
  auto landing = [&](const std::string& login, const std::string& next) -> std::string {
    auto request = post("/login", {{"login", login}, {"password", password}, {"next", next}});
    auto context = context_for(request);
    auto response = answer(handlers_->login_submit(request, context));
    EXPECT_EQ(response.status, 303) << login;
    return std::string(response.header("Location"));
  };
  EXPECT_EQ(landing("till@bma.go.th", ""), "/agency/counter");
  EXPECT_EQ(landing("books@bma.go.th", ""), "/agency/statements");
  EXPECT_EQ(landing("new@bma.go.th", ""), "/account");
  EXPECT_EQ(landing("case@bma.go.th", ""), "/account");
  EXPECT_EQ(landing("till@bma.go.th", "/bills/b-1"), "/bills/b-1");
}

TEST_P(AccountsHandlersTest, LoginRotatesTheSessionItWasGiven) {
  std::string old_cookie = register_through_page();
  auto request =
      post("/login", {{"login", "3100600445635"}, {"password", valid_registration().password}},
           old_cookie);
  auto context = context_for(request);
  ASSERT_TRUE(context.user);
  auto response = answer(handlers_->login_submit(request, context));
  EXPECT_EQ(response.status, 303);
  auto old_again = get("/account", old_cookie);
  EXPECT_FALSE(context_for(old_again).user);
  auto fresh = get("/account", cookie_pair(context.set_cookies.at(0)));
  EXPECT_TRUE(context_for(fresh).user);
}

TEST_P(AccountsHandlersTest, AWrongPasswordShowsTheSameMessageAsAnUnknownLogin) {
  register_through_page();
  auto wrong = post("/login", {{"login", "somying@example.org"}, {"password", "not the password"}});
  auto context = context_for(wrong, web::Locale::en);
  auto response = answer(handlers_->login_submit(wrong, context));
  EXPECT_EQ(response.status, 422);
  EXPECT_THAT(response.body, HasSubstr("<a href=\"#login\">The national ID number, email address "
                                       "or password is not correct</a>"));
  EXPECT_THAT(response.body, HasSubstr("value=\"somying@example.org\""));
  EXPECT_THAT(response.body, Not(HasSubstr("not the password")));

  auto unknown =
      post("/login", {{"login", "nobody@example.org"}, {"password", "not the password"}});
  auto context2 = context_for(unknown, web::Locale::en);
  auto response2 = answer(handlers_->login_submit(unknown, context2));
  EXPECT_EQ(response2.status, 422);
  EXPECT_THAT(response2.body,
              HasSubstr("The national ID number, email address or password is not correct"));
}

TEST_P(AccountsHandlersTest, AThrottledLoginSays429AndWhenToTryAgain) {
  register_through_page();
  web::Response response;
  for (int i = 0; i < 5; ++i) {
    auto request = post("/login", {{"login", "3100600445635"}, {"password", "wrong password"}});
    auto context = context_for(request);
    response = answer(handlers_->login_submit(request, context));
  }
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.header("Retry-After"), "900");
  EXPECT_THAT(response.body, HasSubstr("ลองใหม่ได้ในอีก 15 นาที"));
  EXPECT_THAT(response.body, HasSubstr("class=\"error-summary\""));

  clock_.advance(std::chrono::seconds(14 * 60 + 30));
  auto request =
      post("/login", {{"login", "3100600445635"}, {"password", valid_registration().password}});
  auto context = context_for(request, web::Locale::en);
  auto later = answer(handlers_->login_submit(request, context));
  EXPECT_EQ(later.status, 429);
  EXPECT_THAT(later.body, HasSubstr("Try again in 1 minute"));
}

TEST_P(AccountsHandlersTest, AnAccountUnderAttackAsksANewAddressToWaitSeconds) {
  register_through_page();
  for (int i = 0; i < 5; ++i) {
    auto request = post("/login", {{"login", "3100600445635"}, {"password", "wrong password"}});
    request.remote_address = "198.51.100." + std::to_string(i + 1);
    auto context = context_for(request);
    EXPECT_EQ(answer(handlers_->login_submit(request, context)).status, 422) << i;
  }
  auto request =
      post("/login", {{"login", "3100600445635"}, {"password", valid_registration().password}});
  request.remote_address = "203.0.113.77";
  auto context = context_for(request, web::Locale::en);
  auto response = answer(handlers_->login_submit(request, context));
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.header("Retry-After"), "1");
  EXPECT_THAT(response.body, HasSubstr("Try again in 1 second"));
  EXPECT_THAT(response.body, HasSubstr("value=\"3100600445635\""));
}

TEST_P(AccountsHandlersTest, LogoutEndsTheSessionAndDeletesTheCookie) {
  std::string cookie = register_through_page();
  auto request = post("/logout", {}, cookie);
  auto context = context_for(request);
  ASSERT_TRUE(context.user);
  auto response = answer(handlers_->logout(request, context));
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(response.header("Location"), "/");
  ASSERT_EQ(context.set_cookies.size(), 1u);
  EXPECT_THAT(context.set_cookies[0], HasSubstr("pratu_session=;"));
  EXPECT_THAT(context.set_cookies[0], HasSubstr("Max-Age=0"));
  EXPECT_FALSE(context_for(get("/account", cookie)).user);
}

TEST_P(AccountsHandlersTest, ChangingThePasswordChecksTheCurrentOneAndEndsOtherSessions) {
  std::string cookie = register_through_page();
  const std::string old_password = valid_registration().password;
  // A second device.
  auto other = post("/login", {{"login", "3100600445635"}, {"password", old_password}});
  auto other_context = context_for(other);
  answer(handlers_->login_submit(other, other_context));
  std::string other_cookie = cookie_pair(other_context.set_cookies.at(0));

  auto wrong = post("/account/password",
                    {{"current_password", "not it at all"},
                     {"new_password", "a whole new passphrase"},
                     {"new_password_confirmation", "a whole new passphrase"}},
                    cookie);
  auto wrong_context = context_for(wrong);
  auto refused = answer(handlers_->password_submit(wrong, wrong_context));
  EXPECT_EQ(refused.status, 422);
  EXPECT_THAT(refused.body, HasSubstr("<a href=\"#current_password\">รหัสผ่านปัจจุบันไม่ถูกต้อง</a>"));
  EXPECT_THAT(refused.body, Not(HasSubstr("a whole new passphrase")));

  auto right = post("/account/password",
                    {{"current_password", old_password},
                     {"new_password", "a whole new passphrase"},
                     {"new_password_confirmation", "a whole new passphrase"}},
                    cookie);
  auto right_context = context_for(right);
  auto changed = answer(handlers_->password_submit(right, right_context));
  EXPECT_EQ(changed.status, 303);
  EXPECT_EQ(changed.header("Location"), "/account?changed=password");
  EXPECT_TRUE(context_for(get("/account", cookie)).user);
  EXPECT_FALSE(context_for(get("/account", other_cookie)).user);
}

TEST_P(AccountsHandlersTest, PasswordFormUsesNewPasswordAutocomplete) {
  std::string cookie = register_through_page();
  auto request = get("/account/password", cookie);
  auto context = context_for(request);
  auto response = answer(handlers_->password_form(request, context));
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.body, HasSubstr("id=\"current_password\" name=\"current_password\" "
                                       "type=\"password\" autocomplete=\"current-password\""));
  EXPECT_THAT(response.body, HasSubstr("id=\"new_password\" name=\"new_password\" "
                                       "type=\"password\" autocomplete=\"new-password\""));
  EXPECT_THAT(response.body, Not(HasSubstr("accounts.")));
}

TEST(SafeNext, AcceptsOnlySameSitePaths) {
  EXPECT_EQ(safe_next("/services/x?y=1#z", "/account"), "/services/x?y=1#z");
  EXPECT_EQ(safe_next("/", "/account"), "/");
  for (const char* bad : {"", "//evil.example", "/\\evil.example", "https://evil.example",
                          "javascript:alert(1)", "evil", "/a\r\nSet-Cookie: x=y", "/a\\b"}) {
    EXPECT_EQ(safe_next(bad, "/account"), "/account") << bad;
  }
}

PRATU_INSTANTIATE_ENGINE_TESTS(AccountsHandlersTest);

}  // namespace
}  // namespace pratu::accounts
