#pragma once
/// Who may use a route: roles, access rules, and the one decision every request goes through
/// before its handler runs.

#include <optional>
#include <string_view>

#include "web/context.hpp"

namespace pratu::web {

/// "applicant" | "officer" | "supervisor" | "clerk" | "admin".
std::string_view role_name(Role role);
/// The role named `name`, or nullopt.
std::optional<Role> parse_role(std::string_view name);
/// Whether people of `role` work on an agency's applications: officers and supervisors. A
/// clerk works for an agency too, but only at its counter and on its books (docs/adr/0032).
bool is_agency_role(Role role);
/// Whether people of `role` work for one agency (and so must have an agency code, and may
/// hold duties): officers, supervisors and clerks.
bool works_for_agency(Role role);

/// "cashier" | "finance".
std::string_view duty_name(Duty duty);
/// The duty named `name`, or nullopt.
std::optional<Duty> parse_duty(std::string_view name);

/// The rule a route declares.
enum class Access {
  anyone,             // no login needed: public pages, the login and register forms
  signed_in,          // any logged-in person
  applicant,          // a logged-in applicant (citizen or business)
  agency_officer,     // an officer or supervisor of the agency that owns the resource
  agency_supervisor,  // a supervisor of the agency that owns the resource
  agency_cashier,     // that agency's staff (clerks too) who keep its counter's till
  agency_finance,     // that agency's staff (clerks too) who keep its books
  admin,              // a platform administrator
};

/// "anyone" | "signed_in" | ... (for the route table and tests).
std::string_view access_name(Access access);

/// What to do with a request under a rule.
enum class Verdict {
  allow,    // run the handler
  sign_in,  // nobody is logged in: a page redirects to the login page, the API answers 401
  forbid,   // logged in, but not allowed: 403
};

/// Decides `access` for `user`. For the agency rules, `owner_agency` is the agency that owns
/// the resource the request names; a route that names none (an agency's own work queue)
/// passes an empty one, and its handler shows only the person's own agency. Administrators
/// run the platform; they pass only the admin rule, never an agency's, so applicants' data
/// stays with the agency that serves them.
Verdict decide(Access access, const std::optional<Principal>& user, std::string_view owner_agency);

}  // namespace pratu::web
