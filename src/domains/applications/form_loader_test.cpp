#include "domains/applications/form_loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/digest.hpp"
#include "domains/applications/fake_service_directory.hpp"
#include "support/temp_dir.hpp"

namespace pratu::applications {
namespace {

using ::testing::HasSubstr;

platform::ServiceInfo food_service() {
  platform::ServiceInfo s;
  s.slug = "food";
  s.agency = "bma";
  s.name_th = "ใบอนุญาตอาหาร";
  s.name_en = "Food licence";
  s.time_limit_working_days = 30;
  s.documents = {{"id_card", "บัตรประชาชน", "ID card", true}, {"", "แบบคำขอ", "Form", true}};
  s.source_file = "services/bma/food.yaml";
  return s;
}

// A valid form with two pages; tests change one thing in it.
constexpr std::string_view kForm = R"(title: {th: คำขอ, en: Application}
pages:
  - id: applicant
    title: {th: ผู้ขอ, en: Applicant}
    fields:
      - id: kind
        type: choice
        label: {th: ประเภท, en: Kind}
        required: true
        choices:
          - {code: person, th: บุคคล, en: Person}
          - {code: juristic, th: นิติบุคคล, en: Company}
      - id: juristic_id
        type: juristic_id
        label: {th: เลขนิติบุคคล, en: Company number}
        show_if: "${kind} = 'juristic'"
      - id: area
        type: integer
        label: {th: พื้นที่, en: Area}
        min: 1
        max: 1000
        valid_if: "${area} > 200"
        message: {th: เกิน 200, en: Over 200}
  - id: more
    title: {th: เพิ่มเติม, en: More}
    show_if: "${kind} = 'juristic'"
    fields:
      - id: fee
        type: money
        label: {th: ค่าธรรมเนียม, en: Fee}
        min: 10
        max: 5000
      - id: partners
        type: group
        label: {th: หุ้นส่วน, en: Partners}
        item_label: {th: หุ้นส่วน, en: partner}
        min_items: 1
        max_items: 5
        fields:
          - id: name
            type: text
            label: {th: ชื่อ, en: Name}
            required: true
          - id: role
            type: choice
            label: {th: บทบาท, en: Role}
            choices:
              - {code: managing, th: ผู้จัดการ, en: Managing}
              - {code: other, th: อื่น, en: Other}
          - id: role_other
            type: text
            label: {th: ระบุ, en: Which}
            show_if: "${item.role} = 'other'"
      - id: id_card
        type: document
        document: id_card
        label: {th: บัตร, en: Card}
      - id: declaration
        type: declaration
        label: {th: รับรอง, en: I declare}
)";

std::string replaced(std::string_view from, std::string_view to) {
  std::string text(kForm);
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string problems_of(std::string_view yaml) {
  auto form = parse_form(yaml, "services/bma/food/form.yaml", food_service());
  return form ? std::string() : form.error().detail;
}

TEST(FormLoader, ReadsPagesFieldsAndTheirSettings) {
  auto form = parse_form(kForm, "services/bma/food/form.yaml", food_service());
  ASSERT_TRUE(form) << form.error().detail;
  EXPECT_EQ(form->service, "food");
  EXPECT_EQ(form->agency, "bma");
  EXPECT_EQ(form->version, "sha256:" + crypto::sha256_hex(kForm));
  ASSERT_EQ(form->pages.size(), 2u);
  EXPECT_EQ(form->title.en, "Application");
  const Field* kind = form->field("kind").second;
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->type, FieldType::choice);
  EXPECT_TRUE(kind->required);
  ASSERT_NE(kind->choice("juristic"), nullptr);
  EXPECT_EQ(kind->choice("juristic")->label.en, "Company");
  EXPECT_TRUE(form->field("juristic_id").second->show_if.has_value());
  EXPECT_EQ(form->field("area").second->rules.size(), 1u);
  // Money bounds are typed in baht and kept in satang.
  const Field* fee = form->field("fee").second;
  EXPECT_EQ(fee->min, 1000);
  EXPECT_EQ(fee->max, 500000);
  const Field* partners = form->field("partners").second;
  ASSERT_EQ(partners->fields.size(), 3u);
  EXPECT_EQ(partners->max_items, 5);
  EXPECT_EQ(form->field("id_card").second->max_bytes, kDefaultDocumentBytes);
  EXPECT_TRUE(form->field("declaration").second->required);
  EXPECT_EQ(form->page("more")->fields.size(), 4u);
}

TEST(FormLoader, AFormWithoutItsOwnTitleTakesTheServicesName) {
  auto form = parse_form(replaced("title: {th: คำขอ, en: Application}\n", ""),
                         "services/bma/food/form.yaml", food_service());
  ASSERT_TRUE(form) << form.error().detail;
  EXPECT_EQ(form->title.en, "Food licence");
}

TEST(FormLoader, ProblemsNameFileLinePageAndField) {
  const auto problems = problems_of(replaced("type: integer", "type: number"));
  EXPECT_THAT(problems, HasSubstr("services/bma/food/form.yaml:18: page applicant, field area: "
                                  "type: 'number' is not one of: text, long_text"));
}

TEST(FormLoader, RefusesUnknownAndRepeatedKeys) {
  EXPECT_THAT(problems_of(replaced("required: true\n        choices:",
                                   "required: true\n        colour: red\n        choices:")),
              HasSubstr("field kind: colour: unknown key"));
  EXPECT_THAT(problems_of(replaced("pages:", "pagez: []\npages:")),
              HasSubstr("pagez: unknown key"));
}

TEST(FormLoader, RefusesDuplicateIdsEvenInAnotherCase) {
  EXPECT_THAT(problems_of(replaced("id: juristic_id", "id: Kind")),
              HasSubstr("must be lower-case letters"));
  EXPECT_THAT(problems_of(replaced("id: area", "id: kind")),
              HasSubstr("'kind' is used by an earlier field"));
  EXPECT_THAT(problems_of(replaced("id: more", "id: applicant")),
              HasSubstr("'applicant' is used by an earlier page"));
  // A group's fields have ids of their own: "name" may be used outside it too.
  EXPECT_EQ(problems_of(replaced("id: fee", "id: name")), "");
}

TEST(FormLoader, RefusesPageIdsPratuUsesForItsOwnPages) {
  EXPECT_THAT(problems_of(replaced("id: more", "id: check")), HasSubstr("is a name Pratu"));
}

TEST(FormLoader, ExpressionsMayNameOnlyFieldsAboveThem) {
  // A later field, a later page's field, and a field that does not exist.
  EXPECT_THAT(problems_of(replaced("\"${kind} = 'juristic'\"\n      - id: area",
                                   "\"${area} > 3\"\n      - id: area")),
              HasSubstr("field juristic_id: show_if: "));
  EXPECT_THAT(problems_of(replaced("valid_if: \"${area} > 200\"", "valid_if: \"${fee} > 200\"")),
              HasSubstr("field area: valid_if: "));
  EXPECT_THAT(problems_of(replaced("show_if: \"${kind} = 'juristic'\"\n    fields:",
                                   "show_if: \"${nothing} = 'juristic'\"\n    fields:")),
              HasSubstr("page more: show_if: "));
  // A page's condition cannot name its own fields.
  EXPECT_THAT(problems_of(replaced("show_if: \"${kind} = 'juristic'\"\n    fields:",
                                   "show_if: \"${fee} > 1\"\n    fields:")),
              HasSubstr("page more: show_if: "));
}

TEST(FormLoader, ExpressionsAreTypeChecked) {
  EXPECT_THAT(problems_of(replaced("${kind} = 'juristic'\"\n      - id: area",
                                   "${kind} = 'company'\"\n      - id: area")),
              HasSubstr("field juristic_id: show_if: "));
  EXPECT_THAT(problems_of(replaced("valid_if: \"${area} > 200\"", "valid_if: \"${area} > '200'\"")),
              HasSubstr("field area: valid_if: "));
}

TEST(FormLoader, GroupFieldsNameTheirItemAndNothingOutsideReachesIn) {
  EXPECT_THAT(problems_of(replaced("${item.role} = 'other'", "${role} = 'other'")),
              HasSubstr("field role_other: show_if: "));
  // From outside the group only count() and sum() reach into it.
  EXPECT_THAT(problems_of(replaced("label: {th: บัตร, en: Card}",
                                   "label: {th: บัตร, en: Card}\n"
                                   "        show_if: \"${partners.name} = 'x'\"")),
              HasSubstr("field id_card: show_if: "));
  EXPECT_EQ(problems_of(replaced("label: {th: บัตร, en: Card}",
                                 "label: {th: บัตร, en: Card}\n"
                                 "        show_if: \"count(${partners}) >= 1\"")),
            "");
}

TEST(FormLoader, RefusesAGroupInsideAGroup) {
  EXPECT_THAT(problems_of(replaced("          - id: role_other\n            type: text",
                                   "          - id: role_other\n            type: group")),
              HasSubstr("a group cannot hold another group"));
}

TEST(FormLoader, ChoicesNeedUniqueCodes) {
  EXPECT_THAT(problems_of(replaced("{code: juristic,", "{code: person,")),
              HasSubstr("'person' appears twice"));
  EXPECT_THAT(problems_of(replaced("{code: juristic,", "{code: Juristic Person,")),
              HasSubstr("must be lower-case letters"));
}

TEST(FormLoader, DocumentsMustBeOneOfTheServicesDocuments) {
  EXPECT_THAT(problems_of(replaced("document: id_card", "document: passport")),
              HasSubstr("'passport' is not a document of services/bma/food.yaml (keys: id_card)"));
}

TEST(FormLoader, SettingsOnlyApplyToTheirTypes) {
  EXPECT_THAT(problems_of(replaced("        min: 1\n        max: 1000", "        min_length: 3")),
              HasSubstr("min_length: applies only to text and long_text"));
  EXPECT_THAT(problems_of(replaced("min: 10\n        max: 5000", "min: 5000\n        max: 10")),
              HasSubstr("field fee: min: is more than max"));
}

TEST(FormLoader, PatternsMustCompileAndCarryAMessage) {
  const std::string with_pattern =
      replaced("            required: true\n          - id: role",
               "            required: true\n            pattern: \"[0-9\"\n          - id: role");
  const auto problems = problems_of(with_pattern);
  EXPECT_THAT(problems, HasSubstr("pattern: does not compile"));
  EXPECT_THAT(problems, HasSubstr("pattern_message: is required"));
}

TEST(FormLoader, ReuseIsForQuestionsWhoseAnswerMeansTheSameInEveryForm) {
  const std::string juristic = "        show_if: \"${kind} = 'juristic'\"\n      - id: area";
  auto with = [&](std::string_view setting) {
    return replaced(juristic, std::string(setting) + "\n" + juristic);
  };
  auto form =
      parse_form(with("        reuse: juristic_id"), "services/bma/food/form.yaml", food_service());
  ASSERT_TRUE(form) << form.error().detail;
  EXPECT_EQ(form->field("juristic_id").second->reuse, "juristic_id");
  EXPECT_THAT(problems_of(with("        reuse: Juristic-ID")),
              HasSubstr("field juristic_id: reuse: must be lower-case letters"));
  EXPECT_THAT(problems_of(with("        reuse: x\n        prefill: profile.national_id")),
              HasSubstr("reuse: a field filled in from the profile is already asked once"));
  EXPECT_THAT(problems_of(replaced("        required: true\n        choices:\n          - {code: "
                                   "person",
                                   "        required: true\n        reuse: kind\n        "
                                   "choices:\n          - {code: person")),
              HasSubstr("field kind: reuse: not for a choice"));
  EXPECT_THAT(problems_of(replaced("            required: true\n          - id: role",
                                   "            required: true\n            reuse: partner\n"
                                   "          - id: role")),
              HasSubstr("reuse: not inside a group"));
}

TEST(FormLoader, PrefillNamesAProfileField) {
  EXPECT_THAT(problems_of(replaced("            required: true\n          - id: role",
                                   "            required: true\n            prefill: profile.age\n"
                                   "          - id: role")),
              HasSubstr("'profile.age' is not one of: profile.title"));
  EXPECT_THAT(problems_of(replaced("            required: true\n          - id: role",
                                   "            required: true\n            locked: true\n"
                                   "          - id: role")),
              HasSubstr("locked: goes with prefill"));
}

TEST(FormLoader, ADeclarationIsAlwaysRequired) {
  EXPECT_THAT(problems_of(replaced("label: {th: รับรอง, en: I declare}",
                                   "label: {th: รับรอง, en: I declare}\n        required: false")),
              HasSubstr("a declaration is always required"));
}

TEST(FormLoader, BrokenYamlNamesItsLine) {
  EXPECT_THAT(problems_of("pages:\n  - id: [unclosed\n"), HasSubstr("form.yaml:"));
  EXPECT_THAT(problems_of("pages: []\n"), HasSubstr("pages: is required"));
}

// The service directory of a test: services by slug, in a folder of its own.
TEST(LoadForms, ReadsEachServicesFolderAndRefusesStrayOnes) {
  test::TempDir dir;
  dir.write("services/bma/food/form.yaml", kForm);
  dir.write("services/bma/food.yaml", "ignored: by this loader");
  FakeDirectory directory(dir.path() / "services");
  directory.services_.push_back(food_service());
  auto forms = load_forms(directory);
  ASSERT_TRUE(forms) << forms.error().detail;
  ASSERT_EQ(forms->size(), 1u);
  EXPECT_EQ(forms->at("food").source_file, "services/bma/food/form.yaml");

  dir.write("services/bma/ghost/form.yaml", kForm);
  dir.write("services/dbd/food/form.yaml", kForm);
  auto stray = load_forms(directory);
  ASSERT_FALSE(stray);
  EXPECT_THAT(stray.error().detail, HasSubstr("services/bma/ghost/: no service ghost"));
  EXPECT_THAT(stray.error().detail,
              HasSubstr("services/dbd/food/: the service food belongs to bma"));
}

TEST(LoadForms, AServiceWithoutAFormHasNone) {
  test::TempDir dir;
  dir.write("services/bma/food/notes.txt", "a folder for later parts");
  FakeDirectory directory(dir.path() / "services");
  directory.services_.push_back(food_service());
  auto forms = load_forms(directory);
  ASSERT_TRUE(forms) << forms.error().detail;
  EXPECT_TRUE(forms->empty());
}

}  // namespace
}  // namespace pratu::applications
