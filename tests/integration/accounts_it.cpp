// One account for every service, through the real server on SQLite and PostgreSQL: register
// (first with a wrong check digit), log out, log in by ID and by email, change the password.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "storage/database.hpp"
#include "support/applicants.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

class AccountsIT : public AppTest {
 protected:
  HttpResponse post_with_token(const std::string& page, const std::string& action,
                               std::vector<std::pair<std::string, std::string>> fields) {
    auto form = client_->get(page);
    EXPECT_EQ(form.status, 200) << page;
    fields.emplace_back("csrf_token", extract_csrf_token(form.body));
    return client_->post_form(action, fields);
  }

  // Restarts the application behind a "proxy", so a test can say which address a request
  // comes from (X-Forwarded-For).
  void trust_proxy() {
    app_.reset();
    auto config = test_config(db_->url());
    config.server.trusted_proxies = "127.0.0.1";
    app_ = std::make_unique<TestApp>(config, app::Demo::load);
    client_ = std::make_unique<HttpClient>(app_->port());
  }

  HttpResponse post_from(HttpClient& client, const std::string& address, const std::string& page,
                         const std::string& action,
                         std::vector<std::pair<std::string, std::string>> fields) {
    auto form = client.request("GET", page, {}, {{"X-Forwarded-For", address}});
    EXPECT_EQ(form.status, 200) << page;
    fields.emplace_back("csrf_token", extract_csrf_token(form.body));
    std::string body;
    for (const auto& [name, value] : fields) {
      body += (body.empty() ? "" : "&") + url_encode(name) + "=" + url_encode(value);
    }
    return client.request(
        "POST", action, body,
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Forwarded-For", address}});
  }

  // POST /api/v1/tokens, from `address` (once trust_proxy() has run) when one is given.
  HttpResponse ask_token(const std::string& login, const std::string& password,
                         const std::string& address = {}) {
    Headers headers{{"Content-Type", "application/json"}, {"Accept-Language", "en"}};
    if (!address.empty()) headers.emplace_back("X-Forwarded-For", address);
    HttpClient client(app_->port());
    return client.request("POST", "/api/v1/tokens",
                          json::serialize(json::object{{"login", login}, {"password", password}}),
                          headers);
  }

  // The language the account of `national_id` is written to in, as stored.
  std::string stored_locale(const std::string& national_id) {
    auto opened = storage::open_database({.url = db_->url()});
    if (!opened) return "(no database: " + opened.error().detail + ")";
    auto locale =
        (*opened)->read_value<std::string>([&](storage::Connection& c) -> Result<std::string> {
          PRATU_TRY(row,
                    c.query_one("SELECT locale FROM users WHERE national_id = $1", {national_id}));
          return row ? row->text(0) : std::string("(no account)");
        });
    return locale ? *locale : "(" + locale.error().detail + ")";
  }

  std::vector<std::pair<std::string, std::string>> registration(const std::string& id) {
    return {{"national_id", id},
            {"title", "mr"},
            {"given_name", "สมชาย"},
            {"family_name", "ใจดี"},
            {"email", "somchai@example.org"},
            {"mobile", "0812345678"},
            {"password", "correct horse battery"},
            {"password_confirmation", "correct horse battery"}};
  }
};

TEST_P(AccountsIT, WrongCheckDigitReRendersTheFormWithErrorsAndKeepsInput) {
  auto response = post_with_token("/register?lang=en", "/register", registration("1101700203030"));
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("error-summary"), std::string::npos);
  EXPECT_NE(response.body.find("href=\"#national_id\""), std::string::npos);
  EXPECT_NE(response.body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(response.body.find("<title>Error:"), std::string::npos);
  // What was typed is kept, except the password.
  EXPECT_NE(response.body.find("somchai@example.org"), std::string::npos);
  EXPECT_NE(response.body.find("0812345678"), std::string::npos);
  EXPECT_EQ(response.body.find("correct horse battery"), std::string::npos);
}

TEST_P(AccountsIT, CitizenRegistersLogsOutAndLogsInByIdAndEmail) {
  auto registered = post_with_token("/register", "/register", registration("1234545678781"));
  ASSERT_EQ(registered.status, 303) << registered.body.substr(0, 3000);
  ASSERT_TRUE(client_->cookie("pratu_session").has_value());
  auto account = client_->get("/account");
  ASSERT_EQ(account.status, 200);
  EXPECT_NE(account.body.find("สมชาย"), std::string::npos);
  EXPECT_EQ(account.header("Cache-Control").find("no-store") == std::string::npos, false);
  EXPECT_EQ(account.body.find("1234545678781"), std::string::npos) << "the full ID must be masked";

  auto logout = post_with_token("/account", "/logout", {});
  EXPECT_EQ(logout.status, 303);
  EXPECT_EQ(client_->get("/account").status, 303);

  auto by_id = post_with_token(
      "/login", "/login", {{"login", "1-2345-45678-78-1"}, {"password", "correct horse battery"}});
  EXPECT_EQ(by_id.status, 303) << by_id.body.substr(0, 2000);
  EXPECT_EQ(client_->get("/account").status, 200);
  post_with_token("/account", "/logout", {});

  auto by_email =
      post_with_token("/login", "/login",
                      {{"login", "SOMCHAI@example.org"}, {"password", "correct horse battery"}});
  EXPECT_EQ(by_email.status, 303);
  EXPECT_EQ(client_->get("/account").status, 200);
}

// Pratu writes to a person in the language they registered in, then in the one they last
// chose while signed in; choosing it again, or as a visitor, writes nothing.
TEST_P(AccountsIT, MessagesGoInTheLanguageChosenLast) {
  auto registered =
      post_with_token("/register?lang=en", "/register", registration("1234545678781"));
  ASSERT_EQ(registered.status, 303) << registered.body.substr(0, 3000);
  EXPECT_EQ(stored_locale("1234545678781"), "en");

  ASSERT_EQ(client_->get("/?lang=th").status, 200);
  EXPECT_EQ(stored_locale("1234545678781"), "th");
  ASSERT_EQ(client_->get("/account").status, 200);  // the language cookie alone changes nothing
  EXPECT_EQ(stored_locale("1234545678781"), "th");
  ASSERT_EQ(client_->get("/agencies?lang=en").status, 200);
  EXPECT_EQ(stored_locale("1234545678781"), "en");

  // Signed out, a choice is the browser's alone.
  ASSERT_EQ(post_with_token("/account", "/logout", {}).status, 303);
  ASSERT_EQ(client_->get("/?lang=th").status, 200);
  EXPECT_EQ(stored_locale("1234545678781"), "en");

  // Registered in Thai.
  HttpClient other(app_->port());
  auto form = other.get("/register?lang=th");
  auto fields = registration("3100600445635");
  fields[4].second = "somsri@example.org";
  fields.emplace_back("csrf_token", extract_csrf_token(form.body));
  ASSERT_EQ(other.post_form("/register", fields).status, 303);
  EXPECT_EQ(stored_locale("3100600445635"), "th");
}

TEST_P(AccountsIT, SessionIsRotatedAtLogin) {
  post_with_token("/register", "/register", registration("3100600445635"));
  auto first = client_->cookie("pratu_session");
  ASSERT_TRUE(first.has_value());
  // Logging in again from a browser that already holds a session replaces that session.
  post_with_token("/account", "/login",
                  {{"login", "3100600445635"}, {"password", "correct horse battery"}});
  auto second = client_->cookie("pratu_session");
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(*first, *second);
  HttpClient stale(app_->port());
  auto reuse = stale.request("GET", "/account", {}, {{"Cookie", "pratu_session=" + *first}});
  EXPECT_EQ(reuse.status, 303) << "the pre-login session must no longer work";
}

TEST_P(AccountsIT, ChangedPasswordIsTheOnlyOneThatWorks) {
  // 1234567890121 belongs to the demo applicant; this is another valid number.
  auto registered = post_with_token("/register", "/register", registration("1101700203034"));
  ASSERT_EQ(registered.status, 303);
  auto changed = post_with_token("/account/password", "/account/password",
                                 {{"current_password", "correct horse battery"},
                                  {"new_password", "a much newer passphrase"},
                                  {"new_password_confirmation", "a much newer passphrase"}});
  EXPECT_EQ(changed.status, 303) << changed.body.substr(0, 2000);
  post_with_token("/account", "/logout", {});
  auto old_password = post_with_token(
      "/login", "/login", {{"login", "1101700203034"}, {"password", "correct horse battery"}});
  EXPECT_EQ(old_password.status, 422);
  auto new_password = post_with_token(
      "/login", "/login", {{"login", "1101700203034"}, {"password", "a much newer passphrase"}});
  EXPECT_EQ(new_password.status, 303);
}

TEST_P(AccountsIT, RepeatedFailuresLockTheAccountAndSayWhenToRetry) {
  for (int i = 0; i < 5; ++i) {
    post_with_token("/login", "/login",
                    {{"login", "applicant@demo.pratu.example"}, {"password", "wrong password!"}});
  }
  auto locked =
      post_with_token("/login?lang=en", "/login",
                      {{"login", "applicant@demo.pratu.example"}, {"password", "wrong password!"}});
  EXPECT_EQ(locked.status, 429);
  EXPECT_FALSE(locked.header("Retry-After").empty());
  EXPECT_NE(locked.body.find("minute"), std::string::npos);
}

TEST_P(AccountsIT, AnAttackerElsewhereCannotLockTheOwnerOut) {
  trust_proxy();
  const std::vector<std::pair<std::string, std::string>> owner = {
      {"login", "applicant@demo.pratu.example"}, {"password", "pratu-demo-applicant"}};
  ASSERT_EQ(post_from(*client_, "203.0.113.5", "/login", "/login", owner).status, 303);
  client_->clear_cookies();

  HttpClient attacker(app_->port());
  const std::vector<std::pair<std::string, std::string>> guess = {
      {"login", "applicant@demo.pratu.example"}, {"password", "a wrong guess!"}};
  HttpResponse last;
  for (int i = 0; i < 6; ++i)
    last = post_from(attacker, "198.51.100.66", "/login", "/login", guess);
  EXPECT_EQ(last.status, 429);
  for (int i = 0; i < 20; ++i) {
    post_from(attacker, "198.51." + std::to_string(i) + ".9", "/login", "/login", guess);
  }
  auto again = post_from(*client_, "203.0.113.5", "/login", "/login", owner);
  EXPECT_EQ(again.status, 303) << again.body.substr(0, 2000);
}

// The API is no way around the login page's throttle: guesses through either count together.
TEST_P(AccountsIT, TokenGuessesCountWithTheLoginPagesAndAreThrottledAlike) {
  const std::string login = "applicant@demo.pratu.example";
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        post_with_token("/login", "/login", {{"login", login}, {"password", "wrong password!"}})
            .status,
        422);
  }
  EXPECT_EQ(ask_token(login, "wrong password!").status, 422);
  auto locked = ask_token(login, "wrong password!");  // the fifth guess
  ASSERT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.header("Content-Type"), "application/problem+json");
  ASSERT_FALSE(locked.header("Retry-After").empty());
  EXPECT_GE(std::stoi(locked.header("Retry-After")), 60);
  const auto problem = json::parse(locked.body).as_object();
  EXPECT_EQ(problem.at("status"), 429);
  const std::string detail(problem.at("detail").as_string());
  EXPECT_NE(detail.find("Try again in 15 minutes"), std::string::npos) << detail;
  EXPECT_FALSE(problem.contains("token"));
  // Locked for the right password too, whichever way it comes.
  EXPECT_EQ(ask_token(login, "pratu-demo-applicant").status, 429);
  EXPECT_EQ(
      post_with_token("/login", "/login", {{"login", login}, {"password", "pratu-demo-applicant"}})
          .status,
      429);
}

// A stranger flooding the token endpoint locks only themselves out, never the owner.
TEST_P(AccountsIT, ATokenFloodFromElsewhereCannotLockTheOwnerOut) {
  trust_proxy();
  const std::string login = "applicant@demo.pratu.example";
  ASSERT_EQ(ask_token(login, "pratu-demo-applicant", "203.0.113.5").status, 201);
  HttpResponse last;
  for (int i = 0; i < 6; ++i) last = ask_token(login, "a wrong guess!", "198.51.100.66");
  EXPECT_EQ(last.status, 429);
  for (int i = 0; i < 20; ++i) {
    ask_token(login, "a wrong guess!", "198.51." + std::to_string(i) + ".9");
  }
  auto again = ask_token(login, "pratu-demo-applicant", "203.0.113.5");
  EXPECT_EQ(again.status, 201) << again.body;
  auto page = post_from(*client_, "203.0.113.5", "/login", "/login",
                        {{"login", login}, {"password", "pratu-demo-applicant"}});
  EXPECT_EQ(page.status, 303);
}

// Nothing in an answer tells whether an account exists: a wrong password and an unknown ID or
// email are refused alike, through the API and the page.
TEST_P(AccountsIT, AWrongPasswordAndAnUnknownLoginAreRefusedAlike) {
  auto without_instance = [](const HttpResponse& response) {
    auto body = json::parse(response.body).as_object();
    body.erase("instance");  // the request's id
    return body;
  };
  const auto known = ask_token("1234567890121", "wrong password!");
  ASSERT_EQ(known.status, 422) << known.body;
  EXPECT_EQ(known.header("Content-Type"), "application/problem+json");
  auto page = [&](const std::string& login) {
    auto answer = post_with_token("/login?lang=en", "/login",
                                  {{"login", login}, {"password", "wrong password!"}});
    EXPECT_EQ(answer.status, 422) << login;
    EXPECT_NE(answer.body.find("The national ID number, email address or password is not correct"),
              std::string::npos)
        << login;
  };
  page("1234567890121");
  for (const std::string unknown : {"1101700203034", "nobody@example.org"}) {
    const auto answer = ask_token(unknown, "wrong password!");
    EXPECT_EQ(answer.status, known.status) << unknown;
    EXPECT_EQ(answer.header("Content-Type"), known.header("Content-Type")) << unknown;
    EXPECT_EQ(answer.has_header("Retry-After"), known.has_header("Retry-After")) << unknown;
    EXPECT_EQ(without_instance(answer), without_instance(known)) << answer.body;
    page(unknown);
  }
}

TEST_P(AccountsIT, RegisteringFromOneAddressIsThrottledAndKeepsWhatWasTyped) {
  HttpResponse response;
  for (int i = 0; i < 11; ++i) {
    // A wrong check digit: each attempt is refused, and counted.
    response = post_with_token("/register?lang=en", "/register", registration("1101700203030"));
    if (response.status == 429) break;
    EXPECT_EQ(response.status, 422);
  }
  ASSERT_EQ(response.status, 429);
  EXPECT_GE(std::stoi(response.header("Retry-After")), 3500);
  EXPECT_NE(response.body.find("Too many attempts to register"), std::string::npos);
  EXPECT_NE(response.body.find("error-summary"), std::string::npos);
  for (const char* kept : {"1101700203030", "somchai@example.org", "0812345678"}) {
    EXPECT_NE(response.body.find(kept), std::string::npos) << kept;
  }
  EXPECT_EQ(response.body.find("correct horse battery"), std::string::npos);
}

TEST_P(AccountsIT, ProbingWhichIdsHaveAccountsIsCutShort) {
  ASSERT_EQ(post_with_token("/register", "/register", registration("3100600445635")).status, 303);
  HttpClient prober(app_->port());
  int told = 0;
  int refused = 0;
  for (int i = 0; i < 20; ++i) {
    auto form = prober.get("/register?lang=en");
    auto fields = registration("3100600445635");
    fields.emplace_back("csrf_token", extract_csrf_token(form.body));
    auto answer = prober.post_form("/register", fields);
    if (answer.body.find("already exists") != std::string::npos) ++told;
    if (answer.status == 429) ++refused;
  }
  EXPECT_LE(told, 2);
  EXPECT_GE(refused, 18);
}

TEST_P(AccountsIT, CachedPublicPagesNeverHideWhoIsLoggedIn) {
  auto anonymous = client_->get("/services/commercial-registration");
  ASSERT_EQ(anonymous.status, 200);
  EXPECT_EQ(anonymous.body.find("action=\"/logout\""), std::string::npos);
  ASSERT_EQ(post_with_token("/register", "/register", registration("3100600445635")).status, 303);
  auto logged_in = client_->get("/services/commercial-registration");
  EXPECT_NE(logged_in.body.find("action=\"/logout\""), std::string::npos);
  EXPECT_NE(logged_in.header("Cache-Control").find("no-store"), std::string::npos);
  HttpClient stranger(app_->port());
  auto again = stranger.get("/services/commercial-registration");
  EXPECT_EQ(again.body.find("action=\"/logout\""), std::string::npos);
}

// A form that outlives its session (cookies cleared, another tab logged out) must not lose
// what was typed: the form comes back with it, a fresh token and a message, and nothing is
// registered until it is sent again.
TEST_P(AccountsIT, ExpiredRegistrationFormKeepsWhatWasTypedAndWorksWhenSentAgain) {
  auto form = client_->get("/register?lang=en");
  ASSERT_EQ(form.status, 200);
  const std::string stale_token = extract_csrf_token(form.body);
  client_->clear_cookies();
  auto fields = registration("1101700203034");
  fields.emplace_back("csrf_token", stale_token);
  auto expired = client_->post_form("/register?lang=en", fields);  // the language cookie went too
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("error-summary"), std::string::npos);
  EXPECT_NE(expired.body.find("href=\"#password\""), std::string::npos);
  EXPECT_NE(expired.body.find("enter your password again"), std::string::npos);
  for (const char* kept : {"1101700203034", "สมชาย", "ใจดี", "somchai@example.org", "0812345678"}) {
    EXPECT_NE(expired.body.find(kept), std::string::npos) << kept;
  }
  EXPECT_EQ(expired.body.find("correct horse battery"), std::string::npos);
  EXPECT_FALSE(client_->cookie("pratu_session").has_value()) << "nothing was registered";

  const std::string fresh_token = extract_csrf_token(expired.body);
  ASSERT_FALSE(fresh_token.empty());
  EXPECT_NE(fresh_token, stale_token);
  fields.back().second = fresh_token;
  auto sent_again = client_->post_form("/register", fields);
  EXPECT_EQ(sent_again.status, 303) << sent_again.body.substr(0, 2000);
  EXPECT_EQ(client_->get("/account").status, 200);
}

TEST_P(AccountsIT, ExpiredLoginFormKeepsTheLoginButNotThePassword) {
  auto expired = client_->post_form("/login?lang=en", {{"login", "applicant@demo.pratu.example"},
                                                       {"password", "pratu-demo-applicant"},
                                                       {"csrf_token", std::string(64, 'a')}});
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("value=\"applicant@demo.pratu.example\""), std::string::npos);
  EXPECT_EQ(expired.body.find("pratu-demo-applicant"), std::string::npos);
  EXPECT_FALSE(client_->cookie("pratu_session").has_value()) << "the login was not checked";
}

TEST_P(AccountsIT, ExpiredPasswordFormChangesNothing) {
  ASSERT_EQ(post_with_token("/register", "/register", registration("1101700203034")).status, 303);
  auto expired = client_->post_form("/account/password",
                                    {{"current_password", "correct horse battery"},
                                     {"new_password", "a much newer passphrase"},
                                     {"new_password_confirmation", "a much newer passphrase"},
                                     {"csrf_token", std::string(64, 'b')}});
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("href=\"#current_password\""), std::string::npos);
  EXPECT_EQ(expired.body.find("a much newer passphrase"), std::string::npos);
  post_with_token("/account", "/logout", {});
  auto old_password = post_with_token(
      "/login", "/login", {{"login", "1101700203034"}, {"password", "correct horse battery"}});
  EXPECT_EQ(old_password.status, 303) << "the password must be unchanged";
}

TEST_P(AccountsIT, AccountPageNeedsLogin) {
  auto response = client_->get("/account");
  EXPECT_EQ(response.status, 303);
  EXPECT_NE(response.header("Location").find("/login"), std::string::npos);
}

TEST_P(AccountsIT, AForgedSessionCookieGetsThePublicPageAnyVisitorGets) {
  auto plain = client_->get("/services/commercial-registration");
  ASSERT_EQ(plain.status, 200);
  // Unsigned, or signed by someone else: the page comes from the visitors' fast path, with no
  // session look-up (which would answer by clearing the cookie).
  for (const std::string forged :
       {std::string(64, 'a'), std::string(64, 'a') + "." + std::string(32, 'b')}) {
    HttpClient stranger(app_->port());
    auto response = stranger.request("GET", "/services/commercial-registration", {},
                                     {{"Cookie", "pratu_session=" + forged}});
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(response.set_cookies().empty()) << response.set_cookies().front();
    EXPECT_EQ(response.body, plain.body);
  }
}

PRATU_INSTANTIATE_ENGINE_TESTS(AccountsIT);

}  // namespace
}  // namespace pratu::test
