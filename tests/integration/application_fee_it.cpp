// An application fee (docs/workflows.md, `bill`; ADR 0026) through the real server on SQLite
// and PostgreSQL: a service whose workflow's first state bills opens the bill in the
// submission's transaction, so the applicant holds a bill the moment they submit and the
// agency's officer has nothing to act on; once the fee is paid at the counter, the state's
// system transition takes the application on to the agency, and the payment has its receipt.
// The demo catalogue bills after approval; this test's copy of it makes the signboard tax's
// first state bill its tax instead.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "domains/accounts/accounts_service.hpp"
#include "support/applicants.hpp"
#include "support/bills.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const std::string kOfficer = "officer.bma@demo.pratu.example";
const std::string kOfficerPassword = "pratu-demo-officer";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class ApplicationFeeIT : public AppTest {
 protected:
  // The signboard tax, billed at submission: a first state `awaiting_fee` that bills the tax
  // and leads, once paid, to `submitted`, where the agency's work begins.
  void configure(app::Config& config) override {
    const fs::path services = catalogue_.path() / "services";
    fs::copy(fs::path(PRATU_SOURCE_DIR) / "services", services, fs::copy_options::recursive);
    const fs::path file = services / "bma" / "signboard-tax" / "workflow.yaml";
    std::string yaml = read_file(file);
    const std::string initial = "initial: submitted\n";
    const std::string states = "states:\n";
    const std::string transitions = "transitions:\n";
    ASSERT_NE(yaml.find(initial), std::string::npos) << yaml;
    yaml.replace(yaml.find(initial), initial.size(), "initial: awaiting_fee\n");
    yaml.insert(yaml.find(states) + states.size(),
                "  - id: awaiting_fee\n"
                "    label: {th: รอชำระค่าคำขอ, en: Awaiting the application fee}\n"
                "    next:\n"
                "      th: ชำระตามใบแจ้งชำระ แล้วคำขอจะส่งถึงหน่วยงาน\n"
                "      en: Pay the bill; the application then goes to the agency.\n"
                "    clock: paused\n"
                "    bill:\n"
                "      fees: [thai_other, mixed, foreign]\n"
                "      due_working_days: 5\n");
    ASSERT_NE(yaml.find(transitions), std::string::npos);
    yaml.insert(yaml.find(transitions) + transitions.size(),
                "  - id: fee_paid\n"
                "    label: {th: ชำระค่าคำขอแล้ว, en: Application fee paid}\n"
                "    from: awaiting_fee\n"
                "    to: submitted\n"
                "    by: system\n");
    std::ofstream(file, std::ios::binary | std::ios::trunc) << yaml;
    config.modules["catalog.directory"] = services.string();
  }

  TempDir catalogue_;
};

TEST_P(ApplicationFeeIT, TheSubmissionOpensTheBillAndThePaymentSendsItToTheAgency) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto answers =
      example_answers(app_->port(), "signboard-tax", wallet_picture(app_->port(), applicant));
  const std::string id = draft_of(app_->port(), applicant, "signboard-tax", answers);
  auto sent =
      bearer_request(app_->port(), applicant, "POST", "/api/v1/applications/" + id + "/submit", "",
                     {{"Idempotency-Key", "fee-" + id}});
  ASSERT_EQ(sent.status, 201) << sent.body;

  // Billed in the submission's transaction: the bill is there at once.
  auto shown =
      json_object(bearer_json(app_->port(), applicant, "GET", "/api/v1/applications/" + id));
  EXPECT_EQ(shown.at("state").as_string(), "awaiting_fee");
  const auto bill = bill_of(app_->port(), applicant, id);
  ASSERT_FALSE(bill.empty());
  EXPECT_EQ(bill.at("status").as_string(), "awaiting");
  const std::int64_t total = bill.at("total_satang").as_int64();
  EXPECT_GT(total, 0);

  // The agency has nothing to do yet: no step is the officer's while the fee is unpaid.
  const auto officer = api_token(app_->port(), kOfficer, kOfficerPassword);
  EXPECT_NE(take_step(app_->port(), officer, id, "start_review").status, 200);

  // Paid at the counter, to the agency's cashier: the system transition sends it to the agency,
  // with a receipt.
  const auto cashier =
      api_token(app_->port(), accounts::demo_cashier_email("bma"), kOfficerPassword);
  auto paid = bearer_request(
      app_->port(), cashier, "POST",
      "/api/v1/agency/bills/" + std::string(bill.at("id").as_string()) + "/counter-payment",
      json::serialize(json::object{{"method", "cash"}, {"amount_satang", total}}));
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_FALSE(json_object(paid).at("number").as_string().empty());
  shown = json_object(bearer_json(app_->port(), applicant, "GET", "/api/v1/applications/" + id));
  EXPECT_EQ(shown.at("state").as_string(), "submitted");
  EXPECT_EQ(take_step(app_->port(), officer, id, "start_review").status, 200);
}

PRATU_INSTANTIATE_ENGINE_TESTS(ApplicationFeeIT);

}  // namespace
}  // namespace pratu::test
