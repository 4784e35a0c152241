#include "domains/applications/expression.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <limits>
#include <string>
#include <vector>

namespace pratu::applications {
namespace {

namespace json = boost::json;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

using Fields = std::map<std::string, Symbol, std::less<>>;

Symbol field(ValueType type, std::vector<std::string> codes = {}, Fields fields = {}) {
  return Symbol{type, std::move(codes), std::move(fields)};
}

// A form's fields as the form loader would resolve them.
const Fields& form_fields() {
  static const Fields fields = {
      {"has_business", field(ValueType::code, {"yes", "no"})},
      {"a", field(ValueType::code, {"x", "y"})},
      {"b", field(ValueType::code, {"x", "y"})},
      {"zone", field(ValueType::code, {"01", "1", "2"})},
      {"n", field(ValueType::integer)},
      {"age", field(ValueType::integer)},
      {"fee_satang", field(ValueType::integer)},
      {"name", field(ValueType::text)},
      {"opened_on", field(ValueType::date)},
      {"birth_date", field(ValueType::date)},
      {"declaration", field(ValueType::boolean)},
      {"languages", field(ValueType::codes, {"th", "en", "zh", "none"})},
      {"address", field(ValueType::record, {},
                        {{"province", field(ValueType::code, {"10", "11", "50"})},
                         {"house_no", field(ValueType::text)}})},
      {"members", field(ValueType::items, {},
                        {{"relation", field(ValueType::code, {"spouse", "child", "other"})},
                         {"relation_other", field(ValueType::text)},
                         {"share", field(ValueType::integer)},
                         {"born", field(ValueType::date)},
                         {"address", field(ValueType::record, {},
                                           {{"province", field(ValueType::code, {"10"})}})}})},
  };
  return fields;
}

const Symbol* members_symbol() { return &form_fields().at("members"); }

SymbolLookup form_lookup() {
  return [](std::string_view id) -> const Symbol* {
    const auto it = form_fields().find(id);
    return it == form_fields().end() ? nullptr : &it->second;
  };
}

Result<Expression> compile(std::string_view source, ValueType expected = ValueType::boolean,
                           const Symbol* item = nullptr) {
  return Expression::compile(source, form_lookup(), item, expected);
}

// The load error's detail, or "" when `source` compiles.
std::string load_error(std::string_view source, ValueType expected = ValueType::boolean,
                       const Symbol* item = nullptr) {
  auto compiled = compile(source, expected, item);
  return compiled ? "" : compiled.error().detail;
}

json::object answers(std::string_view text) { return json::parse(text).as_object(); }

constexpr year_month_day kToday{year{2024}, month{3}, day{15}};

Environment environment(const json::object& values, const json::object* item = nullptr,
                        year_month_day today = kToday) {
  Environment env;
  env.answer = [&values](std::string_view id) -> const json::value* {
    const auto it = values.find(id);
    return it == values.end() ? nullptr : &it->value();
  };
  env.item = item;
  env.today = today;
  return env;
}

// Whether the boolean expression holds for `values`; a load error fails the test.
bool holds(std::string_view source, const json::object& values = {},
           const json::object* item = nullptr) {
  auto compiled = compile(source, ValueType::boolean, item != nullptr ? members_symbol() : nullptr);
  EXPECT_TRUE(compiled) << source << ": " << compiled.error().detail;
  return compiled && compiled->holds(environment(values, item));
}

std::optional<std::int64_t> integer(std::string_view source, const json::object& values = {}) {
  auto compiled = compile(source, ValueType::integer);
  EXPECT_TRUE(compiled) << source << ": " << compiled.error().detail;
  if (!compiled) return std::nullopt;
  return compiled->integer(environment(values));
}

// ---- Grammar and precedence ----

TEST(Expression, ReadsEveryKindOfLiteral) {
  EXPECT_TRUE(holds("true"));
  EXPECT_FALSE(holds("false"));
  EXPECT_TRUE(holds("42 = 42"));
  EXPECT_TRUE(holds("'ก' = 'ก'"));
  EXPECT_TRUE(holds("date'2024-02-29' < date'2024-03-01'"));
  EXPECT_TRUE(holds(" \t\n( true )\r\n"));
}

TEST(Expression, NotBindsTighterThanAndWhichBindsTighterThanOr) {
  EXPECT_TRUE(holds("true or false and false"));  // true or (false and false)
  EXPECT_FALSE(holds("not true or false"));       // (not true) or false
  EXPECT_FALSE(holds("not false and false"));     // (not false) and false
  EXPECT_TRUE(holds("not (false and false)"));
  EXPECT_TRUE(holds("not not true"));
  EXPECT_FALSE(holds("(true or false) and false"));
}

TEST(Expression, OrOfTwoInequalitiesFollowsNormalPrecedence) {
  // forms.md §5 case 6 (surveyjs#10292): a != 'x' or b != 'x'.
  const std::string source = "${a} != 'x' or ${b} != 'x'";
  EXPECT_FALSE(holds(source, answers(R"({"a": "x", "b": "x"})")));
  EXPECT_TRUE(holds(source, answers(R"({"a": "x", "b": "y"})")));
  EXPECT_TRUE(holds(source, answers(R"({"a": "y", "b": "x"})")));
  EXPECT_TRUE(holds("${a} = 'x' and ${b} = 'y' or ${a} = 'y'", answers(R"({"a": "y"})")));
}

TEST(Expression, MultipliesBeforeAddingAndSubtractsLeftToRight) {
  EXPECT_EQ(integer("1 + 2 * 3"), 7);
  EXPECT_EQ(integer("(1 + 2) * 3"), 9);
  EXPECT_EQ(integer("10 - 2 - 3"), 5);
  EXPECT_EQ(integer("2 * 3 * 4 - 4"), 20);
  EXPECT_TRUE(holds("1 + 1 = 2"));
  EXPECT_TRUE(holds("2 * 3 > 5 and 1 - 1 = 0"));
}

TEST(Expression, UnaryMinusNegatesAndNests) {
  EXPECT_EQ(integer("-2 * 3"), -6);
  EXPECT_EQ(integer("- -2"), 2);
  EXPECT_EQ(integer("2 - -3"), 5);
  EXPECT_EQ(integer("-(1 + 2)"), -3);
  EXPECT_EQ(integer("-${n}", answers(R"({"n": 7})")), -7);
}

TEST(Expression, ComparesWithEveryRelationalOperator) {
  const json::object five = answers(R"({"n": 5})");
  EXPECT_TRUE(holds("${n} = 5", five));
  EXPECT_TRUE(holds("${n} != 4", five));
  EXPECT_TRUE(holds("${n} < 6", five));
  EXPECT_FALSE(holds("${n} < 5", five));
  EXPECT_TRUE(holds("${n} <= 5", five));
  EXPECT_TRUE(holds("${n} > 4", five));
  EXPECT_FALSE(holds("${n} > 5", five));
  EXPECT_TRUE(holds("${n} >= 5", five));
  EXPECT_FALSE(holds("${n} >= 6", five));
}

TEST(Expression, RefusesChainedComparisons) {
  EXPECT_EQ(load_error("1 < 2 < 3"), "at 7: unexpected '<'; join comparisons with and");
}

// ---- Errors at load ----

TEST(ExpressionLoad, NamesTheProblemAndItsPositionInCharacters) {
  EXPECT_EQ(load_error("${has_business} = 'maybe'"),
            "at 19: 'maybe' is not a code of has_business (yes, no)");
  // Positions count characters, not bytes: each Thai letter is one.
  EXPECT_EQ(load_error("'ไทย' = ${x}"),
            "at 9: no field 'x' can be named here (it is unknown, or on a later page)");
}

TEST(ExpressionLoad, RefusesMalformedText) {
  EXPECT_EQ(load_error(""), "at 1: the expression is empty");
  EXPECT_EQ(load_error("   "), "at 1: the expression is empty");
  EXPECT_EQ(load_error("${name} = 'abc"), "at 11: the text that starts here has no closing quote");
  EXPECT_EQ(load_error("${name} = \"abc\""), "at 11: text is written in single quotes, like 'yes'");
  EXPECT_EQ(load_error("$name = 'a'"), "at 1: expected '{' after '$', like ${age}");
  EXPECT_EQ(load_error("${} = 1"),
            "at 3: expected a field id (letters, digits and _), like ${age}");
  EXPECT_EQ(load_error("${n = 1"), "at 4: expected '}' to close the '${' at 1");
  EXPECT_EQ(load_error("${1n} = 1"),
            "at 3: expected a field id (letters, digits and _), like ${age}");
  EXPECT_EQ(load_error("${n} ! 1"), "at 6: unexpected '!'; write != or not");
  EXPECT_EQ(load_error("${n} == 1"), "at 7: expected a value, found '='");
  EXPECT_EQ(load_error("${n} ≥ 1"), "at 6: unexpected character '≥'");
  EXPECT_EQ(load_error("(${n} = 1"), "at 10: expected ')' to close the '(' at 1, found end");
  EXPECT_EQ(load_error("${n} = 1)"), "at 9: unexpected ')'");
  EXPECT_EQ(load_error("${n} ="), "at 7: the expression ends where a value is expected");
  EXPECT_EQ(load_error("${n} = 1 and"), "at 13: the expression ends where a value is expected");
  EXPECT_EQ(load_error("${name} = 'a\xff'"), "at 13: invalid UTF-8");
}

TEST(ExpressionLoad, RefusesWordsOutsideTheLanguage) {
  EXPECT_EQ(load_error("${declaration} = True"),
            "at 18: unknown word 'True'; write true in lower case");
  EXPECT_EQ(load_error("true AND false"), "at 6: unexpected 'AND'; write and in lower case");
  EXPECT_EQ(load_error("AND"), "at 1: unknown word 'AND'; write and in lower case");
  EXPECT_EQ(load_error("age > 18"), "at 1: unknown word 'age'; a field is written ${age}");
  EXPECT_EQ(load_error("today > date'2024-01-01'"), "at 1: 'today' is a function: write today(…)");
  EXPECT_EQ(load_error("and"), "at 1: expected a value, found 'and'");
}

TEST(ExpressionLoad, OffersOnlyTheClosedListOfFunctions) {
  EXPECT_EQ(load_error("matches(${name}, 'a.*')"),
            "at 1: 'matches' is not a function (answered, selected, count, sum, today, "
            "years_between, days_between, length)");
  EXPECT_EQ(load_error("${n} / 2 = 1"), "at 6: unexpected character '/'");
  EXPECT_EQ(load_error("answered(1)"), "at 10: expected answered(${field}), found '1'");
  EXPECT_EQ(load_error("selected(${languages})"),
            "at 22: expected selected(${field}, 'code'), found ')'");
  EXPECT_EQ(load_error("selected(${languages}, ${name})"),
            "at 24: expected selected(${field}, 'code'), found '${name}'");
  EXPECT_EQ(load_error("today(1) = today()"), "at 7: expected today(), found '1'");
  EXPECT_EQ(load_error("count(${members}, 1) > 0"), "at 17: expected count(${field}), found ','");
}

TEST(ExpressionLoad, RefusesUnknownFieldsAndComparesIdsExactly) {
  EXPECT_EQ(load_error("${nope} = 1"),
            "at 1: no field 'nope' can be named here (it is unknown, or on a later page)");
  EXPECT_EQ(load_error("${Age} > 18"),
            "at 1: no field 'Age' can be named here (it is unknown, or on a later page)");
  EXPECT_EQ(load_error("${age} > 18"), "");
}

TEST(ExpressionLoad, RefusesWhatTheLookupRefusesSuchAsALaterPage) {
  Symbol later = field(ValueType::code, {"yes"});
  SymbolLookup earlier_only = [&](std::string_view id) -> const Symbol* {
    return id == "later" ? nullptr : &later;
  };
  auto compiled = Expression::compile("${later} = 'yes'", earlier_only);
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(compiled.error().detail,
            "at 1: no field 'later' can be named here (it is unknown, or on a later page)");
  EXPECT_TRUE(Expression::compile("${earlier} = 'yes'", earlier_only));
  // An empty lookup names nothing, and does not throw.
  EXPECT_FALSE(Expression::compile("${earlier} = 'yes'", SymbolLookup{}));
}

TEST(ExpressionLoad, RefusesTypeErrors) {
  // forms.md §2.2 and §5 cases 7 and 8: no coercion between text and numbers or dates.
  EXPECT_EQ(load_error("${age} > '18'"),
            "at 8: cannot compare a whole number with text; write a whole number without quotes");
  EXPECT_EQ(load_error("${fee_satang} >= '100'"),
            "at 15: cannot compare a whole number with text; write a whole number without quotes");
  EXPECT_EQ(load_error("${opened_on} <= '2024-01-01'"),
            "at 14: cannot compare a date with text; write a date as date'2024-02-29'");
  EXPECT_EQ(load_error("${declaration} = 'True'"),
            "at 16: cannot compare true/false with text; write true or false without quotes");
  EXPECT_EQ(load_error("${name} > 'a'"), "at 9: '>' compares whole numbers or dates, not text");
  EXPECT_EQ(load_error("${a} < ${b}"), "at 6: '<' compares whole numbers or dates, not a code");
  EXPECT_EQ(load_error("${zone} = 1"), "at 9: cannot compare a code with a whole number");
  EXPECT_EQ(load_error("${name} = ${a}"), "at 9: cannot compare text with a code");
  EXPECT_EQ(load_error("${age} + ${opened_on} > 1"),
            "at 10: '+' needs whole numbers, not a date; use days_between() or years_between()");
  EXPECT_EQ(load_error("${name} * 2 > 1"), "at 1: '*' needs a whole number, not text");
  EXPECT_EQ(load_error("-${name} = 1"), "at 2: '-' needs a whole number, not text");
  EXPECT_EQ(load_error("${age} and true"), "at 1: 'and' needs true/false, not a whole number");
  EXPECT_EQ(load_error("true or 'yes'"), "at 9: 'or' needs true/false, not text");
  EXPECT_EQ(load_error("not ${age}"), "at 5: 'not' needs true/false, not a whole number");
  EXPECT_EQ(load_error("years_between(${age}, today()) > 1"),
            "at 15: years_between() needs a date, not a whole number");
}

TEST(ExpressionLoad, RefusesEqualsOnAMultipleChoice) {
  EXPECT_EQ(load_error("${languages} = 'th'"),
            "at 1: languages is a multiple choice: use selected(${languages}, 'code') or "
            "count(${languages})");
  EXPECT_EQ(load_error("selected(${languages}, 'th')"), "");
}

TEST(ExpressionLoad, RefusesACodeNotInTheFieldsList) {
  EXPECT_EQ(load_error("selected(${languages}, 'fr')"),
            "at 24: 'fr' is not a code of languages (th, en, zh, none)");
  EXPECT_EQ(load_error("'maybe' != ${has_business}"),
            "at 1: 'maybe' is not a code of has_business (yes, no)");
  EXPECT_EQ(load_error("${has_business} in ['yes', 'perhaps']"),
            "at 28: 'perhaps' is not a code of has_business (yes, no)");
  EXPECT_EQ(load_error("${address.province} = '99'"),
            "at 23: '99' is not a code of address.province (10, 11, 50)");
}

TEST(ExpressionLoad, ChecksCodesThatStartWithADigitAsCodes) {
  // forms.md §5 case 7 (surveyjs#1039): '01' and '1' are different codes, never numbers.
  EXPECT_EQ(load_error("${zone} = '01'"), "");
  EXPECT_EQ(load_error("${zone} = '001'"), "at 11: '001' is not a code of zone (01, 1, 2)");
  EXPECT_TRUE(holds("${zone} = '01'", answers(R"({"zone": "01"})")));
  EXPECT_FALSE(holds("${zone} = '1'", answers(R"({"zone": "01"})")));
  EXPECT_FALSE(holds("${zone} = '01'", answers(R"({"zone": 1})")));
}

TEST(ExpressionLoad, RefusesAListOrRecordWhereAValueIsNeeded) {
  EXPECT_EQ(load_error("${members} = 1"),
            "at 1: members is a repeat: use count(${members}) or sum(${members.field})");
  EXPECT_EQ(load_error("${address} = 'x'"),
            "at 1: address is a record: name one of its parts, like ${address.part}");
  EXPECT_EQ(load_error("${members.share} > 1"),
            "at 1: members is a repeat: only count() and sum() reach into it, like "
            "sum(${members.share})");
  EXPECT_EQ(load_error("${address.street} = 'x'"), "at 1: address has no part 'street'");
  EXPECT_EQ(load_error("${age.years} = 1"), "at 1: age is a whole number and has no parts");
}

TEST(ExpressionLoad, ChecksEachFunctionsArguments) {
  EXPECT_EQ(load_error("selected(${age}, 'x')"),
            "at 10: selected() needs a choice, but age is a whole number");
  EXPECT_EQ(load_error("count(${name}) > 1"),
            "at 7: count() needs a multiple choice or a repeat, but name is text");
  EXPECT_EQ(load_error("sum(${age}) > 1"),
            "at 5: sum() adds up one field of a repeat's items, like sum(${members.share})");
  EXPECT_EQ(load_error("sum(${members.relation}) > 1"),
            "at 5: sum() needs whole numbers, but members.relation is a code");
  EXPECT_EQ(load_error("sum(${members.nope}) > 1"), "at 5: an item of members has no field 'nope'");
  EXPECT_EQ(load_error("length(${age}) > 1"),
            "at 8: length() needs text, but age is a whole number");
  EXPECT_EQ(load_error("days_between(${name}, today()) > 1"),
            "at 14: days_between() needs a date, not text");
}

TEST(ExpressionLoad, RefusesAResultOfTheWrongType) {
  EXPECT_EQ(load_error("${age}"),
            "at 1: the expression gives a whole number, but true/false is needed here");
  EXPECT_EQ(load_error("${age} > 18", ValueType::integer),
            "at 1: the expression gives true/false, but a whole number is needed here");
  EXPECT_EQ(load_error("${age} * 2", ValueType::integer), "");
  EXPECT_EQ(load_error("${members}", ValueType::items), "at 1: an expression cannot give a repeat");
}

TEST(ExpressionLoad, RefusesEmptyTextAndTextThatIsOnlyWhitespace) {
  EXPECT_EQ(load_error("${name} = ''"),
            "at 11: empty text cannot be compared; test for an answer with answered()");
  EXPECT_EQ(load_error("${name} != ' \u00a0 '"),
            "at 12: empty text cannot be compared; test for an answer with answered()");
}

TEST(ExpressionLoad, ChecksDateLiterals) {
  EXPECT_EQ(load_error("${opened_on} < date'2023-02-29'"),
            "at 16: '2023-02-29' is not a date; write date'2024-02-29'");
  EXPECT_EQ(load_error("${opened_on} < date'2024-2-1'"),
            "at 16: '2024-2-1' is not a date; write date'2024-02-29'");
  EXPECT_EQ(load_error("${opened_on} < date'2024-02-29'"), "");
}

TEST(ExpressionLoad, RefusesAnIntegerLiteralBeyondSixtyFourBits) {
  EXPECT_EQ(load_error("${n} < 9223372036854775808"),
            "at 8: 9223372036854775808 is too large for a whole number");
  EXPECT_TRUE(holds("${n} < 9223372036854775807", answers(R"({"n": 1})")));
}

// ---- Limits ----

TEST(ExpressionLimits, AcceptsFiveHundredCharactersAndNoMore) {
  // Thai letters count one character each although each is three bytes.
  const std::string base = "${name} = '";
  const std::string fits = base + std::string(std::size_t{500} - base.size() - 1, 'a') + "'";
  EXPECT_EQ(load_error(fits), "");
  std::string thai = base;
  for (std::size_t i = 0; i < 500 - base.size() - 1; ++i) thai += "ก";
  EXPECT_EQ(load_error(thai + "'"), "");
  EXPECT_EQ(load_error(thai + "ก'"), "at 501: longer than 500 characters");
}

TEST(ExpressionLimits, AcceptsSixteenLevelsOfNestingAndNoMore) {
  auto parenthesised = [](int levels) {
    return std::string(static_cast<std::size_t>(levels), '(') + "true" +
           std::string(static_cast<std::size_t>(levels), ')');
  };
  EXPECT_EQ(load_error(parenthesised(16)), "");
  EXPECT_EQ(load_error(parenthesised(17)), "at 17: nested more than 16 deep");
  // Each `not` is a level of the tree; the literal under fifteen of them is the sixteenth.
  std::string nots;
  for (int i = 0; i < 15; ++i) nots += "not ";
  EXPECT_EQ(load_error(nots + "true"), "");
  EXPECT_EQ(load_error("not " + nots + "true"), "at 1: nested more than 16 deep");
  // Deep input is refused without deep recursion.
  EXPECT_EQ(load_error(std::string(400, '(')), "at 17: nested more than 16 deep");
  EXPECT_EQ(load_error(std::string(400, '-') + "1", ValueType::integer),
            "at 17: nested more than 16 deep");
}

TEST(ExpressionLimits, AcceptsTwoHundredFiftySixPartsAndNoMore) {
  // "-1*" is two parts (a negation and a literal); the product is one more.
  std::string product;
  for (int i = 0; i < 127; ++i) product += "-1*";
  EXPECT_EQ(load_error(product + "1", ValueType::integer), "");  // 254 + 1 + 1
  EXPECT_EQ(load_error(product + "-1", ValueType::integer),
            "at 1: more than 256 parts in one expression");  // 256 + 1
}

TEST(ExpressionLimits, KeepsLongChainsFlatSoTheyDoNotCountAsDepth) {
  std::string alternatives = "${n} = 0";
  for (int i = 1; i < 30; ++i) alternatives += " or ${n} = " + std::to_string(i);
  EXPECT_TRUE(holds(alternatives, answers(R"({"n": 29})")));
  std::string total = "1";
  for (int i = 0; i < 100; ++i) total += "+1";
  EXPECT_EQ(integer(total), 101);
}

// ---- References ----

TEST(ExpressionReferences, ListsTopLevelFieldsOnceInOrderOfFirstAppearance) {
  auto compiled = compile(
      "${b} = 'x' or ${a} = 'y' and ${b} != 'y' or ${address.province} = '10' or "
      "sum(${members.share}) > 0");
  ASSERT_TRUE(compiled) << compiled.error().detail;
  EXPECT_EQ(compiled->references(), (std::vector<std::string>{"b", "a", "address", "members"}));
  EXPECT_EQ(compiled->source(),
            "${b} = 'x' or ${a} = 'y' and ${b} != 'y' or ${address.province} = '10' or "
            "sum(${members.share}) > 0");
}

TEST(ExpressionReferences, LeavesTheCurrentRepeatItemOut) {
  auto compiled =
      compile("${item.relation} = 'other' and ${age} > 18", ValueType::boolean, members_symbol());
  ASSERT_TRUE(compiled) << compiled.error().detail;
  EXPECT_EQ(compiled->references(), std::vector<std::string>{"age"});
}

// ---- Absent answers (forms.md §2.2) ----

TEST(ExpressionAbsent, EqualsIsFalseAndNotEqualsIsTrue) {
  // forms.md §5 case 6 (cht-core#7222, surveyjs#377).
  EXPECT_FALSE(holds("${n} < 10"));
  EXPECT_TRUE(holds("${n} != 5"));
  EXPECT_FALSE(holds("${n} = 5"));
  EXPECT_FALSE(holds("${has_business} = 'yes'"));
  EXPECT_TRUE(holds("${has_business} != 'yes'"));
  EXPECT_FALSE(holds("${declaration}"));
  EXPECT_FALSE(holds("${declaration} = false"));
}

TEST(ExpressionAbsent, OrderingIsAbsentAndAnAbsentConditionIsFalse) {
  // The asymmetry of §2.2: with n absent, not (n > 5) holds but n <= 5 does not.
  EXPECT_TRUE(holds("not (${n} > 5)"));
  EXPECT_FALSE(holds("${n} <= 5"));
  EXPECT_FALSE(holds("${n} > 5"));
  EXPECT_FALSE(holds("(${n} > 5) = false"));
  EXPECT_FALSE(holds("${opened_on} <= today()"));
  EXPECT_TRUE(holds("not (${opened_on} <= today())"));
}

TEST(ExpressionAbsent, ArithmeticWithAnAbsentOperandIsAbsent) {
  EXPECT_EQ(integer("${n} + 1"), std::nullopt);
  EXPECT_EQ(integer("2 * ${n}"), std::nullopt);
  EXPECT_EQ(integer("-${n}"), std::nullopt);
  EXPECT_FALSE(holds("${n} + 1 > 0"));
  EXPECT_FALSE(holds("${n} * 0 = 0"));
  EXPECT_TRUE(holds("not (${n} - 1 < 0)"));
  EXPECT_EQ(integer("${n} + 1", answers(R"({"n": 1})")), 2);
}

TEST(ExpressionAbsent, AnswersOfTheWrongTypeAreAbsent) {
  EXPECT_FALSE(holds("${n} = 100", answers(R"({"n": "100"})")));
  EXPECT_FALSE(holds("${n} = 100", answers(R"({"n": 100.0})")));
  EXPECT_FALSE(holds("${n} = 1", answers(R"({"n": true})")));
  EXPECT_FALSE(holds("${declaration} = true", answers(R"({"declaration": "true"})")));
  EXPECT_TRUE(holds("${declaration} != true", answers(R"({"declaration": "True"})")));
  EXPECT_FALSE(holds("${name} = 'x'", answers(R"({"name": ["x"]})")));
  EXPECT_FALSE(holds("${has_business} = 'yes'", answers(R"({"has_business": "YES"})")));
  EXPECT_FALSE(holds("answered(${has_business})", answers(R"({"has_business": "maybe"})")));
  EXPECT_FALSE(holds("answered(${opened_on})", answers(R"({"opened_on": "2024-02-30"})")));
  EXPECT_FALSE(holds("answered(${opened_on})", answers(R"({"opened_on": "2024-2-29"})")));
  EXPECT_FALSE(holds("answered(${n})", answers(R"({"n": 18446744073709551615})")));
  EXPECT_TRUE(holds("answered(${n})", answers(R"({"n": 9223372036854775807})")));
}

TEST(ExpressionAbsent, AnsweredTellsAnswersFromAbsence) {
  EXPECT_TRUE(holds("answered(${name})", answers(R"({"name": "สมชาย"})")));
  EXPECT_FALSE(holds("answered(${name})"));
  EXPECT_FALSE(holds("answered(${name})", answers(R"({"name": null})")));
  EXPECT_TRUE(holds("answered(${declaration})", answers(R"({"declaration": false})")));
  EXPECT_TRUE(holds("answered(${members})", answers(R"({"members": []})")));  // asked, none
  EXPECT_TRUE(holds("answered(${address})", answers(R"({"address": {}})")));
  EXPECT_FALSE(holds("answered(${address})", answers(R"({"address": "10"})")));
}

// ---- Text ----

TEST(ExpressionText, ComparesTextInNfcWithoutSurroundingWhitespace) {
  // "Renée" typed with a combining acute accent, and with spaces around it.
  EXPECT_TRUE(holds("${name} = 'Renée'", answers("{\"name\": \" Rene\\u0301e\\t\"}")));
  EXPECT_TRUE(holds("${name} = 'Rene\u0301e'", answers(R"({"name": "Renée"})")));
  EXPECT_TRUE(holds("${name} = '  สมชาย '", answers("{\"name\": \"\\u00a0สมชาย\\u3000\"}")));
  EXPECT_FALSE(holds("${name} = 'renée'", answers(R"({"name": "Renée"})")));
}

TEST(ExpressionText, TakesWhitespaceAloneAsUnanswered) {
  const json::object blank = answers("{\"name\": \" \\t\\u00a0\\u3000\\n\"}");
  EXPECT_FALSE(holds("answered(${name})", blank));
  EXPECT_TRUE(holds("${name} != 'x'", blank));
  EXPECT_FALSE(holds("length(${name}) = 0", blank));
  EXPECT_FALSE(holds("answered(${name})", answers(R"({"name": ""})")));
}

TEST(ExpressionText, TakesTextThatIsNotUtf8AsAbsent) {
  json::object values;
  values["name"] = "ab\xff";
  EXPECT_FALSE(holds("answered(${name})", values));
}

TEST(ExpressionText, CountsLengthInCodePoints) {
  // "กี่" is three code points (one grapheme), as JSON Schema's maxLength counts it.
  EXPECT_EQ(integer("length(${name})", answers(R"({"name": "กี่"})")), 3);
  EXPECT_EQ(integer("length(${name})", answers(R"({"name": "  ab  "})")), 2);
  EXPECT_EQ(integer("length(${name})", answers("{\"name\": \"e\\u0301\"}")), 1);  // NFC: é
  EXPECT_EQ(integer("length(${name})"), std::nullopt);
  EXPECT_EQ(integer("length(${has_business})", answers(R"({"has_business": "yes"})")), 3);
}

// ---- Choices ----

TEST(ExpressionChoices, SelectedTestsOneCodeOfAMultipleChoice) {
  const json::object chosen = answers(R"({"languages": ["th", "zh"], "has_business": "no"})");
  EXPECT_TRUE(holds("selected(${languages}, 'th')", chosen));
  EXPECT_FALSE(holds("selected(${languages}, 'en')", chosen));
  EXPECT_FALSE(holds("selected(${languages}, 'th')"));
  EXPECT_TRUE(holds("not selected(${languages}, 'th')"));
  EXPECT_TRUE(holds("selected(${has_business}, 'no')", chosen));
  EXPECT_FALSE(holds("selected(${has_business}, 'yes')", chosen));
  // ODK's "none excludes the others" rule.
  EXPECT_FALSE(holds("not (selected(${languages}, 'none') and count(${languages}) > 1)",
                     answers(R"({"languages": ["none", "th"]})")));
}

TEST(ExpressionChoices, CountsSelectedCodes) {
  EXPECT_EQ(integer("count(${languages})", answers(R"({"languages": ["th", "en"]})")), 2);
  EXPECT_EQ(integer("count(${languages})", answers(R"({"languages": []})")), 0);
  EXPECT_EQ(integer("count(${languages})"), 0);
}

TEST(ExpressionChoices, TakesAMultipleChoiceOfUnknownOrRepeatedCodesAsAbsent) {
  for (const char* bad : {R"({"languages": ["th", "fr"]})", R"({"languages": ["th", "th"]})",
                          R"({"languages": ["th", 1]})", R"({"languages": "th"})",
                          R"({"languages": ["th", "en", "zh", "none", "th"]})"}) {
    EXPECT_FALSE(holds("answered(${languages})", answers(bad))) << bad;
    EXPECT_FALSE(holds("selected(${languages}, 'th')", answers(bad))) << bad;
  }
}

TEST(ExpressionChoices, InMatchesAnyOfTheListedLiterals) {
  const json::object yes = answers(R"({"has_business": "yes", "n": -2, "name": "ข"})");
  EXPECT_TRUE(holds("${has_business} in ['no', 'yes']", yes));
  EXPECT_FALSE(holds("${has_business} in ['no']", yes));
  EXPECT_TRUE(holds("${n} in [1, -2, 3]", yes));
  EXPECT_FALSE(holds("${n} in [2]", yes));
  EXPECT_TRUE(holds("${name} in ['ก', 'ข ']", yes));
  EXPECT_TRUE(holds("${n} + 3 in [1]", yes));
  EXPECT_TRUE(holds("today() in [date'2024-03-15']"));
}

TEST(ExpressionChoices, InWithAnAbsentValueIsFalse) {
  EXPECT_FALSE(holds("${has_business} in ['no', 'yes']"));
  EXPECT_TRUE(holds("not ${has_business} in ['no', 'yes']"));
}

TEST(ExpressionChoices, InRefusesAnEmptyOrMistypedList) {
  EXPECT_EQ(load_error("${n} in []"),
            "at 10: expected a number, 'text', a date, true or false in the list, found ']'");
  EXPECT_EQ(load_error("${n} in [1, '2']"),
            "at 13: cannot compare a whole number with text; write a whole number without quotes");
  EXPECT_EQ(load_error("${n} in [${age}]"),
            "at 10: expected a number, 'text', a date, true or false in the list, found "
            "'${age}'");
  EXPECT_EQ(load_error("${n} in [1 2]"), "at 12: expected ',' or ']', found '2'");
  EXPECT_EQ(load_error("${languages} in ['th']"),
            "at 1: languages is a multiple choice: use selected(${languages}, 'code') or "
            "count(${languages})");
}

// ---- Records ----

TEST(ExpressionRecords, ReadsARecordsPart) {
  const json::object bangkok = answers(R"({"address": {"province": "10", "house_no": " 99/1 "}})");
  EXPECT_TRUE(holds("${address.province} = '10'", bangkok));
  EXPECT_TRUE(holds("${address.house_no} = '99/1'", bangkok));
  EXPECT_FALSE(holds("${address.province} = '10'", answers(R"({"address": ["10"]})")));
  EXPECT_FALSE(holds("${address.province} = '10'", answers(R"({"address": {"province": 10}})")));
  EXPECT_TRUE(holds("${address.province} != '10'", answers(R"({"address": {}})")));
}

// ---- Repeats (forms.md §3.2, §5 case 11) ----

const char* const kMembers = R"({"members": [
  {"_key": "k1", "relation": "spouse", "share": 150050, "born": "1990-05-01"},
  {"_key": "k2", "relation": "other", "relation_other": "ลุง", "share": 20},
  {"_key": "k3", "relation": "child"}
]})";

TEST(ExpressionRepeats, CountsItemsAndSumsAFieldSkippingAbsentValues) {
  EXPECT_EQ(integer("count(${members})", answers(kMembers)), 3);
  EXPECT_EQ(integer("sum(${members.share})", answers(kMembers)), 150070);
  EXPECT_TRUE(
      holds("count(${members}) >= 2 and sum(${members.share}) > 100000", answers(kMembers)));
  EXPECT_EQ(integer("sum(${members.share})",
                    answers(R"({"members": [{"share": "5"}, {"share": 1.5}, {"share": 2}]})")),
            2);
}

TEST(ExpressionRepeats, AnEmptyOrAbsentRepeatCountsAndSumsToZero) {
  EXPECT_EQ(integer("count(${members})", answers(R"({"members": []})")), 0);
  EXPECT_EQ(integer("sum(${members.share})", answers(R"({"members": []})")), 0);
  EXPECT_EQ(integer("count(${members})"), 0);
  EXPECT_EQ(integer("sum(${members.share})"), 0);
}

TEST(ExpressionRepeats, ARepeatOfTheWrongShapeIsAbsentAndNeverCrashes) {
  for (const char* bad : {R"({"members": {"share": 1}})", R"({"members": [1, {"share": 1}]})",
                          R"({"members": [null]})", R"({"members": "k1"})"}) {
    EXPECT_EQ(integer("count(${members})", answers(bad)), 0) << bad;
    EXPECT_EQ(integer("sum(${members.share})", answers(bad)), 0) << bad;
    EXPECT_FALSE(holds("answered(${members})", answers(bad))) << bad;
  }
}

TEST(ExpressionRepeats, ReadsTheCurrentItemThroughItem) {
  const json::object values = answers(kMembers);
  const json::array& items = values.at("members").as_array();
  const std::string source = "${item.relation} = 'other' and answered(${item.relation_other})";
  EXPECT_FALSE(holds(source, values, &items[0].as_object()));
  EXPECT_TRUE(holds(source, values, &items[1].as_object()));
  EXPECT_FALSE(holds("${item.share} > 0", values, &items[2].as_object()));  // a missing field
  EXPECT_TRUE(holds("not (${item.share} > 0)", values, &items[2].as_object()));
  EXPECT_TRUE(holds("years_between(${item.born}, today()) = 33", values, &items[0].as_object()));
  const json::object empty;
  EXPECT_FALSE(holds("${item.relation} = 'other'", values, &empty));
}

TEST(ExpressionRepeats, AnItemExpressionEvaluatedWithoutAnItemIsAbsent) {
  auto compiled = compile("${item.relation} != 'child'", ValueType::boolean, members_symbol());
  ASSERT_TRUE(compiled) << compiled.error().detail;
  const json::object values = answers(kMembers);
  EXPECT_TRUE(compiled->holds(environment(values, nullptr)));
  auto equal = compile("${item.relation} = 'child'", ValueType::boolean, members_symbol());
  ASSERT_TRUE(equal);
  EXPECT_FALSE(equal->holds(environment(values, nullptr)));
}

TEST(ExpressionRepeats, ItemIsOnlyAllowedInsideARepeatAndNamesOneOfItsFields) {
  EXPECT_EQ(load_error("${item.relation} = 'other'"),
            "at 1: ${item.…} names a field of the current repeat item, but this expression is "
            "not inside a repeat");
  EXPECT_EQ(load_error("${item.relation} = 'other'", ValueType::boolean, members_symbol()), "");
  EXPECT_EQ(load_error("${item.relation} = 'cousin'", ValueType::boolean, members_symbol()),
            "at 20: 'cousin' is not a code of item.relation (spouse, child, other)");
  EXPECT_EQ(load_error("${item.nope} = 1", ValueType::boolean, members_symbol()),
            "at 1: the repeat item has no field 'nope'");
  EXPECT_EQ(load_error("${item} = 1", ValueType::boolean, members_symbol()),
            "at 1: name a field of the repeat item, like ${item.x}");
  EXPECT_EQ(load_error("${item.address.province} = '10'", ValueType::boolean, members_symbol()),
            "");
}

TEST(ExpressionRepeats, SumsLargeRepeatsInOnePass) {
  json::object values;
  json::array& items = values["members"].emplace_array();
  for (int i = 0; i < 100000; ++i) items.push_back(json::object{{"share", 3}});
  EXPECT_EQ(integer("sum(${members.share})", values), 300000);
  EXPECT_EQ(integer("count(${members})", values), 100000);
}

// ---- Integers ----

TEST(ExpressionIntegers, OverflowIsAbsentNotUndefined) {
  const json::object big = answers(R"({"n": 9223372036854775807, "age": -9223372036854775808})");
  EXPECT_EQ(integer("${n} + 1", big), std::nullopt);
  EXPECT_EQ(integer("${n} * 2", big), std::nullopt);
  EXPECT_EQ(integer("${age} - 1", big), std::nullopt);
  EXPECT_EQ(integer("-${age}", big), std::nullopt);
  EXPECT_EQ(integer("0 - ${age}", big), std::nullopt);
  EXPECT_EQ(integer("${age} * -1", big), std::nullopt);
  EXPECT_FALSE(holds("${n} + 1 > 0", big));
  EXPECT_EQ(integer("${n} - 1 + 1", big), 9223372036854775807);
  EXPECT_EQ(integer("${age} + ${n}", big), -1);
  EXPECT_EQ(integer("sum(${members.share})",
                    answers(R"({"members": [{"share": 9223372036854775807}, {"share": 1}]})")),
            std::nullopt);
}

TEST(ExpressionIntegers, ComparesNumbersAsNumbersNeverAsText) {
  // forms.md §5 case 7 (surveyjs#140): "1200" sorts before "200" as text.
  EXPECT_TRUE(holds("${fee_satang} > 200", answers(R"({"fee_satang": 1200})")));
  EXPECT_TRUE(holds("${fee_satang} = 1200", answers(R"({"fee_satang": 1200})")));
  EXPECT_FALSE(holds("${fee_satang} = 1200", answers(R"({"fee_satang": "1200"})")));
}

TEST(ExpressionIntegers, ComputesACalculation) {
  const json::object values = answers(R"({"fee_satang": 150050, "n": 3})");
  EXPECT_EQ(integer("${fee_satang} * ${n} + 100", values), 450250);
  auto compiled = compile("${fee_satang} * ${n}", ValueType::integer);
  ASSERT_TRUE(compiled);
  EXPECT_EQ(compiled->value(environment(values)), json::value(450150));
  EXPECT_EQ(compiled->value(environment({})), std::nullopt);
}

// ---- Dates ----

TEST(ExpressionDates, ComparesDatesAsDates) {
  const json::object opened = answers(R"({"opened_on": "2024-02-29"})");
  EXPECT_TRUE(holds("${opened_on} = date'2024-02-29'", opened));
  EXPECT_TRUE(holds("${opened_on} < date'2024-03-01'", opened));
  EXPECT_TRUE(holds("${opened_on} > date'2023-12-31'", opened));
  // forms.md §2.5's rule: opened on or before today.
  EXPECT_TRUE(holds("${opened_on} <= today()", opened));
  EXPECT_FALSE(holds("${opened_on} <= today()", answers(R"({"opened_on": "2024-03-16"})")));
  // Date-like text in a text field stays text.
  EXPECT_TRUE(holds("${name} = '2024-02-29'", answers(R"({"name": "2024-02-29"})")));
}

TEST(ExpressionDates, TodayIsTheEnvironmentsCivilDate) {
  auto compiled = compile("today() = date'2024-03-15'");
  ASSERT_TRUE(compiled);
  const json::object none;
  EXPECT_TRUE(compiled->holds(environment(none)));
  EXPECT_FALSE(compiled->holds(environment(none, nullptr, year{2024} / month{3} / day{16})));
  auto today = compile("today()", ValueType::date);
  ASSERT_TRUE(today) << today.error().detail;
  EXPECT_EQ(today->value(environment(none)), json::value("2024-03-15"));
  // A date that is not a date (the caller's mistake) makes today() absent.
  EXPECT_EQ(today->value(environment(none, nullptr, year{2024} / month{2} / day{30})),
            std::nullopt);
}

TEST(ExpressionDates, YearsBetweenCountsWholeYearsAsBirthdaysDo) {
  EXPECT_EQ(integer("years_between(date'2000-03-15', date'2024-03-15')"), 24);
  EXPECT_EQ(integer("years_between(date'2000-03-16', date'2024-03-15')"), 23);
  EXPECT_EQ(integer("years_between(date'2000-02-29', date'2001-02-28')"), 0);
  EXPECT_EQ(integer("years_between(date'2000-02-29', date'2001-03-01')"), 1);
  EXPECT_EQ(integer("years_between(date'2001-03-01', date'2000-02-29')"), -1);
  EXPECT_TRUE(holds("years_between(${birth_date}, today()) >= 18",
                    answers(R"({"birth_date": "2006-03-15"})")));
  EXPECT_FALSE(holds("years_between(${birth_date}, today()) >= 18",
                     answers(R"({"birth_date": "2006-03-16"})")));
  EXPECT_FALSE(holds("years_between(${birth_date}, today()) < 18"));
}

TEST(ExpressionDates, DaysBetweenCountsCalendarDays) {
  EXPECT_EQ(integer("days_between(date'2024-02-28', date'2024-03-01')"), 2);
  EXPECT_EQ(integer("days_between(date'2023-02-28', date'2023-03-01')"), 1);
  EXPECT_EQ(integer("days_between(date'2024-03-01', date'2024-02-28')"), -2);
  EXPECT_EQ(
      integer("days_between(${opened_on}, today())", answers(R"({"opened_on": "2023-03-15"})")),
      366);
  EXPECT_EQ(integer("days_between(${opened_on}, today())"), std::nullopt);
}

// ---- Robustness ----

TEST(ExpressionEvaluation, NeverThrowsOnAnswersOfAnyShape) {
  const std::vector<std::string> sources = {
      "${has_business} = 'yes' or ${a} != 'x'",
      "${n} + ${age} * 2 - -${fee_satang} > 0",
      "${name} = 'x' or length(${name}) > 2",
      "${opened_on} <= today() and years_between(${birth_date}, ${opened_on}) > 1",
      "days_between(${opened_on}, ${birth_date}) < 0",
      "${declaration}",
      "selected(${languages}, 'th') or count(${languages}) > 1",
      "${address.province} in ['10', '11'] or ${address.house_no} = '1'",
      "count(${members}) > 1 or sum(${members.share}) > 1",
      "answered(${members}) and answered(${address}) and answered(${zone})",
  };
  const std::vector<std::string> shapes = {
      "null",
      "true",
      "false",
      "0",
      "-1",
      "9223372036854775807",
      "18446744073709551615",
      "1.5",
      "-0.0",
      "\"\"",
      "\"   \"",
      "\"x\"",
      "\"2024-02-29\"",
      "\"yes\"",
      "\"10\"",
      "[]",
      "[null]",
      "[\"th\"]",
      "[{}]",
      "[{\"share\": []}]",
      "{}",
      "{\"province\": {}}",
      "{\"share\": 1}",
  };
  std::vector<Expression> compiled;
  for (const std::string& source : sources) {
    auto expression = compile(source);
    ASSERT_TRUE(expression) << source << ": " << expression.error().detail;
    compiled.push_back(*expression);
  }
  for (const std::string& shape : shapes) {
    json::object values;
    for (const auto& [id, symbol] : form_fields()) values[id] = json::parse(shape);
    for (const Expression& expression : compiled) {
      EXPECT_NO_THROW(expression.holds(environment(values))) << expression.source() << shape;
      EXPECT_NO_THROW(expression.holds(environment(values, &values))) << expression.source();
    }
  }
}

TEST(ExpressionEvaluation, AnEnvironmentWithoutAnswersReadsEverythingAsAbsent) {
  auto compiled = compile("${n} != 1 and not answered(${name}) and count(${members}) = 0");
  ASSERT_TRUE(compiled);
  EXPECT_TRUE(compiled->holds(Environment{}));
}

TEST(ExpressionEvaluation, AnExpressionCopiesCheaplyAndOutlivesItsSymbols) {
  std::optional<Expression> kept;
  {
    Symbol local = field(ValueType::code, {"on", "off"});
    auto compiled = Expression::compile("${switch} = 'on'",
                                        [&](std::string_view) -> const Symbol* { return &local; });
    ASSERT_TRUE(compiled);
    kept = *compiled;
  }
  const Expression copy = *kept;
  const json::object on = answers(R"({"switch": "on"})");
  const json::object off = answers(R"({"switch": "off"})");
  EXPECT_TRUE(copy.holds(environment(on)));
  EXPECT_FALSE(copy.holds(environment(off)));
  EXPECT_EQ(copy.source(), "${switch} = 'on'");
}

}  // namespace
}  // namespace pratu::applications
