#include "domains/applications/form_schema.hpp"

#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "domains/applications/form_evaluation.hpp"
#include "domains/applications/form_loader.hpp"

namespace pratu::applications {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace chr = std::chrono;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr chr::year_month_day kToday{chr::year(2026), chr::month(12), chr::day(2)};

std::string read(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Every demo form under services/, read as the module reads it, with what its catalogue entry
// says the form needs (the service's slug, agency and document keys).
std::vector<Form> demo_forms() {
  const fs::path root(PRATU_SOURCE_DIR);
  std::vector<Form> out;
  for (const auto& agency : fs::directory_iterator(root / "services")) {
    if (!agency.is_directory()) continue;
    for (const auto& folder : fs::directory_iterator(agency.path())) {
      const fs::path file = folder.path() / "form.yaml";
      if (!fs::exists(file)) continue;
      const fs::path entry = agency.path() / (folder.path().filename().string() + ".yaml");
      const YAML::Node catalogue = YAML::LoadFile(entry.string());
      platform::ServiceInfo service;
      service.slug = catalogue["slug"].as<std::string>();
      service.agency = catalogue["agency"].as<std::string>();
      service.source_file = fs::relative(entry, root).string();
      for (const auto& document : catalogue["documents"]) {
        if (document["key"]) {
          service.documents.push_back({document["key"].as<std::string>(), "", "", true});
        }
      }
      auto form = parse_form(read(file), fs::relative(file, root).string(), service);
      EXPECT_TRUE(form) << form.error().detail;
      if (form) out.push_back(std::move(*form));
    }
  }
  return out;
}

class DemoForms : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    forms_ = new std::vector<Form>(demo_forms());
    auto book = ThaiAddressBook::load(PRATU_SOURCE_DIR "/datasets/thai-address");
    ASSERT_TRUE(book) << book.error().detail;
    book_ = new ThaiAddressBook(std::move(*book));
  }
  static void TearDownTestSuite() {
    delete forms_;
    delete book_;
  }
  static std::vector<std::string> problems(const Form& form, const json::object& answers) {
    std::vector<std::string> out;
    for (const auto& p : FormEvaluation(form, answers, kToday, book_).problems()) {
      out.push_back(p.field + " " + (p.text ? p.text->en : p.key));
    }
    return out;
  }

  static inline std::vector<Form>* forms_ = nullptr;
  static inline ThaiAddressBook* book_ = nullptr;
};

TEST_F(DemoForms, AreAllEight) { EXPECT_EQ(forms_->size(), 8u); }

TEST_F(DemoForms, EachExampleIsACompleteAnswerSetTheServerAccepts) {
  for (const Form& form : *forms_) {
    SCOPED_TRACE(form.service);
    const auto example = example_answers(form, kToday, book_);
    ASSERT_TRUE(example);
    EXPECT_THAT(problems(form, *example), IsEmpty()) << json::serialize(*example);
    // Complete: every question asked is answered; and nothing but what a submission keeps.
    const FormEvaluation evaluation(form, *example, kToday, book_);
    for (const auto& [page, field] : form.fields()) {
      EXPECT_EQ(example->contains(field->id), evaluation.asked(*field)) << field->id;
    }
    EXPECT_EQ(evaluation.pruned(), *example);
  }
}

TEST_F(DemoForms, EachSchemaRequiresExactlyWhatTheServerRequiresOfEveryone) {
  for (const Form& form : *forms_) {
    SCOPED_TRACE(form.service);
    const json::object schema = answer_schema(form, kToday, book_);
    std::set<std::string> required;
    for (const auto& id : schema.at("required").as_array()) {
      required.insert(std::string(id.as_string()));
    }
    const auto example = example_answers(form, kToday, book_);
    ASSERT_TRUE(example);
    for (const auto& [page, field] : form.fields()) {
      if (page->show_if || field->show_if) {
        EXPECT_FALSE(required.contains(field->id)) << field->id << ": asked on a condition";
        continue;
      }
      if (field->required) EXPECT_TRUE(required.contains(field->id)) << field->id;
      // Left out of the example, the server finds a problem exactly when the schema does.
      auto without = *example;
      without.erase(field->id);
      EXPECT_EQ(!problems(form, without).empty(), required.contains(field->id)) << field->id;
    }
  }
}

TEST_F(DemoForms, EachSchemaCarriesItsExampleAndDescribesEveryQuestion) {
  for (const Form& form : *forms_) {
    SCOPED_TRACE(form.service);
    const json::object schema = answer_schema(form, kToday, book_);
    EXPECT_EQ(schema.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(schema.at("additionalProperties"), false);
    ASSERT_EQ(schema.at("examples").as_array().size(), 1u);
    EXPECT_EQ(schema.at("examples").as_array()[0], *example_answers(form, kToday, book_));
    const auto& properties = schema.at("properties").as_object();
    EXPECT_EQ(properties.size(), form.fields().size());
    for (const auto& [page, field] : form.fields()) {
      ASSERT_TRUE(properties.contains(field->id)) << field->id;
      const auto& property = properties.at(field->id).as_object();
      EXPECT_EQ(property.at("title").as_string(), field->label.en);
      EXPECT_THAT(std::string(property.at("description").as_string()),
                  HasSubstr("th: " + field->label.th));
    }
  }
}

platform::ServiceInfo shop_service() {
  platform::ServiceInfo s;
  s.slug = "shop";
  s.agency = "bma";
  s.documents = {{"id_card", "บัตร", "Card", true}};
  s.source_file = "services/bma/shop.yaml";
  return s;
}

Form shop_form(std::string_view yaml) {
  auto form = parse_form(yaml, "services/bma/shop/form.yaml", shop_service());
  EXPECT_TRUE(form) << form.error().detail;
  return form ? std::move(*form) : Form{};
}

constexpr std::string_view kShop = R"(title: {th: ร้าน, en: Shop}
pages:
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
      - id: code
        type: text
        label: {th: รหัส, en: Code}
        required: true
        pattern: "[A-Z]{3}\\d"
        pattern_message: {th: สามตัวและเลข, en: Three capitals and a digit}
      - id: notes
        type: long_text
        label: {th: หมายเหตุ, en: Notes}
        max_length: 300
      - id: fee
        type: money
        label: {th: ค่าธรรมเนียม, en: Fee}
        max: 500
      - id: opened
        type: date
        label: {th: วันเปิด, en: Opened}
        max: today
      - id: extras
        type: choices
        label: {th: เพิ่ม, en: Extras}
        max_items: 1
        choices:
          - {code: a, th: ก, en: A}
          - {code: b, th: ข, en: B}
      - id: staff
        type: group
        label: {th: พนักงาน, en: Staff}
        item_label: {th: พนักงาน, en: person}
        max_items: 3
        fields:
          - id: name
            type: text
            label: {th: ชื่อ, en: Name}
            required: true
          - id: card
            type: document
            document: id_card
            label: {th: บัตร, en: Card}
            max_megabytes: 1
      - id: declaration
        type: declaration
        label: {th: รับรอง, en: I declare}
)";

TEST(FormSchema, SaysWhatEachTypeKeepsAndLeavesConditionalQuestionsOptional) {
  const Form form = shop_form(kShop);
  const json::object schema = answer_schema(form, kToday, nullptr);
  const auto& p = schema.at("properties").as_object();
  EXPECT_THAT(schema.at("required").as_array(), ElementsAre("kind", "code", "declaration"));
  EXPECT_EQ(p.at("kind").at("enum"), (json::array{"person", "company"}));
  EXPECT_EQ(p.at("company_id").at("pattern"), "^0[0-9]{12}$");
  EXPECT_THAT(std::string(p.at("company_id").at("description").as_string()),
              HasSubstr("Asked only when ${kind} = 'company', and then required"));
  // Not blank, one line, and the form's own pattern in ECMAScript's words.
  EXPECT_EQ(p.at("code").at("pattern"),
            "^(?=[^\\n]*[^\\t\\n\\v\\f\\r ])(?=[^\\n]*$)[A-Z]{3}\\p{Nd}$");
  EXPECT_EQ(p.at("code").at("maxLength"), 200);
  EXPECT_EQ(p.at("notes").at("pattern"), "[^\\t\\n\\v\\f\\r ]");
  EXPECT_EQ(p.at("notes").at("maxLength"), 300);
  EXPECT_EQ(p.at("fee").at("type"), "integer");
  EXPECT_EQ(p.at("fee").at("minimum"), 0);
  EXPECT_EQ(p.at("fee").at("maximum"), 50000);  // satang
  EXPECT_EQ(p.at("opened").at("format"), "date");
  EXPECT_EQ(p.at("extras").at("minItems"), 1);  // an empty list is no answer
  EXPECT_EQ(p.at("extras").at("maxItems"), 1);
  EXPECT_EQ(p.at("extras").at("uniqueItems"), true);
  const auto& item = p.at("staff").at("items").as_object();
  EXPECT_FALSE(p.at("staff").as_object().contains("minItems"));
  EXPECT_EQ(p.at("staff").at("maxItems"), 3);
  EXPECT_THAT(item.at("required").as_array(), ElementsAre("_key", "name"));
  EXPECT_EQ(item.at("properties").at("card").at("properties").at("bytes").at("maximum"),
            1024 * 1024);
  EXPECT_EQ(p.at("declaration").at("const"), true);
  EXPECT_EQ(schema.at("title"), "Shop");
}

TEST(FormSchema, TheExampleAnswersEveryQuestionAskedAndPassesTheFormsRules) {
  const Form form = shop_form(kShop);
  const auto example = example_answers(form, kToday, nullptr);
  ASSERT_TRUE(example);
  EXPECT_THAT(FormEvaluation(form, *example, kToday, nullptr).problems(), IsEmpty());
  EXPECT_EQ(example->at("kind"), "person");
  EXPECT_FALSE(example->contains("company_id"));  // not asked of a person
  EXPECT_EQ(example->at("code"), "ABC4");
  EXPECT_EQ(example->at("opened"), "2026-11-25");
  EXPECT_EQ(example->at("staff").as_array().size(), 1u);
  EXPECT_EQ(example->at("staff").as_array()[0].at("_key"), "k1");
}

TEST(FormSchema, AFormWhoseRulesNoAnswerMeetsHasNoExample) {
  const Form form = shop_form(R"(pages:
  - id: start
    title: {th: เริ่ม, en: Start}
    fields:
      - id: count
        type: integer
        label: {th: จำนวน, en: Count}
        required: true
        max: 5
        valid_if: "${count} > 7"
        message: {th: เกิน 7, en: Over 7}
)");
  EXPECT_FALSE(example_answers(form, kToday, nullptr));
  const json::object schema = answer_schema(form, kToday, nullptr);
  EXPECT_FALSE(schema.contains("examples"));
  EXPECT_THAT(std::string(schema.at("properties").at("count").at("description").as_string()),
              HasSubstr("Pratu also checks ${count} > 7: Over 7"));
}

}  // namespace
}  // namespace pratu::applications
