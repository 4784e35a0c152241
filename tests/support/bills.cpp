#include "support/bills.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>

#include "domains/accounts/accounts_service.hpp"
#include "domains/payments/bank_confirmation.hpp"
#include "domains/payments/bank_simulator.hpp"
#include "storage/database.hpp"
#include "support/applicants.hpp"

namespace pratu::test {

namespace json = boost::json;

std::string billed_application(std::uint16_t port, const std::string& applicant,
                               const std::string& service) {
  const auto answers = example_answers(port, service, wallet_picture(port, applicant));
  std::string id = draft_of(port, applicant, service, answers);
  auto sent = bearer_request(port, applicant, "POST", "/api/v1/applications/" + id + "/submit", "",
                             {{"Idempotency-Key", "k-" + id}});
  EXPECT_EQ(sent.status, 201) << sent.body;
  if (sent.status != 201) return id;
  const auto shown = json_object(bearer_json(port, applicant, "GET", "/api/v1/applications/" + id));
  const std::string agency(shown.at("agency").as_string());
  const auto officer = api_token(port, accounts::demo_officer_email(agency),
                                 std::string(accounts::kDemoOfficerPassword));
  EXPECT_EQ(take_step(port, officer, id, "start_review").status, 200);
  auto done = take_step(port, officer, id, "approve", {{"checklist_confirmed", 1}});
  EXPECT_EQ(done.status, 200) << done.body;
  return id;
}

std::string simulator_secret(const std::string& database_url) {
  std::string out;
  auto opened = storage::open_database({.url = database_url});
  EXPECT_TRUE(opened);
  if (!opened) return out;
  EXPECT_TRUE((*opened)->read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(row, c.query_one("SELECT secret FROM bank_connections WHERE code = 'sim'"));
    if (row) out = row->text(0);
    return ok();
  }));
  EXPECT_FALSE(out.empty());
  return out;
}

HttpResponse pay_bill(std::uint16_t port, const std::string& secret, const json::object& bill,
                      const std::string& transaction, std::int64_t paid_at) {
  const std::string body = payments::confirmation_body(
      transaction, std::string(bill.at("biller_id").as_string()),
      std::string(bill.at("ref1").as_string()), std::string(bill.at("ref2").as_string()),
      bill.at("total_satang").as_int64(), paid_at, "QR");
  // Signed now: the signature's timestamp must be fresh, whenever the payer paid.
  const auto signature = payments::sign_confirmation(
      secret, std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()),
      body);
  HttpClient client(port);
  return client.request("POST", "/api/v1/banks/sim/confirmations", body,
                        {{"Content-Type", "application/json"},
                         {std::string(payments::kTimestampHeader), signature.timestamp},
                         {std::string(payments::kSignatureHeader), signature.signature}});
}

std::string billed_application(std::uint16_t port, const std::string& applicant) {
  return billed_application(port, applicant, "signboard-tax");
}

json::object bill_of(std::uint16_t port, const std::string& applicant, const std::string& id) {
  const auto shown = json_object(bearer_json(port, applicant, "GET", "/api/v1/applications/" + id));
  const auto& bills = shown.at("bills").as_array();
  EXPECT_EQ(bills.size(), 1u);
  if (bills.empty()) return {};
  auto bill = bearer_json(port, applicant, "GET", std::string(bills[0].at("url").as_string()));
  EXPECT_EQ(bill.status, 200) << bill.body;
  return json_object(bill);
}

HttpResponse pay_at_counter(std::uint16_t port, const std::string& cashier,
                            const std::string& bill_id, std::int64_t total_satang) {
  return bearer_json(port, cashier, "POST", "/api/v1/agency/bills/" + bill_id + "/counter-payment",
                     json::object{{"method", "cash"}, {"amount_satang", total_satang}});
}

std::string pay_bill_at_counter(std::uint16_t port, const std::string& applicant,
                                const std::string& id) {
  const auto bill = bill_of(port, applicant, id);
  if (bill.empty()) return {};
  const auto cashier = api_token(
      port, "cashier." + std::string(bill.at("agency").as_string()) + "@demo.pratu.example",
      std::string(accounts::kDemoOfficerPassword));
  auto paid = pay_at_counter(port, cashier, std::string(bill.at("id").as_string()),
                             bill.at("total_satang").as_int64());
  EXPECT_EQ(paid.status, 201) << paid.body;
  if (paid.status != 201) return {};
  return std::string(json_object(paid).at("number").as_string());
}

payments::StatementLine statement_line(const json::object& bill, std::int64_t amount_satang,
                                       std::chrono::year_month_day paid_on,
                                       payments::TransactionKind kind) {
  payments::StatementLine line;
  line.payment_date = paid_on;
  line.payment_time = std::chrono::seconds(10 * 3600);
  line.customer_name = "นาย ทดสอบ ระบบ";
  line.ref1 = std::string(bill.at("ref1").as_string());
  line.ref2 = std::string(bill.at("ref2").as_string());
  line.branch = "0001";
  line.teller = "MOBI";
  line.kind = kind;
  line.transaction_code = "QR ";
  line.amount_satang = amount_satang;
  return line;
}

std::string statement_file_of(std::vector<payments::StatementLine> lines,
                              std::chrono::year_month_day day) {
  payments::StatementFile file;
  file.bank_code = "014";
  file.company_account = "1234567890";
  payments::StatementDay one;
  one.company_name = "BMA FEE COLLECTION";
  one.effective_date = day;
  one.service_code = "0001";
  one.lines = std::move(lines);
  file.days.push_back(std::move(one));
  payments::number_and_total(file);
  auto bytes = payments::write_statement_file(file);
  EXPECT_TRUE(bytes) << (bytes ? "" : bytes.error().detail);
  return bytes ? *bytes : std::string();
}

std::chrono::year_month_day today_utc() {
  return std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

}  // namespace pratu::test
