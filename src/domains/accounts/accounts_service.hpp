#pragma once
/// Registration, login, password changes and the accounts the CLI and the demo create.
/// Password hashing is slow by design: call these from the worker pool.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "crypto/password_hasher.hpp"
#include "domains/accounts/accounts.hpp"
#include "domains/accounts/login_throttle.hpp"
#include "domains/accounts/password_policy.hpp"
#include "domains/accounts/registration_throttle.hpp"
#include "domains/accounts/session_service.hpp"
#include "storage/database.hpp"

namespace pratu::accounts {

/// Demo passwords, printed by `pratu serve --demo` and documented in the README.
inline constexpr std::string_view kDemoApplicantPassword = "pratu-demo-applicant";
inline constexpr std::string_view kDemoOfficerPassword = "pratu-demo-officer";
inline constexpr std::string_view kDemoAdminPassword = "pratu-demo-admin";
/// The demo applicant's national ID (a valid test number from reference/standards.md §4.1).
inline constexpr std::string_view kDemoApplicantNationalId = "1234567890121";
inline constexpr std::string_view kDemoApplicantEmail = "applicant@demo.pratu.example";
inline constexpr std::string_view kDemoAdminEmail = "admin@demo.pratu.example";

/// The demo officer's email for an agency: officer.<code>@demo.pratu.example.
std::string demo_officer_email(std::string_view agency_code);
/// The demo supervisor's email of an agency (same password as its officer).
std::string demo_supervisor_email(std::string_view agency_code);
/// The demo cashier of the agency `agency_code`: an officer whose duty is the counter.
std::string demo_cashier_email(std::string_view agency_code);
/// The demo finance officer of the agency `agency_code`: an officer whose duty is the books.
std::string demo_finance_email(std::string_view agency_code);

/// A login that succeeded: who, and the session started for them.
struct LoggedIn {
  User user;
  StartedSession session;
};

/// The accounts domain's use cases. Failures a person can fix are ErrorCode::invalid_input
/// with FieldErrors keyed by form field and locale key (accounts.errors.*). Thread-safe.
class AccountService {
 public:
  AccountService(storage::Database& db, const crypto::PasswordHasher& hasher,
                 LoginThrottle& throttle, RegistrationThrottle& registrations, const Clock& clock,
                 PasswordPolicy policy = {});

  /// Registers a citizen as an applicant. Field errors name national_id, title, given_name,
  /// family_name, email, mobile, password, password_confirmation. ErrorCode::rate_limited
  /// (kRegisterThrottledKey, retry_after_seconds) when the client address or its network has
  /// used up its attempts; saying the ID or email is taken costs several.
  Result<UserId> register_citizen(const Registration& registration);

  /// The user whose national ID or email and password match. Every wrong login or password
  /// gets the same error (field `login`, accounts.errors.login_failed) in about the same time;
  /// ErrorCode::rate_limited (accounts.errors.login_locked, retry_after_seconds) while the
  /// account or the client address is locked.
  Result<User> authenticate(const Credentials& credentials);

  /// `authenticate`, then a session for the user from `sessions` (ending
  /// `previous_session_id`, may be empty), written in one transaction with the throttle's
  /// record of the success: a login commits twice (the attempt before the password check, then
  /// this), and never while hashing.
  Result<LoggedIn> log_in(const Credentials& credentials, SessionService& sessions,
                          std::string_view previous_session_id, bool secure);

  /// Changes the password of `user_id` after checking the current one, and in the same
  /// transaction ends the user's other sessions through `sessions` (`keep_session_id` stays;
  /// every node refuses them within SessionSettings::cache_seconds, this one at once). Field
  /// errors name current_password, new_password, new_password_confirmation.
  Result<void> change_password(UserId user_id, std::string_view keep_session_id,
                               const PasswordChange& change, SessionService& sessions);

  /// Sets the mobile number of `user_id` from `typed` (spaces, dashes or +66 allowed); a field
  /// error on mobile when it is not a Thai mobile number.
  Result<void> change_mobile(UserId user_id, std::string_view typed);

  /// Creates a user from the CLI: `login` is an email or a national ID; officers need an
  /// agency code; `duties` (web::Duty bits) only officers and supervisors hold. Field errors
  /// name role, agency_code, duty, login, password.
  Result<UserId> create_user(Role role, std::string_view agency_code, std::string_view login,
                             std::string_view password, unsigned duties = 0);

  /// In an empty users table, creates the demo applicant, one officer per agency and an
  /// admin, and returns them with their passwords. In a table that already has users, returns
  /// the demo accounts that still exist with their demo password (nothing is created).
  Result<std::vector<DemoAccount>> seed_demo_accounts(const std::vector<std::string>& agency_codes);

  /// The user with `id`, or nullopt.
  Result<std::optional<User>> find_user(UserId id);

  /// The password rules in force.
  const PasswordPolicy& policy() const { return policy_; }

 private:
  // One warn line for a failed or throttled login: request id, address, an opaque tag.
  void log_login_event(std::string_view what, std::string_view account_key,
                       const Credentials& credentials, int retry_after_seconds) const;
  // Field errors for national ID / email already taken (both reported at once).
  Result<std::vector<FieldError>> taken_fields(const std::optional<std::string>& national_id,
                                               const std::optional<std::string>& email);
  // Writes what a successful login writes, with `more` (may be empty) in the same transaction.
  using AfterLogin = std::function<Result<void>(storage::Connection&, const User&)>;
  Result<User> check_credentials(const Credentials& credentials, const AfterLogin& more);
  // Inserts `user` after hashing `password`; maps a lost race on a unique key to field errors.
  Result<UserId> insert_new_user(User user, std::string_view password, std::string_view id_field,
                                 std::string_view email_field);

  storage::Database& db_;
  const crypto::PasswordHasher& hasher_;
  LoginThrottle& throttle_;
  RegistrationThrottle& registrations_;
  const Clock& clock_;
  PasswordPolicy policy_;
};

}  // namespace pratu::accounts
