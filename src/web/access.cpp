#include "web/access.hpp"

namespace pratu::web {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::officer: return "officer";
    case Role::supervisor: return "supervisor";
    case Role::clerk: return "clerk";
    case Role::admin: return "admin";
    case Role::applicant: break;
  }
  return "applicant";
}

std::optional<Role> parse_role(std::string_view name) {
  if (name == "applicant") return Role::applicant;
  if (name == "officer") return Role::officer;
  if (name == "supervisor") return Role::supervisor;
  if (name == "clerk") return Role::clerk;
  if (name == "admin") return Role::admin;
  return std::nullopt;
}

bool is_agency_role(Role role) { return role == Role::officer || role == Role::supervisor; }

bool works_for_agency(Role role) { return is_agency_role(role) || role == Role::clerk; }

std::string_view duty_name(Duty duty) { return duty == Duty::cashier ? "cashier" : "finance"; }

std::optional<Duty> parse_duty(std::string_view name) {
  if (name == "cashier") return Duty::cashier;
  if (name == "finance") return Duty::finance;
  return std::nullopt;
}

std::string_view access_name(Access access) {
  switch (access) {
    case Access::signed_in: return "signed_in";
    case Access::applicant: return "applicant";
    case Access::agency_officer: return "agency_officer";
    case Access::agency_supervisor: return "agency_supervisor";
    case Access::agency_cashier: return "agency_cashier";
    case Access::agency_finance: return "agency_finance";
    case Access::admin: return "admin";
    case Access::anyone: break;
  }
  return "anyone";
}

Verdict decide(Access access, const std::optional<Principal>& user, std::string_view owner_agency) {
  if (access == Access::anyone) return Verdict::allow;
  if (!user) return Verdict::sign_in;
  const Principal& p = *user;
  auto same_agency = [&] {
    return !p.agency_code.empty() && (owner_agency.empty() || owner_agency == p.agency_code);
  };
  bool allowed = false;
  switch (access) {
    case Access::signed_in: allowed = true; break;
    case Access::applicant: allowed = p.role == Role::applicant; break;
    case Access::agency_officer: allowed = is_agency_role(p.role) && same_agency(); break;
    case Access::agency_supervisor: allowed = p.role == Role::supervisor && same_agency(); break;
    case Access::agency_cashier:
      allowed = works_for_agency(p.role) && p.has(Duty::cashier) && same_agency();
      break;
    case Access::agency_finance:
      allowed = works_for_agency(p.role) && p.has(Duty::finance) && same_agency();
      break;
    case Access::admin: allowed = p.role == Role::admin; break;
    case Access::anyone: allowed = true; break;
  }
  return allowed ? Verdict::allow : Verdict::forbid;
}

}  // namespace pratu::web
