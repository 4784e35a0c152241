#include "domains/accounts/accounts_service.hpp"

#include <utility>

#include "common/log.hpp"
#include "common/thai_id.hpp"
#include "domains/accounts/accounts_repository.hpp"
#include "domains/accounts/accounts_validation.hpp"
#include "storage/database.hpp"

namespace pratu::accounts {

namespace {

constexpr std::string_view kDemoApplicantMobile = "0812345678";

Error login_failed(std::string detail) {
  return Error{ErrorCode::invalid_input,
               "accounts.errors.login_failed",
               std::move(detail),
               {FieldError{"login", "accounts.errors.login_failed"}},
               0};
}

// The locale key for a national ID problem, or "" if it is valid.
std::string national_id_problem(std::string_view input, const ThaiIdCheck& check) {
  if (trim(input).empty()) return "accounts.errors.national_id_required";
  switch (check.status) {
    case ThaiIdStatus::valid: return {};
    case ThaiIdStatus::malformed: return "accounts.errors.national_id_format";
    case ThaiIdStatus::wrong_category: return "accounts.errors.national_id_category";
    case ThaiIdStatus::bad_check_digit: return "accounts.errors.national_id_checksum";
  }
  return "accounts.errors.national_id_format";
}

// The throttle key of an account: the user when there is one (whichever login names them),
// else what was typed, so unknown logins are throttled exactly like known ones.
std::string account_key(const std::optional<User>& user, const LoginName& login,
                        std::string_view typed) {
  if (user) return "user:" + std::to_string(user->id);
  if (login.kind != LoginName::Kind::unknown) return "login:" + login.value;
  return "login:" + trim(typed);
}

}  // namespace

void AccountService::log_login_event(std::string_view what, std::string_view account_key,
                                     const Credentials& credentials,
                                     int retry_after_seconds) const {
  // Who tried is told by an opaque tag only: never the login typed, nor the account.
  std::string address = address_key(credentials.client_address);
  std::string tag = throttle_.log_tag(account_key);
  std::string retry = std::to_string(retry_after_seconds);
  if (retry_after_seconds > 0) {
    log::warn(what, credentials.request_id,
              {{"address", address}, {"account_tag", tag}, {"retry_after", retry}});
  } else {
    log::warn(what, credentials.request_id, {{"address", address}, {"account_tag", tag}});
  }
}

std::string demo_officer_email(std::string_view agency_code) {
  return "officer." + std::string(agency_code) + "@demo.pratu.example";
}

std::string demo_supervisor_email(std::string_view agency_code) {
  return "supervisor." + std::string(agency_code) + "@demo.pratu.example";
}

std::string demo_cashier_email(std::string_view agency_code) {
  return "cashier." + std::string(agency_code) + "@demo.pratu.example";
}

std::string demo_finance_email(std::string_view agency_code) {
  return "finance." + std::string(agency_code) + "@demo.pratu.example";
}

AccountService::AccountService(storage::Database& db, const crypto::PasswordHasher& hasher,
                               LoginThrottle& throttle, RegistrationThrottle& registrations,
                               const Clock& clock, PasswordPolicy policy)
    : db_(db),
      hasher_(hasher),
      throttle_(throttle),
      registrations_(registrations),
      clock_(clock),
      policy_(policy) {}

Result<std::vector<FieldError>> AccountService::taken_fields(
    const std::optional<std::string>& national_id, const std::optional<std::string>& email) {
  return db_.read_value<std::vector<FieldError>>(
      [&](storage::Connection& c) -> Result<std::vector<FieldError>> {
        std::vector<FieldError> out;
        if (national_id) {
          PRATU_TRY(user, repository::find_user_by_national_id(c, *national_id));
          if (user) out.push_back({"national_id", "accounts.errors.national_id_taken"});
        }
        if (email) {
          PRATU_TRY(user, repository::find_user_by_email(c, *email));
          if (user) out.push_back({"email", "accounts.errors.email_taken"});
        }
        return out;
      });
}

Result<UserId> AccountService::insert_new_user(User user, std::string_view password,
                                               std::string_view id_field,
                                               std::string_view email_field) {
  // Hash before the transaction: holding the writer for 50 ms would stall every other write.
  PRATU_TRY(hash, hasher_.hash(password));
  std::int64_t now = clock_.now_seconds();
  user.password_hash = std::move(hash);
  user.created_at = now;
  user.updated_at = now;
  user.password_changed_at = now;
  auto rename = [&](std::vector<FieldError> fields) {
    for (auto& f : fields) f.field = std::string(f.field == "national_id" ? id_field : email_field);
    return fields;
  };
  auto inserted = db_.write_value<UserId>([&](storage::Connection& c) -> Result<UserId> {
    std::vector<FieldError> taken;
    if (user.national_id) {
      PRATU_TRY(other, repository::find_user_by_national_id(c, *user.national_id));
      if (other) taken.push_back({"national_id", "accounts.errors.national_id_taken"});
    }
    if (user.email) {
      PRATU_TRY(other, repository::find_user_by_email(c, *user.email));
      if (other) taken.push_back({"email", "accounts.errors.email_taken"});
    }
    if (!taken.empty()) return Error::invalid(rename(std::move(taken)));
    return repository::insert_user(c, user);
  });
  if (!inserted && storage::is_unique_violation(inserted.error())) {
    // Another node registered the same ID or email between our check and insert.
    PRATU_TRY(taken, taken_fields(user.national_id, user.email));
    if (!taken.empty()) return Error::invalid(rename(std::move(taken)));
  }
  return inserted;
}

Result<UserId> AccountService::register_citizen(const Registration& r) {
  PRATU_CHECK(registrations_.begin(r.client_address));
  std::vector<FieldError> errors;
  auto id = check_citizen_id(r.national_id);
  if (auto problem = national_id_problem(r.national_id, id); !problem.empty()) {
    errors.push_back({"national_id", problem});
  }
  std::string title = trim(r.title);
  if (!is_title_code(title)) errors.push_back({"title", "accounts.errors.title_required"});
  auto given = check_name(r.given_name);
  if (given.problem != NameProblem::none) {
    errors.push_back({"given_name", name_problem_key("given_name", given.problem)});
  }
  auto family = check_name(r.family_name);
  if (family.problem != NameProblem::none) {
    errors.push_back({"family_name", name_problem_key("family_name", family.problem)});
  }
  auto email = normalize_email(r.email);
  if (trim(r.email).empty()) {
    errors.push_back({"email", "accounts.errors.email_required"});
  } else if (!email) {
    errors.push_back({"email", "accounts.errors.email_invalid"});
  }
  auto mobile = normalize_mobile(r.mobile);
  if (trim(r.mobile).empty()) {
    errors.push_back({"mobile", "accounts.errors.mobile_required"});
  } else if (!mobile) {
    errors.push_back({"mobile", "accounts.errors.mobile_invalid"});
  }
  if (auto problem = check_password(policy_, r.password,
                                    {id.digits, email.value_or(""), mobile.value_or("")})) {
    errors.push_back({"password", *problem});
  }
  if (r.password_confirmation.empty()) {
    errors.push_back({"password_confirmation", "accounts.errors.password_confirmation_required"});
  } else if (r.password_confirmation != r.password) {
    errors.push_back({"password_confirmation", "accounts.errors.password_confirmation_mismatch"});
  }
  // Say that the ID or email is taken together with the other problems, not one after another.
  std::optional<std::string> valid_id;
  if (id.valid()) valid_id = id.digits;
  PRATU_TRY(taken, taken_fields(valid_id, email));
  // Probing which IDs and emails have accounts must be slow: this answer costs more.
  if (!taken.empty()) PRATU_CHECK(registrations_.charge_taken(r.client_address));
  for (auto& t : taken) errors.push_back(std::move(t));
  if (!errors.empty()) return Error::invalid(std::move(errors));

  User user;
  user.role = Role::applicant;
  user.national_id = id.digits;
  user.email = email;
  user.mobile = *mobile;
  user.title = title;
  user.given_name = std::move(given.value);
  user.family_name = std::move(family.value);
  user.locale = r.locale == "en" ? "en" : "th";
  return insert_new_user(std::move(user), r.password, "national_id", "email");
}

Result<User> AccountService::authenticate(const Credentials& credentials) {
  return check_credentials(credentials, {});
}

Result<LoggedIn> AccountService::log_in(const Credentials& credentials, SessionService& sessions,
                                        std::string_view previous_session_id, bool secure) {
  std::optional<StartedSession> started;
  PRATU_TRY(user, check_credentials(credentials, [&](storage::Connection& c, const User& u) {
              started = sessions.prepare(u.id, secure);
              return sessions.store(c, started->session, previous_session_id);
            }));
  return LoggedIn{std::move(user), std::move(*started)};
}

Result<User> AccountService::check_credentials(const Credentials& credentials,
                                               const AfterLogin& more) {
  std::vector<FieldError> errors;
  if (trim(credentials.login).empty()) {
    errors.push_back({"login", "accounts.errors.login_required"});
  }
  if (credentials.password.empty()) {
    errors.push_back({"password", "accounts.errors.password_required"});
  }
  if (!errors.empty()) return Error::invalid(std::move(errors));

  LoginName login = parse_login(credentials.login);
  PRATU_TRY(user, db_.read_value<std::optional<User>>(
                      [&](storage::Connection& c) -> Result<std::optional<User>> {
                        switch (login.kind) {
                          case LoginName::Kind::national_id:
                            return repository::find_user_by_national_id(c, login.value);
                          case LoginName::Kind::email:
                            return repository::find_user_by_email(c, login.value);
                          case LoginName::Kind::unknown: break;
                        }
                        return std::optional<User>();
                      }));
  std::string key = account_key(user, login, credentials.login);
  // Counted before the password is checked, so parallel guesses cannot pass the limit.
  auto attempt = throttle_.begin(key, credentials.client_address);
  if (!attempt) {
    if (attempt.error().code == ErrorCode::rate_limited) {
      log_login_event("login throttled", key, credentials, attempt.error().retry_after_seconds);
    }
    return attempt.error();
  }

  bool matched = false;
  if (user && !user->disabled) {
    matched = hasher_.verify(user->password_hash, credentials.password);
  } else {
    // Same work as a real check, so response time does not tell who has an account.
    hasher_.verify_dummy(credentials.password);
  }
  if (!matched) {
    auto recorded = throttle_.record_failure(*attempt);
    log_login_event("login failed", key, credentials,
                    recorded ? 0 : recorded.error().retry_after_seconds);
    PRATU_CHECK(std::move(recorded));
    return login_failed(!user ? "no such account"
                              : (user->disabled ? "account disabled" : "wrong password"));
  }
  // Raise an old hash to the current cost while the password is at hand (hashed before the
  // transaction: the writer is never held while hashing).
  std::optional<std::string> rehashed;
  if (hasher_.needs_rehash(user->password_hash)) {
    if (auto hash = hasher_.hash(credentials.password)) rehashed = std::move(*hash);
  }
  // Relaxed (ADR 0012): lost to a power cut, this costs a login again, and a sync here would
  // idle the hashing thread that waits for it.
  auto written = db_.write(
      [&](storage::Connection& c) -> Result<void> {
        PRATU_CHECK(throttle_.record_success(c, *attempt));
        if (rehashed) {
          PRATU_CHECK(
              repository::replace_password_hash(c, user->id, *rehashed, clock_.now_seconds()));
        }
        return more ? more(c, *user) : ok();
      },
      storage::Durability::relaxed);
  if (!written) return written.error();
  if (rehashed) user->password_hash = std::move(*rehashed);
  return std::move(*user);
}

Result<void> AccountService::change_mobile(UserId user_id, std::string_view typed) {
  auto mobile = normalize_mobile(typed);
  if (!mobile) {
    return Error{ErrorCode::invalid_input,
                 "errors.invalid_input",
                 "mobile",
                 {FieldError{"mobile", "accounts.errors.mobile_invalid"}},
                 0};
  }
  const std::int64_t now = clock_.now_seconds();
  return db_.write(
      [&](storage::Connection& c) { return repository::update_mobile(c, user_id, *mobile, now); });
}

Result<void> AccountService::change_password(UserId user_id, std::string_view keep_session_id,
                                             const PasswordChange& change,
                                             SessionService& sessions) {
  PRATU_TRY(found, find_user(user_id));
  if (!found || found->disabled) return Error::not_found("user changing password");
  const User& user = *found;
  std::vector<FieldError> errors;
  if (change.current_password.empty()) {
    errors.push_back({"current_password", "accounts.errors.current_password_required"});
  }
  if (auto problem =
          check_password(policy_, change.new_password,
                         {user.national_id.value_or(""), user.email.value_or(""), user.mobile})) {
    errors.push_back({"new_password", *problem});
  }
  if (change.new_password_confirmation.empty()) {
    errors.push_back(
        {"new_password_confirmation", "accounts.errors.password_confirmation_required"});
  } else if (change.new_password_confirmation != change.new_password) {
    errors.push_back(
        {"new_password_confirmation", "accounts.errors.password_confirmation_mismatch"});
  }
  if (!change.current_password.empty()) {
    // A stolen session must not become a way to guess the password: same throttle as login.
    std::string key = "user:" + std::to_string(user.id);
    PRATU_TRY(attempt, throttle_.begin(key, change.client_address));
    if (!hasher_.verify(user.password_hash, change.current_password)) {
      PRATU_CHECK(throttle_.record_failure(attempt));
      errors.insert(errors.begin(),
                    FieldError{"current_password", "accounts.errors.current_password_wrong"});
    } else {
      PRATU_CHECK(throttle_.record_success(attempt));
    }
  }
  if (!errors.empty()) return Error::invalid(std::move(errors));

  PRATU_TRY(hash, hasher_.hash(change.new_password));
  std::int64_t now = clock_.now_seconds();
  // Whoever else holds a session (perhaps the reason for the change) is logged out.
  PRATU_CHECK(sessions.end_all_for_user(user.id, keep_session_id, [&](storage::Connection& c) {
    return repository::update_password(c, user.id, hash, now);
  }));
  return ok();
}

Result<UserId> AccountService::create_user(Role role, std::string_view agency_code,
                                           std::string_view login, std::string_view password,
                                           unsigned duties) {
  std::vector<FieldError> errors;
  std::string agency = trim(agency_code);
  if (web::works_for_agency(role) && agency.empty()) {
    errors.push_back({"agency_code", "accounts.errors.agency_required"});
  } else if (!agency.empty() && (role == Role::applicant || !is_agency_code(agency))) {
    errors.push_back({"agency_code", "accounts.errors.agency_invalid"});
  }
  if (duties != 0 && !web::works_for_agency(role)) {
    errors.push_back({"duty", "accounts.errors.duty_not_staff"});
  }
  User user;
  user.role = role;
  user.agency_code = agency;
  user.duties = duties;
  std::string typed = trim(login);
  if (typed.find('@') != std::string::npos) {
    user.email = normalize_email(typed);
    if (!user.email) errors.push_back({"login", "accounts.errors.email_invalid"});
  } else if (typed.empty()) {
    errors.push_back({"login", "accounts.errors.login_required"});
  } else {
    auto id = check_citizen_id(typed);
    if (auto problem = national_id_problem(typed, id); !problem.empty()) {
      errors.push_back({"login", problem});
    } else {
      user.national_id = id.digits;
    }
  }
  if (auto problem = check_password(policy_, password,
                                    {user.national_id.value_or(""), user.email.value_or("")})) {
    errors.push_back({"password", *problem});
  }
  if (!errors.empty()) return Error::invalid(std::move(errors));
  return insert_new_user(std::move(user), password, "login", "login");
}

Result<std::vector<DemoAccount>> AccountService::seed_demo_accounts(
    const std::vector<std::string>& agency_codes) {
  struct Demo {
    DemoAccount account;
    User user;
  };
  std::vector<Demo> demos;
  {
    User applicant;
    applicant.role = Role::applicant;
    applicant.national_id = std::string(kDemoApplicantNationalId);
    applicant.email = std::string(kDemoApplicantEmail);
    applicant.mobile = std::string(kDemoApplicantMobile);
    applicant.title = "mr";
    applicant.given_name = "สมชาย";
    applicant.family_name = "ใจดี";
    demos.push_back({{std::string(kDemoApplicantNationalId), std::string(kDemoApplicantPassword),
                      "applicant", ""},
                     std::move(applicant)});
  }
  for (const auto& code : agency_codes) {
    if (!is_agency_code(code)) return Error::internal("demo agency code is not valid: " + code);
    User officer;
    officer.role = Role::officer;
    officer.agency_code = code;
    officer.email = demo_officer_email(code);
    demos.push_back(
        {{*officer.email, std::string(kDemoOfficerPassword), "officer", code}, std::move(officer)});
    User supervisor;
    supervisor.role = Role::supervisor;
    supervisor.agency_code = code;
    supervisor.email = demo_supervisor_email(code);
    demos.push_back({{*supervisor.email, std::string(kDemoOfficerPassword), "supervisor", code},
                     std::move(supervisor)});
    // The counter's cashier and the finance officer: clerks, whose duty is the money and who
    // do not read applications (docs/adr/0032).
    for (web::Duty duty : {web::Duty::cashier, web::Duty::finance}) {
      User staff;
      staff.role = Role::clerk;
      staff.agency_code = code;
      staff.duties = static_cast<unsigned>(duty);
      const std::string name(web::duty_name(duty));
      staff.email =
          duty == web::Duty::cashier ? demo_cashier_email(code) : demo_finance_email(code);
      demos.push_back(
          {{*staff.email, std::string(kDemoOfficerPassword), name, code}, std::move(staff)});
    }
  }
  {
    User admin;
    admin.role = Role::admin;
    admin.email = std::string(kDemoAdminEmail);
    demos.push_back(
        {{*admin.email, std::string(kDemoAdminPassword), "admin", ""}, std::move(admin)});
  }

  PRATU_TRY(count, db_.read_value<std::int64_t>(
                       [](storage::Connection& c) { return repository::count_users(c); }));
  std::vector<DemoAccount> out;
  if (count == 0) {
    for (auto& demo : demos) {
      PRATU_CHECK(insert_new_user(demo.user, demo.account.password, "login", "login"));
      out.push_back(demo.account);
    }
    return out;
  }
  // Already seeded (a restart): list what still works, so the CLI prints the truth.
  for (const auto& demo : demos) {
    PRATU_TRY(existing, db_.read_value<std::optional<User>>([&](storage::Connection& c) {
      return demo.user.national_id ? repository::find_user_by_national_id(c, *demo.user.national_id)
                                   : repository::find_user_by_email(c, *demo.user.email);
    }));
    if (existing && !existing->disabled &&
        hasher_.verify(existing->password_hash, demo.account.password)) {
      out.push_back(demo.account);
    }
  }
  return out;
}

Result<std::optional<User>> AccountService::find_user(UserId id) {
  return db_.read_value<std::optional<User>>(
      [&](storage::Connection& c) { return repository::find_user(c, id); });
}

}  // namespace pratu::accounts
