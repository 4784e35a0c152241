#include "domains/accounts/accounts.hpp"

#include "common/thai_id.hpp"

namespace pratu::accounts {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::officer:
      return "officer";
    case Role::admin:
      return "admin";
    case Role::applicant:
      break;
  }
  return "applicant";
}

std::optional<Role> parse_role(std::string_view name) {
  if (name == "applicant") return Role::applicant;
  if (name == "officer") return Role::officer;
  if (name == "admin") return Role::admin;
  return std::nullopt;
}

std::string User::display_name() const {
  if (!given_name.empty() || !family_name.empty()) {
    if (given_name.empty()) return family_name;
    if (family_name.empty()) return given_name;
    return given_name + " " + family_name;
  }
  if (email) return *email;
  if (national_id) return mask_citizen_id(*national_id);
  return {};
}

}  // namespace pratu::accounts
