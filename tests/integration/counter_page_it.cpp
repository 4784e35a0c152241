// The agency's counter (docs/payments.md, "Who handles the money"; docs/adr/0028) through the
// real server on SQLite and PostgreSQL, as a cashier with script off uses it: the bill a payer
// brings is found by its Ref. 1 as printed (or its id) and paid on its page with the page's
// form; the day's takings list it with its receipt, per method and in all. Another agency's
// cashier finds no such bill; an officer, a supervisor and a finance officer without the
// cashier duty are refused the counter, and the bill's page shows them no counter form.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "common/money.hpp"
#include "domains/accounts/accounts_service.hpp"
#include "support/applicants.hpp"
#include "support/bills.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace json = boost::json;

const std::string kPassword(accounts::kDemoOfficerPassword);

class CounterPageIT : public AppTest {
 protected:
  // A bill of the demo applicant's at the BMA, waiting to be paid (its API view).
  json::object awaiting_bill() {
    const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
    return bill_of(app_->port(), applicant, billed_application(app_->port(), applicant));
  }

  static std::string text_of(const json::object& o, std::string_view key) {
    return std::string(o.at(key).as_string());
  }
};

TEST_P(CounterPageIT, ACashierFindsTheBillByItsRef1AndTakesThePaymentOnItsPage) {
  const auto bill = awaiting_bill();
  ASSERT_FALSE(bill.empty());
  const std::string id = text_of(bill, "id"), ref1 = text_of(bill, "ref1");
  ASSERT_GT(ref1.size(), 4u);
  auto cashier = signed_in(app_->port(), accounts::demo_cashier_email("bma"), kPassword);

  // Nothing taken yet; the navigation leads here.
  auto empty = cashier->get("/agency/counter");
  ASSERT_EQ(empty.status, 200) << empty.body.substr(0, 2000);
  EXPECT_NE(empty.body.find("data-counter-none"), std::string::npos);
  EXPECT_NE(empty.body.find("href=\"/agency/counter\""), std::string::npos);

  // Ref. 1 as printed, with a space and a dash, and the bill's id, both lead to its page.
  const std::string printed = ref1.substr(0, 4) + " " + ref1.substr(4, 3) + "-" + ref1.substr(7);
  auto by_ref1 = cashier->get("/agency/counter?bill=" + url_encode(printed));
  EXPECT_EQ(by_ref1.status, 303);
  EXPECT_EQ(by_ref1.header("Location"), "/bills/" + id);
  auto by_id = cashier->get("/agency/counter?bill=" + id);
  EXPECT_EQ(by_id.status, 303);
  EXPECT_EQ(by_id.header("Location"), "/bills/" + id);

  // A reference no bill of the agency has, or none at all: the form again, saying which.
  auto unknown = cashier->get("/agency/counter?bill=999999999999999999");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_NE(unknown.body.find("ไม่พบใบแจ้งชำระเงินของหน่วยงาน"), std::string::npos);
  EXPECT_NE(unknown.body.find("value=\"999999999999999999\""), std::string::npos);
  auto blank = cashier->get("/agency/counter?bill=+");
  EXPECT_EQ(blank.status, 422);
  EXPECT_NE(blank.body.find("กรุณากรอก Ref. 1"), std::string::npos);
  auto huge = cashier->get("/agency/counter?bill=" + std::string(5000, '1'));
  EXPECT_EQ(huge.status, 422);

  // The bill's page has the counter's form; paying with it leads back to the page, paid.
  auto page = cashier->get("/bills/" + id);
  ASSERT_EQ(page.status, 200);
  ASSERT_NE(page.body.find("data-counter-form"), std::string::npos);
  auto paid = cashier->post_form("/bills/" + id + "/counter-payment",
                                 {{"csrf_token", extract_csrf_token(page.body)},
                                  {"method", "cheque"},
                                  {"reference", "KTB 0012345"},
                                  {"confirm_amount", "1"}});
  ASSERT_EQ(paid.status, 303) << paid.body.substr(0, 2000);
  EXPECT_EQ(paid.header("Location"), "/bills/" + id + "?paid=1");

  // The day's takings: the payment with its receipt from book 002, and what the till holds.
  auto day = cashier->get("/agency/counter");
  ASSERT_EQ(day.status, 200);
  EXPECT_EQ(day.body.find("data-counter-none"), std::string::npos);
  const std::string amount = format_baht(bill.at("total_satang").as_int64());
  EXPECT_NE(day.body.find("-002-000001\""), std::string::npos) << day.body.substr(0, 4000);
  EXPECT_NE(day.body.find("KTB 0012345"), std::string::npos);
  EXPECT_NE(day.body.find("data-method=\"cheque\""), std::string::npos);
  const auto total = day.body.find("data-total");
  ASSERT_NE(total, std::string::npos);
  EXPECT_NE(day.body.find(amount, total), std::string::npos) << amount;
}

TEST_P(CounterPageIT, OnlyTheAgencysCashiersUseTheCounter) {
  const auto bill = awaiting_bill();
  ASSERT_FALSE(bill.empty());
  const std::string id = text_of(bill, "id"), ref1 = text_of(bill, "ref1");

  // Another agency's cashier finds no such bill, by Ref. 1 or by id, as for one that is not.
  auto dbd = signed_in(app_->port(), accounts::demo_cashier_email("dbd"), kPassword);
  for (const std::string& typed : {ref1, id}) {
    auto other = dbd->get("/agency/counter?bill=" + typed);
    EXPECT_EQ(other.status, 422) << typed;
    EXPECT_NE(other.body.find("ไม่พบใบแจ้งชำระเงินของหน่วยงาน"), std::string::npos);
  }

  // The agency's officer, supervisor and finance officer have no counter: refused by role,
  // the bill's page shows them no form, and its form refuses them whatever they send.
  for (const auto& login :
       {accounts::demo_officer_email("bma"), accounts::demo_supervisor_email("bma"),
        accounts::demo_finance_email("bma")}) {
    auto staff = signed_in(app_->port(), login, kPassword);
    EXPECT_EQ(staff->get("/agency/counter").status, 403) << login;
    EXPECT_EQ(staff->get("/agency/counter?bill=" + ref1).status, 403) << login;
    auto page = staff->get("/bills/" + id);
    ASSERT_EQ(page.status, 200) << login;
    EXPECT_EQ(page.body.find("data-counter-form"), std::string::npos) << login;
    EXPECT_EQ(page.body.find("href=\"/agency/counter\""), std::string::npos) << login;
    auto refused = staff->post_form("/bills/" + id + "/counter-payment",
                                    {{"csrf_token", extract_csrf_token(page.body)},
                                     {"method", "cash"},
                                     {"confirm_amount", "1"}});
    EXPECT_EQ(refused.status, 403) << login;
  }
  auto applicant = signed_in_applicant(app_->port());
  EXPECT_EQ(applicant->get("/agency/counter").status, 403);
  HttpClient visitor(app_->port());
  auto anonymous = visitor.get("/agency/counter");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_TRUE(anonymous.header("Location").starts_with("/login?next="));

  // Nothing was paid.
  const auto applicant_token = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  auto shown = bearer_json(app_->port(), applicant_token, "GET", "/api/v1/bills/" + id);
  EXPECT_EQ(json_object(shown).at("status").as_string(), "awaiting");
}

// A hostile client's bodies at the money's routes: one that says it is far past the route's
// limit is answered at once with 413, before any of it is read, and the connection is closed;
// sent whole, a body just past the counter's limit pays nothing.
TEST_P(CounterPageIT, BodiesPastTheMoneyRoutesLimitsAreRefusedUnread) {
  const auto bill = awaiting_bill();
  ASSERT_FALSE(bill.empty());
  const std::string id = text_of(bill, "id");
  const auto cashier = api_token(app_->port(), accounts::demo_cashier_email("bma"), kPassword);
  const auto finance = api_token(app_->port(), accounts::demo_finance_email("bma"), kPassword);
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST /api/v1/agency/bills/" + id + "/counter-payment", cashier},
      {"POST /api/v1/agency/receipts/BMA-2570-002-000001/cancellation", finance},
      {"POST /api/v1/agency/payment-exceptions/1/resolution", finance},
      {"POST /api/v1/agency/statements", finance}};
  for (const auto& [route, token] : routes) {
    HttpConnection connection(app_->port(), std::chrono::milliseconds(3000));
    ASSERT_TRUE(connection.send(route + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token +
                                "\r\nContent-Type: application/json\r\n"
                                "Content-Length: 1073741824\r\n\r\n{\"method\": \""));
    auto response = connection.read_response();
    ASSERT_TRUE(response) << route;
    EXPECT_EQ(response->status, 413) << route;
    EXPECT_EQ(response->header("Content-Type"), "application/problem+json") << route;
    EXPECT_TRUE(connection.closed_by_peer()) << route;
  }
  auto whole = bearer_request(
      app_->port(), cashier, "POST", "/api/v1/agency/bills/" + id + "/counter-payment",
      json::serialize(json::object{{"method", "cash"},
                                   {"amount_satang", bill.at("total_satang").as_int64()},
                                   {"reference", std::string(64 * 1024, 'x')}}));
  EXPECT_EQ(whole.status, 413) << whole.body.substr(0, 500);
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  auto shown = bearer_json(app_->port(), applicant, "GET", "/api/v1/bills/" + id);
  EXPECT_EQ(json_object(shown).at("status").as_string(), "awaiting");
}

// A barcode scanner types the printed bill's barcode into the search like a keyboard: the
// whole of it (as the page's script sends it, spaces for its carriage returns; or as typed, with
// the keyboard set to Thai) finds the bill; its first part alone, which a scanner's Enter sends
// with script off, says what to do; another agency's barcode finds nothing.
TEST_P(CounterPageIT, AScannedBarcodeFindsTheBill) {
  const auto bill = awaiting_bill();
  ASSERT_FALSE(bill.empty());
  const std::string id = text_of(bill, "id"), barcode = text_of(bill, "barcode");
  ASSERT_EQ(barcode.substr(0, 1), "|");
  auto cashier = signed_in(app_->port(), accounts::demo_cashier_email("bma"), kPassword);
  std::string spaced = barcode;
  for (char& c : spaced) c = c == '\r' ? ' ' : c;
  for (const std::string& scanned : {barcode, spaced, barcode + "\r"}) {
    auto found = cashier->get("/agency/counter?bill=" + url_encode(scanned));
    EXPECT_EQ(found.status, 303) << scanned;
    EXPECT_EQ(found.header("Location"), "/bills/" + id) << scanned;
  }
  // The rest of the digits on the Thai keyboard too.
  std::string on_thai;
  const std::string keys[] = {"จ", "ๅ", "/", "-", "ภ", "ถ", "ุ", "ึ", "ค", "ต"};
  for (char c : spaced) on_thai += (c >= '0' && c <= '9') ? keys[c - '0'] : std::string(1, c);
  on_thai.replace(0, 1, "ฅ");
  auto thai = cashier->get("/agency/counter?bill=" + url_encode(on_thai));
  EXPECT_EQ(thai.status, 303) << on_thai;
  EXPECT_EQ(thai.header("Location"), "/bills/" + id);

  const std::string first_part = barcode.substr(0, barcode.find('\r'));
  auto partial = cashier->get("/agency/counter?bill=" + url_encode(first_part));
  EXPECT_EQ(partial.status, 422);
  EXPECT_NE(partial.body.find("ได้รับบาร์โค้ดเพียงส่วนแรก"), std::string::npos);

  // The DBD's cashier scanning the BMA's bill: no such bill at the DBD.
  auto dbd = signed_in(app_->port(), accounts::demo_cashier_email("dbd"), kPassword);
  auto elsewhere = dbd->get("/agency/counter?bill=" + url_encode(spaced));
  EXPECT_EQ(elsewhere.status, 422);
  EXPECT_NE(elsewhere.body.find("ไม่พบใบแจ้งชำระเงินของหน่วยงาน"), std::string::npos);
}

// The finance officer's side of the same page: a receipt is cancelled with a purpose, and one
// cancelled because it was wrong is replaced by the next number of its book.
TEST_P(CounterPageIT, AFinanceOfficerReplacesAWrongReceiptOnTheBillsPage) {
  const auto bill = awaiting_bill();
  ASSERT_FALSE(bill.empty());
  const std::string id = text_of(bill, "id");
  auto cashier = signed_in(app_->port(), accounts::demo_cashier_email("bma"), kPassword);
  auto page = cashier->get("/bills/" + id);
  ASSERT_EQ(cashier
                ->post_form("/bills/" + id + "/counter-payment",
                            {{"csrf_token", extract_csrf_token(page.body)},
                             {"method", "cash"},
                             {"confirm_amount", "1"}})
                .status,
            303);
  // The cashier has no cancelling form; the finance officer has one that asks why.
  EXPECT_EQ(cashier->get("/bills/" + id).body.find("data-cancel-receipt-form"), std::string::npos);
  auto finance = signed_in(app_->port(), accounts::demo_finance_email("bma"), kPassword);
  auto shown = finance->get("/bills/" + id);
  ASSERT_EQ(shown.status, 200);
  ASSERT_NE(shown.body.find("data-cancel-receipt-form"), std::string::npos);
  EXPECT_NE(shown.body.find("value=\"wrong_name\""), std::string::npos);
  EXPECT_NE(shown.body.find("value=\"withdrawn\""), std::string::npos);

  // Without a purpose: the form again, saying so, with the reason as typed; nothing cancelled.
  const std::string reason = "ชื่อผู้ชำระไม่ตรงกับบัตร";
  auto unchosen =
      finance->post_form("/bills/" + id + "/receipt-cancellation",
                         {{"csrf_token", extract_csrf_token(shown.body)}, {"reason", reason}});
  EXPECT_EQ(unchosen.status, 422);
  EXPECT_NE(unchosen.body.find("เลือกเหตุที่ยกเลิกใบเสร็จรับเงิน"), std::string::npos);
  EXPECT_NE(unchosen.body.find(reason), std::string::npos);
  EXPECT_EQ(unchosen.body.find("data-receipt-replaces"), std::string::npos);

  auto replaced = finance->post_form("/bills/" + id + "/receipt-cancellation",
                                     {{"csrf_token", extract_csrf_token(unchosen.body)},
                                      {"purpose", "wrong_name"},
                                      {"reason", reason}});
  ASSERT_EQ(replaced.status, 303) << replaced.body.substr(0, 2000);
  EXPECT_EQ(replaced.header("Location"), "/bills/" + id + "?replaced=1");
  auto after = finance->get("/bills/" + id + "?replaced=1");
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.body.find("ออกใบเสร็จรับเงินฉบับใหม่แทนแล้ว"), std::string::npos);
  // The new receipt, from the same book, says which it replaces, and can be cancelled in turn.
  const auto number = after.body.find("data-receipt-number>");
  ASSERT_NE(number, std::string::npos);
  EXPECT_NE(after.body.find("-002-000002<", number), std::string::npos);
  const auto replaces = after.body.find("data-receipt-replaces");
  ASSERT_NE(replaces, std::string::npos);
  EXPECT_NE(after.body.find("-002-000001", replaces), std::string::npos);
  EXPECT_NE(after.body.find("data-cancel-receipt-form"), std::string::npos);
}

PRATU_INSTANTIATE_ENGINE_TESTS(CounterPageIT);

}  // namespace
}  // namespace pratu::test
