#include "domains/accounts/accounts_validation.hpp"

#include <gtest/gtest.h>

#include "domains/accounts/accounts.hpp"
#include "domains/accounts/login_throttle.hpp"
#include "domains/accounts/password_policy.hpp"

namespace pratu::accounts {
namespace {

TEST(ParseLogin, TellsANationalIdFromAnEmail) {
  auto id = parse_login(" 1-2345-67890-12-1 ");
  EXPECT_EQ(id.kind, LoginName::Kind::national_id);
  EXPECT_EQ(id.value, "1234567890121");
  auto email = parse_login("Someone@Example.ORG");
  EXPECT_EQ(email.kind, LoginName::Kind::email);
  EXPECT_EQ(email.value, "someone@example.org");
  EXPECT_EQ(parse_login("somchai").kind, LoginName::Kind::unknown);
  EXPECT_EQ(parse_login("@").kind, LoginName::Kind::unknown);
}

TEST(NormalizeEmail, LowerCasesAndTrims) {
  EXPECT_EQ(normalize_email("  A.B+tag@Sub.Example.CO.TH "), "a.b+tag@sub.example.co.th");
}

TEST(NormalizeEmail, RefusesWhatCannotBeAnAddress) {
  for (const char* bad : {"", "plain", "@example.org", "a@", "a@b", "a@@b.org", "a@b@c.org",
                          "a b@example.org", "a@example..org", ".a@example.org", "a.@example.org",
                          "a@.example.org", "a@example.org.", "<a>@x.org", "a@-example.org"}) {
    EXPECT_FALSE(normalize_email(bad)) << bad;
  }
  EXPECT_FALSE(normalize_email(std::string(65, 'a') + "@example.org"));
}

TEST(NormalizeMobile, AcceptsThaiMobileNumbersInCommonShapes) {
  EXPECT_EQ(normalize_mobile("0812345678"), "0812345678");
  EXPECT_EQ(normalize_mobile("081-234-5678"), "0812345678");
  EXPECT_EQ(normalize_mobile("(09) 1234 5678"), "0912345678");
  EXPECT_EQ(normalize_mobile("+66 81 234 5678"), "0812345678");
  EXPECT_EQ(normalize_mobile("+66 081 234 5678"), "0812345678");
  EXPECT_EQ(normalize_mobile("66612345678"), "0612345678");
}

TEST(NormalizeMobile, RefusesLandlinesAndOtherCountries) {
  for (const char* bad : {"", "021234567", "0212345678", "0712345678", "081234567", "08123456789",
                          "+1 415 555 0100", "081234567x", "1812345678"}) {
    EXPECT_FALSE(normalize_mobile(bad)) << bad;
  }
}

TEST(FormatMobile, GroupsTenDigits) { EXPECT_EQ(format_mobile("0812345678"), "081-234-5678"); }

TEST(IsAcceptableName, AllowsThaiAndEnglishNamesOnly) {
  EXPECT_TRUE(is_acceptable_name("สมศักดิ์"));
  EXPECT_TRUE(is_acceptable_name("O'Brien-Smith"));
  EXPECT_FALSE(is_acceptable_name(""));
  EXPECT_FALSE(is_acceptable_name("a\nb"));
  EXPECT_FALSE(is_acceptable_name("<b>"));
  EXPECT_FALSE(is_acceptable_name("\xff"));
  EXPECT_FALSE(is_acceptable_name(std::string(101, 'a')));
  // 100 Thai characters are 300 bytes but within the limit.
  std::string thai;
  for (int i = 0; i < 100; ++i) thai += "ก";
  EXPECT_TRUE(is_acceptable_name(thai));
}

TEST(CheckName, KeepsThaiAndEnglishNamesAndStoresThemInNfc) {
  EXPECT_EQ(check_name("  สมศักดิ์ ").value, "สมศักดิ์");
  EXPECT_EQ(check_name("O'Brien-Smith").problem, NameProblem::none);
  // "e" + combining acute is stored as the one precomposed letter.
  auto decomposed = check_name("Rene\u0301e");
  EXPECT_EQ(decomposed.problem, NameProblem::none);
  EXPECT_EQ(decomposed.value, "Ren\u00e9e");
  // Thai vowel and tone marks after their consonant are ordinary Thai.
  EXPECT_EQ(check_name("\u0e01\u0e34\u0e48\u0e07").problem, NameProblem::none);
  EXPECT_EQ(check_name("").problem, NameProblem::empty);
  EXPECT_EQ(check_name("<b>").problem, NameProblem::invalid);
}

TEST(CheckName, RefusesBidiControls) {
  for (const char* name :
       {"Ali\u202ece", "\u202bsomchai", "x\u202a", "x\u202cy", "x\u202dy", "\u2066x\u2069",
        "x\u2067y", "x\u2068y", "\u200fname", "name\u200e", "\u061cname"}) {
    EXPECT_EQ(check_name(name).problem, NameProblem::bidi_control) << name;
    EXPECT_EQ(check_name(name).value, "");
  }
}

TEST(CheckName, RefusesValuesWithNothingVisible) {
  for (const char* name :
       {"\u200b", "\u200b\u200c\u200d", "\ufeff", "\u00ad", "\u2060", "\u200b \u3000\u00a0"}) {
    EXPECT_EQ(check_name(name).problem, NameProblem::invisible) << name;
  }
}

TEST(CheckName, RefusesValuesThatStartWithACombiningMark) {
  for (const char* name :
       {"\u0e34\u0e48", "\u0e48", "\u0301abc", "\u20dd", "\u200b\u0e48\u0e01", "\u0e31\u0e01"}) {
    EXPECT_EQ(check_name(name).problem, NameProblem::starts_with_mark) << name;
  }
}

TEST(CheckName, HasAMessageKeyPerFieldAndProblem) {
  EXPECT_EQ(name_problem_key("given_name", NameProblem::bidi_control),
            "accounts.errors.given_name_bidi");
  EXPECT_EQ(name_problem_key("family_name", NameProblem::starts_with_mark),
            "accounts.errors.family_name_starts_with_mark");
  EXPECT_EQ(name_problem_key("family_name", NameProblem::empty),
            "accounts.errors.family_name_required");
  EXPECT_EQ(name_problem_key("given_name", NameProblem::none), "");
}

TEST(Titles, AreTheFixedList) {
  EXPECT_TRUE(is_title_code("mr"));
  EXPECT_TRUE(is_title_code("ms"));
  EXPECT_FALSE(is_title_code("Mr"));
  EXPECT_FALSE(is_title_code(""));
}

TEST(PasswordPolicy, CountsCodePointsNotBytes) {
  PasswordPolicy policy;
  // 11 Thai letters: 33 bytes, still too short.
  EXPECT_EQ(check_password(policy, "กขคฆงจฉชซฌญ", {}), "accounts.errors.password_too_short");
  EXPECT_EQ(check_password(policy, "กขคฆงจฉชซฌญฎ", {}), std::nullopt);
}

TEST(PasswordPolicy, AcceptsALongPassphraseWithoutCompositionRules) {
  EXPECT_EQ(check_password({}, "correct horse battery staple", {}), std::nullopt);
  EXPECT_EQ(check_password({}, std::string(128, 'x').replace(0, 1, "y"), {}), std::nullopt);
}

TEST(PasswordPolicy, RefusesRunsRepeatsAndCommonOnes) {
  for (const char* common : {"123456789012", "abcdefghijklm", "987654321098", "7890123456789",
                             "zzzzzzzzzzzz", "QWERTY123456", "password1234"}) {
    EXPECT_EQ(check_password({}, common, {}), "accounts.errors.password_common") << common;
  }
}

TEST(PasswordPolicy, RefusesThePersonsOwnIdOrEmail) {
  std::initializer_list<std::string_view> personal = {"1234567890121", "somchai.j@example.org"};
  EXPECT_EQ(check_password({}, "1-2345-67890-12-1", personal), "accounts.errors.password_personal");
  EXPECT_EQ(check_password({}, "SomChai.J@example.org", personal),
            "accounts.errors.password_personal");
  EXPECT_EQ(check_password({}, "somchai.j@example", {"somchai.j@example"}),
            "accounts.errors.password_personal");
  EXPECT_EQ(check_password({}, "somchai.j.2567", personal), std::nullopt);
}

TEST(AddressKey, GroupsIpv6ByItsSlash64) {
  EXPECT_EQ(address_key("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(address_key("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(address_key("2001:db8:1:2::ffff"), "2001:db8:1:2::/64");
  EXPECT_EQ(address_key("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(address_key("not an address"), "not an address");
}

TEST(RetryMinutes, RoundsUpToWholeMinutes) {
  EXPECT_EQ(retry_minutes(1), 1);
  EXPECT_EQ(retry_minutes(60), 1);
  EXPECT_EQ(retry_minutes(61), 2);
  EXPECT_EQ(retry_minutes(900), 15);
}

TEST(Role, RoundTripsItsName) {
  for (Role role : {Role::applicant, Role::officer, Role::admin}) {
    EXPECT_EQ(parse_role(role_name(role)), role);
  }
  EXPECT_FALSE(parse_role("root"));
}

TEST(User, DisplaysTheNameElseTheEmailElseTheMaskedId) {
  User u;
  u.national_id = "1234567890121";
  EXPECT_EQ(u.display_name(), "1-2345-xxxxx-xx-1");
  u.email = "a@example.org";
  EXPECT_EQ(u.display_name(), "a@example.org");
  u.given_name = "สมชาย";
  u.family_name = "ใจดี";
  EXPECT_EQ(u.display_name(), "สมชาย ใจดี");
}

}  // namespace
}  // namespace pratu::accounts
