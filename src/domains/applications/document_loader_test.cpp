#include "domains/applications/document_loader.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "common/files.hpp"
#include "crypto/digest.hpp"
#include "domains/applications/fake_service_directory.hpp"
#include "domains/applications/form_loader.hpp"
#include "domains/applications/workflow_loader.hpp"
#include "support/temp_dir.hpp"

namespace pratu::applications {
namespace {

namespace fs = std::filesystem;

using ::testing::HasSubstr;
using ::testing::Not;

const fs::path kRoot(PRATU_SOURCE_DIR);

// A service as the catalogue entry services/<agency>/<slug>.yaml describes it: what the form
// needs (slug, agency, document keys) and what the workflow does (its time limit).
platform::ServiceInfo catalogue_service(const fs::path& entry) {
  const YAML::Node catalogue = YAML::LoadFile(entry.string());
  platform::ServiceInfo service;
  service.slug = catalogue["slug"].as<std::string>();
  service.agency = catalogue["agency"].as<std::string>();
  service.time_limit_working_days = catalogue["time_limit_working_days"].as<int>();
  service.source_file = fs::relative(entry, kRoot).string();
  for (const auto& document : catalogue["documents"]) {
    if (document["key"]) service.documents.push_back({document["key"].as<std::string>(), "", ""});
  }
  for (const auto& fee : catalogue["fees"]) {
    platform::ServiceFee f;
    f.code = fee["code"].as<std::string>();
    service.fees.push_back(f);
  }
  return service;
}

// The demo food premises licence's own form and workflow, which the templates below are
// checked against: a group (handlers), files, questions asked on a condition, a declaration.
struct FoodService {
  FoodService() {
    const fs::path folder = kRoot / "services/bma/food-premises-licence";
    service = catalogue_service(kRoot / "services/bma/food-premises-licence.yaml");
    auto text = read_file(folder / "form.yaml");
    EXPECT_TRUE(text);
    auto parsed_form =
        parse_form(text ? *text : "", "services/bma/food-premises-licence/form.yaml", service);
    EXPECT_TRUE(parsed_form) << parsed_form.error().detail;
    if (parsed_form) form = std::move(*parsed_form);
    text = read_file(folder / "workflow.yaml");
    EXPECT_TRUE(text);
    auto parsed_workflow = parse_workflow(
        text ? *text : "", "services/bma/food-premises-licence/workflow.yaml", service);
    EXPECT_TRUE(parsed_workflow) << parsed_workflow.error().detail;
    if (parsed_workflow) workflow = std::move(*parsed_workflow);
  }
  platform::ServiceInfo service;
  Form form;
  Workflow workflow;
};

const FoodService& food() {
  static const FoodService* service = new FoodService();
  return *service;
}

// A valid template; tests change one thing in it. Its line numbers are in the tests' messages.
constexpr std::string_view kDocument = R"(kind: licence
title: {th: ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร, en: Food premises licence}
issued_in: approved
number:
  prefix: BMA-FP
validity:
  years: 1
languages: [th, en]
holder:
  name: [title, given_name, family_name]
  id: citizen_id
fields:
  - label: {th: ชื่อสถานที่, en: Name of the premises}
    answer: premises_name
  - label: {th: พื้นที่ประกอบการ, en: Floor area}
    answer: floor_area
  - label: {th: ผู้สัมผัสอาหาร, en: Food handlers}
    answer: handlers.name
conditions:
  - {th: แสดงใบอนุญาตไว้ในที่เปิดเผย, en: Display the licence openly}
signatory: {th: ผู้อำนวยการเขต, en: District Director}
)";

constexpr std::string_view kFile = "services/bma/food-premises-licence/document.yaml";

std::string replaced(std::string_view from, std::string_view to) {
  std::string text(kDocument);
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

Result<DocumentTemplate> parsed(std::string_view yaml, const Workflow& workflow) {
  return parse_document_template(yaml, std::string(kFile), food().service, food().form, workflow);
}

std::string problems_of(std::string_view yaml) {
  auto document = parsed(yaml, food().workflow);
  return document ? std::string() : document.error().detail;
}

// The single problem `yaml` has, which must be `expected` (file, line, place and message).
void expect_only_problem(std::string_view yaml, std::string_view expected) {
  const std::string problems = problems_of(yaml);
  EXPECT_EQ(problems, std::string(kFile) + std::string(expected));
}

TEST(DocumentLoader, ReadsEveryPartOfATemplate) {
  auto d = parsed(kDocument, food().workflow);
  ASSERT_TRUE(d) << d.error().detail;
  EXPECT_EQ(d->service, "food-premises-licence");
  EXPECT_EQ(d->agency, "bma");
  EXPECT_EQ(d->version, "sha256:" + crypto::sha256_hex(kDocument));
  EXPECT_EQ(d->source_file, kFile);
  EXPECT_EQ(d->kind, DocumentKind::licence);
  EXPECT_EQ(d->title.th, "ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร");
  EXPECT_EQ(d->title.en, "Food premises licence");
  EXPECT_EQ(d->issued_in, "approved");
  EXPECT_EQ(d->number.prefix, "BMA-FP");
  EXPECT_EQ(d->validity, (Validity{ValidityUnit::years, 1}));
  EXPECT_EQ(d->languages, (std::vector<web::Locale>{web::Locale::th, web::Locale::en}));
  EXPECT_TRUE(d->written_in(web::Locale::en));
  EXPECT_EQ(d->holder.name, (std::vector<std::string>{"title", "given_name", "family_name"}));
  EXPECT_EQ(d->holder.id, "citizen_id");
  ASSERT_EQ(d->fields.size(), 3u);
  EXPECT_EQ(d->fields[0].answer, "premises_name");
  EXPECT_EQ(d->fields[1].label.en, "Floor area");
  EXPECT_EQ(d->fields[2].answer, "handlers.name");  // that question of every item
  ASSERT_EQ(d->conditions.size(), 1u);
  EXPECT_EQ(d->conditions[0].th, "แสดงใบอนุญาตไว้ในที่เปิดเผย");
  EXPECT_EQ(d->signatory.en, "District Director");
}

TEST(DocumentLoader, TakesATemplateWithoutTermEnglishIdOrConditions) {
  auto d = parsed(
      replaced("validity:\n  years: 1\nlanguages: [th, en]", "validity: none\nlanguages: [th]"),
      food().workflow);
  ASSERT_TRUE(d) << d.error().detail;
  EXPECT_FALSE(d->validity);
  EXPECT_FALSE(d->written_in(web::Locale::en));
  std::string bare(kDocument);
  bare.replace(bare.find("  id: citizen_id\n"), 17, "");
  bare.replace(bare.find("conditions:\n"), bare.find("signatory:") - bare.find("conditions:\n"),
               "conditions: []\n");
  auto without = parsed(bare, food().workflow);
  ASSERT_TRUE(without) << without.error().detail;
  EXPECT_TRUE(without->holder.id.empty());
  EXPECT_TRUE(without->conditions.empty());
  for (auto [unit, key] :
       {std::pair{ValidityUnit::days, "days: 90"}, std::pair{ValidityUnit::months, "months: 6"}}) {
    auto other = parsed(replaced("years: 1", key), food().workflow);
    ASSERT_TRUE(other) << other.error().detail;
    EXPECT_EQ(other->validity->unit, unit);
  }
}

TEST(DocumentLoader, NumbersAreThePrefixTheBuddhistYearAndASequenceOfSixDigits) {
  const NumberScheme scheme{"DBD-C"};
  EXPECT_EQ(document_number(scheme, 2569, 123), "DBD-C-2569-000123");
  EXPECT_EQ(document_number(scheme, 2570, 1'234'567), "DBD-C-2570-1234567");
  EXPECT_EQ(document_number_pattern(scheme), "^DBD-C-[0-9]{4}-[0-9]{6,}$");
}

TEST(DocumentLoader, RefusesAnUnknownKey) {
  expect_only_problem(replaced("kind: licence", "kind: licence\nowner: bma"),
                      ":2: owner: unknown key (expected one of: kind, title, issued_in, number, "
                      "validity, languages, holder, fields, conditions, signatory)");
  expect_only_problem(replaced("  prefix: BMA-FP", "  prefix: BMA-FP\n  digits: 6"),
                      ":6: number: digits: unknown key (expected one of: prefix)");
}

TEST(DocumentLoader, RefusesAKindItDoesNotKnow) {
  expect_only_problem(replaced("kind: licence", "kind: license"),
                      ":1: kind: must be licence, certificate or permit, not 'license'");
}

TEST(DocumentLoader, RefusesATitleWithoutBothLanguages) {
  expect_only_problem(replaced(", en: Food premises licence}", "}"),
                      ":2: title: needs both th and en");
  expect_only_problem(replaced("signatory: {th: ผู้อำนวยการเขต, en: District Director}",
                               "signatory: {en: District Director}"),
                      ":21: signatory: needs both th and en");
  expect_only_problem(replaced("{th: ผู้สัมผัสอาหาร, en: Food handlers}", "{th: ผู้สัมผัสอาหาร}"),
                      ":17: field 3: label: needs both th and en");
  expect_only_problem(replaced(", en: Display the licence openly}", "}"),
                      ":20: condition 1: conditions: needs both th and en");
}

TEST(DocumentLoader, RefusesIssuingInAStateTheWorkflowLacks) {
  expect_only_problem(replaced("issued_in: approved", "issued_in: granted"),
                      ":3: issued_in: 'granted' is not a state of the workflow "
                      "(services/bma/food-premises-licence/workflow.yaml)");
  // A draft is the application's own state, before any workflow.
  EXPECT_THAT(problems_of(replaced("issued_in: approved", "issued_in: draft")),
              HasSubstr("'draft' is not a state of the workflow"));
}

// The workflow loader refuses a workflow with a state no application reaches, so the template
// checks it again on a loaded workflow stripped of the one way to approval.
TEST(DocumentLoader, RefusesIssuingInAStateNoApplicationCanReach) {
  Workflow stranded = food().workflow;
  std::erase_if(stranded.transitions, [](const Transition& t) { return t.to == "approved"; });
  auto d = parsed(kDocument, stranded);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().detail, std::string(kFile) +
                                  ":3: issued_in: no application can reach 'approved' from "
                                  "'submitted' in the workflow "
                                  "(services/bma/food-premises-licence/workflow.yaml): the "
                                  "document would never be issued");
  // Any reachable state will do, final or not.
  EXPECT_EQ(problems_of(replaced("issued_in: approved", "issued_in: in_review")), "");
}

TEST(DocumentLoader, RefusesANumberPrefixNotMadeOfTheAgencysCode) {
  const std::string characters =
      "' must be capital letters and digits in parts joined by single hyphens, each part "
      "starting with a letter, at most 24 characters (as BMA-CR)";
  for (std::string_view bad : {"BMA-fp", "BMA_FP", "BMA--FP", "BMA-FP-", "BMA-2569", "-BMA"}) {
    expect_only_problem(replaced("prefix: BMA-FP", "prefix: " + std::string(bad)),
                        ":5: number: prefix: '" + std::string(bad) + characters);
  }
  expect_only_problem(replaced("prefix: BMA-FP", "prefix: BMA-FOOD-PREMISES-LICENCES"),
                      ":5: number: prefix: 'BMA-FOOD-PREMISES-LICENCES" + characters);
  expect_only_problem(replaced("prefix: BMA-FP", "prefix: DBD-FP"),
                      ":5: number: prefix: 'DBD-FP' must begin with the agency's code and a "
                      "hyphen (BMA-...), so that no two agencies' numbers can be alike");
  // The agency's code alone would read as an application's reference (BMA-2569-000123-K).
  EXPECT_THAT(problems_of(replaced("prefix: BMA-FP", "prefix: BMA")),
              HasSubstr(":5: number: prefix: 'BMA' must begin with the agency's code and a "
                        "hyphen"));
  EXPECT_THAT(problems_of(replaced("number:\n  prefix: BMA-FP\n", "")),
              HasSubstr(":1: number: is required"));
}

TEST(DocumentLoader, RefusesAValidityThatIsNotAPositivePeriod) {
  expect_only_problem(replaced("years: 1", "years: -1"),
                      ":7: validity: years: must be from 1 to 10");
  expect_only_problem(replaced("years: 1", "days: 0"),
                      ":7: validity: days: must be from 1 to 3650");
  expect_only_problem(replaced("years: 1", "months: 121"),
                      ":7: validity: months: must be from 1 to 120");
  expect_only_problem(replaced("years: 1", "years: 1\n  months: 6"),
                      ":7: validity: give exactly one of days, months or years (or validity: "
                      "none)");
  expect_only_problem(replaced("validity:\n  years: 1", "validity: forever"),
                      ":6: validity: must be none, or one of {days: N}, {months: N}, {years: N}, "
                      "not 'forever'");
  expect_only_problem(replaced("years: 1", "weeks: 2"),
                      ":7: validity: weeks: unknown key (expected one of: days, months, years)");
  EXPECT_THAT(problems_of(replaced("validity:\n  years: 1\n", "")),
              HasSubstr(":1: validity: is required"));
}

TEST(DocumentLoader, IsWrittenInThaiAndPerhapsEnglish) {
  expect_only_problem(replaced("languages: [th, en]", "languages: [en]"),
                      ":8: languages: must include th: every document is written in Thai");
  expect_only_problem(replaced("languages: [th, en]", "languages: [th, fr]"),
                      ":8: languages: 'fr' is not one of: th, en");
  expect_only_problem(replaced("languages: [th, en]", "languages: [th, th]"),
                      ":8: languages: names 'th' twice");
}

TEST(DocumentLoader, RefusesAFieldNamingNoQuestionOfTheForm) {
  expect_only_problem(replaced("answer: premises_name", "answer: shop_name"),
                      ":14: field 1: answer: 'shop_name' is not a question of the form "
                      "(services/bma/food-premises-licence/form.yaml)");
  expect_only_problem(replaced("answer: handlers.name", "answer: handlers.nickname"),
                      ":18: field 3: answer: 'nickname' is not a question of the group handlers");
  expect_only_problem(replaced("answer: handlers.name", "answer: handlers"),
                      ":18: field 3: answer: 'handlers' is a group: name one of its questions, "
                      "as handlers.name");
  expect_only_problem(replaced("answer: handlers.name", "answer: premises_name.name"),
                      ":18: field 3: answer: 'premises_name' is not a group: name it alone");
  expect_only_problem(replaced("answer: handlers.name", "answer: handlers.name.first"),
                      ":18: field 3: answer: 'handlers.name.first' must be a question's id, or "
                      "group.question for a question of each item of a group");
  expect_only_problem(replaced("answer: floor_area", "answer: premises_name"),
                      ":16: field 2: answer: 'premises_name' is shown by an earlier field");
  expect_only_problem(replaced("    answer: floor_area\n", ""),
                      ":15: field 2: answer: is required");
}

TEST(DocumentLoader, RefusesAFieldNamingAFileQuestion) {
  expect_only_problem(replaced("answer: floor_area", "answer: medical_certificates"),
                      ":16: field 2: answer: 'medical_certificates' is a document question: a "
                      "file cannot be written on a document");
  expect_only_problem(replaced("answer: floor_area", "answer: declaration"),
                      ":16: field 2: answer: 'declaration' is the applicant's declaration, which "
                      "a document does not repeat");
}

TEST(DocumentLoader, RefusesATemplateWithoutItsHolder) {
  expect_only_problem(replaced("holder:\n  name: [title, given_name, family_name]\n  id: "
                               "citizen_id\n",
                               ""),
                      ":1: holder: is required: {name: the questions whose answers are the "
                      "holder's name, id: the question of their citizen or juristic ID "
                      "(optional)}");
  expect_only_problem(replaced("  name: [title, given_name, family_name]\n", ""),
                      ":10: holder: name: is required: the questions whose answers are the "
                      "holder's name");
  // The holder is named on every document: by questions every applicant answers.
  expect_only_problem(replaced("name: [title, given_name, family_name]", "name: juristic_name"),
                      ":10: holder: name: 'juristic_name' is not asked of every applicant (it is "
                      "asked only on a condition): every document must name its holder");
  expect_only_problem(replaced("name: [title, given_name, family_name]", "name: [handlers.name]"),
                      ":10: holder: name: 'handlers.name' is a question of a group's items: name "
                      "a question of the form itself");
  expect_only_problem(replaced("name: [title, given_name, family_name]", "name: [floor_area]"),
                      ":10: holder: name: 'floor_area' is an integer question: a name is made of "
                      "text and choice answers");
  expect_only_problem(replaced("id: citizen_id", "id: mobile"),
                      ":11: holder: id: 'mobile' is a phone question, not a citizen_id or "
                      "juristic_id one");
  expect_only_problem(replaced("id: citizen_id", "id: juristic_id"),
                      ":11: holder: id: 'juristic_id' is not asked of every applicant (it is "
                      "asked only on a condition): every document must name its holder");
}

TEST(DocumentLoader, BrokenYamlNamesItsLine) {
  EXPECT_THAT(problems_of("kind: [licence\ntitle: {"), HasSubstr(std::string(kFile) + ":"));
  EXPECT_THAT(problems_of("- a list"), HasSubstr("must be a map of keys to values"));
  // Several slips, each its own line.
  const auto several = problems_of(replaced("kind: licence", "kind: license") + "extra: 1\n");
  EXPECT_THAT(several, HasSubstr(":1: kind:"));
  EXPECT_THAT(several, HasSubstr(":22: extra: unknown key"));
  EXPECT_THAT(problems_of(kDocument), Not(HasSubstr("\n")));
}

TEST(DocumentLoader, GivesTheApiItsTemplate) {
  auto d = parsed(kDocument, food().workflow);
  ASSERT_TRUE(d) << d.error().detail;
  const auto json = document_template_json(*d);
  EXPECT_EQ(json.at("service"), "food-premises-licence");
  EXPECT_EQ(json.at("kind"), "licence");
  EXPECT_EQ(json.at("issued_in"), "approved");
  EXPECT_EQ(json.at("number").at("prefix"), "BMA-FP");
  EXPECT_EQ(json.at("number").at("example"), "BMA-FP-2569-000123");
  EXPECT_EQ(json.at("validity"), (boost::json::object{{"unit", "years"}, {"count", 1}}));
  EXPECT_EQ(json.at("languages"), (boost::json::array{"th", "en"}));
  EXPECT_EQ(json.at("holder").at("name"),
            (boost::json::array{"title", "given_name", "family_name"}));
  EXPECT_EQ(json.at("fields").as_array()[2].at("answer"), "handlers.name");
  EXPECT_EQ(json.at("signatory").at("th"), "ผู้อำนวยการเขต");
  auto none = parsed(replaced("validity:\n  years: 1", "validity: none"), food().workflow);
  ASSERT_TRUE(none) << none.error().detail;
  EXPECT_FALSE(document_template_json(*none).contains("validity"));
}

// Every service of the demo catalogue, over the real services/ folder, as the module loads them.
FakeDirectory demo_directory() {
  FakeDirectory directory(kRoot / "services");
  for (const auto& agency : fs::directory_iterator(kRoot / "services")) {
    if (!agency.is_directory() || agency.path().filename() == "agencies") continue;
    for (const auto& entry : fs::directory_iterator(agency.path())) {
      if (entry.path().extension() == ".yaml") {
        directory.services_.push_back(catalogue_service(entry.path()));
      }
    }
  }
  return directory;
}

TEST(LoadDocumentTemplates, TheDemoTemplatesLoad) {
  const FakeDirectory directory = demo_directory();
  auto forms = load_forms(directory);
  ASSERT_TRUE(forms) << forms.error().detail;
  auto workflows = load_workflows(directory, *forms);
  ASSERT_TRUE(workflows) << workflows.error().detail;
  auto documents = load_document_templates(directory, *forms, *workflows);
  ASSERT_TRUE(documents) << documents.error().detail;
  ASSERT_EQ(documents->size(), 4u);

  const auto& registration = documents->at("commercial-registration");
  EXPECT_EQ(registration.kind, DocumentKind::certificate);
  EXPECT_EQ(registration.number.prefix, "DBD-CR");
  EXPECT_FALSE(registration.validity);
  EXPECT_FALSE(registration.written_in(web::Locale::en));
  EXPECT_EQ(registration.source_file, "services/dbd/commercial-registration/document.yaml");

  const auto& food_licence = documents->at("food-premises-licence");
  EXPECT_EQ(food_licence.kind, DocumentKind::licence);
  EXPECT_EQ(food_licence.validity, (Validity{ValidityUnit::years, 1}));
  EXPECT_FALSE(food_licence.conditions.empty());

  const auto& liquor = documents->at("liquor-sale-licence");
  EXPECT_EQ(liquor.kind, DocumentKind::licence);
  EXPECT_EQ(liquor.validity, (Validity{ValidityUnit::years, 1}));
  EXPECT_EQ(liquor.number.prefix, "EXCISE-LQ");

  const auto& certificate = documents->at("company-certificate");
  EXPECT_EQ(certificate.kind, DocumentKind::certificate);
  EXPECT_FALSE(certificate.validity);
  EXPECT_TRUE(certificate.holder.id.empty());
  EXPECT_TRUE(certificate.conditions.empty());
  EXPECT_EQ(document_number(certificate.number, 2569, 123), "DBD-C-2569-000123");

  for (const auto& [slug, document] : *documents) {
    EXPECT_EQ(document.issued_in, "approved") << slug;  // the workflows are unchanged
    EXPECT_TRUE(document.written_in(web::Locale::th)) << slug;
  }
}

TEST(LoadDocumentTemplates, ATemplateNeedsAFormAndAWorkflowToBeIssuedFrom) {
  test::TempDir dir;
  dir.write("services/bma/food-premises-licence/document.yaml", kDocument);
  FakeDirectory directory(dir.path() / "services");
  directory.services_.push_back(food().service);
  auto documents = load_document_templates(directory, {}, {});
  ASSERT_FALSE(documents);
  EXPECT_EQ(documents.error().detail,
            "services/bma/food-premises-licence/document.yaml: the service has no form.yaml and "
            "workflow.yaml: no application could ever be approved for it to be issued");

  std::map<std::string, Form, std::less<>> forms{{"food-premises-licence", food().form}};
  Workflows workflows{{"food-premises-licence", food().workflow}};
  auto loaded = load_document_templates(directory, forms, workflows);
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded->at("food-premises-licence").number.prefix, "BMA-FP");

  // A broken one is refused naming its file and line, among every other service's problems.
  dir.write("services/bma/food-premises-licence/document.yaml",
            replaced("prefix: BMA-FP", "prefix: DBD-FP"));
  auto broken = load_document_templates(directory, forms, workflows);
  ASSERT_FALSE(broken);
  EXPECT_THAT(broken.error().detail,
              HasSubstr("services/bma/food-premises-licence/document.yaml:5: number: prefix:"));
}

}  // namespace
}  // namespace pratu::applications
