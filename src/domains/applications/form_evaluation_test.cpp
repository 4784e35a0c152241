#include "domains/applications/form_evaluation.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domains/applications/form_loader.hpp"
#include "web/render.hpp"

namespace pratu::applications {
namespace {

namespace json = boost::json;
namespace chr = std::chrono;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr chr::year_month_day kToday{chr::year(2026), chr::month(12), chr::day(2)};

platform::ServiceInfo service() {
  platform::ServiceInfo s;
  s.slug = "shop";
  s.agency = "bma";
  s.name_th = "ร้าน";
  s.name_en = "Shop";
  s.documents = {{"id_card", "บัตร", "Card", true}};
  s.source_file = "services/bma/shop.yaml";
  return s;
}

constexpr std::string_view kForm = R"(pages:
  - id: start
    title: {th: เริ่ม, en: Start}
    fields:
      - id: kind
        type: choice
        label: {th: ประเภท, en: Kind}
        required: true
        choices:
          - {code: person, th: บุคคล, en: Person}
          - {code: company, th: บริษัท, en: Company}
      - id: company_id
        type: juristic_id
        label: {th: เลข, en: Number}
        required: true
        show_if: "${kind} = 'company'"
      - id: name
        type: text
        label: {th: ชื่อ, en: Name}
        required: true
        min_length: 2
        max_length: 10
      - id: code
        type: text
        label: {th: รหัส, en: Code}
        pattern: "[A-Z]{3}"
        pattern_message: {th: สามตัว, en: Three capitals}
  - id: company
    title: {th: บริษัท, en: Company}
    show_if: "${kind} = 'company'"
    fields:
      - id: capital
        type: money
        label: {th: ทุน, en: Capital}
        required: true
        min: 5000
        max: 1000000
      - id: partners
        type: group
        label: {th: หุ้นส่วน, en: Partners}
        item_label: {th: หุ้นส่วน, en: partner}
        min_items: 2
        max_items: 3
        fields:
          - id: name
            type: text
            label: {th: ชื่อ, en: Name}
            required: true
          - id: citizen_id
            type: citizen_id
            label: {th: เลข, en: ID}
            required: true
          - id: role
            type: choice
            label: {th: บทบาท, en: Role}
            required: true
            choices:
              - {code: managing, th: ผู้จัดการ, en: Managing}
              - {code: other, th: อื่น, en: Other}
          - id: role_other
            type: text
            label: {th: ระบุ, en: Which}
            required: true
            show_if: "${item.role} = 'other'"
          - id: share
            type: integer
            label: {th: หุ้น, en: Shares}
            required: true
            min: 1
  - id: details
    title: {th: รายละเอียด, en: Details}
    fields:
      - id: opened
        type: date
        label: {th: วันเปิด, en: Opened}
        required: true
        max: today
        min: "2000-01-01"
      - id: area
        type: integer
        label: {th: พื้นที่, en: Area}
        required: true
        valid_if: "${area} > 200"
        message: {th: เกิน 200, en: Over 200 only}
      - id: total_check
        type: integer
        label: {th: รวม, en: Total}
        show_if: "sum(${partners.share}) > 10"
      - id: mobile
        type: phone
        label: {th: โทร, en: Phone}
      - id: email
        type: email
        label: {th: อีเมล, en: Email}
      - id: extras
        type: choices
        label: {th: เพิ่ม, en: Extras}
        max_items: 1
        choices:
          - {code: a, th: ก, en: A}
          - {code: b, th: ข, en: B}
      - id: home
        type: address
        label: {th: ที่อยู่, en: Address}
      - id: card
        type: document
        document: id_card
        label: {th: บัตร, en: Card}
        max_megabytes: 1
      - id: declaration
        type: declaration
        label: {th: รับรอง, en: I declare}
)";

class FormEvaluationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto form = parse_form(kForm, "services/bma/shop/form.yaml", service());
    ASSERT_TRUE(form) << form.error().detail;
    form_ = new Form(std::move(*form));
    auto book = ThaiAddressBook::load(PRATU_SOURCE_DIR "/datasets/thai-address");
    ASSERT_TRUE(book) << book.error().detail;
    book_ = new ThaiAddressBook(std::move(*book));
  }
  static void TearDownTestSuite() {
    delete form_;
    delete book_;
  }
  FormEvaluation evaluate(const json::object& answers) const {
    return FormEvaluation(*form_, answers, kToday, book_);
  }
  // The problems of the page, as "field key" (or "field: the form's English message").
  std::vector<std::string> problems(const json::object& answers, std::string_view page) const {
    FormEvaluation e = evaluate(answers);
    std::vector<std::string> out;
    for (const auto& p : e.problems(*form_->page(page))) {
      out.push_back(p.field + " " + (p.text ? p.text->en : p.key));
    }
    return out;
  }
  static json::object answers(std::string_view text) { return json::parse(text).as_object(); }

  static inline Form* form_ = nullptr;
  static inline ThaiAddressBook* book_ = nullptr;
  const std::string e = "applications.errors.";
};

TEST_F(FormEvaluationTest, RequiredAnswersAreAskedForByKind) {
  EXPECT_THAT(problems({}, "start"),
              ElementsAre("kind " + e + "choice_required", "name " + e + "required"));
  // Whitespace alone is no answer.
  EXPECT_THAT(problems(answers(R"({"kind": "person", "name": "  \t "})"), "start"),
              ElementsAre("name " + e + "required"));
}

TEST_F(FormEvaluationTest, AHiddenAnswerIsKeptButNeitherCheckedNorSubmitted) {
  // forms.md §5 case 1: company_id answered wrongly, then hidden by the choice above it.
  const auto raw = answers(R"({"kind": "person", "name": "Somchai", "company_id": "123"})");
  FormEvaluation person = evaluate(raw);
  EXPECT_FALSE(person.asked(*form_->field("company_id").second));
  EXPECT_THAT(person.problems(*form_->page("start")), IsEmpty());
  EXPECT_FALSE(person.pruned().contains("company_id"));
  EXPECT_EQ(person.effective("company_id"), nullptr);
  // Chosen again, the kept answer is back, and checked.
  auto company = raw;
  company["kind"] = "company";
  EXPECT_THAT(problems(company, "start"), ElementsAre("company_id " + e + "id_format"));
}

TEST_F(FormEvaluationTest, HidingAPageHidesItsFieldsAndGroups) {
  // forms.md §5 cases 2 and 3: a hidden page's group never feeds a total or a condition.
  const auto raw = answers(R"({"kind": "person", "name": "Ann", "capital": 1,
      "partners": [{"_key": "a", "name": "A", "citizen_id": "1101700207030", "role": "managing",
                    "share": 50}]})");
  FormEvaluation e1 = evaluate(raw);
  EXPECT_FALSE(e1.asked(*form_->page("company")));
  EXPECT_THAT(e1.problems(*form_->page("company")), IsEmpty());
  EXPECT_FALSE(e1.asked(*form_->field("total_check").second));
  EXPECT_EQ(e1.asked_pages().size(), 2u);
  auto shown = raw;
  shown["kind"] = "company";
  FormEvaluation e2 = evaluate(shown);
  EXPECT_TRUE(e2.asked(*form_->field("total_check").second));
}

TEST_F(FormEvaluationTest, TextLengthAndPattern) {
  EXPECT_THAT(problems(answers(R"({"kind": "person", "name": "ก"})"), "start"),
              ElementsAre("name " + e + "too_short"));
  // Counted in code points, as the schema counts: "กี่" is three.
  EXPECT_THAT(problems(answers(R"({"kind": "person", "name": "กี่กี่กี่กี่"})"), "start"),
              ElementsAre("name " + e + "too_long"));
  EXPECT_THAT(problems(answers(R"({"kind": "person", "name": "กี่กี่กี่"})"), "start"), IsEmpty());
  EXPECT_THAT(problems(answers(R"({"kind": "person", "name": "Ann", "code": "ABCD"})"), "start"),
              ElementsAre("code Three capitals"));
  EXPECT_THAT(problems(answers(R"({"kind": "person", "name": "Ann", "code": "ABC"})"), "start"),
              IsEmpty());
  EXPECT_THAT(problems(answers(R"({"kind": "person", "name": "A\nB"})"), "start"),
              ElementsAre("name " + e + "one_line"));
}

TEST_F(FormEvaluationTest, MoneyIsWholeSatangWithinItsBounds) {
  const auto base = R"({"kind": "company", "partners": [{"_key": "a", "name": "A",
      "citizen_id": "1101700207030", "role": "managing", "share": 1}, {"_key": "b", "name": "B",
      "citizen_id": "1101700207030", "role": "managing", "share": 1}], "capital": )";
  EXPECT_THAT(problems(answers(std::string(base) + "499999}"), "company"),
              ElementsAre("capital " + e + "too_small"));
  EXPECT_THAT(problems(answers(std::string(base) + "500000}"), "company"), IsEmpty());
  EXPECT_THAT(problems(answers(std::string(base) + "1500.5}"), "company"),
              ElementsAre("capital " + e + "not_money"));
  FormEvaluation large = evaluate(answers(std::string(base) + "100000001}"));
  auto found = large.problems(*form_->page("company"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].key, e + "too_large");
  EXPECT_EQ(found[0].args,
            (std::vector<std::pair<std::string, std::string>>{{"max", "1,000,000"}}));
}

TEST_F(FormEvaluationTest, GroupsCountTheirItemsAndCheckEachByItsKey) {
  auto raw = answers(R"({"kind": "company", "capital": 500000, "partners": [
      {"_key": "k1", "name": "A", "citizen_id": "1101700207031", "role": "other", "share": 1}]})");
  EXPECT_THAT(problems(raw, "company"),
              ElementsAre("partners " + e + "too_few_items",
                          "partners.k1.citizen_id " + e + "id_check_digit",
                          "partners.k1.role_other " + e + "required"));
  raw["partners"].as_array().push_back(json::parse(
      R"({"_key": "k2", "name": "B", "citizen_id": "1101700207030", "role": "managing",
          "share": 2, "role_other": "ignored: not asked"})"));
  raw["partners"].as_array()[0].as_object()["citizen_id"] = "1101700207030";
  raw["partners"].as_array()[0].as_object()["role_other"] = "Silent partner";
  EXPECT_THAT(problems(raw, "company"), IsEmpty());
  // The hidden answer in item k2 is not submitted.
  const auto pruned = evaluate(raw).pruned();
  EXPECT_FALSE(pruned.at("partners").as_array()[1].as_object().contains("role_other"));
  EXPECT_TRUE(pruned.at("partners").as_array()[0].as_object().contains("role_other"));
  // Two items with one key, or an item without one, cannot be told apart.
  raw["partners"].as_array()[1].as_object()["_key"] = "k1";
  EXPECT_THAT(problems(raw, "company"), ElementsAre("partners " + e + "group_invalid"));
}

TEST_F(FormEvaluationTest, AMissingListIsCheckedAsAnEmptyOne) {
  // partners takes at least two items: no list at all is as short of them as [] is.
  EXPECT_THAT(problems(answers(R"({"kind": "company", "capital": 500000})"), "company"),
              ElementsAre("partners " + e + "too_few_items"));
  EXPECT_THAT(
      problems(answers(R"({"kind": "company", "capital": 500000, "partners": []})"), "company"),
      ElementsAre("partners " + e + "too_few_items"));
}

TEST_F(FormEvaluationTest, SumsOverAGroupSeeOnlyWhatIsAsked) {
  auto raw = answers(R"({"kind": "company", "partners": [
      {"_key": "a", "share": 6}, {"_key": "b", "share": 6}]})");
  EXPECT_TRUE(evaluate(raw).asked(*form_->field("total_check").second));
  raw["partners"].as_array()[1].as_object()["share"] = 4;
  EXPECT_FALSE(evaluate(raw).asked(*form_->field("total_check").second));
  // A group of anything but objects, or none at all, never breaks a sum (forms.md §5 case 11).
  raw["partners"] = json::array{1, "x", nullptr};
  EXPECT_FALSE(evaluate(raw).asked(*form_->field("total_check").second));
}

TEST_F(FormEvaluationTest, DatesWithinTheirBoundsAndTodayFromTheClock) {
  const std::string rest = R"(, "area": 300, "declaration": true})";
  EXPECT_THAT(problems(answers(R"({"opened": "2026-12-03")" + rest), "details"),
              ElementsAre("opened " + e + "date_in_future"));
  EXPECT_THAT(problems(answers(R"({"opened": "2026-12-02")" + rest), "details"), IsEmpty());
  EXPECT_THAT(problems(answers(R"({"opened": "1999-12-31")" + rest), "details"),
              ElementsAre("opened " + e + "date_too_early"));
  EXPECT_THAT(problems(answers(R"({"opened": "2023-02-29")" + rest), "details"),
              ElementsAre("opened " + e + "not_date"));
  EXPECT_THAT(problems(answers(R"({"opened": "2024-02-29")" + rest), "details"), IsEmpty());
}

TEST_F(FormEvaluationTest, ARuleShowsTheFormsOwnMessageOnlyForAValidAnswer) {
  const std::string rest = R"({"opened": "2020-01-01", "declaration": true, "area": )";
  EXPECT_THAT(problems(answers(rest + "150}"), "details"), ElementsAre("area Over 200 only"));
  EXPECT_THAT(problems(answers(rest + "\"big\"}"), "details"),
              ElementsAre("area " + e + "not_integer"));
  EXPECT_THAT(problems(answers(rest + "250}"), "details"), IsEmpty());
}

TEST_F(FormEvaluationTest, IdentifiersPhonesEmailsAndChoices) {
  const std::string rest = R"({"opened": "2020-01-01", "area": 300, "declaration": true, )";
  EXPECT_THAT(problems(answers(rest + R"("mobile": "0812345678"})"), "details"),
              ElementsAre("mobile " + e + "phone_format"));
  EXPECT_THAT(problems(answers(rest + R"("mobile": "+66812345678"})"), "details"), IsEmpty());
  EXPECT_THAT(problems(answers(rest + R"("email": "someone.example.com"})"), "details"),
              ElementsAre("email " + e + "email_format"));
  EXPECT_THAT(problems(answers(rest + R"("extras": ["a", "b"]})"), "details"),
              ElementsAre("extras " + e + "too_many_choices"));
  EXPECT_THAT(problems(answers(rest + R"("extras": ["c"]})"), "details"),
              ElementsAre("extras " + e + "unknown_choice"));
  EXPECT_THAT(problems(answers(R"({"kind": "company", "name": "Ann",
      "company_id": "1101700207030"})"),
                       "start"),
              ElementsAre("company_id " + e + "juristic_id_category"));
  EXPECT_THAT(problems(answers(R"({"kind": "company", "name": "Ann",
      "company_id": "0105536112014"})"),
                       "start"),
              IsEmpty());
}

TEST_F(FormEvaluationTest, AddressesAgreeWithTheAddressBook) {
  const std::string rest = R"({"opened": "2020-01-01", "area": 300, "declaration": true, )";
  // Bangkok (10), Bang Rak (1004), Si Lom (100402), 10500.
  EXPECT_THAT(problems(answers(rest + R"("home": {"house_no": "99/1", "province": "10",
      "district": "1004", "subdistrict": "100402", "postcode": "10500"}})"),
                       "details"),
              IsEmpty());
  // forms.md §5 case 4: a district of another province.
  EXPECT_THAT(problems(answers(rest + R"("home": {"house_no": "99/1", "province": "11",
      "district": "1004", "subdistrict": "100402", "postcode": "10500"}})"),
                       "details"),
              ElementsAre("home.district " + e + "address_district_wrong"));
  EXPECT_THAT(problems(answers(rest + R"("home": {"house_no": "99/1", "province": "10",
      "district": "1004", "subdistrict": "100402", "postcode": "10200"}})"),
                       "details"),
              ElementsAre("home.postcode " + e + "address_postcode_wrong"));
  EXPECT_THAT(problems(answers(rest + R"("home": {"province": "10"}})"), "details"),
              ElementsAre("home.house_no " + e + "address_house_no_required"));
}

TEST_F(FormEvaluationTest, DocumentsAreCheckedByTypeAndSize) {
  const std::string rest = R"({"opened": "2020-01-01", "area": 300, "declaration": true, )";
  const std::string blob(64, 'a');
  EXPECT_THAT(problems(answers(rest + R"("card": {"blob": ")" + blob +
                               R"(", "media_type": "image/png", "bytes": 1000}})"),
                       "details"),
              IsEmpty());
  EXPECT_THAT(problems(answers(rest + R"("card": {"blob": ")" + blob +
                               R"(", "media_type": "image/gif", "bytes": 1000}})"),
                       "details"),
              ElementsAre("card " + e + "document_type"));
  EXPECT_THAT(problems(answers(rest + R"("card": {"blob": ")" + blob +
                               R"(", "media_type": "application/pdf", "bytes": 1048577}})"),
                       "details"),
              ElementsAre("card " + e + "document_too_large"));
  EXPECT_THAT(problems(answers(rest + R"("card": {"blob": "../../etc/passwd",
      "media_type": "application/pdf", "bytes": 1}})"),
                       "details"),
              ElementsAre("card " + e + "document_invalid"));
}

TEST_F(FormEvaluationTest, TheDeclarationMustBeTicked) {
  EXPECT_THAT(problems(answers(R"({"opened": "2020-01-01", "area": 300,
      "declaration": false})"),
                       "details"),
              ElementsAre("declaration " + e + "declaration_required"));
}

TEST_F(FormEvaluationTest, TheFirstIncompletePageIsTheFirstAskedWithAProblem) {
  auto raw = answers(R"({"kind": "person", "name": "Ann"})");
  EXPECT_EQ(evaluate(raw).first_incomplete(), form_->page("details"));
  raw["opened"] = "2020-01-01";
  raw["area"] = 300;
  raw["declaration"] = true;
  EXPECT_EQ(evaluate(raw).first_incomplete(), nullptr);
  EXPECT_EQ(evaluate(answers("{}")).first_incomplete(), form_->page("start"));
}

TEST_F(FormEvaluationTest, AnswersOfAnyShapeNeverBreakTheEvaluation) {
  const auto raw = answers(R"({"kind": ["person"], "name": 12, "capital": "x", "partners": "y",
      "opened": 20200101, "area": {"a": 1}, "home": "Bangkok", "card": [], "extras": "a",
      "declaration": "yes", "email": null, "mobile": 812345678})");
  FormEvaluation e1 = evaluate(raw);
  EXPECT_FALSE(e1.problems().empty());
  EXPECT_NE(e1.first_incomplete(), nullptr);
}

TEST_F(FormEvaluationTest, EveryMessageItGivesIsWrittenInBothLanguages) {
  auto translations = web::Translations::load(PRATU_SOURCE_DIR "/locales");
  ASSERT_TRUE(translations) << translations.error().detail;
  const std::vector<std::string> inputs = {
      "{}",
      R"({"kind": "company", "name": "A\nB", "company_id": "1", "capital": 1.5,
          "partners": [{"_key": "a", "citizen_id": "9101700207030", "role": "x"}]})",
      R"({"kind": "company", "name": "x", "company_id": "1101700207030", "capital": 1,
          "partners": "no", "opened": "x", "area": 1.5, "mobile": "1", "email": "x",
          "extras": ["a", "b"], "home": {"house_no": "1", "province": "99", "district": "9",
          "subdistrict": "9", "postcode": "9"}, "card": {"blob": "x"}, "declaration": false})"};
  int checked = 0;
  for (const auto& input : inputs) {
    for (const auto& p : evaluate(answers(input)).problems()) {
      if (p.text) continue;
      EXPECT_NE(translations->find(web::Locale::th, p.key), nullptr) << p.key;
      EXPECT_NE(translations->find(web::Locale::en, p.key), nullptr) << p.key;
      ++checked;
    }
  }
  EXPECT_GE(checked, 15);
}

}  // namespace
}  // namespace pratu::applications
