// Bills and the bank's confirmation end to end (docs/payments.md, docs/bank-webhook.md) through
// the real server on SQLite and PostgreSQL: an officer approves a signboard-tax application,
// its workflow bills the tax per sign, the bill carries a Thai QR payload that parses back to
// the bill, the bank's signed confirmation pays it and moves the application on; the same
// confirmation sent fifty times at once records one payment; each wrong confirmation gets its
// own answer and changes nothing it should not; a bill is seen only by its applicant and its
// agency's staff.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "common/civil_date.hpp"
#include "common/money.hpp"
#include "domains/payments/bank_confirmation.hpp"
#include "domains/payments/bank_simulator.hpp"
#include "domains/payments/statement_file.hpp"
#include "domains/payments/thai_qr.hpp"
#include "storage/database.hpp"
#include "support/applicants.hpp"
#include "support/bills.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;
namespace pay = pratu::payments;

const std::string kOfficerPassword = "pratu-demo-officer";
const std::string kBma = "officer.bma@demo.pratu.example";

class PaymentsIT : public AppTest {
 protected:
  // A signboard-tax application of `applicant`, submitted and approved by the BMA's officer,
  // so that it waits on its bill: its public id.
  std::string billed(const std::string& applicant) {
    return billed_application(app_->port(), applicant);
  }

  json::object application(const std::string& token, const std::string& id) {
    return json_object(bearer_json(app_->port(), token, "GET", "/api/v1/applications/" + id));
  }

  // The bill application `id` waits on, as its applicant sees it over the API.
  json::object bill_of(const std::string& applicant, const std::string& id) {
    return test::bill_of(app_->port(), applicant, id);
  }

  // The notices of application `id` that tell of a payment (the step it took, or the payment
  // alone), newest first, as its applicant lists them in `lang`.
  std::vector<json::object> payment_notices(const std::string& token, const std::string& id,
                                            const std::string& lang) {
    std::vector<json::object> out;
    for (const auto& n : notices(token, id, lang)) {
      if (n.at("topic") == "payments.paid" ||
          n.at("text").as_string().find(lang == "th" ? "ได้รับชำระ" : "Your payment") !=
              std::string::npos) {
        out.push_back(n);
      }
    }
    return out;
  }
  // Their topics, oldest first.
  std::vector<std::string> told_of_payment(const std::string& token, const std::string& id,
                                           const std::string& lang) {
    std::vector<std::string> out;
    for (const auto& n : payment_notices(token, id, lang)) {
      out.insert(out.begin(), std::string(n.at("topic").as_string()));
    }
    return out;
  }
  // The text of the newest of them.
  std::string payment_notice_text(const std::string& token, const std::string& id,
                                  const std::string& lang) {
    const auto found = payment_notices(token, id, lang);
    return found.empty() ? std::string() : std::string(found.front().at("text").as_string());
  }
  // The notices of application `id`, newest first, in `lang`.
  std::vector<json::object> notices(const std::string& token, const std::string& id,
                                    const std::string& lang) {
    std::vector<json::object> out;
    const auto page = json_object(
        bearer_json(app_->port(), token, "GET", "/api/v1/notifications?limit=100&lang=" + lang));
    for (const auto& n : page.at("notifications").as_array()) {
      const auto* application = n.as_object().if_contains("application");
      if (application != nullptr && application->is_string() && application->get_string() == id)
        out.push_back(n.as_object());
    }
    return out;
  }

  // The bank simulator's secret, as the demo data keeps it.
  std::string secret() { return simulator_secret(db_->url()); }

  // How many rows `sql` counts.
  std::int64_t count(const std::string& sql) {
    std::int64_t out = -1;
    auto opened = storage::open_database({.url = db_->url()});
    if (!opened) return out;
    EXPECT_TRUE((*opened)->read([&](storage::Connection& c) -> Result<void> {
      PRATU_TRY(row, c.query_one(sql));
      out = row ? row->int64(0) : -1;
      return ok();
    }));
    return out;
  }

  // The confirmation body of a payment of `bill` (its API view) with `amount_satang`.
  static std::string body_for(const json::object& bill, const std::string& transaction,
                              std::int64_t amount_satang) {
    return pay::confirmation_body(transaction, std::string(bill.at("biller_id").as_string()),
                                  std::string(bill.at("ref1").as_string()),
                                  std::string(bill.at("ref2").as_string()), amount_satang,
                                  std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count(),
                                  "QR");
  }

  // Sends `body` to the confirmation endpoint of bank `bank`, signed with `key` at `at`.
  HttpResponse confirm(
      const std::string& body, const std::string& key,
      std::chrono::sys_seconds at =
          std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()),
      const std::string& bank = "sim") {
    const auto signature = pay::sign_confirmation(key, at, body);
    HttpClient client(app_->port());
    return client.request("POST", "/api/v1/banks/" + bank + "/confirmations", body,
                          {{"Content-Type", "application/json"},
                           {std::string(pay::kTimestampHeader), signature.timestamp},
                           {std::string(pay::kSignatureHeader), signature.signature}});
  }
};

TEST_P(PaymentsIT, ApprovalBillsTheTaxPerSignAndTheBanksWordMovesTheApplicationOn) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = billed(applicant);
  EXPECT_EQ(application(applicant, id).at("state").as_string(), "awaiting_payment");

  const auto bill = bill_of(applicant, id);
  ASSERT_FALSE(bill.empty());
  EXPECT_EQ(bill.at("status").as_string(), "awaiting");
  EXPECT_EQ(bill.at("agency").as_string(), "bma");
  // One line a sign, each its rate times the started 500 cm² of the sign, at least 200 baht.
  const auto answers = application(applicant, id).at("answers").as_object();
  const auto& signs = answers.at("signs").as_array();
  const auto& lines = bill.at("lines").as_array();
  ASSERT_EQ(lines.size(), signs.size());
  std::int64_t total = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& sign = signs[i].as_object();
    const auto& line = lines[i].as_object();
    const std::int64_t area = sign.at("width_cm").as_int64() * sign.at("height_cm").as_int64();
    const std::int64_t units = (area + 499) / 500;
    EXPECT_EQ(line.at("quantity").as_int64(), units);
    EXPECT_EQ(line.at("amount_satang").as_int64(),
              std::max<std::int64_t>(units * line.at("unit_satang").as_int64(), 20000));
    total += line.at("amount_satang").as_int64();
  }
  EXPECT_EQ(bill.at("total_satang").as_int64(), total);
  EXPECT_FALSE(bill.at("total_words_th").as_string().empty());

  // The Thai QR code says this very bill: the agency's biller, Ref. 1, Ref. 2 and the total.
  auto fields = pay::parse_emv_payload(std::string(bill.at("thai_qr").as_string()));
  ASSERT_TRUE(fields) << fields.error().detail;
  const auto* merchant = pay::find_emv_field(*fields, "30");
  ASSERT_NE(merchant, nullptr);
  EXPECT_EQ(pay::find_emv_field(merchant->children, "01")->value, bill.at("biller_id").as_string());
  EXPECT_EQ(pay::find_emv_field(merchant->children, "02")->value, bill.at("ref1").as_string());
  EXPECT_EQ(pay::find_emv_field(merchant->children, "03")->value, bill.at("ref2").as_string());
  EXPECT_EQ(pay::find_emv_field(*fields, "54")->value, pay::format_confirmation_amount(total));

  auto paid = confirm(body_for(bill, "SIM-1", total), secret());
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(json_object(paid).at("status").as_string(), "recorded");
  EXPECT_EQ(application(applicant, id).at("state").as_string(), "approved");
  EXPECT_EQ(bill_of(applicant, id).at("status").as_string(), "paid");
  // The step read the application without its answers, and left them as they were.
  EXPECT_EQ(application(applicant, id).at("answers").as_object(), answers);
  // One notice tells of both (ADR 0034): the step the payment took, with the amount received,
  // in the applicant's language; none of its own from the payments module.
  EXPECT_EQ(told_of_payment(applicant, id, "th"),
            (std::vector<std::string>{"applications.step_taken"}));
  for (const auto& [lang, words] : {std::pair{"th", std::string("ได้รับชำระค่าธรรมเนียม")},
                                    std::pair{"en", std::string("Your payment of ")}}) {
    const std::string text = payment_notice_text(applicant, id, lang);
    EXPECT_NE(text.find(words), std::string::npos) << text;
    EXPECT_NE(text.find(format_baht(total)), std::string::npos) << text;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM notices WHERE topic = 'payments.paid'"), 0);

  // The bank sends it again: the same answer's kind, no second payment.
  auto again = confirm(body_for(bill, "SIM-1", total), secret());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json_object(again).at("status").as_string(), "duplicate");
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 1);
}

// An application that left its billing state before the bank's word (here moved by hand, as a
// withdrawal would) stays where it is; the payment is recorded and told of on its own.
TEST_P(PaymentsIT, APaymentForAnApplicationThatMovedOnIsToldOfOnItsOwn) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = billed(applicant);
  const auto bill = bill_of(applicant, id);
  ASSERT_FALSE(bill.empty());
  {
    auto opened = storage::open_database({.url = db_->url()});
    ASSERT_TRUE(opened) << opened.error().detail;
    ASSERT_TRUE((*opened)->write([&](storage::Connection& c) -> Result<void> {
      PRATU_CHECK(
          c.execute("UPDATE applications SET state = 'rejected' WHERE public_id = $1", {id}));
      return ok();
    }));
  }
  const std::int64_t total = bill.at("total_satang").as_int64();
  auto paid = confirm(body_for(bill, "SIM-MOVED", total), secret());
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(json_object(paid).at("status").as_string(), "recorded");
  EXPECT_EQ(application(applicant, id).at("state").as_string(), "rejected");
  EXPECT_EQ(bill_of(applicant, id).at("status").as_string(), "paid");
  EXPECT_EQ(told_of_payment(applicant, id, "th"), (std::vector<std::string>{"payments.paid"}));
  const std::string text = payment_notice_text(applicant, id, "th");
  EXPECT_NE(text.find("ได้รับชำระค่าธรรมเนียม"), std::string::npos) << text;
  EXPECT_EQ(text.find("ดำเนินการต่อ"), std::string::npos) << "it does not move on: " << text;
}

TEST_P(PaymentsIT, FiftyCopiesOfOneConfirmationAtOnceRecordOnePayment) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = billed(applicant);
  const auto bill = bill_of(applicant, id);
  const std::string body = body_for(bill, "SIM-50", bill.at("total_satang").as_int64());
  const std::string key = secret();
  std::atomic<int> recorded = 0, duplicate = 0, other = 0;
  std::vector<std::thread> banks;
  for (int i = 0; i < 50; ++i) {
    banks.emplace_back([&] {
      auto answer = confirm(body, key);
      const std::string status =
          answer.status == 200 ? std::string(json_object(answer).at("status").as_string()) : "";
      if (status == "recorded") ++recorded;
      else if (status == "duplicate") ++duplicate;
      else ++other;
    });
  }
  for (auto& t : banks) t.join();
  EXPECT_EQ(recorded, 1);
  EXPECT_EQ(duplicate, 49);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bank_messages"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM application_events WHERE transition = 'paid'"), 1);
  EXPECT_EQ(application(applicant, id).at("state").as_string(), "approved");
}

// Twenty different payments of one bill at once (each its own bank transaction): one pays it;
// each of the others is kept and held as already paid, for reconciliation to refund.
TEST_P(PaymentsIT, TwentyDifferentPaymentsOfOneBillAtOncePayItOnceAndHoldTheRest) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = billed(applicant);
  const auto bill = bill_of(applicant, id);
  const std::int64_t total = bill.at("total_satang").as_int64();
  const std::string key = secret();
  std::atomic<int> recorded = 0, held = 0, other = 0;
  std::vector<std::thread> banks;
  for (int i = 0; i < 20; ++i) {
    banks.emplace_back([&, i] {
      auto answer = confirm(body_for(bill, "SIM-R" + std::to_string(i), total), key);
      const auto said =
          answer.status == 200 || answer.status == 202 ? json_object(answer) : json::object{};
      const std::string status =
          said.contains("status") ? std::string(said.at("status").as_string()) : "";
      if (status == "recorded") ++recorded;
      else if (answer.status == 202 && status == "held" && said.at("reason") == "already_paid")
        ++held;
      else ++other;
    });
  }
  for (auto& t : banks) t.join();
  EXPECT_EQ(recorded, 1);
  EXPECT_EQ(held, 19);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bank_messages WHERE outcome = 'paid'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bank_messages WHERE outcome = 'exception' AND reason = "
                  "'already_paid'"),
            19);
  EXPECT_EQ(count("SELECT COUNT(*) FROM application_events WHERE transition = 'paid'"), 1);
  EXPECT_EQ(application(applicant, id).at("state").as_string(), "approved");
}

// A bank's payments take no lock on its row of bank_connections (docs/adr/0035): with a
// foreign key to it, every payment in flight shared a lock on that one row, and on PostgreSQL
// each new one made the server write a multixact and the row again. The row's xmax stays as it
// was; a lock, even one released by a commit, would leave the payer's transaction in it.
// SQLite takes no row locks.
TEST_P(PaymentsIT, ABanksPaymentsLeaveItsRowUnlocked) {
  if (GetParam() != Engine::postgres) GTEST_SKIP() << "SQLite locks no rows";
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string first = billed(applicant), second = billed(applicant);
  const std::string row_lock = "SELECT xmax::text::bigint FROM bank_connections WHERE code = 'sim'";
  const std::int64_t before = count(row_lock);
  ASSERT_GE(before, 0);
  const std::string key = secret();
  std::vector<std::thread> banks;
  std::atomic<int> recorded = 0;
  for (const auto& id : {first, second}) {
    const auto bill = bill_of(applicant, id);
    banks.emplace_back([&, bill, id] {
      auto answer =
          confirm(body_for(bill, "SIM-LOCK-" + id, bill.at("total_satang").as_int64()), key);
      if (answer.status == 200 && json_object(answer).at("status") == "recorded") ++recorded;
    });
  }
  for (auto& t : banks) t.join();
  EXPECT_EQ(recorded, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bank_messages WHERE bank = 'sim'"), 2);
  EXPECT_EQ(count(row_lock), before);
}

TEST_P(PaymentsIT, AnAddressThatKeepsFailingToAuthenticateIsRefusedBeforeAnyWork) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto bill = bill_of(applicant, billed(applicant));
  const std::int64_t total = bill.at("total_satang").as_int64();
  // payments.failed_confirmations_burst (20): each guess is answered 401 or 404 until then.
  for (int i = 0; i < 20; ++i) {
    const auto answer = i % 2 == 0
                            ? confirm(body_for(bill, "SIM-G" + std::to_string(i), total), "guess")
                            : confirm(body_for(bill, "SIM-G" + std::to_string(i), total), "x",
                                      std::chrono::time_point_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now()),
                                      "nobank" + std::to_string(i));
    EXPECT_EQ(answer.status, i % 2 == 0 ? 401 : 404) << i << ": " << answer.body;
  }
  auto refused = confirm(body_for(bill, "SIM-G20", total), "guess");
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_NE(refused.body.find("payments.confirmation.too_many_failures"), std::string::npos);
  EXPECT_FALSE(refused.header("Retry-After").empty());
  // Refused unread, even when signed: the address waits, and nothing was kept meanwhile.
  EXPECT_EQ(confirm(body_for(bill, "SIM-OK", total), secret()).status, 429);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bank_messages"), 0);
}

TEST_P(PaymentsIT, EachWrongConfirmationHasItsOwnAnswerAndPaysNothing) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = billed(applicant);
  const auto bill = bill_of(applicant, id);
  const std::int64_t total = bill.at("total_satang").as_int64();
  const std::string key = secret();
  auto reason = [](const HttpResponse& r) {
    return std::string(json_object(r).at("reason").as_string());
  };

  // Not authenticated: nothing is kept.
  auto forged = confirm(body_for(bill, "SIM-F", total), "not-the-secret");
  EXPECT_EQ(forged.status, 401);
  EXPECT_NE(forged.body.find("payments.confirmation.bad_signature"), std::string::npos)
      << forged.body;
  auto old = confirm(body_for(bill, "SIM-O", total), key,
                     std::chrono::time_point_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now() - std::chrono::minutes(10)));
  EXPECT_EQ(old.status, 401);
  EXPECT_NE(old.body.find("payments.confirmation.stale_timestamp"), std::string::npos) << old.body;
  HttpClient client(app_->port());
  auto unsigned_ =
      client.request("POST", "/api/v1/banks/sim/confirmations", body_for(bill, "SIM-U", total),
                     {{"Content-Type", "application/json"}});
  EXPECT_EQ(unsigned_.status, 401);
  EXPECT_EQ(confirm(body_for(bill, "SIM-B", total), key, {}, "nobank").status, 404);
  EXPECT_EQ(confirm(std::string(9000, ' '), key).status, 413);
  auto garbled = confirm("{\"bank_transaction_id\": 5}", key);
  EXPECT_EQ(garbled.status, 422) << garbled.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM bank_messages"), 0);

  // Authenticated but not this bill's payment: kept for reconciliation, the bill unpaid.
  auto short_paid = confirm(body_for(bill, "SIM-W", total - 100), key);
  EXPECT_EQ(short_paid.status, 202) << short_paid.body;
  EXPECT_EQ(reason(short_paid), "wrong_amount");
  json::object stranger = bill;
  stranger["ref1"] = "690999999990";
  auto unknown = confirm(body_for(stranger, "SIM-X", total), key);
  EXPECT_EQ(unknown.status, 202) << unknown.body;
  EXPECT_EQ(reason(unknown), "unknown_bill");
  json::object late = bill;
  late["ref2"] = "991231";
  auto mismatched = confirm(body_for(late, "SIM-R", total), key);
  EXPECT_EQ(mismatched.status, 202) << mismatched.body;
  EXPECT_EQ(reason(mismatched), "wrong_reference");
  EXPECT_EQ(bill_of(applicant, id).at("status").as_string(), "awaiting");
  EXPECT_EQ(application(applicant, id).at("state").as_string(), "awaiting_payment");
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 0);

  // Paid, then paid again under another transaction: the second is held, not a second payment.
  ASSERT_EQ(confirm(body_for(bill, "SIM-P", total), key).status, 200);
  auto twice = confirm(body_for(bill, "SIM-P2", total), key);
  EXPECT_EQ(twice.status, 202) << twice.body;
  EXPECT_EQ(reason(twice), "already_paid");
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bank_messages WHERE outcome = 'exception'"), 4);
}

TEST_P(PaymentsIT, ABillIsSeenByItsApplicantAndItsAgencysStaffOnly) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = billed(applicant);
  const std::string bill(bill_of(applicant, id).at("id").as_string());
  const std::string api = "/api/v1/bills/" + bill;

  auto officer = api_token(app_->port(), kBma, kOfficerPassword);
  EXPECT_EQ(bearer_request(app_->port(), officer, "GET", api).status, 200);
  auto other_agency = api_token(app_->port(), "officer.dbd@demo.pratu.example", kOfficerPassword);
  EXPECT_EQ(bearer_request(app_->port(), other_agency, "GET", api).status, 404);
  HttpClient stranger_browser(app_->port());
  ASSERT_EQ(register_applicant(stranger_browser, "1101700230708", "another-long-password-1").status,
            303);
  auto stranger = api_token(app_->port(), "1101700230708", "another-long-password-1");
  EXPECT_EQ(bearer_request(app_->port(), stranger, "GET", api).status, 404);
  EXPECT_EQ(bearer_request(app_->port(), stranger, "GET", "/api/v1/bills/nosuchbill").status, 404);
  EXPECT_EQ(HttpClient(app_->port()).get(api).status, 401);

  // The page: the bill with its QR code, its references and the total in Thai words.
  auto browser = signed_in_applicant(app_->port());
  auto page = browser->get("/bills/" + bill);
  ASSERT_EQ(page.status, 200);
  const auto shown = bill_of(applicant, id);
  EXPECT_NE(page.body.find(std::string(shown.at("ref1").as_string())), std::string::npos);
  EXPECT_NE(page.body.find(std::string(shown.at("total_words_th").as_string())), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  auto application_page = browser->get("/applications/" + id);
  EXPECT_NE(application_page.body.find("href=\"/bills/" + bill + "\""), std::string::npos);
}

TEST_P(PaymentsIT, AStatementFilePaysWhatNoConfirmationPaidAndNamesEveryException) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto by_bank = bill_of(applicant, billed(applicant));
  const std::string by_statement_id = billed(applicant);
  const auto by_statement = bill_of(applicant, by_statement_id);
  const auto short_paid = bill_of(applicant, billed(applicant));
  const std::string over_paid_id = billed(applicant);
  const auto over_paid = bill_of(applicant, over_paid_id);
  // The first was confirmed by the bank at once; the others were not.
  ASSERT_EQ(
      confirm(body_for(by_bank, "SIM-S1", by_bank.at("total_satang").as_int64()), secret()).status,
      200);

  const auto today = std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  pay::StatementFile file;
  file.bank_code = "014";
  file.company_account = "1234567890";
  pay::StatementDay day;
  day.company_name = "BMA FEE COLLECTION";
  day.effective_date = today;
  day.service_code = "0001";
  day.lines.push_back(statement_line(by_bank, by_bank.at("total_satang").as_int64(), today));
  day.lines.push_back(
      statement_line(by_statement, by_statement.at("total_satang").as_int64(), today));
  day.lines.push_back(
      statement_line(short_paid, short_paid.at("total_satang").as_int64() - 100, today));
  json::object stranger = by_bank;
  stranger["ref1"] = "690999999990";
  day.lines.push_back(statement_line(stranger, 50000, today));
  day.lines.push_back(statement_line(by_bank, 2500, today, pay::TransactionKind::debit));
  day.lines.push_back(statement_line(by_bank, by_bank.at("total_satang").as_int64(), today));
  day.lines.push_back(
      statement_line(over_paid, over_paid.at("total_satang").as_int64() + 100, today));
  file.days.push_back(day);
  pay::number_and_total(file);
  const auto bytes = pay::write_statement_file(file);
  ASSERT_TRUE(bytes) << bytes.error().detail;

  const auto supervisor =
      api_token(app_->port(), "finance.bma@demo.pratu.example", kOfficerPassword);
  auto imported = bearer_request(app_->port(), supervisor, "POST", "/api/v1/agency/statements",
                                 *bytes, {{"Content-Type", "text/plain"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  const auto view = json_object(imported);
  std::vector<std::string> outcomes;
  for (const auto& line : view.at("lines").as_array()) {
    const auto& l = line.as_object();
    outcomes.push_back(std::string(l.at("outcome").as_string()) +
                       (l.contains("reason") ? ":" + std::string(l.at("reason").as_string()) : ""));
  }
  EXPECT_EQ(outcomes, (std::vector<std::string>{"matched", "paid", "exception:underpaid",
                                                "exception:unknown_bill", "exception:debit",
                                                "exception:paid_twice", "exception:overpaid"}));
  EXPECT_EQ(view.at("matched").as_int64(), 2);
  EXPECT_EQ(view.at("exceptions").as_int64(), 5);
  // The statement is the bank's word: the bill no confirmation paid is paid, and its
  // application moved on; the short one waits.
  EXPECT_EQ(bill_of(applicant, by_statement_id).at("status").as_string(), "paid");
  EXPECT_EQ(application(applicant, by_statement_id).at("state").as_string(), "approved");
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE source = 'statement'"), 1);

  // The same file again changes nothing.
  auto again = bearer_request(app_->port(), supervisor, "POST", "/api/v1/agency/statements", *bytes,
                              {{"Content-Type", "text/plain"}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(json_object(again).at("already_imported").as_bool());
  EXPECT_EQ(count("SELECT COUNT(*) FROM statement_lines"), 7);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 2);  // before the overpayment is accepted

  auto open = json_object(
      bearer_request(app_->port(), supervisor, "GET", "/api/v1/agency/payment-exceptions"));
  EXPECT_EQ(open.at("items").as_array().size(), 5u);
  std::map<std::string, std::string> line_of;  // reason -> the resolution URL of its line
  for (const auto& item : open.at("items").as_array()) {
    line_of[std::string(item.at("reason").as_string())] = "/api/v1/agency/payment-exceptions/" +
                                                          std::to_string(item.at("id").as_int64()) +
                                                          "/resolution";
  }
  auto settle = [&](const std::string& token, const std::string& reason, json::object body) {
    return bearer_json(app_->port(), token, "POST", line_of[reason], body);
  };
  // The short payment: the balance is asked for, once; the bill still waits.
  auto asked = settle(supervisor, "underpaid", {{"action", "ask_balance"}});
  EXPECT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(json_object(asked).at("resolution").as_string(), "ask_balance");
  EXPECT_EQ(settle(supervisor, "underpaid", {{"action", "accept"}}).status, 409);
  // A refund says why; the balance is only for what was short.
  EXPECT_EQ(settle(supervisor, "unknown_bill", {{"action", "refund"}}).status, 422);
  EXPECT_EQ(settle(supervisor, "debit", {{"action", "ask_balance"}}).status, 422);
  EXPECT_EQ(settle(supervisor, "debit", {{"action", "pay"}}).status, 422);
  EXPECT_EQ(settle(supervisor, "unknown_bill",
                   {{"action", "refund"}, {"note", "ไม่พบใบแจ้งชำระ คืนเงินให้ผู้ชำระ"}})
                .status,
            200);
  // Accepting the overpayment pays the bill with it and moves the application on.
  EXPECT_EQ(settle(supervisor, "overpaid", {{"action", "accept"}}).status, 200);
  EXPECT_EQ(application(applicant, over_paid_id).at("state").as_string(), "approved");
  EXPECT_EQ(count("SELECT COUNT(*) FROM statement_lines WHERE resolved_by IS NOT NULL AND "
                  "resolved_at IS NOT NULL"),
            3);
  const std::string at = "/api/v1/agency/statements/" + std::to_string(view.at("id").as_int64());
  EXPECT_EQ(bearer_request(app_->port(), supervisor, "GET", at).status, 200);
  // Another agency's finance officer finds no such import; an officer, a supervisor or a
  // cashier without the finance duty may not import.
  auto dbd = api_token(app_->port(), "finance.dbd@demo.pratu.example", kOfficerPassword);
  EXPECT_EQ(bearer_request(app_->port(), dbd, "GET", at).status, 404);
  EXPECT_EQ(settle(dbd, "paid_twice", {{"action", "accept"}}).status, 404);
  EXPECT_EQ(
      json_object(bearer_request(app_->port(), dbd, "GET", "/api/v1/agency/payment-exceptions"))
          .at("items")
          .as_array()
          .size(),
      0u);
  for (const std::string login : {kBma, std::string("supervisor.bma@demo.pratu.example"),
                                  std::string("cashier.bma@demo.pratu.example")}) {
    auto refused = api_token(app_->port(), login, kOfficerPassword);
    EXPECT_EQ(bearer_request(app_->port(), refused, "POST", "/api/v1/agency/statements", *bytes,
                             {{"Content-Type", "text/plain"}})
                  .status,
              403)
        << login;
  }

  // A file that does not add up is refused whole, naming the line and the field.
  // The trailer's credit total (positions 40-52 of the last record) one satang off.
  std::string broken = *bytes;
  const auto trailer = broken.rfind('\n', broken.size() - 2) + 1;
  ASSERT_EQ(broken[trailer], 'T');
  char& last_digit = broken[trailer + 51];
  last_digit = last_digit == '9' ? '8' : static_cast<char>(last_digit + 1);
  auto refused = bearer_request(app_->port(), supervisor, "POST", "/api/v1/agency/statements",
                                broken, {{"Content-Type", "text/plain"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("payments.statement.trailer_total_mismatch"), std::string::npos)
      << refused.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM statement_imports"), 1);
}

TEST_P(PaymentsIT, TheBanksOwnStatementReconcilesWhatItConfirmedAndTheMoneyAddsUp) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  std::int64_t confirmed = 0;
  for (int i = 0; i < 3; ++i) {
    const auto bill = bill_of(applicant, billed(applicant));
    const std::int64_t total = bill.at("total_satang").as_int64();
    ASSERT_EQ(confirm(body_for(bill, "SIM-D" + std::to_string(i), total), secret()).status, 200);
    confirmed += total;
  }
  auto opened = storage::open_database({.url = db_->url()});
  ASSERT_TRUE(opened);
  const auto today = iso_date(thai_date(std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count()));
  auto statement = pay::simulated_statement(**opened, "sim", "bma", today);
  ASSERT_TRUE(statement) << statement.error().detail;

  const auto supervisor =
      api_token(app_->port(), "finance.bma@demo.pratu.example", kOfficerPassword);
  auto imported = bearer_request(app_->port(), supervisor, "POST", "/api/v1/agency/statements",
                                 *statement, {{"Content-Type", "text/plain"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  const auto view = json_object(imported);
  EXPECT_EQ(view.at("line_count").as_int64(), 3);
  EXPECT_EQ(view.at("matched").as_int64(), 3);
  EXPECT_EQ(view.at("exceptions").as_int64(), 0);
  // What the bank said it paid, what Pratu recorded and what the statement brought agree.
  EXPECT_EQ(view.at("credit_satang").as_int64(), confirmed);
  EXPECT_EQ(count("SELECT SUM(amount_satang) FROM payments"), confirmed);
  EXPECT_EQ(count("SELECT SUM(amount_satang) FROM statement_lines WHERE outcome = 'matched'"),
            confirmed);
}

PRATU_INSTANTIATE_ENGINE_TESTS(PaymentsIT);

}  // namespace
}  // namespace pratu::test
