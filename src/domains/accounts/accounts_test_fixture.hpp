#pragma once
/// A fixture for the accounts tests: services over a fresh database per engine, a fake clock,
/// and cheap Argon2 settings (production keeps m=19456, t=2, p=1).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/secure_random.hpp"
#include "domains/accounts/accounts_service.hpp"
#include "domains/accounts/login_throttle.hpp"
#include "domains/accounts/registration_throttle.hpp"
#include "domains/accounts/session_service.hpp"
#include "support/test_databases.hpp"

namespace pratu::accounts::testing {

/// The login throttle's hash key in tests (production keeps a random one in the database).
inline const std::string kTestThrottleKey = "throttle-key-for-the-tests-only-0123456789";
inline const std::string kSigningKey = "cookie-signing-key-for-the-tests-only-0123456789";

/// Argon2id cheap enough for hundreds of hashes per test run.
inline crypto::PasswordHashSettings cheap_hashing() {
  crypto::PasswordHashSettings s;
  s.memory_kib = 1024;
  s.iterations = 1;
  return s;
}

/// A registration that passes every check.
inline Registration valid_registration() {
  Registration r;
  r.national_id = "3-1006-00445-63-5";
  r.title = "miss";
  r.given_name = "สมหญิง";
  r.family_name = "รักเรียน";
  r.email = "Somying@Example.org";
  r.mobile = "089 123 4567";
  r.password = "ช้างเผือกสามเชือก";
  r.password_confirmation = r.password;
  return r;
}

/// The message keys of `error`'s fields, "field=key" each.
inline std::vector<std::string> field_keys(const Error& error) {
  std::vector<std::string> out;
  for (const auto& f : error.fields) out.push_back(f.field + "=" + f.message_key);
  return out;
}

class AccountsTest : public pratu::test::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    hasher_ = std::make_unique<crypto::PasswordHasher>(cheap_hashing(), random_);
    throttle_ = std::make_unique<LoginThrottle>(database(), clock_, kTestThrottleKey);
    registrations_ = std::make_unique<RegistrationThrottle>(database(), clock_, kTestThrottleKey);
    sessions_ = std::make_unique<SessionService>(database(), clock_, random_, kSigningKey);
    accounts_ =
        std::make_unique<AccountService>(database(), *hasher_, *throttle_, *registrations_, clock_);
  }

  /// Registers valid_registration() and returns the new id.
  UserId register_valid() {
    auto id = accounts_->register_citizen(valid_registration());
    EXPECT_TRUE(id) << (id ? "" : id.error().message_key);
    return id ? *id : 0;
  }

  Result<User> login(const std::string& who, const std::string& password,
                     const std::string& address = "192.0.2.10") {
    return accounts_->authenticate(Credentials{who, password, address, "req-test"});
  }

  FakeClock clock_;
  crypto::SecureRandom random_;
  std::unique_ptr<crypto::PasswordHasher> hasher_;
  std::unique_ptr<LoginThrottle> throttle_;
  std::unique_ptr<RegistrationThrottle> registrations_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<AccountService> accounts_;
};

}  // namespace pratu::accounts::testing
