// Fees as data (docs/adr/0026) through the real server on SQLite and PostgreSQL: the catalogue
// serves what a bill needs of each fee, level 2's payment criteria are earned only by a workflow
// that bills, and a fee whose condition or quantity does not fit the service's form, or a
// catalogue file that declares a payment criterion, stops the start, naming the file.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

class FeesIT : public AppTest {};

TEST_P(FeesIT, TheCatalogueServesWhatABillNeedsOfEachFee) {
  auto response = client_->get("/api/v1/services/signboard-tax");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::array fees = json::parse(response.body).at("fees").as_array();
  ASSERT_EQ(fees.size(), 5u);
  const json::object& thai = fees[1].as_object();
  EXPECT_EQ(thai.at("code").as_string(), "thai_other");
  EXPECT_EQ(thai.at("amount_satang").as_int64(), 500);
  EXPECT_EQ(thai.at("for_each").as_string(), "signs");
  EXPECT_EQ(thai.at("when").as_string(), "${item.sign_type} = 'type1'");
  EXPECT_EQ(thai.at("quantity").at("per").as_int64(), 500);
  EXPECT_EQ(thai.at("minimum_satang").as_int64(), 20000);
  EXPECT_FALSE(thai.at("stamp_duty").as_bool());

  auto liquor = json::parse(client_->get("/api/v1/services/liquor-sale-licence").body);
  EXPECT_EQ(liquor.at("fees").at(0).at("when").as_string(), "${licence_type} = 'type1'");
}

TEST_P(FeesIT, OnlyAServiceWhoseWorkflowBillsEarnsLevelTwosPaymentCriteria) {
  auto criteria_of = [&](const std::string& slug) {
    std::map<std::string, std::string> out;
    auto service = json::parse(client_->get("/api/v1/services/" + slug).body);
    for (const auto& c : service.at("criteria").as_array()) {
      out[std::string(c.at("criterion").as_string())] = std::string(c.at("status").as_string());
    }
    return out;
  };
  for (const std::string slug : {"signboard-tax", "company-certificate", "commercial-registration",
                                 "food-premises-licence", "liquor-sale-licence"}) {
    auto criteria = criteria_of(slug);
    EXPECT_EQ(criteria["bill_payment"], "met") << slug;
    EXPECT_EQ(criteria["e_receipt"], "met") << slug;
  }
  // Fees, a form, no state that bills: the fees are still paid at the counter.
  auto company = criteria_of("company-registration");
  EXPECT_EQ(company["bill_payment"], "missing");
  EXPECT_EQ(company["e_receipt"], "missing");
}

class FeesStartIT : public CopiedServicesTest {
 protected:
  // The start's error after `from` is replaced by `to` in the signboard tax's catalogue file.
  std::string start_after(const std::string& from, const std::string& to) {
    const fs::path file = services() / "bma" / "signboard-tax.yaml";
    std::string text;
    {
      std::ifstream in(file);
      text.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto at = text.find(from);
    if (at == std::string::npos) return "'" + from + "' is not in the file";
    text.replace(at, from.size(), to);
    std::ofstream(file) << text;
    auto config = test_config(db_->url());
    config.modules["catalog.directory"] = services().string();
    auto created = app::Application::create(config, app::modules(), app::Demo::none);
    return created ? std::string("it started") : created.error().detail;
  }
};

TEST_P(FeesStartIT, AConditionOnAnAnswerTheFormDoesNotHaveStopsTheStart) {
  const std::string detail =
      start_after("when: \"${item.sign_type} = 'type1'\"", "when: \"${item.colour} = 'red'\"");
  EXPECT_NE(detail.find("module applications: "), std::string::npos) << detail;
  EXPECT_NE(detail.find("services/bma/signboard-tax.yaml: fees[1].when: "), std::string::npos)
      << detail;
  EXPECT_NE(detail.find("colour"), std::string::npos) << detail;
}

TEST_P(FeesStartIT, AQuantityOverAFieldThatIsNotARepeatingGroupStopsTheStart) {
  const std::string detail = start_after("  - code: mixed\n", "  - code: mixed\n");
  EXPECT_EQ(detail, "it started");
  const std::string broken = start_after("for_each: signs\n", "for_each: business_name\n");
  EXPECT_NE(broken.find("services/bma/signboard-tax.yaml: fees[1].for_each: 'business_name' is "
                        "not a repeating group of the service's form"),
            std::string::npos)
      << broken;
}

TEST_P(FeesStartIT, ACatalogueFileThatDeclaresAPaymentCriterionStopsTheStart) {
  const std::string detail =
      start_after("channels: [counter, post]\n",
                  "channels: [counter, post]\nonline:\n  bill_payment: true\n  e_receipt: true\n");
  for (const std::string key : {"bill_payment", "e_receipt"}) {
    EXPECT_NE(detail.find("services/bma/signboard-tax.yaml: online." + key +
                          ": is earned by a workflow that bills through Pratu"),
              std::string::npos)
        << detail;
  }
}

PRATU_INSTANTIATE_ENGINE_TESTS(FeesIT);
PRATU_INSTANTIATE_ENGINE_TESTS(FeesStartIT);

}  // namespace
}  // namespace pratu::test
