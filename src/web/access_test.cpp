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
  for (auto access :
       {Access::signed_in, Access::applicant, Access::agency_officer, Access::agency_supervisor,
        Access::agency_cashier, Access::agency_finance, Access::admin}) {
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

TEST(Access, TheMoneyRulesAdmitOnlyTheOwningAgencysStaffWithTheDuty) {
  auto with = [](Role role, std::string agency, unsigned duties) {
    Principal p = person(role, std::move(agency));
    p.duties = duties;
    return p;
  };
  const unsigned cashier = static_cast<unsigned>(Duty::cashier);
  const unsigned finance = static_cast<unsigned>(Duty::finance);
  // The duty, not the rank: a plain officer or supervisor keeps neither the till nor the books.
  EXPECT_EQ(decide(Access::agency_cashier, with(Role::officer, "bma", cashier), "bma"),
            Verdict::allow);
  EXPECT_EQ(decide(Access::agency_cashier, with(Role::supervisor, "bma", 0), "bma"),
            Verdict::forbid);
  EXPECT_EQ(decide(Access::agency_cashier, with(Role::officer, "bma", finance), "bma"),
            Verdict::forbid);
  EXPECT_EQ(decide(Access::agency_finance, with(Role::supervisor, "bma", finance), "bma"),
            Verdict::allow);
  EXPECT_EQ(decide(Access::agency_finance, with(Role::officer, "bma", cashier), "bma"),
            Verdict::forbid);
  EXPECT_EQ(decide(Access::agency_finance, with(Role::supervisor, "bma", 0), "bma"),
            Verdict::forbid);
  // A small office gives one officer both duties.
  const auto both = with(Role::officer, "bma", cashier | finance);
  EXPECT_EQ(decide(Access::agency_cashier, both, "bma"), Verdict::allow);
  EXPECT_EQ(decide(Access::agency_finance, both, "bma"), Verdict::allow);
  // Another agency's, or someone whose role has no agency, never pass.
  EXPECT_EQ(decide(Access::agency_cashier, with(Role::officer, "dbd", cashier), "bma"),
            Verdict::forbid);
  EXPECT_EQ(decide(Access::agency_finance, with(Role::admin, "", finance), "bma"), Verdict::forbid);
  EXPECT_EQ(decide(Access::agency_cashier, with(Role::applicant, "", cashier), ""),
            Verdict::forbid);
}

// A clerk works for the agency at its counter or on its books (docs/adr/0032): their duties
// admit them there as they admit an officer, and nothing admits them to its applications.
TEST(Access, AClerkHasTheirDutiesAndNothingOfTheApplications) {
  auto clerk = [](std::string agency, unsigned duties) {
    Principal p;
    p.user_id = 9;
    p.role = Role::clerk;
    p.agency_code = std::move(agency);
    p.duties = duties;
    return std::optional<Principal>(p);
  };
  const unsigned cashier = static_cast<unsigned>(Duty::cashier);
  const unsigned finance = static_cast<unsigned>(Duty::finance);
  EXPECT_EQ(decide(Access::agency_cashier, clerk("bma", cashier), "bma"), Verdict::allow);
  EXPECT_EQ(decide(Access::agency_finance, clerk("bma", finance), "bma"), Verdict::allow);
  EXPECT_EQ(decide(Access::agency_finance, clerk("bma", cashier), "bma"), Verdict::forbid);
  EXPECT_EQ(decide(Access::agency_cashier, clerk("bma", 0), "bma"), Verdict::forbid);
  EXPECT_EQ(decide(Access::agency_cashier, clerk("dbd", cashier), "bma"), Verdict::forbid);
  for (auto access :
       {Access::agency_officer, Access::agency_supervisor, Access::applicant, Access::admin}) {
    EXPECT_EQ(decide(access, clerk("bma", cashier | finance), "bma"), Verdict::forbid)
        << access_name(access);
    EXPECT_EQ(decide(access, clerk("bma", cashier | finance), ""), Verdict::forbid)
        << access_name(access);
  }
  EXPECT_EQ(decide(Access::signed_in, clerk("bma", 0), ""), Verdict::allow);
  EXPECT_TRUE(works_for_agency(Role::clerk));
  EXPECT_FALSE(is_agency_role(Role::clerk));
}

TEST(Access, DutyNamesRoundTrip) {
  for (auto duty : {Duty::cashier, Duty::finance}) {
    EXPECT_EQ(parse_duty(duty_name(duty)), duty);
  }
  EXPECT_FALSE(parse_duty("officer").has_value());
  EXPECT_FALSE(parse_duty("").has_value());
}

TEST(Access, RoleNamesRoundTrip) {
  for (auto role : {Role::applicant, Role::officer, Role::supervisor, Role::clerk, Role::admin}) {
    EXPECT_EQ(parse_role(role_name(role)), role);
  }
  EXPECT_FALSE(parse_role("Admin").has_value());
  EXPECT_FALSE(parse_role("").has_value());
}

}  // namespace
}  // namespace pratu::web
