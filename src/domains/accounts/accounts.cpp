#include "domains/accounts/accounts.hpp"

#include "common/thai_id.hpp"

namespace pratu::accounts {

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
