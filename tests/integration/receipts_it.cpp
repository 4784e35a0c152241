// Receipts end to end (docs/payments.md, "Receipts"; docs/adr/0027) through the real server on
// SQLite and PostgreSQL: the bank's confirmation of a bill is answered at its commit and its
// receipt numbered soon after with the others waiting (by the next server, when this one
// stops first; by one node each, when several number at once), the documents module issues it as a
// signed PDF/A-3 that real tools accept (with the ETDA-shaped receipt XML inside and the total in
// the words npm's bahttext writes), anyone checks it at /verify, the agency's finance officer
// cancels it and every check says so; a cashier takes a payment at the counter from book 002;
// receipts of many payments at once are numbered without a gap; and the sum of the receipts equals
// the sum of the statement's matched lines.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/civil_date.hpp"
#include "common/clock.hpp"
#include "domains/payments/receipt_book.hpp"
#include "platform/outbox.hpp"
#include "storage/database.hpp"
#include "support/applicants.hpp"
#include "support/bills.hpp"
#include "support/documents.hpp"
#include "support/http_client.hpp"
#include "support/promtool.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

const std::string kOfficerPassword = "pratu-demo-officer";
const std::string kBmaOfficer = "officer.bma@demo.pratu.example";
const std::string kBmaSupervisor = "supervisor.bma@demo.pratu.example";
const std::string kBmaCashier = "cashier.bma@demo.pratu.example";
const std::string kBmaFinance = "finance.bma@demo.pratu.example";
const std::string kDbdCashier = "cashier.dbd@demo.pratu.example";
const std::string kDbdFinance = "finance.dbd@demo.pratu.example";
const std::filesystem::path kReferenceDir = PRATU_SOURCE_DIR "/tests/reference";

class ReceiptsIT : public AppTest {
 protected:
  void configure(app::Config& config) override { config.modules["documents.poll_seconds"] = "1"; }

  // Runs `sql` against the test database and gives its first row's first column as text.
  std::string scalar(const std::string& sql) {
    std::string out;
    auto opened = storage::open_database({.url = db_->url()});
    EXPECT_TRUE(opened);
    if (!opened) return out;
    EXPECT_TRUE((*opened)->read([&](storage::Connection& c) -> Result<void> {
      PRATU_TRY(row, c.query_one(sql));
      if (row) out = row->is_null(0) ? std::string() : row->text(0);
      return ok();
    }));
    return out;
  }

  // The bank simulator's confirmation of `bill` (its API view) for its total, paid now.
  HttpResponse pay(const json::object& bill, const std::string& transaction) {
    return pay_bill(app_->port(), simulator_secret(db_->url()), bill, transaction,
                    std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count());
  }

  // The bill `bill` (its id) once its receipt's signed file is ready, as `token` sees it.
  json::object with_receipt(const std::string& token, const std::string& bill) {
    for (int i = 0; i < 200; ++i) {
      auto shown = bearer_json(app_->port(), token, "GET", "/api/v1/bills/" + bill);
      EXPECT_EQ(shown.status, 200) << shown.body;
      auto body = json_object(shown);
      if (const auto* r = body.if_contains("receipt");
          r != nullptr && r->as_object().contains("download_url")) {
        return body;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no receipt was issued for bill " << bill << " within 20 seconds";
    return {};
  }

  // The receipt's signed file over the API, as its holder downloads it.
  std::string download(const std::string& token, const std::string& number) {
    return signed_file(app_->port(), token, number);
  }

  json::object verify(const std::string& pdf) { return verify_pdf(app_->port(), pdf); }

  // Writes the signed receipt `pdf` into `dir` as receipt.pdf, checks it with real tools (signed
  // over the whole file, a sound PDF, its receipt XML valid against the schema) and gives the
  // path of that XML, detached beside it.
  std::filesystem::path checked_receipt(const std::string& pdf, const TempDir& dir) {
    const auto file = dir.write("receipt.pdf", pdf);
    auto sig = run_command("pdfsig -nocert " + shell_quoted(file));
    EXPECT_NE(sig.output.find("Signature is Valid."), std::string::npos) << sig.output;
    EXPECT_NE(sig.output.find("Total document signed"), std::string::npos) << sig.output;
    EXPECT_EQ(run_command("qpdf --check " + shell_quoted(file)).exit_code, 0);
    auto detached =
        run_command("cd " + shell_quoted(dir.path()) + " && pdfdetach -saveall receipt.pdf");
    EXPECT_EQ(detached.exit_code, 0) << detached.output;
    const auto xml = dir.path() / "pratu-receipt.xml";
    auto valid = run_command("xmllint --noout --schema " PRATU_SOURCE_DIR
                             "/docs/schemas/receipt/receipt-rsm.xsd " +
                             shell_quoted(xml));
    EXPECT_EQ(valid.exit_code, 0) << valid.output;
    return xml;
  }
};

// The field a refused request's problem names first; empty when it names none.
std::string field_of(const HttpResponse& response) {
  const auto problem = json_object(response);
  const auto* errors = problem.if_contains("errors");
  if (errors == nullptr || !errors->is_array() || errors->as_array().empty()) return {};
  return std::string(errors->as_array()[0].at("field").as_string());
}

// The words npm's bahttext writes for `satang`.
std::string bahttext(std::int64_t satang) {
  TempDir dir;
  const auto in = dir.write("amount.txt", std::to_string(satang) + "\n");
  auto out = run_command(
      "node " + shell_quoted(kReferenceDir / "baht_texts.js") + " < " + shell_quoted(in),
      Stderr::dropped);
  EXPECT_EQ(out.exit_code, 0) << "run bin/install-deps --test";
  std::string words = out.output;
  while (!words.empty() && (words.back() == '\n' || words.back() == '\r')) words.pop_back();
  return words;
}

// The Thai fiscal year today falls in.
int fiscal_year_now() {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return thai_fiscal_year(thai_date(now));
}

TEST_P(ReceiptsIT, TheBanksConfirmationIssuesASignedReceiptThatAnyoneChecksAndTheAgencyCancels) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = billed_application(app_->port(), applicant);
  const auto bill = bill_of(app_->port(), applicant, id);
  ASSERT_FALSE(bill.empty());
  const std::string bill_id(bill.at("id").as_string());
  const std::int64_t total = bill.at("total_satang").as_int64();

  // Recorded and answered at once; numbered after the commit, with the others waiting.
  auto paid = pay(bill, "TX-RECEIPT-1");
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(json_object(paid).at("status").as_string(), "recorded");
  const auto shown = with_receipt(applicant, bill_id);
  ASSERT_FALSE(shown.empty());
  const auto& receipt = shown.at("receipt").as_object();
  const std::string number(receipt.at("number").as_string());
  EXPECT_EQ(number, "BMA-" + std::to_string(fiscal_year_now()) + "-001-000001");
  EXPECT_EQ(receipt.at("amount_satang").as_int64(), total);
  EXPECT_EQ(receipt.at("status").as_string(), "valid");
  const std::string pdf = download(applicant, number);

  // Real tools accept it: signed over the whole file, PDF/A-3 structure, fonts embedded; the
  // receipt's data inside valid against its schema, its total in bahttext's words.
  TempDir dir;
  const auto xml_file = checked_receipt(pdf, dir);
  const auto file = dir.path() / "receipt.pdf";
  auto fonts = run_command("pdffonts " + shell_quoted(file));
  EXPECT_EQ(fonts.output.find(" no "), std::string::npos) << fonts.output;
  std::ifstream in(xml_file);
  const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(xml.find("<ram:ID>" + number + "</ram:ID>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<ram:TypeCode>T01</ram:TypeCode>"), std::string::npos) << xml;
  // The seller is the BMA's collection account's tax ID (config/billers.yaml), head office.
  EXPECT_NE(xml.find("<ram:ID schemeID=\"TXID\">099400015910200000</ram:ID>"), std::string::npos)
      << xml;
  const std::string words = bahttext(total);
  ASSERT_FALSE(words.empty());
  EXPECT_NE(xml.find(words), std::string::npos) << words << "\n" << xml;
  auto text = run_command("pdftotext -raw " + shell_quoted(file) + " - | tr -d '\\n '");
  EXPECT_NE(text.output.find(words), std::string::npos) << text.output;
  EXPECT_NE(text.output.find(number), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("เลขประจำตัวผู้เสียภาษีอากร0994000159102"), std::string::npos)
      << text.output;

  // Anyone checks the file: valid, a receipt, in Pratu's register.
  auto checked = verify(pdf);
  EXPECT_EQ(checked.at("outcome").as_string(), "valid");
  EXPECT_EQ(checked.at("document").at("kind").as_string(), "receipt");
  EXPECT_EQ(checked.at("document").at("status").as_string(), "valid");

  // It is in the holder's documents, beside nothing else of theirs.
  auto mine = json_object(bearer_json(app_->port(), applicant, "GET", "/api/v1/documents"));
  bool listed = false;
  for (const auto& d : mine.at("documents").as_array()) {
    if (d.at("number").as_string() == number) listed = d.at("kind").as_string() == "receipt";
  }
  EXPECT_TRUE(listed);

  // A receipt is not suspended or revoked like a licence; an officer, a supervisor or a cashier
  // may not cancel it, nor another agency's finance officer (who finds no such receipt); its own
  // agency's finance officer does.
  const auto officer = api_token(app_->port(), kBmaOfficer, kOfficerPassword);
  auto revoke =
      bearer_request(app_->port(), officer, "POST", "/api/v1/documents/" + number + "/status",
                     R"({"action":"revoke","reason":"x"})");
  EXPECT_EQ(revoke.status, 422) << revoke.body;
  const std::string cancel_path = "/api/v1/agency/receipts/" + number + "/cancellation";
  for (const auto& login : {kBmaOfficer, kBmaSupervisor, kBmaCashier}) {
    const auto refused = api_token(app_->port(), login, kOfficerPassword);
    EXPECT_EQ(
        bearer_request(app_->port(), refused, "POST", cancel_path, R"({"reason":"x"})").status, 403)
        << login;
  }
  const auto dbd = api_token(app_->port(), kDbdFinance, kOfficerPassword);
  EXPECT_EQ(bearer_request(app_->port(), dbd, "POST", cancel_path, R"({"reason":"x"})").status,
            404);
  const auto supervisor = api_token(app_->port(), kBmaFinance, kOfficerPassword);
  auto no_reason =
      bearer_request(app_->port(), supervisor, "POST", cancel_path, R"({"reason":""})");
  EXPECT_EQ(no_reason.status, 422) << no_reason.body;
  EXPECT_EQ(field_of(no_reason), "reason") << no_reason.body;
  auto cancelled = bearer_request(app_->port(), supervisor, "POST", cancel_path,
                                  R"({"reason":"Refunded: paid twice"})");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_TRUE(json_object(cancelled).at("cancelled").as_bool());
  EXPECT_EQ(
      bearer_request(app_->port(), supervisor, "POST", cancel_path, R"({"reason":"again"})").status,
      409);

  // Every check says so at once, and the file itself is never changed.
  auto after = verify(pdf);
  EXPECT_EQ(after.at("outcome").as_string(), "valid");
  EXPECT_EQ(after.at("document").at("status").as_string(), "cancelled");
  EXPECT_EQ(after.at("document").at("status_reason").as_string(), "Refunded: paid twice");
  HttpClient visitor(app_->port());
  auto page = visitor.request("GET", "/verify/" + number);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-state=\"cancelled\""), std::string::npos);
  EXPECT_NE(page.body.find("Refunded: paid twice"), std::string::npos);
  // A receipt has no term: its page says when it was paid, not how long it is valid.
  EXPECT_EQ(page.body.find("ใช้ได้ถึง"), std::string::npos);
  EXPECT_EQ(page.body.find("ไม่มีกำหนดอายุ"), std::string::npos);
  EXPECT_EQ(download(applicant, number), pdf);
}

TEST_P(ReceiptsIT, AWrongReceiptIsReplacedByANewNumberThatNamesTheOneItReplaces) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto bill = bill_of(app_->port(), applicant, billed_application(app_->port(), applicant));
  ASSERT_FALSE(bill.empty());
  const std::string bill_id(bill.at("id").as_string());
  auto paid = pay(bill, "TX-REPLACED-1");
  ASSERT_EQ(paid.status, 200) << paid.body;
  const auto issued = with_receipt(applicant, bill_id);
  ASSERT_FALSE(issued.empty());
  const std::string first(issued.at("receipt").at("number").as_string());
  const std::string year = std::to_string(fiscal_year_now());
  ASSERT_EQ(first, "BMA-" + year + "-001-000001");

  // A purpose Pratu does not know is refused, and nothing is cancelled.
  const auto finance = api_token(app_->port(), kBmaFinance, kOfficerPassword);
  const std::string cancel_path = "/api/v1/agency/receipts/" + first + "/cancellation";
  auto unknown = bearer_request(app_->port(), finance, "POST", cancel_path,
                                R"({"purpose":"wrong_address","reason":"x"})");
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(field_of(unknown), "purpose") << unknown.body;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts WHERE cancelled_at IS NOT NULL"), "0");

  // The payer's name was wrong: the receipt is cancelled and the next number of its book
  // replaces it, in the same transaction.
  auto replaced = bearer_request(app_->port(), finance, "POST", cancel_path,
                                 R"({"purpose":"wrong_name","reason":"ชื่อผู้ชำระสะกดผิด"})");
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  const auto done = json_object(replaced);
  EXPECT_TRUE(done.at("cancelled").as_bool());
  EXPECT_EQ(done.at("cancel_purpose").as_string(), "wrong_name");
  const std::string second = "BMA-" + year + "-001-000002";
  ASSERT_TRUE(done.contains("replaced_by")) << replaced.body;
  EXPECT_EQ(done.at("replaced_by").at("number").as_string(), second);
  EXPECT_EQ(done.at("replaced_by").at("replaces").as_string(), first);
  EXPECT_EQ(done.at("replaced_by").at("amount_satang").as_int64(),
            bill.at("total_satang").as_int64());
  EXPECT_EQ(bearer_request(app_->port(), finance, "POST", cancel_path,
                           R"({"purpose":"wrong_name","reason":"again"})")
                .status,
            409);

  // The bill shows the new receipt, which says what it replaces, once it is issued.
  const auto shown = with_receipt(applicant, bill_id);
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(shown.at("receipt").at("number").as_string(), second);
  EXPECT_EQ(shown.at("receipt").at("replaces").as_string(), first);
  const std::string pdf = download(applicant, second);
  TempDir dir;
  const auto xml_file = checked_receipt(pdf, dir);
  const auto file = dir.path() / "receipt.pdf";
  // ETDA's way: the purpose and its code, and the replaced receipt referenced as a T01.
  auto xpath = [&](const std::string& path) {
    std::string out =
        run_command("xmllint --xpath 'string(" + path + ")' " + shell_quoted(xml_file),
                    Stderr::dropped)
            .output;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  };
  EXPECT_EQ(xpath("//*[local-name()=\"ExchangedDocument\"]/*[local-name()=\"PurposeCode\"]"),
            "RCTC01");
  EXPECT_EQ(xpath("//*[local-name()=\"ExchangedDocument\"]/*[local-name()=\"Purpose\"]"),
            "ชื่อผู้ชำระสะกดผิด");
  EXPECT_EQ(xpath("//*[local-name()=\"AdditionalReferencedDocument\"]/"
                  "*[local-name()=\"IssuerAssignedID\"]"),
            first);
  EXPECT_EQ(xpath("//*[local-name()=\"AdditionalReferencedDocument\"]/"
                  "*[local-name()=\"ReferenceTypeCode\"]"),
            "T01");
  auto text = run_command("pdftotext -raw " + shell_quoted(file) + " - | tr -d '\\n '");
  EXPECT_NE(text.output.find("ออกแทนใบเสร็จรับเงินเลขที่" + first), std::string::npos) << text.output;

  // Checks of the old one say it was cancelled and why; the new one is valid.
  auto old_check = verify(download(applicant, first));
  EXPECT_EQ(old_check.at("document").at("status").as_string(), "cancelled");
  EXPECT_EQ(old_check.at("document").at("status_reason").as_string(), "ชื่อผู้ชำระสะกดผิด");
  EXPECT_EQ(old_check.at("document").at("replaced_by").as_string(), second);
  const auto new_check = verify(pdf);
  EXPECT_EQ(new_check.at("document").at("status").as_string(), "valid");
  EXPECT_EQ(new_check.at("document").at("replaces").as_string(), first);
  EXPECT_FALSE(new_check.at("document").as_object().contains("replaced_by"));
  HttpClient visitor(app_->port());
  auto old_page = visitor.request("GET", "/verify/" + first);
  EXPECT_EQ(old_page.status, 200);
  const auto replaced_line = old_page.body.find("data-replaced-by");
  ASSERT_NE(replaced_line, std::string::npos) << old_page.body.substr(0, 3000);
  EXPECT_NE(old_page.body.find("href=\"/verify/" + second + "\"", replaced_line),
            std::string::npos);

  // Refunded afterwards: withdrawn (the purpose left out, as before purposes), nothing
  // replaces it, and the payment has no receipt in force.
  auto withdrawn = bearer_request(app_->port(), finance, "POST",
                                  "/api/v1/agency/receipts/" + second + "/cancellation",
                                  R"({"reason":"Refunded"})");
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(json_object(withdrawn).at("cancel_purpose").as_string(), "withdrawn");
  EXPECT_FALSE(json_object(withdrawn).contains("replaced_by"));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts"), "2");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts WHERE cancelled_at IS NULL"), "0");
  EXPECT_EQ(scalar("SELECT last FROM receipt_sequences"), "2");
}

TEST_P(ReceiptsIT, ACashierTakesThePaymentAtTheCounterFromBookTwo) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = billed_application(app_->port(), applicant);
  const auto bill = bill_of(app_->port(), applicant, id);
  ASSERT_FALSE(bill.empty());
  const std::string bill_id(bill.at("id").as_string());
  const std::int64_t total = bill.at("total_satang").as_int64();
  const std::string path = "/api/v1/agency/bills/" + bill_id + "/counter-payment";
  const auto officer = api_token(app_->port(), kBmaCashier, kOfficerPassword);

  // The applicant is no cashier, nor are the agency's officers, supervisors and finance
  // officers without the duty; another agency's cashier finds no such bill.
  for (const auto& login : {kBmaOfficer, kBmaSupervisor, kBmaFinance}) {
    const auto refused = api_token(app_->port(), login, kOfficerPassword);
    EXPECT_EQ(
        bearer_request(app_->port(), refused, "POST", path,
                       json::serialize(json::object{{"method", "cash"}, {"amount_satang", total}}))
            .status,
        403)
        << login;
  }
  EXPECT_EQ(bearer_request(app_->port(), applicant, "POST", path, R"({"method":"cash"})").status,
            403);
  const auto dbd = api_token(app_->port(), kDbdCashier, kOfficerPassword);
  EXPECT_EQ(
      bearer_request(app_->port(), dbd, "POST", path,
                     json::serialize(json::object{{"method", "cash"}, {"amount_satang", total}}))
          .status,
      404);
  // Each mistake has its own answer, and pays nothing.
  auto short_paid = bearer_request(
      app_->port(), officer, "POST", path,
      json::serialize(json::object{{"method", "cash"}, {"amount_satang", total - 100}}));
  EXPECT_EQ(short_paid.status, 422);
  EXPECT_EQ(field_of(short_paid), "amount") << short_paid.body;
  auto no_cheque =
      bearer_request(app_->port(), officer, "POST", path,
                     json::serialize(json::object{{"method", "cheque"}, {"amount_satang", total}}));
  EXPECT_EQ(no_cheque.status, 422);
  EXPECT_EQ(field_of(no_cheque), "reference") << no_cheque.body;
  auto barter =
      bearer_request(app_->port(), officer, "POST", path,
                     json::serialize(json::object{{"method", "goats"}, {"amount_satang", total}}));
  EXPECT_EQ(barter.status, 422);
  EXPECT_EQ(field_of(barter), "method") << barter.body;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM payments"), "0");

  auto taken = bearer_request(
      app_->port(), officer, "POST", path,
      json::serialize(json::object{
          {"method", "cheque"}, {"reference", "KTB 0012345"}, {"amount_satang", total}}));
  ASSERT_EQ(taken.status, 201) << taken.body;
  const std::string number(json_object(taken).at("number").as_string());
  EXPECT_EQ(number, "BMA-" + std::to_string(fiscal_year_now()) + "-002-000001");
  EXPECT_EQ(scalar("SELECT source || ':' || channel || ':' || method_reference FROM payments"),
            "cashier:cheque:KTB 0012345");
  // The application moved on, and a second payment is refused.
  auto shown =
      json_object(bearer_json(app_->port(), applicant, "GET", "/api/v1/applications/" + id));
  EXPECT_EQ(shown.at("state").as_string(), "approved");
  auto again =
      bearer_request(app_->port(), officer, "POST", path,
                     json::serialize(json::object{{"method", "cash"}, {"amount_satang", total}}));
  EXPECT_EQ(again.status, 409);
  // Its receipt is issued like the bank's.
  const auto ready = with_receipt(applicant, bill_id);
  ASSERT_FALSE(ready.empty());
  EXPECT_EQ(ready.at("receipt").at("number").as_string(), number);
  auto checked = verify(download(applicant, number));
  EXPECT_EQ(checked.at("outcome").as_string(), "valid");
}

// A clerk (docs/adr/0032) takes the money at the counter and hands over the signed receipt,
// and reads nothing of the application it paid for.
TEST_P(ReceiptsIT, AClerkTakesTheMoneyAndPrintsTheReceiptWithoutReadingTheApplication) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const std::string id = billed_application(app_->port(), applicant);
  const auto bill = bill_of(app_->port(), applicant, id);
  ASSERT_FALSE(bill.empty());
  const std::string bill_id(bill.at("id").as_string());
  const auto clerk = api_token(app_->port(), kBmaCashier, kOfficerPassword);
  auto taken = pay_at_counter(app_->port(), clerk, bill_id, bill.at("total_satang").as_int64());
  ASSERT_EQ(taken.status, 201) << taken.body;
  const std::string number(json_object(taken).at("number").as_string());

  const auto ready = with_receipt(clerk, bill_id);
  ASSERT_FALSE(ready.empty());
  EXPECT_EQ(ready.at("receipt").at("number").as_string(), number);
  const std::string pdf = download(clerk, number);
  EXPECT_EQ(verify(pdf).at("outcome").as_string(), "valid");

  EXPECT_EQ(bearer_request(app_->port(), clerk, "GET", "/api/v1/applications/" + id).status, 403);
  EXPECT_EQ(bearer_request(app_->port(), clerk, "GET", "/api/v1/agency/applications").status, 403);
  auto browser = signed_in(app_->port(), kBmaCashier, kOfficerPassword);
  EXPECT_EQ(browser->get("/agency/applications/" + id).status, 403);
  EXPECT_EQ(browser->get("/agency/applications").status, 403);
  // The bill's page leads back to the counter; nothing leads to the applications.
  auto page = browser->get("/bills/" + bill_id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("href=\"/agency/counter\" data-bill-back"), std::string::npos);
  EXPECT_EQ(page.body.find("href=\"/applications"), std::string::npos);
  EXPECT_EQ(page.body.find("href=\"/agency/applications"), std::string::npos);
  EXPECT_NE(page.body.find(number), std::string::npos);
}

TEST_P(ReceiptsIT, ReceiptsOfPaymentsAtOnceAreNumberedWithoutAGap) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  constexpr int kBills = 8;
  std::vector<json::object> bills;
  for (int i = 0; i < kBills; ++i) {
    bills.push_back(bill_of(app_->port(), applicant, billed_application(app_->port(), applicant)));
    ASSERT_FALSE(bills.back().empty());
  }
  std::vector<int> statuses(kBills);
  std::vector<std::thread> banks;
  for (int i = 0; i < kBills; ++i) {
    banks.emplace_back(
        [&, i] { statuses[i] = pay(bills[i], "TX-AT-ONCE-" + std::to_string(i)).status; });
  }
  for (auto& bank : banks) bank.join();
  std::set<std::string> numbers;
  for (int i = 0; i < kBills; ++i) {
    EXPECT_EQ(statuses[i], 200);
    const auto shown = with_receipt(applicant, std::string(bills[i].at("id").as_string()));
    ASSERT_FALSE(shown.empty());
    numbers.insert(std::string(shown.at("receipt").at("number").as_string()));
  }
  std::set<std::string> expected;
  for (int i = 1; i <= kBills; ++i) {
    expected.insert("BMA-" + std::to_string(fiscal_year_now()) + "-001-00000" + std::to_string(i));
  }
  EXPECT_EQ(numbers, expected);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts_to_number"), "0");
}

TEST_P(ReceiptsIT, TheReceiptsOfADayAddUpToTheStatementsMatchedLines) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  std::vector<payments::StatementLine> lines;
  std::int64_t confirmed = 0;
  for (int i = 0; i < 3; ++i) {
    const auto bill = bill_of(app_->port(), applicant, billed_application(app_->port(), applicant));
    ASSERT_FALSE(bill.empty());
    ASSERT_EQ(pay(bill, "TX-DAY-" + std::to_string(i)).status, 200);
    confirmed += bill.at("total_satang").as_int64();
    lines.push_back(statement_line(bill, bill.at("total_satang").as_int64(), today_utc()));
    // Numbered soon after the payment's commit, with the others waiting.
    ASSERT_FALSE(with_receipt(applicant, std::string(bill.at("id").as_string())).empty());
  }
  const auto supervisor = api_token(app_->port(), kBmaFinance, kOfficerPassword);
  auto imported =
      bearer_request(app_->port(), supervisor, "POST", "/api/v1/agency/statements",
                     statement_file_of(lines, today_utc()), {{"Content-Type", "text/plain"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  const auto matched = scalar(
      "SELECT COALESCE(SUM(amount_satang), 0) FROM statement_lines WHERE outcome = 'matched'");
  const auto receipted = scalar("SELECT COALESCE(SUM(amount_satang), 0) FROM receipts");
  EXPECT_EQ(matched, std::to_string(confirmed));
  EXPECT_EQ(receipted, matched);
}

PRATU_INSTANTIATE_ENGINE_TESTS(ReceiptsIT);

// A server that numbers no receipt while a test runs (its poll is an hour away): what a bank's
// payment leaves when its server stops before the receipts are numbered.
class ReceiptsLeftWaitingIT : public ReceiptsIT {
 protected:
  void configure(app::Config& config) override {
    ReceiptsIT::configure(config);
    config.modules["payments.numbering_poll_seconds"] = "3600";
    config.metrics.backlog_seconds = 1;
  }

  // The bills of `count` applications, each paid by the bank simulator.
  std::vector<std::string> paid_bills(const std::string& applicant, int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
      const auto bill =
          bill_of(app_->port(), applicant, billed_application(app_->port(), applicant));
      EXPECT_FALSE(bill.empty());
      if (bill.empty()) break;
      auto paid = pay(bill, "TX-LEFT-" + std::to_string(i));
      EXPECT_EQ(paid.status, 200) << paid.body;
      out.emplace_back(bill.at("id").as_string());
    }
    return out;
  }
};

TEST_P(ReceiptsLeftWaitingIT, APaymentsReceiptLeftUnnumberedByAStopIsNumberedByTheNextServer) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto bills = paid_bills(applicant, 2);
  ASSERT_EQ(bills.size(), 2u);
  // Paid, the application moved on, and no receipt yet: the payment waits for its number.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM payments"), "2");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts_to_number"), "2");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts"), "0");
  auto shown = bearer_json(app_->port(), applicant, "GET", "/api/v1/bills/" + bills[0]);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(json_object(shown).at("status").as_string(), "paid");
  EXPECT_FALSE(json_object(shown).contains("receipt"));
  // Its page says the receipt is on its way, in the holder's language.
  auto browser = signed_in(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  auto page = browser->get("/bills/" + bills[0]);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-receipt-pending"), std::string::npos);
  EXPECT_NE(page.body.find("ระบบกำลังออกเลขที่ใบเสร็จรับเงิน"), std::string::npos);
  EXPECT_EQ(page.body.find("data-receipt=\""), std::string::npos);

  // The server stops; the next one numbers them within its first poll and issues them.
  app_.reset();
  auto config = test_config(db_->url());
  ReceiptsIT::configure(config);
  config.modules["payments.numbering_poll_seconds"] = "1";
  app_ = std::make_unique<TestApp>(config, app::Demo::load);
  const std::string year = std::to_string(fiscal_year_now());
  std::set<std::string> numbers;
  for (const auto& bill : bills) {
    const auto issued = with_receipt(applicant, bill);
    ASSERT_FALSE(issued.empty());
    numbers.insert(std::string(issued.at("receipt").at("number").as_string()));
  }
  EXPECT_EQ(numbers,
            (std::set<std::string>{"BMA-" + year + "-001-000001", "BMA-" + year + "-001-000002"}));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts_to_number"), "0");
  browser = signed_in(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  page = browser->get("/bills/" + bills[0]);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("data-receipt-pending"), std::string::npos);
}

// /metrics: the banks' answers by outcome, the payments waiting for a number with the oldest's
// age, and the outbox's backlog per topic, which falls to 0 once done; promtool reads it all.
TEST_P(ReceiptsLeftWaitingIT, TheAnswersTheWaitingReceiptsAndTheOutboxBacklogShowOnMetrics) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  const auto bills = paid_bills(applicant, 2);  // "TX-LEFT-0" and "TX-LEFT-1"
  ASSERT_EQ(bills.size(), 2u);
  auto bill = bill_of(app_->port(), applicant, billed_application(app_->port(), applicant));
  ASSERT_FALSE(bill.empty());
  json::object short_paid = bill;
  short_paid["total_satang"] = bill.at("total_satang").as_int64() - 100;
  EXPECT_EQ(pay(short_paid, "TX-SHORT").status, 202);
  // The same transaction again, and one signed with a key that is not the bank's.
  auto repeat = bearer_json(app_->port(), applicant, "GET", "/api/v1/bills/" + bills[0]);
  ASSERT_EQ(repeat.status, 200);
  EXPECT_EQ(pay(json_object(repeat), "TX-LEFT-0").status, 200);
  auto forged = pay_bill(app_->port(), "not-the-banks-secret", bill, "TX-FORGED",
                         std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count());
  EXPECT_EQ(forged.status, 401);

  // What waits for a number, as the numbering reads it before it starts.
  auto opened = storage::open_database({.url = db_->url()});
  ASSERT_TRUE(opened) << opened.error().detail;
  auto waiting = (*opened)->read_value<payments::WaitingReceipts>(
      [](storage::Connection& c) { return payments::waiting_receipts(c); });
  ASSERT_TRUE(waiting) << waiting.error().detail;
  EXPECT_EQ(waiting->count, 2);
  EXPECT_GT(waiting->oldest_recorded_at, 0);
  EXPECT_LE(waiting->oldest_recorded_at, SystemClock().now_seconds());
  // An outbox row of a topic nobody takes, queued two minutes ago.
  const std::int64_t queued = SystemClock().now_seconds() - 120;
  ASSERT_TRUE((*opened)->write([&](storage::Connection& c) -> Result<void> {
    return platform::outbox::enqueue(c, "test.nobody_takes", "{}", queued);
  }));

  auto scrape = [&] {
    HttpClient client(app_->port());
    auto metrics = client.get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    return metrics.body;
  };
  auto has = [](const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
  };
  // The backlog is counted every second here (metrics.backlog_seconds).
  std::string text;
  for (int i = 0; i < 50 && !has(text, "pratu_outbox_pending{topic=\"test.nobody_takes\"} 1");
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = scrape();
  }
  EXPECT_TRUE(has(text, "pratu_outbox_pending{topic=\"test.nobody_takes\"} 1")) << text;
  const auto age_at =
      text.find("pratu_outbox_pending_oldest_seconds{topic=\"test.nobody_takes\"} ");
  ASSERT_NE(age_at, std::string::npos) << text;
  EXPECT_GE(std::stod(text.substr(text.find(' ', age_at) + 1)), 120.0) << text;
  EXPECT_TRUE(has(text, "pratu_payments_confirmations_total{outcome=\"recorded\",reason=\"\"} 2"))
      << text;
  EXPECT_TRUE(has(text, "pratu_payments_confirmations_total{outcome=\"duplicate\",reason=\"\"} 1"))
      << text;
  EXPECT_TRUE(
      has(text, "pratu_payments_confirmations_total{outcome=\"held\",reason=\"wrong_amount\"} 1"))
      << text;
  EXPECT_TRUE(has(
      text, "pratu_payments_confirmations_total{outcome=\"refused\",reason=\"bad_signature\"} 1"))
      << text;
  EXPECT_EQ(promtool_check_metrics(text), 0) << text;

  // Done, it reads 0 at the next count.
  ASSERT_TRUE((*opened)->write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(c.execute("UPDATE outbox SET done_at = $1 WHERE topic = 'test.nobody_takes'",
                          {SystemClock().now_seconds()}));
    return ok();
  }));
  for (int i = 0; i < 50 && !has(text, "pratu_outbox_pending{topic=\"test.nobody_takes\"} 0");
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = scrape();
  }
  EXPECT_TRUE(has(text, "pratu_outbox_pending{topic=\"test.nobody_takes\"} 0")) << text;
  EXPECT_TRUE(has(text, "pratu_outbox_pending_oldest_seconds{topic=\"test.nobody_takes\"} 0"))
      << text;

  // A server that numbers every second: its first poll saw the two waiting and numbered them.
  app_.reset();
  auto config = test_config(db_->url());
  configure(config);
  config.modules["payments.numbering_poll_seconds"] = "1";
  app_ = std::make_unique<TestApp>(config, app::Demo::load);
  for (int i = 0; i < 50 && !has(text, "pratu_payments_receipts_numbered_total 2"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = scrape();
  }
  EXPECT_TRUE(has(text, "pratu_payments_receipts_numbered_total 2")) << text;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts_to_number"), "0");
  // ... and the next poll finds nothing waiting.
  for (int i = 0; i < 50 && !has(text, "pratu_payments_receipts_waiting 0"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = scrape();
  }
  EXPECT_TRUE(has(text, "pratu_payments_receipts_waiting 0")) << text;
  EXPECT_TRUE(has(text, "pratu_payments_receipts_waiting_oldest_seconds 0")) << text;
  EXPECT_EQ(promtool_check_metrics(text), 0) << text;
}

// A batch takes its payments off the queue as it reads them: in the order they were recorded,
// no more than it numbers, and back on the queue if it fails.
TEST_P(ReceiptsLeftWaitingIT, ABatchTakesTheFirstPaymentsWaitingAndFailedLeavesThemWaiting) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  ASSERT_EQ(paid_bills(applicant, 3).size(), 3u);
  ASSERT_EQ(scalar("SELECT COUNT(*) FROM receipts_to_number"), "3");
  auto opened = storage::open_database({.url = db_->url()});
  ASSERT_TRUE(opened) << opened.error().detail;
  storage::Database& node = **opened;
  SystemClock clock;

  auto failed = node.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(numbered, payments::number_waiting(c, 500, clock.now_seconds()));
    EXPECT_EQ(numbered, 3u);
    return Error::internal("the batch fails once numbered");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts_to_number"), "3");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts"), "0");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipt_sequences"), "0");

  auto two = node.write_value<std::size_t>(
      [&](storage::Connection& c) { return payments::number_waiting(c, 2, clock.now_seconds()); });
  ASSERT_TRUE(two) << two.error().detail;
  EXPECT_EQ(*two, 2u);
  // The first two recorded, numbered in that order; the last still waits.
  EXPECT_EQ(scalar("SELECT payment_id FROM receipts_to_number"),
            scalar("SELECT MAX(id) FROM payments"));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts r JOIN payments p ON p.id = r.payment_id "
                   "WHERE r.sequence = (SELECT COUNT(*) FROM payments q WHERE q.id <= p.id)"),
            "2");
  auto rest = payments::number_all_waiting(node, clock);
  ASSERT_TRUE(rest) << rest.error().detail;
  EXPECT_EQ(*rest, 1u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts_to_number"), "0");
  EXPECT_EQ(scalar("SELECT MIN(sequence) || '-' || MAX(sequence) FROM receipts"), "1-3");
}

TEST_P(ReceiptsLeftWaitingIT, NodesNumberingAtOnceNumberEachReceiptOnceWithoutAGap) {
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  constexpr int kBills = 12;
  ASSERT_EQ(paid_bills(applicant, kBills).size(), static_cast<std::size_t>(kBills));
  ASSERT_EQ(scalar("SELECT COUNT(*) FROM receipts_to_number"), std::to_string(kBills));

  // Four nodes number what waits at the same moment, each through its own connection.
  SystemClock clock;
  std::vector<std::unique_ptr<storage::Database>> nodes;
  for (int i = 0; i < 4; ++i) {
    auto opened = storage::open_database({.url = db_->url()});
    ASSERT_TRUE(opened) << opened.error().detail;
    nodes.push_back(std::move(*opened));
  }
  std::vector<Result<std::size_t>> numbered(nodes.size(), std::size_t{0});
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    threads.emplace_back([&, i] { numbered[i] = payments::number_all_waiting(*nodes[i], clock); });
  }
  for (auto& t : threads) t.join();
  std::size_t total = 0;
  for (const auto& n : numbered) {
    ASSERT_TRUE(n) << n.error().detail;
    total += *n;
  }
  EXPECT_EQ(total, static_cast<std::size_t>(kBills));  // each payment by one node
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM receipts_to_number"), "0");
  EXPECT_EQ(scalar("SELECT COUNT(DISTINCT payment_id) FROM receipts"), std::to_string(kBills));
  EXPECT_EQ(scalar("SELECT COUNT(DISTINCT number) FROM receipts"), std::to_string(kBills));
  EXPECT_EQ(scalar("SELECT MIN(sequence) || '-' || MAX(sequence) FROM receipts"),
            "1-" + std::to_string(kBills));
  EXPECT_EQ(scalar("SELECT last FROM receipt_sequences WHERE book = '001'"),
            std::to_string(kBills));
  // Each is queued for issue once.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE topic = 'documents.issue_receipt'"),
            std::to_string(kBills));
}

PRATU_INSTANTIATE_ENGINE_TESTS(ReceiptsLeftWaitingIT);

}  // namespace
}  // namespace pratu::test
