#include "domains/accounts/accounts_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "domains/accounts/accounts_test_fixture.hpp"

namespace pratu::accounts {
namespace {

using testing::AccountsTest;
using ::testing::Contains;
using ::testing::ElementsAre;
using testing::field_keys;
using ::testing::UnorderedElementsAre;
using testing::valid_registration;

class AccountServiceTest : public AccountsTest {};

// Captures what is logged while it lives.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "captured", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    logger->set_pattern("%v");
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }
  std::vector<boost::json::object> lines() const {
    std::vector<boost::json::object> out;
    std::istringstream in(out_.str());
    for (std::string line; std::getline(in, line);) {
      out.push_back(boost::json::parse(line).as_object());
    }
    return out;
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_P(AccountServiceTest, RegistersACitizenWithNormalisedDetails) {
  UserId id = register_valid();
  auto user = accounts_->find_user(id);
  ASSERT_TRUE(user && *user);
  EXPECT_EQ((*user)->role, Role::applicant);
  EXPECT_EQ((*user)->national_id, "3100600445635");
  EXPECT_EQ((*user)->email, "somying@example.org");
  EXPECT_EQ((*user)->mobile, "0891234567");
  EXPECT_EQ((*user)->title, "miss");
  EXPECT_EQ((*user)->display_name(), "สมหญิง รักเรียน");
  EXPECT_EQ((*user)->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ((*user)->created_at, clock_.now_seconds());
}

TEST_P(AccountServiceTest, ChangesTheMobileNumberOnlyToAThaiMobileNumber) {
  UserId id = register_valid();
  auto wrong = accounts_->change_mobile(id, "02-123-4567");  // a landline
  ASSERT_FALSE(wrong);
  EXPECT_THAT(field_keys(wrong.error()), ElementsAre("mobile=accounts.errors.mobile_invalid"));
  EXPECT_EQ((*accounts_->find_user(id))->mobile, "0891234567");
  ASSERT_TRUE(accounts_->change_mobile(id, "+66891112222"));  // as a form keeps phones
  EXPECT_EQ((*accounts_->find_user(id))->mobile, "0891112222");
  EXPECT_EQ(accounts_->change_mobile(id + 1000, "0891112222").error().code, ErrorCode::not_found);
}

TEST_P(AccountServiceTest, RefusesANationalIdWithAWrongCheckDigit) {
  auto r = valid_registration();
  r.national_id = "1-2345-45678-78-9";
  auto result = accounts_->register_citizen(r);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::invalid_input);
  EXPECT_THAT(field_keys(result.error()),
              ElementsAre("national_id=accounts.errors.national_id_checksum"));
}

TEST_P(AccountServiceTest, SaysWhichNationalIdProblemItIs) {
  auto r = valid_registration();
  r.national_id = "12345";
  EXPECT_THAT(field_keys(accounts_->register_citizen(r).error()),
              ElementsAre("national_id=accounts.errors.national_id_format"));
  r.national_id = "0994000617721";  // a company's number
  EXPECT_THAT(field_keys(accounts_->register_citizen(r).error()),
              ElementsAre("national_id=accounts.errors.national_id_category"));
  r.national_id = "";
  EXPECT_THAT(field_keys(accounts_->register_citizen(r).error()),
              ElementsAre("national_id=accounts.errors.national_id_required"));
}

TEST_P(AccountServiceTest, ReportsEveryMissingFieldAtOnce) {
  auto result = accounts_->register_citizen(Registration{});
  ASSERT_FALSE(result);
  EXPECT_THAT(
      field_keys(result.error()),
      ElementsAre("national_id=accounts.errors.national_id_required",
                  "title=accounts.errors.title_required",
                  "given_name=accounts.errors.given_name_required",
                  "family_name=accounts.errors.family_name_required",
                  "email=accounts.errors.email_required", "mobile=accounts.errors.mobile_required",
                  "password=accounts.errors.password_required",
                  "password_confirmation=accounts.errors.password_confirmation_required"));
}

TEST_P(AccountServiceTest, RefusesBadEmailMobileAndTitle) {
  auto r = valid_registration();
  r.email = "somying at example";
  r.mobile = "021234567";  // a Bangkok landline
  r.title = "dr";
  EXPECT_THAT(field_keys(accounts_->register_citizen(r).error()),
              UnorderedElementsAre("email=accounts.errors.email_invalid",
                                   "mobile=accounts.errors.mobile_invalid",
                                   "title=accounts.errors.title_required"));
}

TEST_P(AccountServiceTest, ReportsATakenNationalIdAndEmailTogether) {
  register_valid();
  auto r = valid_registration();
  r.email = "SOMYING@example.org";  // same address, other case
  auto result = accounts_->register_citizen(r);
  ASSERT_FALSE(result);
  EXPECT_THAT(field_keys(result.error()),
              UnorderedElementsAre("national_id=accounts.errors.national_id_taken",
                                   "email=accounts.errors.email_taken"));
}

TEST_P(AccountServiceTest, ReportsATakenEmailAlongsideOtherProblems) {
  register_valid();
  auto r = valid_registration();
  r.national_id = "1234567890121";
  r.password = "short";
  r.password_confirmation = "short";
  EXPECT_THAT(field_keys(accounts_->register_citizen(r).error()),
              UnorderedElementsAre("password=accounts.errors.password_too_short",
                                   "email=accounts.errors.email_taken"));
}

TEST_P(AccountServiceTest, RefusesWeakPasswords) {
  auto r = valid_registration();
  auto password_error = [&](std::string password) {
    r.password = password;
    r.password_confirmation = password;
    auto result = accounts_->register_citizen(r);
    return result ? std::string("accepted") : field_keys(result.error()).at(0);
  };
  EXPECT_EQ(password_error("elevenchars"), "password=accounts.errors.password_too_short");
  EXPECT_EQ(password_error(std::string(129, 'x') + "y"),
            "password=accounts.errors.password_too_long");
  EXPECT_EQ(password_error("Password1234"), "password=accounts.errors.password_common");
  EXPECT_EQ(password_error("aaaaaaaaaaaaaaaa"), "password=accounts.errors.password_common");
  EXPECT_EQ(password_error("3-1006-00445-63-5"), "password=accounts.errors.password_personal");
  EXPECT_EQ(password_error("somying@example.org"), "password=accounts.errors.password_personal");
}

TEST_P(AccountServiceTest, RefusesAConfirmationThatDiffers) {
  auto r = valid_registration();
  r.password_confirmation = r.password + "!";
  EXPECT_THAT(field_keys(accounts_->register_citizen(r).error()),
              ElementsAre("password_confirmation=accounts.errors.password_confirmation_mismatch"));
}

TEST_P(AccountServiceTest, LogsInByNationalIdOrEmail) {
  UserId id = register_valid();
  auto by_id = login("3100600445635", valid_registration().password);
  ASSERT_TRUE(by_id) << by_id.error().message_key;
  EXPECT_EQ(by_id->id, id);
  auto by_formatted_id = login("3-1006-00445-63-5", valid_registration().password);
  ASSERT_TRUE(by_formatted_id);
  auto by_email = login("  SOMYING@example.org ", valid_registration().password);
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, id);
}

TEST_P(AccountServiceTest, GivesTheSameErrorForAWrongPasswordAndAnUnknownLogin) {
  register_valid();
  auto wrong_password = login("3100600445635", "not the password at all");
  auto unknown_id = login("1234567890121", "not the password at all");
  auto unknown_email = login("nobody@example.org", "not the password at all");
  auto nonsense = login("not a login", "not the password at all");
  for (const auto* result : {&wrong_password, &unknown_id, &unknown_email, &nonsense}) {
    ASSERT_FALSE(*result);
    EXPECT_EQ(result->error().code, ErrorCode::invalid_input);
    EXPECT_EQ(result->error().message_key, "accounts.errors.login_failed");
    EXPECT_THAT(field_keys(result->error()), ElementsAre("login=accounts.errors.login_failed"));
  }
}

TEST_P(AccountServiceTest, AsksForTheLoginAndPasswordWhenMissing) {
  auto result = login("", "");
  ASSERT_FALSE(result);
  EXPECT_THAT(field_keys(result.error()),
              ElementsAre("login=accounts.errors.login_required",
                          "password=accounts.errors.password_required"));
}

TEST_P(AccountServiceTest, LocksOneAddressOutOfAnAccountAfterFiveFailuresAndSaysWhenToRetry) {
  register_valid();
  const std::string password = valid_registration().password;
  for (int i = 0; i < 4; ++i) {
    auto r = login("3100600445635", "wrong password number " + std::to_string(i));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  }
  auto fifth = login("somying@example.org", "wrong password number 5");  // the same account
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(fifth.error().message_key, "accounts.errors.login_locked");
  EXPECT_EQ(fifth.error().retry_after_seconds, 15 * 60);

  // That address is locked out of that account, even with the right password...
  clock_.advance(std::chrono::minutes(10));
  auto locked = login("3100600445635", password);
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(locked.error().retry_after_seconds, 5 * 60);
  EXPECT_EQ(retry_minutes(locked.error().retry_after_seconds), 5);
  // ...but the account is not locked: its owner elsewhere logs in.
  EXPECT_TRUE(login("3100600445635", password, "198.51.100.7"));

  clock_.advance(std::chrono::minutes(5));
  EXPECT_TRUE(login("3100600445635", password));
}

TEST_P(AccountServiceTest, AnAttackerElsewhereCannotLockTheOwnerOut) {
  register_valid();
  const std::string password = valid_registration().password;
  const std::string home = "203.0.113.5";
  ASSERT_TRUE(login("3100600445635", password, home));
  // Guesses from one address until it is locked out, then from fifty others.
  for (int i = 0; i < 6; ++i)
    login("3100600445635", "a wrong guess " + std::to_string(i), "198.51.100.66");
  for (int i = 0; i < 50; ++i) {
    login("somying@example.org", "a wrong guess", "198.51." + std::to_string(i) + ".1");
  }
  auto owner = login("3100600445635", password, home);
  ASSERT_TRUE(owner) << owner.error().message_key << " " << owner.error().retry_after_seconds;
}

TEST_P(AccountServiceTest, AnAttackOnlySlowsAddressesTheOwnerNeverUsed) {
  register_valid();
  const std::string password = valid_registration().password;
  for (int i = 0; i < 8; ++i) {
    const std::string from = "198.51." + std::to_string(i) + ".1";
    auto r = login("3100600445635", "a wrong guess", from);
    if (!r && r.error().code == ErrorCode::rate_limited) {
      EXPECT_LE(r.error().retry_after_seconds, 4) << i;  // 1 s, 2 s, 4 s: a delay, not a lock
      clock_.advance(std::chrono::seconds(r.error().retry_after_seconds));
      r = login("3100600445635", "a wrong guess", from);
    }
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input) << i;
  }
  // Eight failures on the account: a new address waits seconds, not a fifteen-minute lock.
  auto waiting = login("3100600445635", password, "203.0.113.9");
  ASSERT_FALSE(waiting);
  EXPECT_EQ(waiting.error().code, ErrorCode::rate_limited);
  EXPECT_GE(waiting.error().retry_after_seconds, 1);
  EXPECT_LE(waiting.error().retry_after_seconds, 8);
  clock_.advance(std::chrono::seconds(waiting.error().retry_after_seconds));
  EXPECT_TRUE(login("3100600445635", password, "203.0.113.9"));
}

TEST_P(AccountServiceTest, ParallelWrongGuessesGetNoMoreThanTheLimitVerified) {
  register_valid();
  constexpr int kGuesses = 40;
  std::atomic<int> verified = 0;
  std::atomic<int> refused = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kGuesses; ++i) {
    threads.emplace_back([&, i] {
      auto r = login("3100600445635", "parallel wrong guess " + std::to_string(i));
      if (!r && r.error().code == ErrorCode::invalid_input) ++verified;
      if (!r && r.error().code == ErrorCode::rate_limited) ++refused;
    });
  }
  for (auto& t : threads) t.join();
  // The fifth failure answers "locked" itself, so at most four say "wrong password".
  EXPECT_LE(verified.load(), throttle_->settings().account_max_failures - 1);
  EXPECT_EQ(verified.load() + refused.load(), kGuesses);
}

TEST_P(AccountServiceTest, LocksAnUnknownLoginLikeAKnownOne) {
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(login("ghost@example.org", "wrong password here"));
  auto fifth = login("ghost@example.org", "wrong password here");
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().code, ErrorCode::rate_limited);
}

TEST_P(AccountServiceTest, ASuccessfulLoginClearsTheAccountsFailures) {
  register_valid();
  const std::string password = valid_registration().password;
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(login("3100600445635", "wrong password here"));
  ASSERT_TRUE(login("3100600445635", password));
  for (int i = 0; i < 4; ++i) {
    auto r = login("3100600445635", "wrong password here");
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input) << "attempt " << i;
  }
}

TEST_P(AccountServiceTest, ForgetsFailuresOlderThanTheWindow) {
  register_valid();
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(login("3100600445635", "wrong password here"));
  clock_.advance(std::chrono::minutes(16));
  auto r = login("3100600445635", "wrong password here");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
}

TEST_P(AccountServiceTest, LocksAClientAddressAfterTwentyFailuresAcrossAccounts) {
  register_valid();
  for (int i = 0; i < 19; ++i) {
    auto r = login("user" + std::to_string(i) + "@example.org", "wrong password here",
                   "2001:db8:1:2::" + std::to_string(i + 1));
    ASSERT_EQ(r.error().code, ErrorCode::invalid_input) << i;
  }
  // The twentieth failure from the same /64 locks it.
  auto twentieth = login("user19@example.org", "wrong password here", "2001:db8:1:2::ff");
  EXPECT_EQ(twentieth.error().code, ErrorCode::rate_limited);
  auto blocked = login("3100600445635", valid_registration().password, "2001:db8:1:2:a::1");
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::rate_limited);
  // Another address is not affected.
  EXPECT_TRUE(login("3100600445635", valid_registration().password, "2001:db8:9::1"));
}

TEST_P(AccountServiceTest, LogsAFailedLoginWithoutTheLoginOrThePassword) {
  register_valid();
  CapturedLog captured;
  auto r = accounts_->authenticate(
      Credentials{"somying@example.org", "hunter2-wrong-password", "192.0.2.77", "req-failed-1"});
  ASSERT_FALSE(r);
  auto unknown = accounts_->authenticate(
      Credentials{"someone-typed-this", "another-wrong-password", "192.0.2.77", "req-failed-2"});
  ASSERT_FALSE(unknown);
  auto lines = captured.lines();
  ASSERT_EQ(lines.size(), 2u) << captured.text();
  for (const auto& line : lines) {
    EXPECT_EQ(line.at("level").as_string(), "warn");
    EXPECT_EQ(line.at("msg").as_string(), "login failed");
    EXPECT_EQ(line.at("address").as_string(), "192.0.2.77");
    EXPECT_FALSE(line.at("account_tag").as_string().empty());
  }
  EXPECT_EQ(lines[0].at("request_id").as_string(), "req-failed-1");
  EXPECT_EQ(lines[1].at("request_id").as_string(), "req-failed-2");
  EXPECT_NE(lines[0].at("account_tag"), lines[1].at("account_tag"));
  for (const char* secret : {"somying", "example.org", "hunter2", "someone-typed-this",
                             "another-wrong", "3100600445635", "[email]", "[id]"}) {
    EXPECT_EQ(captured.text().find(secret), std::string::npos) << secret;
  }
}

TEST_P(AccountServiceTest, LogsAThrottledLoginWithoutTheLogin) {
  register_valid();
  for (int i = 0; i < 5; ++i) login("3100600445635", "wrong password here", "2001:db8:5:6::1");
  CapturedLog captured;
  auto r = accounts_->authenticate(Credentials{"3100600445635", valid_registration().password,
                                               "2001:db8:5:6::1", "req-throttled"});
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().code, ErrorCode::rate_limited);
  auto lines = captured.lines();
  ASSERT_EQ(lines.size(), 1u) << captured.text();
  EXPECT_EQ(lines[0].at("level").as_string(), "warn");
  EXPECT_EQ(lines[0].at("msg").as_string(), "login throttled");
  EXPECT_EQ(lines[0].at("request_id").as_string(), "req-throttled");
  EXPECT_EQ(lines[0].at("address").as_string(), "2001:db8:5:6::/64");
  EXPECT_EQ(captured.text().find("3100600445635"), std::string::npos);
  EXPECT_EQ(captured.text().find("[id]"), std::string::npos);
}

TEST_P(AccountServiceTest, RefusesNamesWithBidiControlsOrNothingVisible) {
  auto r = valid_registration();
  r.given_name = "\u202eสมหญิง";
  r.family_name = "\u200b\u200d";
  EXPECT_THAT(field_keys(accounts_->register_citizen(r).error()),
              UnorderedElementsAre("given_name=accounts.errors.given_name_bidi",
                                   "family_name=accounts.errors.family_name_invisible"));
  r.given_name = "\u0e48\u0e48";
  r.family_name = "Rene\u0301e";
  EXPECT_THAT(field_keys(accounts_->register_citizen(r).error()),
              ElementsAre("given_name=accounts.errors.given_name_starts_with_mark"));
  r.given_name = "สมหญิง";
  auto id = accounts_->register_citizen(r);
  ASSERT_TRUE(id);
  auto user = accounts_->find_user(*id);
  ASSERT_TRUE(user && *user);
  EXPECT_EQ((*user)->family_name, "Ren\u00e9e");
}

TEST_P(AccountServiceTest, LimitsRegistrationAttemptsFromOneAddress) {
  Registration empty;
  empty.client_address = "192.0.2.30";
  const int limit = registrations_->settings().address_max_attempts;
  for (int i = 0; i < limit; ++i) {
    auto r = accounts_->register_citizen(empty);
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().code, ErrorCode::invalid_input) << i;
  }
  auto over = accounts_->register_citizen(empty);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(over.error().message_key, "accounts.errors.register_throttled");
  EXPECT_EQ(over.error().retry_after_seconds, registrations_->settings().window_minutes * 60);
  // Another network is not affected; the limit lifts when the window ends.
  empty.client_address = "198.51.100.30";
  EXPECT_EQ(accounts_->register_citizen(empty).error().code, ErrorCode::invalid_input);
  empty.client_address = "192.0.2.30";
  clock_.advance(std::chrono::minutes(registrations_->settings().window_minutes));
  EXPECT_EQ(accounts_->register_citizen(empty).error().code, ErrorCode::invalid_input);
}

TEST_P(AccountServiceTest, LimitsRegistrationAttemptsFromOneNetwork) {
  Registration empty;
  const int limit = registrations_->settings().network_max_attempts;
  for (int i = 0; i < limit; ++i) {
    empty.client_address = "2001:db8:7:" + std::to_string(i) + "::1";  // one /48
    ASSERT_EQ(accounts_->register_citizen(empty).error().code, ErrorCode::invalid_input) << i;
  }
  empty.client_address = "2001:db8:7:ffff::1";
  EXPECT_EQ(accounts_->register_citizen(empty).error().code, ErrorCode::rate_limited);
  empty.client_address = "2001:db8:8::1";
  EXPECT_EQ(accounts_->register_citizen(empty).error().code, ErrorCode::invalid_input);
}

TEST_P(AccountServiceTest, SayingAnIdIsTakenCostsSeveralAttempts) {
  register_valid();
  auto probe = valid_registration();
  probe.client_address = "192.0.2.31";
  int answered = 0;
  for (int i = 0; i < 10; ++i) {
    auto r = accounts_->register_citizen(probe);
    ASSERT_FALSE(r);
    if (r.error().code == ErrorCode::rate_limited) break;
    EXPECT_THAT(field_keys(r.error()), Contains("national_id=accounts.errors.national_id_taken"));
    ++answered;
  }
  // A person who forgot they registered is told; a prober learns two answers an hour.
  EXPECT_GE(answered, 1);
  EXPECT_LE(answered, registrations_->settings().address_max_attempts /
                          registrations_->settings().taken_cost);
}

TEST_P(AccountServiceTest, ChangesThePasswordAndEndsTheOtherSessions) {
  UserId id = register_valid();
  auto here = sessions_->start(id, "", false);
  auto elsewhere = sessions_->start(id, "", false);
  ASSERT_TRUE(here && elsewhere);
  // The cookie's value: the secret and its signature.
  std::string here_secret = here->set_cookie.substr(14, 97);
  std::string elsewhere_secret = elsewhere->set_cookie.substr(14, 97);

  // Both were seen lately, so this node holds them in memory.
  ASSERT_TRUE(*sessions_->resolve(here_secret));
  ASSERT_TRUE(*sessions_->resolve(elsewhere_secret));

  PasswordChange change{valid_registration().password, "a brand new passphrase",
                        "a brand new passphrase", "192.0.2.10"};
  ASSERT_TRUE(accounts_->change_password(id, here->session.id, change, *sessions_));

  EXPECT_TRUE(*sessions_->resolve(here_secret));
  EXPECT_FALSE(*sessions_->resolve(elsewhere_secret));
  EXPECT_FALSE(login("3100600445635", valid_registration().password));
  EXPECT_TRUE(login("3100600445635", "a brand new passphrase"));
  auto user = accounts_->find_user(id);
  EXPECT_EQ((*user)->password_changed_at, clock_.now_seconds());
}

TEST_P(AccountServiceTest, RequiresTheCurrentPasswordToChangeIt) {
  UserId id = register_valid();
  PasswordChange change{"not my password", "a brand new passphrase", "a brand new passphrase",
                        "192.0.2.10"};
  auto result = accounts_->change_password(id, "", change, *sessions_);
  ASSERT_FALSE(result);
  EXPECT_THAT(field_keys(result.error()),
              ElementsAre("current_password=accounts.errors.current_password_wrong"));
  EXPECT_TRUE(login("3100600445635", valid_registration().password));
}

TEST_P(AccountServiceTest, AppliesThePasswordRulesToTheNewPassword) {
  UserId id = register_valid();
  PasswordChange change{valid_registration().password, "short", "different", "192.0.2.10"};
  auto result = accounts_->change_password(id, "", change, *sessions_);
  ASSERT_FALSE(result);
  EXPECT_THAT(
      field_keys(result.error()),
      ElementsAre("new_password=accounts.errors.password_too_short",
                  "new_password_confirmation=accounts.errors.password_confirmation_mismatch"));
}

TEST_P(AccountServiceTest, CreatesAnOfficerOnlyWithAnAgency) {
  auto without =
      accounts_->create_user(Role::officer, "", "officer@dbd.go.th", "officer passphrase");
  ASSERT_FALSE(without);
  EXPECT_THAT(field_keys(without.error()),
              ElementsAre("agency_code=accounts.errors.agency_required"));
  auto with =
      accounts_->create_user(Role::officer, "dbd", "Officer@DBD.go.th", "officer passphrase");
  ASSERT_TRUE(with);
  auto user = login("officer@dbd.go.th", "officer passphrase");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->role, Role::officer);
  EXPECT_EQ(user->agency_code, "dbd");
  EXPECT_FALSE(user->national_id);
}

TEST_P(AccountServiceTest, GivesDutiesOnlyToAnAgencysStaff) {
  const unsigned both =
      static_cast<unsigned>(web::Duty::cashier) | static_cast<unsigned>(web::Duty::finance);
  auto applicant =
      accounts_->create_user(Role::applicant, "", "1101700203034", "applicant passphrase", both);
  ASSERT_FALSE(applicant);
  EXPECT_THAT(field_keys(applicant.error()), ElementsAre("duty=accounts.errors.duty_not_staff"));
  auto admin = accounts_->create_user(Role::admin, "", "root@pratu.example", "admin passphrase",
                                      static_cast<unsigned>(web::Duty::finance));
  ASSERT_FALSE(admin);
  EXPECT_THAT(field_keys(admin.error()), ElementsAre("duty=accounts.errors.duty_not_staff"));
  // A district office's one officer keeps both the till and the books.
  ASSERT_TRUE(
      accounts_->create_user(Role::officer, "dbd", "clerk@dbd.go.th", "clerk passphrase", both));
  auto clerk = login("clerk@dbd.go.th", "clerk passphrase");
  ASSERT_TRUE(clerk);
  EXPECT_EQ(clerk->duties, both);
  ASSERT_TRUE(accounts_->create_user(Role::supervisor, "dbd", "head@dbd.go.th", "head passphrase"));
  auto head = login("head@dbd.go.th", "head passphrase");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->duties, 0u);
}

// A clerk (docs/adr/0032) works for one agency like its officers, and holds duties like them.
TEST_P(AccountServiceTest, CreatesAClerkOnlyWithAnAgencyAndWithTheirDuties) {
  const unsigned cashier = static_cast<unsigned>(web::Duty::cashier);
  auto without =
      accounts_->create_user(Role::clerk, "", "till@dbd.go.th", "clerk passphrase", cashier);
  ASSERT_FALSE(without);
  EXPECT_THAT(field_keys(without.error()),
              ElementsAre("agency_code=accounts.errors.agency_required"));
  ASSERT_TRUE(
      accounts_->create_user(Role::clerk, "dbd", "till@dbd.go.th", "clerk passphrase", cashier));
  auto clerk = login("till@dbd.go.th", "clerk passphrase");
  ASSERT_TRUE(clerk);
  EXPECT_EQ(clerk->role, Role::clerk);
  EXPECT_EQ(clerk->agency_code, "dbd");
  EXPECT_EQ(clerk->duties, cashier);
}

TEST_P(AccountServiceTest, CreatesAUserWhoseLoginIsANationalId) {
  ASSERT_TRUE(accounts_->create_user(Role::admin, "", "1101700203034", "admin passphrase"));
  EXPECT_TRUE(login("1-1017-00203-03-4", "admin passphrase"));
  auto bad = accounts_->create_user(Role::admin, "", "1101700203030", "admin passphrase");
  EXPECT_THAT(field_keys(bad.error()), ElementsAre("login=accounts.errors.national_id_checksum"));
  auto taken = accounts_->create_user(Role::applicant, "", "1101700203034", "other passphrase");
  EXPECT_THAT(field_keys(taken.error()), ElementsAre("login=accounts.errors.national_id_taken"));
}

TEST_P(AccountServiceTest, SeedsDemoAccountsOnlyIntoAnEmptyTable) {
  auto seeded = accounts_->seed_demo_accounts({"dbd", "bma"});
  ASSERT_TRUE(seeded) << seeded.error().detail;
  // The applicant; an officer, a supervisor, a cashier and a finance officer of each agency;
  // the administrator.
  ASSERT_EQ(seeded->size(), 10u);
  EXPECT_EQ((*seeded)[0].login, "1234567890121");
  EXPECT_EQ((*seeded)[1].login, "officer.dbd@demo.pratu.example");
  EXPECT_EQ((*seeded)[1].agency_code, "dbd");
  EXPECT_EQ((*seeded)[2].login, "supervisor.dbd@demo.pratu.example");
  EXPECT_EQ((*seeded)[2].role, "supervisor");
  EXPECT_EQ((*seeded)[2].agency_code, "dbd");
  EXPECT_EQ((*seeded)[3].login, "cashier.dbd@demo.pratu.example");
  EXPECT_EQ((*seeded)[4].login, "finance.dbd@demo.pratu.example");
  EXPECT_EQ((*seeded)[9].login, "admin@demo.pratu.example");
  for (const auto& demo : *seeded) {
    auto user = login(demo.login, demo.password);
    ASSERT_TRUE(user) << demo.login;
    // The cashier and the finance officer are clerks whose duty is the money.
    if (auto duty = web::parse_duty(demo.role)) {
      EXPECT_EQ(user->role, Role::clerk) << demo.login;
      EXPECT_EQ(user->duties, static_cast<unsigned>(*duty)) << demo.login;
    } else {
      EXPECT_EQ(role_name(user->role), demo.role);
      EXPECT_EQ(user->duties, 0u) << demo.login;
    }
  }
  EXPECT_TRUE(login("applicant@demo.pratu.example", std::string(kDemoApplicantPassword)));

  // A restart lists them again without creating anything.
  auto again = accounts_->seed_demo_accounts({"dbd", "bma"});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->size(), 10u);
}

TEST_P(AccountServiceTest, DoesNotSeedDemoAccountsNextToRealUsers) {
  register_valid();
  auto seeded = accounts_->seed_demo_accounts({"dbd"});
  ASSERT_TRUE(seeded);
  EXPECT_TRUE(seeded->empty());
  EXPECT_FALSE(login("admin@demo.pratu.example", std::string(kDemoAdminPassword)));
}

TEST_P(AccountServiceTest, RehashesAnOldHashAtLogin) {
  UserId id = register_valid();
  auto stronger = testing::cheap_hashing();
  stronger.iterations = 2;
  crypto::PasswordHasher new_hasher(stronger, random_);
  AccountService upgraded(database(), new_hasher, *throttle_, *registrations_, clock_);
  ASSERT_TRUE(upgraded.authenticate({"3100600445635", valid_registration().password, "192.0.2.1"}));
  auto user = accounts_->find_user(id);
  EXPECT_THAT((*user)->password_hash, ::testing::StartsWith("$argon2id$v=19$m=1024,t=2,p=1$"));
}

TEST_P(AccountServiceTest, LogsInWithASessionThatReplacesThePreviousOne) {
  UserId id = register_valid();
  auto before = sessions_->start(id, "", false);
  ASSERT_TRUE(before);
  auto logged_in = accounts_->log_in(
      Credentials{"3100600445635", valid_registration().password, "192.0.2.10", "req-test"},
      *sessions_, before->session.id, false);
  ASSERT_TRUE(logged_in) << logged_in.error().message_key;
  EXPECT_EQ(logged_in->user.id, id);
  auto cookie = logged_in->session.set_cookie;
  auto value = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
  auto active = sessions_->resolve(value);
  ASSERT_TRUE(active && *active);
  EXPECT_EQ((*active)->session.user_id, id);
  auto old_value = before->set_cookie.substr(14, 97);
  EXPECT_FALSE(*sessions_->resolve(old_value));
}

TEST_P(AccountServiceTest, StartsNoSessionForAWrongPassword) {
  register_valid();
  auto logged_in = accounts_->log_in(
      Credentials{"3100600445635", "wrong password here", "192.0.2.10", "req-test"}, *sessions_, "",
      false);
  ASSERT_FALSE(logged_in);
  auto count =
      database().read_value<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
        PRATU_TRY(row, c.query_one("SELECT COUNT(*) FROM sessions"));
        return row ? row->int64(0) : 0;
      });
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 0);
}

PRATU_INSTANTIATE_ENGINE_TESTS(AccountServiceTest);

}  // namespace
}  // namespace pratu::accounts
