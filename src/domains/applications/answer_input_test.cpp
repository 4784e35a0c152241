#include "domains/applications/answer_input.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "domains/applications/form_evaluation.hpp"
#include "domains/applications/form_loader.hpp"

namespace pratu::applications {
namespace {

namespace json = boost::json;
using web::Locale;

Field field_of(FieldType type) {
  Field f;
  f.id = "x";
  f.type = type;
  return f;
}

TypedInput one(std::string value) { return TypedInput{{std::move(value)}, {}}; }

TypedInput date(std::string day, std::string month, std::string year) {
  return TypedInput{
      {}, {{"day", std::move(day)}, {"month", std::move(month)}, {"year", std::move(year)}}};
}

// The first problem the evaluation finds with a date typed on a page in `locale`.
std::string date_problem(const TypedInput& typed, Locale locale) {
  constexpr std::string_view kForm = R"(pages:
  - id: p
    title: {th: ก, en: P}
    fields:
      - {id: born, type: date, label: {th: เกิด, en: Born}, required: true, max: today}
)";
  platform::ServiceInfo service{"s", "a", "ท", "S", 1, {}, "services/a/s.yaml", {}};
  auto form = parse_form(kForm, "f", service);
  EXPECT_TRUE(form) << form.error().detail;
  const Field& born = form->pages[0].fields[0];
  const json::object answers{{"born", decode_input(born, typed, locale)}};
  FormEvaluation evaluation(
      *form, answers,
      std::chrono::year_month_day{std::chrono::year(2026), std::chrono::month(12),
                                  std::chrono::day(2)},
      nullptr);
  auto problems = evaluation.problems();
  return problems.empty() ? "" : problems[0].key.substr(std::string("applications.errors.").size());
}

TEST(AnswerInput, ThaiPagesTakeTheYearInTheBuddhistEra) {
  const Field f = field_of(FieldType::date);
  EXPECT_EQ(decode_input(f, date("27", "3", "2530"), Locale::th), json::value("1987-03-27"));
  EXPECT_EQ(decode_input(f, date("27", "3", "1987"), Locale::en), json::value("1987-03-27"));
  // Thai digits, and the leap day of B.E. 2567 (CE 2024, although 2567 is not divisible by 4).
  EXPECT_EQ(decode_input(f, date("๒๙", "๒", "๒๕๖๗"), Locale::th), json::value("2024-02-29"));
  EXPECT_EQ(decode_input(f, date("", "", ""), Locale::th), json::value(nullptr));
}

TEST(AnswerInput, AWrongDateIsKeptAsTypedAndNamedPrecisely) {
  // forms.md §5 case 12.
  EXPECT_EQ(date_problem(date("29", "2", "2567"), Locale::th), "");
  EXPECT_EQ(date_problem(date("29", "2", "2566"), Locale::th), "not_date");
  EXPECT_EQ(date_problem(date("15", "3", "2024"), Locale::th), "date_year_be");
  EXPECT_EQ(date_problem(date("15", "3", "67"), Locale::th), "date_year_digits");
  EXPECT_EQ(date_problem(date("", "3", "2567"), Locale::th), "date_missing_day");
  EXPECT_EQ(date_problem(date("1", "1", "2580"), Locale::th), "date_in_future");
  EXPECT_EQ(date_problem(date("", "", ""), Locale::th), "required");
  // What was typed comes back into the inputs.
  const Field f = field_of(FieldType::date);
  const json::value kept = decode_input(f, date("15", "3", "2024"), Locale::th);
  const TypedInput shown = show_answer(f, &kept, Locale::th);
  EXPECT_EQ(shown.parts.at("year"), "2024");
  EXPECT_EQ(shown.parts.at("day"), "15");
}

TEST(AnswerInput, AKeptDateIsShownInThePagesEra) {
  const Field f = field_of(FieldType::date);
  const json::value kept("1987-03-27");
  EXPECT_EQ(show_answer(f, &kept, Locale::th).parts.at("year"), "2530");
  EXPECT_EQ(show_answer(f, &kept, Locale::en).parts.at("year"), "1987");
  EXPECT_EQ(show_answer(f, &kept, Locale::th).parts.at("month"), "3");
}

TEST(AnswerInput, MoneyIsReadAsPeopleWriteIt) {
  // forms.md §5 case 14.
  for (const char* typed : {"1,234.50", "1234.5", "฿ 1,234.50", "1234.50 บาท", "๑,๒๓๔.๕๐"}) {
    EXPECT_EQ(parse_baht(typed), 123450) << typed;
  }
  EXPECT_EQ(parse_baht("100"), 10000);
  EXPECT_EQ(parse_baht("0.05"), 5);
  for (const char* typed : {"12.345", "", "-5", "1.2.3", "abc", "1e3", "99999999999999999"}) {
    EXPECT_EQ(parse_baht(typed), std::nullopt) << typed;
  }
  const Field f = field_of(FieldType::money);
  EXPECT_EQ(decode_input(f, one("12.345"), Locale::th), json::value("12.345"));  // kept as typed
  EXPECT_EQ(decode_input(f, one(" 1,000 "), Locale::th), json::value(100000));
  const json::value kept(123450);
  EXPECT_EQ(show_answer(f, &kept, Locale::th).values.at(0), "1234.50");
}

TEST(AnswerInput, IdsDropSpacesAndHyphensAndReadThaiDigits) {
  // forms.md §5 case 15.
  const Field f = field_of(FieldType::citizen_id);
  EXPECT_EQ(decode_input(f, one("1-1017-00207-03-0"), Locale::th), json::value("1101700207030"));
  EXPECT_EQ(decode_input(f, one("๑๑๐๑๗๐๐๒๐๗๐๓๐"), Locale::th), json::value("1101700207030"));
  EXPECT_EQ(decode_input(f, one("110170020703"), Locale::th), json::value("110170020703"));
}

TEST(AnswerInput, PhonesBecomeE164AndAreShownNationally) {
  EXPECT_EQ(parse_thai_phone("081-234 5678"), "+66812345678");
  EXPECT_EQ(parse_thai_phone("(02) 123 4567"), "+6621234567");
  EXPECT_EQ(parse_thai_phone("+66 81 234 5678"), "+66812345678");
  EXPECT_EQ(parse_thai_phone("๐๘๑๒๓๔๕๖๗๘"), "+66812345678");
  EXPECT_EQ(parse_thai_phone("12345"), std::nullopt);
  EXPECT_EQ(parse_thai_phone("+1 415 555 0100"), std::nullopt);
  const Field f = field_of(FieldType::phone);
  const json::value kept("+66812345678");
  EXPECT_EQ(show_answer(f, &kept, Locale::th).values.at(0), "0812345678");
}

TEST(AnswerInput, TextIsNormalisedAndTrimmedAndBlankIsNoAnswer) {
  const Field f = field_of(FieldType::text);
  // "เ" + combining marks in decomposed order come back composed; spaces go.
  EXPECT_EQ(decode_input(f, one("  สมชาย \t"), Locale::th), json::value("สมชาย"));
  EXPECT_EQ(decode_input(f, one(" \u00a0 "), Locale::th), json::value(nullptr));
  EXPECT_EQ(decode_input(f, one("Cafe\xcc\x81"), Locale::en), json::value("Caf\xc3\xa9"));
}

TEST(AnswerInput, ChoicesDeclarationsAndAddresses) {
  EXPECT_EQ(
      decode_input(field_of(FieldType::choices), TypedInput{{"a", "b", "a", ""}, {}}, Locale::th),
      json::value(json::array{"a", "b"}));
  EXPECT_EQ(decode_input(field_of(FieldType::declaration), one("yes"), Locale::th),
            json::value(true));
  EXPECT_EQ(decode_input(field_of(FieldType::declaration), one(""), Locale::th),
            json::value(nullptr));
  TypedInput address{{}, {{"house_no", " 99/1 "}, {"province", "๑๐"}, {"postcode", "10500"}}};
  const json::value kept = decode_input(field_of(FieldType::address), address, Locale::th);
  EXPECT_EQ(kept.at("house_no"), "99/1");
  EXPECT_EQ(kept.at("province"), "10");
  EXPECT_EQ(kept.at("soi"), "");
  EXPECT_EQ(decode_input(field_of(FieldType::address), TypedInput{}, Locale::th),
            json::value(nullptr));
}

TEST(AnswerInput, WholeNumbersReadThaiDigitsAndSeparators) {
  const Field f = field_of(FieldType::integer);
  EXPECT_EQ(decode_input(f, one("1,250"), Locale::th), json::value(1250));
  EXPECT_EQ(decode_input(f, one("๑๒"), Locale::th), json::value(12));
  EXPECT_EQ(decode_input(f, one("-3"), Locale::th), json::value(-3));
  EXPECT_EQ(decode_input(f, one("12.5"), Locale::th), json::value("12.5"));
  EXPECT_EQ(decode_input(f, one("--3"), Locale::th), json::value("--3"));
}

}  // namespace
}  // namespace pratu::applications
