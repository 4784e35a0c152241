// The document templates through the real server on SQLite and PostgreSQL: every demo service
// that issues a document has its template read at start and served at
// /api/v1/services/{slug}/document, a service that issues none answers 404, a template earns
// its service nothing of level 3, and a broken template stops the start naming its file and
// line.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <map>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

class DocumentTemplatesIT : public AppTest {};

// The demo services that issue a document, and the prefix of its numbers.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kIssuing = {{
    {"commercial-registration", "DBD-CR"},
    {"food-premises-licence", "BMA-FP"},
    {"liquor-sale-licence", "EXCISE-LQ"},
    {"company-certificate", "DBD-C"},
}};

TEST_P(DocumentTemplatesIT, TheCompanyCertificatesTemplateIsServed) {
  auto response = client_->get("/api/v1/services/company-certificate/document");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("Content-Type").substr(0, 16), "application/json");
  const auto document = json::parse(response.body).as_object();
  EXPECT_EQ(document.at("service"), "company-certificate");
  EXPECT_EQ(document.at("agency"), "dbd");
  EXPECT_TRUE(document.at("version").as_string().starts_with("sha256:"));
  EXPECT_EQ(document.at("kind"), "certificate");
  EXPECT_EQ(document.at("title").at("th"), "หนังสือรับรองการจดทะเบียนนิติบุคคล");
  EXPECT_EQ(document.at("title").at("en"), "Certificate of Juristic Person Registration");
  EXPECT_EQ(document.at("issued_in"), "approved");
  EXPECT_EQ(document.at("number").at("prefix"), "DBD-C");
  EXPECT_EQ(document.at("number").at("example"), "DBD-C-2569-000123");
  EXPECT_EQ(document.at("number").at("pattern"), "^DBD-C-[0-9]{4}-[0-9]{6,}$");
  EXPECT_FALSE(document.contains("validity"));  // no term
  EXPECT_EQ(document.at("languages"), (json::array{"th", "en"}));
  EXPECT_EQ(document.at("holder"), (json::object{{"name", json::array{"requester_name"}}}));
  json::array answers;
  for (const auto& field : document.at("fields").as_array()) answers.push_back(field.at("answer"));
  EXPECT_EQ(answers, (json::array{"juristic_id", "kinds", "language", "copies"}));
  EXPECT_EQ(document.at("fields").at(0).at("label").at("th"), "เลขทะเบียนนิติบุคคล");
  EXPECT_TRUE(document.at("conditions").as_array().empty());
  EXPECT_EQ(document.at("signatory"), (json::object{{"th", "นายทะเบียน"}, {"en", "Registrar"}}));
}

TEST_P(DocumentTemplatesIT, EveryDemoServiceThatIssuesADocumentServesItsTemplate) {
  for (const auto& [slug, prefix] : kIssuing) {
    auto response = client_->get("/api/v1/services/" + std::string(slug) + "/document");
    ASSERT_EQ(response.status, 200) << slug << ": " << response.body;
    const auto document = json::parse(response.body).as_object();
    EXPECT_EQ(document.at("service").as_string(), slug);
    EXPECT_EQ(document.at("number").at("prefix").as_string(), prefix);
    EXPECT_EQ(document.at("languages").at(0), "th") << slug;
  }
  auto licence = json::parse(client_->get("/api/v1/services/food-premises-licence/document").body);
  EXPECT_EQ(licence.at("kind"), "licence");
  EXPECT_EQ(licence.at("validity"), (json::object{{"unit", "years"}, {"count", 1}}));
  EXPECT_EQ(licence.at("holder").at("id"), "citizen_id");
  EXPECT_FALSE(licence.at("conditions").as_array().empty());
}

TEST_P(DocumentTemplatesIT, AServiceThatIssuesNoDocumentIsNotFound) {
  for (const std::string slug : {"no-such-service", "building-permit", "id-card-replacement"}) {
    auto response = client_->get("/api/v1/services/" + slug + "/document");
    EXPECT_EQ(response.status, 404) << slug;
    EXPECT_EQ(response.header("Content-Type"), "application/problem+json") << slug;
  }
}

// Level 3's criteria are earned by the documents Pratu issues and signs, never by a file: a
// service with a template has them (documents_it proves each issues a signed document); one
// without has none, whatever else it offers.
TEST_P(DocumentTemplatesIT, OnlyAServiceThatIssuesASignedDocumentEarnsLevelThreesCriteria) {
  auto criteria_of = [&](const std::string& slug) {
    std::map<std::string, std::string> out;
    auto service = json::parse(client_->get("/api/v1/services/" + slug).body);
    for (const auto& c : service.at("criteria").as_array()) {
      out[std::string(c.at("criterion").as_string())] = std::string(c.at("status").as_string());
    }
    return out;
  };
  for (const std::string slug : {"food-premises-licence", "commercial-registration",
                                 "liquor-sale-licence", "company-certificate"}) {
    auto criteria = criteria_of(slug);
    for (const char* key : {"e_license", "ca_signature", "pdf_a3"}) {
      EXPECT_EQ(criteria[key], "met") << slug << " " << key;
    }
  }
  for (const std::string slug : {"building-permit", "id-card-replacement"}) {
    auto criteria = criteria_of(slug);
    for (const char* key : {"e_license", "ca_signature", "pdf_a3"}) {
      EXPECT_NE(criteria[key], "met") << slug << " " << key;
    }
  }
}

class DocumentTemplatesStartIT : public CopiedServicesTest {};

TEST_P(DocumentTemplatesStartIT, ABrokenTemplateStopsTheStartNamingItsFileAndLine) {
  const fs::path file = services() / "dbd" / "company-certificate" / "document.yaml";
  std::string text;
  {
    std::ifstream in(file);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string from = "answer: copies";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "answer: number_of_copies");
  std::ofstream(file) << text;

  auto config = test_config(db_->url());
  config.modules["catalog.directory"] = services().string();
  auto created = app::Application::create(config, app::modules(), app::Demo::none);
  ASSERT_FALSE(created);
  const std::string& detail = created.error().detail;
  EXPECT_NE(detail.find("module applications: "), std::string::npos) << detail;
  EXPECT_NE(detail.find("services/dbd/company-certificate/document.yaml:24: field 4: answer: "
                        "'number_of_copies' is not a question of the form "
                        "(services/dbd/company-certificate/form.yaml)"),
            std::string::npos)
      << detail;
}

PRATU_INSTANTIATE_ENGINE_TESTS(DocumentTemplatesIT);
PRATU_INSTANTIATE_ENGINE_TESTS(DocumentTemplatesStartIT);

}  // namespace
}  // namespace pratu::test
