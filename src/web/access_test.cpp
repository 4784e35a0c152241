#include "web/access.hpp"

#include <gtest/gtest.h>

#include <array>

namespace pratu::web {
namespace {

Principal person(Role role, std::string agency = {}) {
  Principal p;
  p.user_id = 7;
  p.role = role;
  p.agency_code = std::move(agency);
  return p;
}

TEST(Access, AnyoneIsAllowedEvenWithoutALogin) {
  EXPECT_EQ(decide(Access::anyone, std::nullopt, ""), Verdict::allow);
  EXPECT_EQ(decide(Access::anyone, person(Role::admin), ""), Verdict::allow);
}

TEST(Access, EveryOtherRuleAsksAnonymousVisitorsToSignIn) {
  for (auto access : {Access::signed_in, Access::applicant, Access::agency_officer,
                      Access::agency_supervisor, Access::admin}) {
    EXPECT_EQ(decide(access, std::nullopt, "bma"), Verdict::sign_in) << access_name(access);
  }
}

TEST(Access, RolesPassOnlyTheirOwnRules) {
  const auto applicant = person(Role::applicant);
  const auto officer = person(Role::officer, "bma");
  const auto supervisor = person(Role::supervisor, "bma");
  const auto admin = person(Role::admin);
  EXPECT_EQ(decide(Access::signed_in, applicant, ""), Verdict::allow);
  EXPECT_EQ(decide(Access::signed_in, admin, ""), Verdict::allow);
  EXPECT_EQ(decide(Access::applicant, applicant, ""), Verdict::allow);
  EXPECT_EQ(decide(Access::applicant, officer, ""), Verdict::forbid);
  EXPECT_EQ(decide(Access::applicant, admin, ""), Verdict::forbid);
  EXPECT_EQ(decide(Access::admin, admin, ""), Verdict::allow);
  EXPECT_EQ(decide(Access::admin, supervisor, ""), Verdict::forbid);
  EXPECT_EQ(decide(Access::admin, applicant, ""), Verdict::forbid);
}

TEST(Access, AgencyRulesAdmitOnlyTheOwningAgency) {
  const auto officer = person(Role::officer, "bma");
  const auto supervisor = person(Role::supervisor, "bma");
  const auto other_officer = person(Role::officer, "dbd");
  EXPECT_EQ(decide(Access::agency_officer, officer, "bma"), Verdict::allow);
  EXPECT_EQ(decide(Access::agency_officer, supervisor, "bma"), Verdict::allow);
  EXPECT_EQ(decide(Access::agency_officer, other_officer, "bma"), Verdict::forbid);
  EXPECT_EQ(decide(Access::agency_supervisor, supervisor, "bma"), Verdict::allow);
  EXPECT_EQ(decide(Access::agency_supervisor, officer, "bma"), Verdict::forbid);
  EXPECT_EQ(decide(Access::agency_supervisor, person(Role::supervisor, "dbd"), "bma"),
            Verdict::forbid);
  // A route that names no resource (the agency's own queue) admits any officer...
  EXPECT_EQ(decide(Access::agency_officer, other_officer, ""), Verdict::allow);
  // ...but never someone without an agency, whatever their role says.
  EXPECT_EQ(decide(Access::agency_officer, person(Role::officer), ""), Verdict::forbid);
  // Administrators run the platform; an agency's applicants' data is not theirs to read.
  EXPECT_EQ(decide(Access::agency_officer, person(Role::admin), "bma"), Verdict::forbid);
  EXPECT_EQ(decide(Access::agency_officer, person(Role::applicant), "bma"), Verdict::forbid);
}

TEST(Access, RoleNamesRoundTrip) {
  for (auto role : {Role::applicant, Role::officer, Role::supervisor, Role::admin}) {
    EXPECT_EQ(parse_role(role_name(role)), role);
  }
  EXPECT_FALSE(parse_role("Admin").has_value());
  EXPECT_FALSE(parse_role("").has_value());
}

}  // namespace
}  // namespace pratu::web
