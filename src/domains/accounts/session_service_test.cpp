#include "domains/accounts/session_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/digest.hpp"
#include "domains/accounts/accounts_test_fixture.hpp"
#include "web/form.hpp"

namespace pratu::accounts {
namespace {

using testing::AccountsTest;
using ::testing::HasSubstr;

// The secret a Set-Cookie value carries.
std::string secret_of(const std::string& set_cookie) {
  auto start = set_cookie.find('=') + 1;
  return set_cookie.substr(start, set_cookie.find(';') - start);
}

web::Request request_with_cookie(const std::string& cookie, bool secure = false) {
  web::Request request;
  request.method = "GET";
  request.path = "/account";
  request.target = "/account";
  if (!cookie.empty()) request.headers.push_back({"Cookie", cookie});
  request.secure = secure;
  return request;
}

class SessionServiceTest : public AccountsTest {
 protected:
  StartedSession start_session(const std::string& previous = {}) {
    UserId id = user_id_ ? user_id_ : (user_id_ = register_valid());
    auto started = sessions_->start(id, previous, false);
    EXPECT_TRUE(started);
    return started ? *started : StartedSession{};
  }
  UserId user_id_ = 0;
};

TEST_P(SessionServiceTest, SetsAnHttpOnlyLaxCookieAndStoresOnlyTheSecretsHash) {
  auto started = start_session();
  EXPECT_THAT(started.set_cookie, ::testing::StartsWith("pratu_session="));
  EXPECT_THAT(started.set_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(started.set_cookie, HasSubstr("SameSite=Lax"));
  EXPECT_THAT(started.set_cookie, HasSubstr("Path=/"));
  EXPECT_THAT(started.set_cookie, ::testing::Not(HasSubstr("Secure")));
  // The cookie is the secret and its signature; only the secret's hash is stored.
  std::string value = secret_of(started.set_cookie);
  ASSERT_EQ(value.size(), 64u + 1 + 32u);
  std::string secret = value.substr(0, 64);
  EXPECT_EQ(started.session.id, crypto::sha256_hex(secret));

  auto rows = database().read_value<std::vector<storage::Row>>(
      [](storage::Connection& c) { return c.query("SELECT id, csrf_token FROM sessions"); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].text(0), started.session.id);
  EXPECT_NE((*rows)[0].text(0), secret);
  EXPECT_NE((*rows)[0].text(1), secret);
}

TEST_P(SessionServiceTest, MarksTheCookieSecureOverTls) {
  auto started = sessions_->start(register_valid(), "", true);
  ASSERT_TRUE(started);
  EXPECT_THAT(started->set_cookie, HasSubstr("Secure"));
}

TEST_P(SessionServiceTest, ResolvesTheCookieToTheLoggedInPerson) {
  auto started = start_session();
  auto active = sessions_->resolve(secret_of(started.set_cookie));
  ASSERT_TRUE(active && *active);
  EXPECT_EQ((*active)->principal.user_id, user_id_);
  EXPECT_EQ((*active)->principal.display_name, "สมหญิง รักเรียน");
  EXPECT_EQ((*active)->principal.role, Role::applicant);
  EXPECT_EQ((*active)->session.csrf_token, started.session.csrf_token);
  EXPECT_EQ((*active)->session.csrf_token.size(), 64u);
}

TEST_P(SessionServiceTest, IgnoresUnknownAndMalformedCookies) {
  start_session();
  EXPECT_FALSE(*sessions_->resolve(""));
  EXPECT_FALSE(*sessions_->resolve("not-a-token"));
  EXPECT_FALSE(*sessions_->resolve(std::string(64, 'a')));
  EXPECT_FALSE(*sessions_->resolve(std::string(64, 'G')));
}

TEST_P(SessionServiceTest, EndsAfterThirtyIdleMinutes) {
  auto secret = secret_of(start_session().set_cookie);
  clock_.advance(std::chrono::minutes(29));
  EXPECT_TRUE(*sessions_->resolve(secret));
  clock_.advance(std::chrono::minutes(30));
  EXPECT_FALSE(*sessions_->resolve(secret));
  // And stays gone: the row was deleted.
  clock_.advance(std::chrono::seconds(-3600));
  EXPECT_FALSE(*sessions_->resolve(secret));
}

TEST_P(SessionServiceTest, SlidesTheIdleExpiryWhileThePersonIsActive) {
  auto started = start_session();
  auto secret = secret_of(started.set_cookie);
  for (int i = 0; i < 6; ++i) {
    clock_.advance(std::chrono::minutes(20));
    auto active = sessions_->resolve(secret);
    ASSERT_TRUE(active && *active) << "after " << (i + 1) * 20 << " minutes";
    EXPECT_EQ((*active)->session.idle_expires_at, clock_.now_seconds() + 30 * 60);
  }
}

TEST_P(SessionServiceTest, DoesNotWriteOnEveryRequest) {
  auto started = start_session();
  auto secret = secret_of(started.set_cookie);
  clock_.advance(std::chrono::seconds(30));
  auto active = sessions_->resolve(secret);
  ASSERT_TRUE(active && *active);
  // Within the touch interval the stored expiry is what it was at login.
  EXPECT_EQ((*active)->session.idle_expires_at, started.session.idle_expires_at);
  EXPECT_EQ((*active)->session.last_seen_at, started.session.created_at);
  clock_.advance(std::chrono::seconds(31));
  active = sessions_->resolve(secret);
  EXPECT_EQ((*active)->session.last_seen_at, clock_.now_seconds());
}

TEST_P(SessionServiceTest, EndsTwelveHoursAfterLoginHoweverActive) {
  auto started = start_session();
  auto secret = secret_of(started.set_cookie);
  for (int i = 0; i < 12 * 4 - 1; ++i) {
    clock_.advance(std::chrono::minutes(15));
    ASSERT_TRUE(*sessions_->resolve(secret)) << i;
  }
  auto last = sessions_->resolve(secret);
  ASSERT_TRUE(*last);
  EXPECT_EQ((*last)->session.idle_expires_at, started.session.absolute_expires_at);
  clock_.advance(std::chrono::minutes(15));
  EXPECT_FALSE(*sessions_->resolve(secret));
}

TEST_P(SessionServiceTest, RotatesAtLoginSoTheOldSessionNoLongerResolves) {
  auto first = start_session();
  auto second = start_session(first.session.id);
  EXPECT_NE(first.session.id, second.session.id);
  EXPECT_NE(first.session.csrf_token, second.session.csrf_token);
  EXPECT_FALSE(*sessions_->resolve(secret_of(first.set_cookie)));
  EXPECT_TRUE(*sessions_->resolve(secret_of(second.set_cookie)));
}

TEST_P(SessionServiceTest, EndsASessionAtLogout) {
  auto started = start_session();
  ASSERT_TRUE(sessions_->end(started.session.id));
  EXPECT_FALSE(*sessions_->resolve(secret_of(started.set_cookie)));
  EXPECT_THAT(sessions_->clear_session_cookie(false), HasSubstr("Max-Age=0"));
}

TEST_P(SessionServiceTest, EndsEverySessionOfAUserExceptOne) {
  auto a = start_session();
  auto b = start_session();
  auto c = start_session();
  auto ended = sessions_->end_all_for_user(user_id_, b.session.id);
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(*sessions_->resolve(secret_of(a.set_cookie)));
  EXPECT_TRUE(*sessions_->resolve(secret_of(b.set_cookie)));
  EXPECT_FALSE(*sessions_->resolve(secret_of(c.set_cookie)));
}

TEST_P(SessionServiceTest, ExtendsTheIdleLifetimeOnRequest) {
  auto started = start_session();
  clock_.advance(std::chrono::minutes(25));
  auto extended = sessions_->extend(started.session.id);
  ASSERT_TRUE(extended);
  EXPECT_EQ(*extended, clock_.now_seconds() + 30 * 60);
  clock_.advance(std::chrono::minutes(25));
  EXPECT_TRUE(*sessions_->resolve(secret_of(started.set_cookie)));
  ASSERT_TRUE(sessions_->end(started.session.id));
  EXPECT_EQ(sessions_->extend(started.session.id).error().code, ErrorCode::not_found);
}

TEST_P(SessionServiceTest, PurgesExpiredSessions) {
  start_session();
  start_session();
  clock_.advance(std::chrono::hours(1));
  auto purged = sessions_->purge_expired();
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 2);
}

TEST_P(SessionServiceTest, AttachFillsTheContextFromTheSessionCookie) {
  auto started = start_session();
  web::RequestContext context;
  auto request = request_with_cookie("lang=th; pratu_session=" + secret_of(started.set_cookie));
  ASSERT_TRUE(sessions_->attach(request, context));
  ASSERT_TRUE(context.user);
  EXPECT_EQ(context.user->user_id, user_id_);
  EXPECT_EQ(context.session_id, started.session.id);
  EXPECT_EQ(context.csrf_token, started.session.csrf_token);
  EXPECT_EQ(context.session_expires_at, started.session.idle_expires_at);
  EXPECT_TRUE(context.set_cookies.empty());
}

TEST_P(SessionServiceTest, AttachGivesAnAnonymousVisitorACsrfCookieOnce) {
  web::RequestContext first;
  ASSERT_TRUE(sessions_->attach(request_with_cookie(""), first));
  EXPECT_FALSE(first.user);
  EXPECT_EQ(first.csrf_token.size(), 64u + 1 + 32u);
  ASSERT_EQ(first.set_cookies.size(), 1u);
  EXPECT_THAT(first.set_cookies[0], ::testing::StartsWith("pratu_csrf=" + first.csrf_token));
  EXPECT_THAT(first.set_cookies[0], HasSubstr("HttpOnly"));
  EXPECT_THAT(first.set_cookies[0], HasSubstr("SameSite=Lax"));

  web::RequestContext second;
  ASSERT_TRUE(sessions_->attach(request_with_cookie("pratu_csrf=" + first.csrf_token), second));
  EXPECT_EQ(second.csrf_token, first.csrf_token);
  EXPECT_TRUE(second.set_cookies.empty());
}

TEST_P(SessionServiceTest, AttachDropsASessionCookieThatNoLongerResolves) {
  auto started = start_session();
  ASSERT_TRUE(sessions_->end(started.session.id));
  web::RequestContext context;
  ASSERT_TRUE(sessions_->attach(
      request_with_cookie("pratu_session=" + secret_of(started.set_cookie), true), context));
  EXPECT_FALSE(context.user);
  EXPECT_TRUE(context.session_id.empty());
  ASSERT_EQ(context.set_cookies.size(), 2u);
  EXPECT_THAT(context.set_cookies[0], HasSubstr("pratu_session=;"));
  EXPECT_THAT(context.set_cookies[0], HasSubstr("Max-Age=0"));
  EXPECT_THAT(context.set_cookies[1], HasSubstr("Secure"));
}

TEST_P(SessionServiceTest, ReplacesAMalformedAnonymousCsrfCookie) {
  auto csrf = sessions_->ensure_anonymous_csrf(request_with_cookie("pratu_csrf=<script>"));
  EXPECT_EQ(csrf.token.size(), 64u + 1 + 32u);
  EXPECT_TRUE(csrf.set_cookie);
}

TEST_P(SessionServiceTest, APlantedCsrfCookieIsNeverTheFormsToken) {
  // A neighbouring site can set a cookie, but not sign one: the unsigned value a plain
  // double-submit accepted, and a value signed under another key, are both replaced.
  SessionService elsewhere(database(), clock_, random_, std::string(40, 'k'));
  const std::string planted_elsewhere =
      elsewhere.ensure_anonymous_csrf(request_with_cookie("")).token;
  for (const std::string& planted : {std::string(64, 'a'), planted_elsewhere}) {
    web::RequestContext context;
    ASSERT_TRUE(sessions_->attach(request_with_cookie("pratu_csrf=" + planted), context));
    EXPECT_NE(context.csrf_token, planted);
    ASSERT_EQ(context.set_cookies.size(), 1u);
    EXPECT_FALSE(web::csrf_valid(context, planted))
        << "a form carrying the planted value is refused";
  }
}

TEST_P(SessionServiceTest, ForgedSessionCookiesAreTurnedAwayWithoutTheDatabase) {
  auto started = start_session();
  const std::string real = secret_of(started.set_cookie);
  EXPECT_TRUE(sessions_->may_hold_session(request_with_cookie("pratu_session=" + real)));
  const std::string secret = real.substr(0, 64);
  for (const std::string& forged :
       {secret, secret + "." + std::string(32, '0'), real.substr(0, real.size() - 1) + "x",
        std::string(64, 'a') + real.substr(64), std::string("x")}) {
    EXPECT_FALSE(sessions_->may_hold_session(request_with_cookie("pratu_session=" + forged)))
        << forged;
    EXPECT_FALSE(*sessions_->resolve(forged)) << forged;
  }
  // Once ended, the real cookie is a visitor's too, without asking the database again.
  ASSERT_TRUE(sessions_->end(started.session.id));
  EXPECT_FALSE(sessions_->may_hold_session(request_with_cookie("pratu_session=" + real)));
}

// Each thread remembers the session ids of the cookies it checked lately: a service keyed
// otherwise, on the same thread and even at the same address, still checks for itself.
TEST_P(SessionServiceTest, ACookieCheckedOnceIsNotTakenByAServiceWithAnotherKey) {
  auto started = start_session();
  const std::string cookie = "pratu_session=" + secret_of(started.set_cookie);
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE(sessions_->may_hold_session(request_with_cookie(cookie)));
    auto other =
        std::make_unique<SessionService>(database(), clock_, random_, std::string(40, 'k'));
    EXPECT_FALSE(other->may_hold_session(request_with_cookie(cookie))) << "round " << round;
  }
  EXPECT_TRUE(sessions_->may_hold_session(request_with_cookie(cookie)));
}

TEST_P(SessionServiceTest, OverHttpsCookiesCarryTheHostPrefixAndAreAlwaysSecure) {
  SessionSettings settings;
  settings.host_prefix = true;
  SessionService https(database(), clock_, random_, testing::kSigningKey, settings);
  auto started = https.start(register_valid(), "", false);
  ASSERT_TRUE(started);
  EXPECT_THAT(started->set_cookie, ::testing::StartsWith("__Host-pratu_session="));
  EXPECT_THAT(started->set_cookie, HasSubstr("Secure"));
  EXPECT_THAT(started->set_cookie, HasSubstr("Path=/"));
  EXPECT_THAT(started->set_cookie, ::testing::Not(HasSubstr("Domain")));
  auto value = secret_of(started->set_cookie);
  // The unprefixed name, which a subdomain could set, is not read.
  EXPECT_FALSE(https.may_hold_session(request_with_cookie("pratu_session=" + value)));
  EXPECT_TRUE(https.may_hold_session(request_with_cookie("__Host-pratu_session=" + value)));
  auto csrf = https.ensure_anonymous_csrf(request_with_cookie(""));
  ASSERT_TRUE(csrf.set_cookie);
  EXPECT_THAT(*csrf.set_cookie, ::testing::StartsWith("__Host-pratu_csrf="));
  EXPECT_THAT(*csrf.set_cookie, HasSubstr("Secure"));
}

// What another node does to the shared database: this node's memory does not hear of it.
void delete_session_row(storage::Database& db, const std::string& id) {
  ASSERT_TRUE(db.write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute("DELETE FROM sessions WHERE id = $1", {id}));
    return ok();
  }));
}

TEST_P(SessionServiceTest, RefusesASessionEndedElsewhereWithinTheCacheSeconds) {
  auto started = start_session();
  const auto secret = secret_of(started.set_cookie);
  ASSERT_TRUE(*sessions_->resolve(secret));
  delete_session_row(database(), started.session.id);
  // Answered from memory for at most cache_seconds: the documented staleness bound.
  EXPECT_TRUE(*sessions_->resolve(secret));
  clock_.advance(std::chrono::seconds(sessions_->settings().cache_seconds));
  EXPECT_FALSE(*sessions_->resolve(secret));
}

TEST_P(SessionServiceTest, AnswersFromMemoryOnlyWhatItReadLatelyAndStillLives) {
  auto started = start_session();
  const auto request = request_with_cookie("pratu_session=" + secret_of(started.set_cookie));
  EXPECT_FALSE(sessions_->answers_from_memory(request)) << "never read on this node";
  ASSERT_TRUE(*sessions_->resolve_request(request));
  EXPECT_TRUE(sessions_->answers_from_memory(request));
  clock_.advance(std::chrono::seconds(sessions_->settings().cache_seconds));
  EXPECT_FALSE(sessions_->answers_from_memory(request)) << "due a read again";
  ASSERT_TRUE(*sessions_->resolve_request(request));
  ASSERT_TRUE(sessions_->end(started.session.id));
  EXPECT_FALSE(sessions_->answers_from_memory(request)) << "ended";
  EXPECT_FALSE(sessions_->answers_from_memory(request_with_cookie("pratu_session=forged")));
}

TEST_P(SessionServiceTest, RefusesASessionAtOnceOnTheNodeThatEndedIt) {
  auto started = start_session();
  const auto secret = secret_of(started.set_cookie);
  ASSERT_TRUE(*sessions_->resolve(secret));
  ASSERT_TRUE(sessions_->end(started.session.id));
  EXPECT_FALSE(*sessions_->resolve(secret));
  EXPECT_FALSE(sessions_->may_hold_session(request_with_cookie("pratu_session=" + secret)));
}

TEST_P(SessionServiceTest, RefusesEveryEndedSessionOfAUserAtOnce) {
  auto a = start_session();
  auto b = start_session();
  for (const auto& started : {a, b})
    ASSERT_TRUE(*sessions_->resolve(secret_of(started.set_cookie)));
  ASSERT_TRUE(sessions_->end_all_for_user(user_id_, b.session.id));
  EXPECT_FALSE(*sessions_->resolve(secret_of(a.set_cookie)));
  EXPECT_TRUE(*sessions_->resolve(secret_of(b.set_cookie)));
}

TEST_P(SessionServiceTest, RefusesTheSessionALoginReplacedAtOnce) {
  auto first = start_session();
  ASSERT_TRUE(*sessions_->resolve(secret_of(first.set_cookie)));
  start_session(first.session.id);
  EXPECT_FALSE(*sessions_->resolve(secret_of(first.set_cookie)));
}

TEST_P(SessionServiceTest, RefusesOnAnotherNodeWithinTheCacheSeconds) {
  SessionService other_node(database(), clock_, random_, testing::kSigningKey);
  auto started = start_session();
  const auto secret = secret_of(started.set_cookie);
  ASSERT_TRUE(*other_node.resolve(secret));
  ASSERT_TRUE(sessions_->end(started.session.id));
  clock_.advance(std::chrono::seconds(other_node.settings().cache_seconds));
  EXPECT_FALSE(*other_node.resolve(secret));
}

TEST_P(SessionServiceTest, NeverAnswersFromMemoryPastTheIdleExpiry) {
  SessionSettings settings;
  settings.idle_minutes = 1;
  settings.cache_seconds = 120;  // longer than the session has left: the expiry still rules
  SessionService sessions(database(), clock_, random_, testing::kSigningKey, settings);
  auto started = sessions.start(register_valid(), "", false);
  ASSERT_TRUE(started);
  const auto secret = secret_of(started->set_cookie);
  ASSERT_TRUE(*sessions.resolve(secret));
  clock_.advance(std::chrono::seconds(60));
  EXPECT_FALSE(*sessions.resolve(secret));
}

TEST_P(SessionServiceTest, ReadsTheDatabaseEveryTimeWithoutACache) {
  SessionSettings settings;
  settings.cache_seconds = 0;
  SessionService sessions(database(), clock_, random_, testing::kSigningKey, settings);
  auto started = sessions.start(register_valid(), "", false);
  ASSERT_TRUE(started);
  const auto secret = secret_of(started->set_cookie);
  ASSERT_TRUE(*sessions.resolve(secret));
  delete_session_row(database(), started->session.id);
  EXPECT_FALSE(*sessions.resolve(secret));
}

TEST(CsrfMatches, ComparesTheSubmittedTokenWithTheExpectedOne) {
  std::string token(64, 'a');
  EXPECT_TRUE(SessionService::csrf_matches(token, token));
  EXPECT_FALSE(SessionService::csrf_matches(token, std::string(64, 'b')));
  EXPECT_FALSE(SessionService::csrf_matches(token, token.substr(1)));
  EXPECT_FALSE(SessionService::csrf_matches(token, ""));
  EXPECT_FALSE(SessionService::csrf_matches("", ""));
}

PRATU_INSTANTIATE_ENGINE_TESTS(SessionServiceTest);

}  // namespace
}  // namespace pratu::accounts
