#include "domains/accounts/accounts_module.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "crypto/digest.hpp"
#include "domains/accounts/accounts_handlers.hpp"
#include "domains/accounts/accounts_service.hpp"
#include "platform/agency_directory.hpp"
#include "storage/server_secrets.hpp"

namespace pratu::accounts {

AccountsModule::AccountsModule() = default;
AccountsModule::~AccountsModule() = default;

std::vector<platform::SettingsSection> AccountsModule::settings() {
  using platform::integer;
  auto& s = sessions_settings_;
  auto& l = login_settings_;
  auto& r = registration_settings_;
  auto& p = password_settings_;
  std::vector<platform::SettingsSection> out;
  out.push_back(
      {"sessions",
       {integer("idle_minutes", "A session ends after this long without a request", s.idle_minutes,
                1, 1440),
        integer("absolute_hours", "A session ends this long after login, whatever happens",
                s.absolute_hours, 1, 720),
        integer("warning_minutes", "Warn this long before an idle session ends", s.warning_minutes,
                1, 60),
        integer("cache_seconds",
                "How long a node may answer a session from memory; one ended on another node is "
                "refused within this time (0: read the database on every request)",
                s.cache_seconds, 0, 60)},
       [&s]() -> std::optional<std::string> {
         if (s.warning_minutes >= s.idle_minutes) {
           return std::string("warning_minutes must be less than idle_minutes");
         }
         return std::nullopt;
       }});
  out.push_back(
      {"login",
       {integer("account_max_failures",
                "Failed logins on one account from one address before that address is locked out "
                "of it for a while",
                l.account_max_failures, 1, 1000),
        integer("address_max_failures",
                "Failed logins from one address before it is locked for a while",
                l.address_max_failures, 1, 100000),
        integer("account_slow_after",
                "Failed logins on one account, from anywhere, after which addresses it never "
                "logged in from wait a doubling delay",
                l.account_slow_after, 1, 1000),
        integer("window_minutes", "Window in which failures are counted", l.window_minutes, 1,
                1440),
        integer("lockout_minutes", "How long a lock lasts, and the longest delay",
                l.lockout_minutes, 1, 1440),
        integer("known_address_days",
                "How long an address an account logged in from escapes that account's delay",
                l.known_address_days, 1, 3650)},
       {}});
  out.push_back(
      {"registration",
       {integer("address_max_attempts", "Registration attempts from one address within the window",
                r.address_max_attempts, 1, 100000),
        integer("network_max_attempts",
                "Registration attempts from one network (IPv4 /24, IPv6 /48) within the window",
                r.network_max_attempts, 1, 1000000),
        integer("window_minutes", "Window in which registration attempts are counted",
                r.window_minutes, 1, 10080),
        integer("taken_cost",
                "Attempts an answer that an ID or email already has an account counts as",
                r.taken_cost, 1, 1000)},
       {}});
  out.push_back({"passwords",
                 {integer("memory_kib", "Argon2id memory cost in KiB (OWASP minimum 19456)",
                          p.memory_kib, 19456, 4194304),
                  integer("iterations", "Argon2id passes (OWASP minimum 2)", p.iterations, 2, 100),
                  integer("parallelism", "Argon2id lanes", p.parallelism, 1, 64)},
                 {}});
  return out;
}

std::vector<platform::Command> AccountsModule::add_commands(CLI::App& cli) {
  auto* accounts = cli.add_subcommand("user", "Manage accounts");
  accounts->alias("accounts");
  accounts->require_subcommand(1);
  auto* create = accounts->add_subcommand(
      "create", "Create an account; the password is read from standard input");
  create
      ->add_option("--role", create_user_.role,
                   "applicant, officer, supervisor, clerk (an agency's counter or books, not "
                   "its applications) or admin")
      ->required()
      ->check(CLI::IsMember({"applicant", "officer", "supervisor", "clerk", "admin"}));
  create->add_option("--agency", create_user_.agency,
                     "Agency code (officers, supervisors and clerks)");
  create
      ->add_option("--duty", create_user_.duties,
                   "cashier (takes money at the counter) or finance (statements, exceptions, "
                   "collections, receipt cancellations); repeatable; an agency's staff")
      ->check(CLI::IsMember({"cashier", "finance"}));
  create->add_option("--login", create_user_.login, "Email or 13-digit national ID")->required();
  create
      ->add_flag("--password-stdin", create_user_.password_stdin,
                 "Read the password from standard input")
      ->required();
  auto* duties = accounts->add_subcommand(
      "duties",
      "Set the duties of an agency's officer, supervisor or clerk, as the platform's operator "
      "(an agency with one supervisor has nobody else to do it); recorded, and the person is told");
  duties->add_option("--login", set_duties_.login, "Their email or 13-digit national ID")
      ->required();
  auto* duty = duties
                   ->add_option("--duty", set_duties_.duties,
                                "cashier or finance; repeatable; the duties they hold afterwards")
                   ->check(CLI::IsMember({"cashier", "finance"}));
  auto* none = duties->add_flag("--none", set_duties_.none, "Withdraw every duty they hold");
  duty->excludes(none);
  none->excludes(duty);
  return {{create, [this](platform::Shared& shared) { return create_user_command(shared); }},
          {duties, [this](platform::Shared& shared) { return set_duties_command(shared); }}};
}

Result<void> AccountsModule::build_services(platform::Shared& shared) {
  crypto::PasswordHashSettings hashing;
  hashing.memory_kib = static_cast<std::uint32_t>(password_settings_.memory_kib);
  hashing.iterations = static_cast<std::uint32_t>(password_settings_.iterations);
  hashing.parallelism = static_cast<std::uint32_t>(password_settings_.parallelism);
  hasher_ = std::make_unique<crypto::PasswordHasher>(hashing, shared.random);
  // The key of the throttles' hashes: random, made by the first node, shared by all.
  PRATU_TRY(key, storage::shared_secret(shared.db, kThrottleSecretName, [&shared] {
              return crypto::to_hex(shared.random.bytes(32));
            }));
  registrations_ =
      std::make_unique<RegistrationThrottle>(shared.db, shared.clock, key, registration_settings_);
  throttle_ =
      std::make_unique<LoginThrottle>(shared.db, shared.clock, std::move(key), login_settings_);
  accounts_ = std::make_unique<AccountService>(shared.db, *hasher_, *throttle_, *registrations_,
                                               shared.clock);
  return ok();
}

Result<void> AccountsModule::start(platform::Shared& shared) {
  if (shared.renderer == nullptr) return Error::internal("accounts: started without a renderer");
  PRATU_TRY(agencies, shared.services.need<platform::AgencyDirectory>("accounts"));
  agencies_ = agencies;
  PRATU_CHECK(build_services(shared));
  SessionSettings sessions = sessions_settings_;
  sessions.host_prefix = shared.settings.https;
  PRATU_TRY(signing_key, storage::shared_secret(shared.db, kCookieSecretName, [&shared] {
              return crypto::to_hex(shared.random.bytes(32));
            }));
  sessions_ = std::make_unique<SessionService>(shared.db, shared.clock, shared.random,
                                               std::move(signing_key), sessions);
  AccountsPageSettings pages;
  pages.agency_name = [agencies](std::string_view code, web::Locale locale) {
    return agencies->agency_name(code, locale);
  };
  handlers_ = std::make_unique<AccountsHandlers>(*accounts_, *sessions_, *shared.renderer,
                                                 std::move(pages));
  staff_duties_ = std::make_unique<StaffDuties>(
      shared.db, shared.clock,
      [sessions = sessions_.get()](UserId id) { sessions->forget_user(id); });
  staff_pages_ = std::make_unique<StaffPages>(*staff_duties_, *shared.renderer);
  PRATU_CHECK(shared.services.offer<web::SessionGate>(name(), *sessions_));
  return shared.services.offer<platform::ProfileDirectory>(name(), *this);
}

Result<std::optional<platform::Profile>> AccountsModule::profile(std::int64_t user_id) {
  PRATU_TRY(user, accounts_->find_user(user_id));
  if (!user || user->disabled) return std::optional<platform::Profile>{};
  return std::optional<platform::Profile>(platform::Profile{
      user->title, user->given_name, user->family_name, user->national_id.value_or(""),
      user->email.value_or(""), user->mobile, user->locale});
}

Result<void> AccountsModule::set_mobile(std::int64_t user_id, std::string_view mobile) {
  return accounts_->change_mobile(user_id, mobile);
}

Result<std::string> AccountsModule::seed_demo(platform::Shared&) {
  PRATU_TRY(seeded, accounts_->seed_demo_accounts(agencies_->agency_codes()));
  if (seeded.empty()) return std::string();
  std::string out = "Demo accounts (for trying Pratu; change or remove them in production):\n";
  for (const auto& a : seeded) {
    out += "  " + a.role + (a.agency_code.empty() ? "" : " (" + a.agency_code + ")") + ": " +
           a.login + " / " + a.password + "\n";
  }
  return out;
}

web::Routes AccountsModule::routes() {
  web::Routes r = handlers_->routes();
  for (auto& route : staff_pages_->routes()) r.push_back(std::move(route));
  return r;
}

std::vector<platform::PeriodicTask> AccountsModule::housekeeping() {
  // Expired sessions and stale login counters go, so the tables stay small.
  return {
      {"accounts: purge expired sessions", std::chrono::minutes(10),
       [this]() -> Result<void> {
         PRATU_CHECK(sessions_->purge_expired());
         return ok();
       }},
      {"accounts: purge stale login counters", std::chrono::minutes(10), [this]() -> Result<void> {
         PRATU_CHECK(throttle_->purge_stale());
         return ok();
       }}};
}

int AccountsModule::create_user_command(platform::Shared& shared) {
  if (auto built = build_services(shared); !built) {
    std::cerr << "pratu user create: " << built.error().detail << "\n";
    return 1;
  }
  auto role = parse_role(create_user_.role);
  if (!role) {
    std::cerr << "pratu user create: --role must be applicant, officer, supervisor, clerk or "
                 "admin\n";
    return 2;
  }
  std::string password;
  std::getline(std::cin, password);
  unsigned duties = 0;
  for (const auto& name : create_user_.duties) {
    if (auto duty = web::parse_duty(name)) duties |= static_cast<unsigned>(*duty);
  }
  auto created =
      accounts_->create_user(*role, create_user_.agency, create_user_.login, password, duties);
  if (!created) {
    std::cerr << "pratu user create: "
              << (created.error().fields.empty() ? created.error().detail : "") << "\n";
    for (const auto& f : created.error().fields) {
      std::cerr << "  " << f.field << ": "
                << shared.translations.text(web::Locale::en, f.message_key) << "\n";
    }
    return 1;
  }
  std::cout << "Created " << create_user_.role << " account " << *created << ".\n";
  return 0;
}

int AccountsModule::set_duties_command(platform::Shared& shared) {
  if (set_duties_.duties.empty() && !set_duties_.none) {
    std::cerr << "pratu user duties: give the duties they are to hold (--duty, repeatable), or "
                 "--none\n";
    return 2;
  }
  unsigned duties = 0;
  for (const auto& name : set_duties_.duties) {
    if (auto duty = web::parse_duty(name)) duties |= static_cast<unsigned>(*duty);
  }
  StaffDuties staff(shared.db, shared.clock, nullptr);
  auto set = staff.set_by_operator(set_duties_.login, duties);
  if (!set) {
    std::cerr << "pratu user duties: "
              << (set.error().code == ErrorCode::not_found
                      ? "no officer, supervisor or clerk of an agency logs in as that"
                      : set.error().detail)
              << "\n";
    return 1;
  }
  std::string held;
  for (const char* name : {"cashier", "finance"}) {
    auto duty = web::parse_duty(name);
    if (duty && (set->duties & static_cast<unsigned>(*duty)) != 0) {
      held += (held.empty() ? "" : ", ") + std::string(name);
    }
  }
  std::cout << set_duties_.login << " now holds: " << (held.empty() ? "no duty" : held) << ".\n";
  return 0;
}

}  // namespace pratu::accounts
