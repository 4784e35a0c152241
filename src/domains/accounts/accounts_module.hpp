#pragma once
/// Accounts as a module: registration, login, sessions and the account page. Needs the agency
/// directory (for officers' agencies and the demo accounts); offers the session gate the
/// middleware asks who is signed in, and the profile directory forms are prefilled from.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/password_hasher.hpp"
#include "domains/accounts/login_throttle.hpp"
#include "domains/accounts/registration_throttle.hpp"
#include "domains/accounts/session_service.hpp"
#include "domains/accounts/staff_duties.hpp"
#include "domains/accounts/staff_pages.hpp"
#include "platform/agency_directory.hpp"
#include "platform/module.hpp"
#include "platform/profile_directory.hpp"

namespace pratu::accounts {

class AccountService;
class AccountsHandlers;

/// The `passwords` configuration section.
struct PasswordSettings {
  int memory_kib = 19456;
  int iterations = 2;
  int parallelism = 1;
};

class AccountsModule final : public platform::Module, public platform::ProfileDirectory {
 public:
  AccountsModule();
  ~AccountsModule() override;

  std::string_view name() const override { return "accounts"; }
  std::vector<platform::SettingsSection> settings() override;
  std::vector<platform::Command> add_commands(CLI::App& cli) override;
  Result<void> start(platform::Shared& shared) override;
  Result<std::string> seed_demo(platform::Shared& shared) override;
  web::Routes routes() override;
  std::vector<platform::PeriodicTask> housekeeping() override;
  Result<std::optional<platform::Profile>> profile(std::int64_t user_id) override;
  Result<void> set_mobile(std::int64_t user_id, std::string_view mobile) override;

 private:
  // The services every use needs, for the server and for commands alike.
  Result<void> build_services(platform::Shared& shared);
  int create_user_command(platform::Shared& shared);
  int set_duties_command(platform::Shared& shared);

  SessionSettings sessions_settings_;
  ThrottleSettings login_settings_;
  RegistrationThrottleSettings registration_settings_;
  PasswordSettings password_settings_;
  // `pratu user create`
  struct CreateUser {
    std::string role;
    std::string agency;
    std::vector<std::string> duties;
    std::string login;
    bool password_stdin = false;
  } create_user_;
  // `pratu user duties`
  struct SetDuties {
    std::string login;
    std::vector<std::string> duties;
    bool none = false;
  } set_duties_;

  const platform::AgencyDirectory* agencies_ = nullptr;
  std::unique_ptr<crypto::PasswordHasher> hasher_;
  std::unique_ptr<LoginThrottle> throttle_;
  std::unique_ptr<RegistrationThrottle> registrations_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<AccountsHandlers> handlers_;
  std::unique_ptr<StaffDuties> staff_duties_;
  std::unique_ptr<StaffPages> staff_pages_;
};

}  // namespace pratu::accounts
