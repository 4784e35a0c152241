#include "domains/accounts/accounts_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

TEST_P(AccountServiceTest, LocksAnAccountAfterFiveFailuresAndSaysWhenToRetry) {
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

  // Locked: even the right password is refused, from another address too.
  clock_.advance(std::chrono::minutes(10));
  auto locked = login("3100600445635", password, "198.51.100.7");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(locked.error().retry_after_seconds, 5 * 60);
  EXPECT_EQ(retry_minutes(locked.error().retry_after_seconds), 5);

  clock_.advance(std::chrono::minutes(5));
  EXPECT_TRUE(login("3100600445635", password));
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

TEST_P(AccountServiceTest, ChangesThePasswordAndEndsTheOtherSessions) {
  UserId id = register_valid();
  auto here = sessions_->start(id, "", false);
  auto elsewhere = sessions_->start(id, "", false);
  ASSERT_TRUE(here && elsewhere);
  // The cookie's value: the secret and its signature.
  std::string here_secret = here->set_cookie.substr(14, 97);
  std::string elsewhere_secret = elsewhere->set_cookie.substr(14, 97);

  PasswordChange change{valid_registration().password, "a brand new passphrase",
                        "a brand new passphrase", "192.0.2.10"};
  ASSERT_TRUE(accounts_->change_password(id, here->session.id, change));

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
  auto result = accounts_->change_password(id, "", change);
  ASSERT_FALSE(result);
  EXPECT_THAT(field_keys(result.error()),
              ElementsAre("current_password=accounts.errors.current_password_wrong"));
  EXPECT_TRUE(login("3100600445635", valid_registration().password));
}

TEST_P(AccountServiceTest, AppliesThePasswordRulesToTheNewPassword) {
  UserId id = register_valid();
  PasswordChange change{valid_registration().password, "short", "different", "192.0.2.10"};
  auto result = accounts_->change_password(id, "", change);
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
  // The applicant, an officer and a supervisor of each agency, the administrator.
  ASSERT_EQ(seeded->size(), 6u);
  EXPECT_EQ((*seeded)[0].login, "1234567890121");
  EXPECT_EQ((*seeded)[1].login, "officer.dbd@demo.pratu.example");
  EXPECT_EQ((*seeded)[1].agency_code, "dbd");
  EXPECT_EQ((*seeded)[2].login, "supervisor.dbd@demo.pratu.example");
  EXPECT_EQ((*seeded)[2].role, "supervisor");
  EXPECT_EQ((*seeded)[2].agency_code, "dbd");
  EXPECT_EQ((*seeded)[5].login, "admin@demo.pratu.example");
  for (const auto& demo : *seeded) {
    auto user = login(demo.login, demo.password);
    ASSERT_TRUE(user) << demo.login;
    EXPECT_EQ(role_name(user->role), demo.role);
  }
  EXPECT_TRUE(login("applicant@demo.pratu.example", std::string(kDemoApplicantPassword)));

  // A restart lists them again without creating anything.
  auto again = accounts_->seed_demo_accounts({"dbd", "bma"});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->size(), 6u);
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
  AccountService upgraded(database(), new_hasher, *throttle_, clock_);
  ASSERT_TRUE(upgraded.authenticate({"3100600445635", valid_registration().password, "192.0.2.1"}));
  auto user = accounts_->find_user(id);
  EXPECT_THAT((*user)->password_hash, ::testing::StartsWith("$argon2id$v=19$m=1024,t=2,p=1$"));
}

PRATU_INSTANTIATE_ENGINE_TESTS(AccountServiceTest);

}  // namespace
}  // namespace pratu::accounts
