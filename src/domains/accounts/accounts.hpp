#pragma once
/// One account for every service: the types of the accounts domain (no I/O).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "web/access.hpp"

namespace pratu::accounts {

using UserId = std::int64_t;

/// Roles are the web layer's, so access rules and accounts speak of the same thing.
using web::parse_role;
using web::Role;
using web::role_name;

/// Title codes a citizen chooses from; the words are locale keys `accounts.titles.<code>`
/// (นาย/Mr, นาง/Mrs, นางสาว/Miss, คุณ/Ms).
inline constexpr std::array<std::string_view, 4> kTitleCodes = {"mr", "mrs", "miss", "ms"};

/// A person with an account.
struct User {
  UserId id = 0;
  Role role = Role::applicant;
  std::string agency_code;                 // an agency's staff only
  std::optional<std::string> national_id;  // 13 digits
  std::optional<std::string> email;        // lower-cased
  std::string mobile;                      // 10 digits
  std::string title;                       // a kTitleCodes code, or ""
  std::string given_name;
  std::string family_name;
  std::string password_hash;  // Argon2id PHC string
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t password_changed_at = 0;
  bool disabled = false;
  std::string locale;   // the language Pratu writes to them in: "th", "en", or "" (Thai)
  unsigned duties = 0;  // web::Duty bits (staff_duties); an agency's staff only

  /// "given family", else the email, else the masked national ID.
  std::string display_name() const;
};

/// A logged-in browser. `id` is the SHA-256 of the cookie's secret, never the secret.
struct Session {
  std::string id;
  UserId user_id = 0;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t idle_expires_at = 0;
  std::int64_t absolute_expires_at = 0;
};

/// What a citizen types to register; field names match the form.
struct Registration {
  std::string national_id;
  std::string title;
  std::string given_name;
  std::string family_name;
  std::string email;
  std::string mobile;
  std::string password;
  std::string password_confirmation;
  std::string client_address;  // counted by the registration throttle, never stored
  std::string locale;          // "th" | "en": the language they registered in
};

/// A login attempt: `login` is a national ID or an email.
struct Credentials {
  std::string login;
  std::string password;
  std::string client_address;
  std::string request_id;  // for the log line of a failed or throttled attempt
};

/// A request to change one's password.
struct PasswordChange {
  std::string current_password;
  std::string new_password;
  std::string new_password_confirmation;
  std::string client_address;
};

/// A demo account created by `AccountService::seed_demo_accounts`, for the CLI to print.
struct DemoAccount {
  std::string login;
  std::string password;
  std::string role;
  std::string agency_code;
};

}  // namespace pratu::accounts
