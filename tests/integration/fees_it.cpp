// Fees as data (docs/adr/0026) through the real server on SQLite and PostgreSQL: the catalogue
// serves what a bill needs of each fee, and a fee whose condition or quantity does not fit the
// service's form stops the start, naming the catalogue file and the fee.

#include <boost/json.hpp>
#include <gtest/gtest.h>

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

PRATU_INSTANTIATE_ENGINE_TESTS(FeesIT);
PRATU_INSTANTIATE_ENGINE_TESTS(FeesStartIT);

}  // namespace
}  // namespace pratu::test
