// The agency's finance pages (docs/payments.md) through the real server on SQLite and
// PostgreSQL, as a finance officer (docs/adr/0028) with script off uses them: a statement file
// uploaded with the page's form is imported and shown line by line; a malformed one is refused with
// where and why in Thai; the same file again leads to the same import; an overpaid line waits on
// the exceptions page and is settled there, a refund only with a note; another agency's finance
// officer finds none of it, an applicant and the agency's staff without the finance duty are
// refused, and a form without its CSRF token changes nothing.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <regex>
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

constexpr std::string_view kBoundary = "----PratuFinanceBoundary5c1e";
const std::string kPassword(accounts::kDemoOfficerPassword);

// A form as a browser with script off posts it with a file: multipart.
std::string multipart(const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::string& file) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + name +
            "\"\r\n\r\n" + value + "\r\n";
  }
  body += "--" + std::string(kBoundary) +
          "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"statement.txt\"\r\n"
          "Content-Type: text/plain\r\n\r\n" +
          file + "\r\n";
  return body + "--" + std::string(kBoundary) + "--\r\n";
}

// How many times `needle` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class FinancePagesIT : public AppTest {
 protected:
  std::unique_ptr<HttpClient> finance_officer(const std::string& agency = "bma") {
    return signed_in(app_->port(), accounts::demo_finance_email(agency), kPassword);
  }

  // Uploads `file` with the statements page's form, with the CSRF token of the person's pages
  // unless `token` is false.
  static HttpResponse upload(HttpClient& browser, const std::string& file, bool token = true) {
    std::vector<std::pair<std::string, std::string>> fields;
    if (token) fields.emplace_back("csrf_token", extract_csrf_token(browser.get("/help").body));
    return browser.request(
        "POST", "/agency/statements", multipart(fields, file),
        {{"Content-Type", "multipart/form-data; boundary=" + std::string(kBoundary)}});
  }

  // Settles line `line` with the exceptions page's form.
  static HttpResponse settle(HttpClient& browser, const std::string& line,
                             const std::string& action, const std::string& note,
                             bool token = true) {
    std::vector<std::pair<std::string, std::string>> fields{{"action-" + line, action},
                                                            {"note-" + line, note}};
    if (token) fields.emplace_back("csrf_token", extract_csrf_token(browser.get("/help").body));
    return browser.post_form("/agency/payment-exceptions/" + line + "/resolution", fields);
  }

  // A bill of the demo applicant's, waiting to be paid (its API view).
  json::object awaiting_bill() {
    const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
    return bill_of(app_->port(), applicant, billed_application(app_->port(), applicant));
  }

  // A file paying `exact` its total and `over` one baht more than its total, today.
  static std::string file_paying(const json::object& exact, const json::object& over) {
    const auto today = today_utc();
    return statement_file_of(
        {statement_line(exact, exact.at("total_satang").as_int64(), today),
         statement_line(over, over.at("total_satang").as_int64() + 100, today)},
        today);
  }

  // The id of the only open exception on `page`.
  static std::string open_line(const std::string& page) {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(page, m, std::regex("data-exception=\"([0-9]+)\"")))
        << page.substr(0, 3000);
    return m.empty() ? std::string() : m[1].str();
  }
};

TEST_P(FinancePagesIT, AnUploadedFileIsShownLineByLineAndTheSameFileAgainLeadsToIt) {
  const auto exact = awaiting_bill();
  const auto over = awaiting_bill();
  const std::string file = file_paying(exact, over);
  auto browser = finance_officer();

  // The finance officer's navigation leads to the statements, and they to the other pages; a
  // supervisor without the finance duty finds no such links on the agency's dashboard.
  auto empty = browser->get("/agency/statements");
  ASSERT_EQ(empty.status, 200);
  EXPECT_NE(empty.body.find("class=\"site-nav__link\" href=\"/agency/statements\""),
            std::string::npos);
  EXPECT_NE(empty.body.find("href=\"/agency/payment-exceptions\""), std::string::npos);
  EXPECT_NE(empty.body.find("href=\"/agency/collections\""), std::string::npos);
  auto head = signed_in(app_->port(), accounts::demo_supervisor_email("bma"), kPassword);
  auto dashboard = head->get("/agency/dashboard");
  ASSERT_EQ(dashboard.status, 200);
  EXPECT_EQ(dashboard.body.find("data-dashboard-finance"), std::string::npos);
  EXPECT_EQ(dashboard.body.find("href=\"/agency/statements\""), std::string::npos);

  EXPECT_NE(empty.body.find("enctype=\"multipart/form-data\""), std::string::npos);
  EXPECT_NE(empty.body.find("data-no-imports"), std::string::npos);

  auto imported = upload(*browser, file);
  ASSERT_EQ(imported.status, 303) << imported.body.substr(0, 3000);
  const std::string location = imported.header("Location");
  ASSERT_TRUE(location.starts_with("/agency/statements/")) << location;
  const std::string at = location.substr(0, location.find('?'));

  auto shown = browser->get(location);
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(occurrences(shown.body, "<tr data-line="), 2u);
  EXPECT_NE(shown.body.find("data-outcome=\"paid\""), std::string::npos);
  EXPECT_NE(shown.body.find("data-reason=\"overpaid\""), std::string::npos);
  EXPECT_NE(shown.body.find("href=\"/bills/" + std::string(exact.at("id").as_string()) + "\""),
            std::string::npos);
  EXPECT_NE(shown.body.find(format_baht(over.at("total_satang").as_int64() + 100)),
            std::string::npos);
  EXPECT_NE(shown.body.find("นำเข้าไฟล์รายการเดินบัญชีแล้ว"), std::string::npos);
  // The bill the statement paid is paid.
  const auto applicant = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
  auto bill = bearer_request(app_->port(), applicant, "GET",
                             "/api/v1/bills/" + std::string(exact.at("id").as_string()));
  EXPECT_EQ(json_object(bill).at("status").as_string(), "paid");

  auto list = browser->get("/agency/statements");
  EXPECT_EQ(occurrences(list.body, "<tr data-import>"), 1u);
  EXPECT_NE(list.body.find("href=\"" + at + "\""), std::string::npos);
  EXPECT_NE(list.body.find(accounts::demo_finance_email("bma")), std::string::npos)
      << "who imported it";

  // The same file again: the same import, said so, and nothing imported twice.
  auto again = upload(*browser, file);
  ASSERT_EQ(again.status, 303);
  EXPECT_EQ(again.header("Location"), at + "?already=1");
  auto told = browser->get(again.header("Location"));
  EXPECT_NE(told.body.find("ไฟล์นี้เคยนำเข้าแล้ว"), std::string::npos);
  EXPECT_EQ(occurrences(browser->get("/agency/statements").body, "<tr data-import>"), 1u);

  // In English too.
  auto english = browser->get(at + "?lang=en");
  EXPECT_NE(english.body.find("Paid the bill"), std::string::npos);
}

TEST_P(FinancePagesIT, AMalformedFileIsRefusedWithWhereAndWhyInThai) {
  const auto exact = awaiting_bill();
  std::string file = statement_file_of({statement_line(exact, 50000, today_utc())}, today_utc());
  // The trailer's credit total (positions 40-52 of the last record) one satang off.
  const auto trailer = file.rfind('\n', file.size() - 2) + 1;
  ASSERT_EQ(file[trailer], 'T');
  char& last_digit = file[trailer + 51];
  last_digit = last_digit == '9' ? '8' : static_cast<char>(last_digit + 1);
  auto browser = finance_officer();

  auto refused = upload(*browser, file);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("ยอดรวมในส่วนท้ายไม่ตรงกับรายการในไฟล์"), std::string::npos)
      << refused.body.substr(0, 4000);
  EXPECT_NE(refused.body.find("บรรทัดที่ 3"), std::string::npos);
  EXPECT_NE(refused.body.find("ยอดรวมรายการรับ"), std::string::npos) << "the field";
  EXPECT_NE(refused.body.find("trailer_total_mismatch"), std::string::npos) << "the code";
  EXPECT_NE(refused.body.find("error-summary"), std::string::npos);
  EXPECT_NE(refused.body.find("enctype=\"multipart/form-data\""), std::string::npos);
  EXPECT_NE(refused.body.find("data-no-imports"), std::string::npos) << "nothing imported";

  // No file chosen.
  auto page = browser->get("/agency/statements");
  auto none =
      browser->post_form("/agency/statements", {{"csrf_token", extract_csrf_token(page.body)}});
  EXPECT_EQ(none.status, 422);
  EXPECT_NE(none.body.find("โปรดเลือกไฟล์รายการเดินบัญชีที่จะนำเข้า"), std::string::npos);
}

TEST_P(FinancePagesIT, AnOverpaidLineIsSettledOnTheExceptionsPageWithWhoAndWhen) {
  const auto exact = awaiting_bill();
  const auto over = awaiting_bill();
  auto browser = finance_officer();
  auto imported = upload(*browser, file_paying(exact, over));
  ASSERT_EQ(imported.status, 303);
  const std::string at =
      imported.header("Location").substr(0, imported.header("Location").find('?'));

  auto page = browser->get("/agency/payment-exceptions");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(occurrences(page.body, "data-exception="), 1u);
  EXPECT_NE(page.body.find("data-reason=\"overpaid\""), std::string::npos);
  const std::string line = open_line(page.body);
  ASSERT_FALSE(line.empty());
  EXPECT_NE(page.body.find("action=\"/agency/payment-exceptions/" + line + "/resolution\""),
            std::string::npos);
  // The balance is asked only of an underpaid line: not offered here.
  EXPECT_EQ(page.body.find("value=\"ask_balance\""), std::string::npos);
  EXPECT_NE(page.body.find("value=\"refund\""), std::string::npos);
  EXPECT_NE(page.body.find("value=\"accept\""), std::string::npos);

  // A refund says why.
  auto no_note = settle(*browser, line, "refund", "");
  EXPECT_EQ(no_note.status, 422);
  EXPECT_NE(no_note.body.find("โปรดระบุเหตุผลในการคืนเงิน"), std::string::npos);
  EXPECT_NE(no_note.body.find("href=\"#note-" + line + "\""), std::string::npos);
  // A refused action keeps what was typed.
  const std::string typed = "ผู้ชำระโอนเกินมา NOTE-4d1f";
  auto wrong = settle(*browser, line, "ask_balance", typed);
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("ขอให้ชำระส่วนที่ขาดได้เฉพาะรายการที่ชำระไม่ครบ"), std::string::npos);
  EXPECT_NE(wrong.body.find(">" + typed + "</textarea>"), std::string::npos)
      << wrong.body.substr(0, 6000);
  EXPECT_EQ(occurrences(browser->get("/agency/payment-exceptions").body, "data-exception="), 1u);

  const std::string why = "คืนเงินส่วนเกินให้ผู้ชำระ";
  auto done = settle(*browser, line, "refund", why);
  ASSERT_EQ(done.status, 303) << done.body.substr(0, 3000);
  EXPECT_EQ(done.header("Location"), "/agency/payment-exceptions?settled=" + line);
  auto after = browser->get(done.header("Location"));
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(occurrences(after.body, "data-exception="), 0u) << "no longer open";
  EXPECT_NE(after.body.find("data-no-exceptions"), std::string::npos);
  EXPECT_NE(after.body.find("notification-banner--success"), std::string::npos);
  EXPECT_NE(after.body.find("คืนเงินแล้ว"), std::string::npos);
  EXPECT_NE(after.body.find("data-settled=\"" + line + "\""), std::string::npos);
  EXPECT_NE(after.body.find(why), std::string::npos);
  EXPECT_NE(after.body.find("โดย " + accounts::demo_finance_email("bma") + " เมื่อ "),
            std::string::npos)
      << "who and when";
  // The import shows it settled; settling it again is refused.
  EXPECT_NE(browser->get(at).body.find("คืนเงินแล้ว"), std::string::npos);
  auto twice = settle(*browser, line, "accept", "");
  EXPECT_EQ(twice.status, 422);
  EXPECT_NE(twice.body.find("รายการนี้ได้รับการดำเนินการแล้ว"), std::string::npos);
}

TEST_P(FinancePagesIT, OnlyTheAgencysSupervisorsSeeItAndEveryFormNeedsItsToken) {
  const auto exact = awaiting_bill();
  const auto over = awaiting_bill();
  auto browser = finance_officer();
  const std::string file = file_paying(exact, over);

  // Without the form's token nothing is imported.
  EXPECT_EQ(upload(*browser, file, false).status, 403);
  EXPECT_NE(browser->get("/agency/statements").body.find("data-no-imports"), std::string::npos);

  auto imported = upload(*browser, file);
  ASSERT_EQ(imported.status, 303);
  const std::string at =
      imported.header("Location").substr(0, imported.header("Location").find('?'));
  const std::string line = open_line(browser->get("/agency/payment-exceptions").body);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(settle(*browser, line, "refund", "ไม่มีโทเค็น", false).status, 403);
  EXPECT_EQ(occurrences(browser->get("/agency/payment-exceptions").body, "data-exception="), 1u);

  // Another agency's finance officer: no such import, no such line, whatever they send.
  auto dbd = finance_officer("dbd");
  EXPECT_EQ(dbd->get(at).status, 404);
  EXPECT_EQ(dbd->get("/agency/statements/999999").status, 404);
  EXPECT_EQ(occurrences(dbd->get("/agency/statements").body, "<tr data-import>"), 0u);
  EXPECT_EQ(occurrences(dbd->get("/agency/payment-exceptions").body, "data-exception="), 0u);
  EXPECT_EQ(settle(*dbd, line, "refund", "ไม่ใช่ของเรา").status, 404);
  EXPECT_EQ(settle(*dbd, line, "refund", "").status, 404);
  EXPECT_EQ(occurrences(browser->get("/agency/payment-exceptions").body, "data-exception="), 1u);

  // An applicant, and the agency's officer, supervisor and cashier without the finance duty:
  // refused by role.
  auto applicant = signed_in_applicant(app_->port());
  EXPECT_EQ(applicant->get("/agency/statements").status, 403);
  EXPECT_EQ(applicant->get(at).status, 403);
  EXPECT_EQ(applicant->get("/agency/payment-exceptions").status, 403);
  EXPECT_EQ(upload(*applicant, file).status, 403);
  for (const auto& login :
       {accounts::demo_officer_email("bma"), accounts::demo_supervisor_email("bma"),
        accounts::demo_cashier_email("bma")}) {
    auto staff = signed_in(app_->port(), login, kPassword);
    EXPECT_EQ(staff->get("/agency/statements").status, 403) << login;
    EXPECT_EQ(staff->get("/agency/payment-exceptions").status, 403) << login;
    EXPECT_EQ(staff->get("/agency/collections").status, 403) << login;
  }
  // A visitor is sent to log in.
  HttpClient visitor(app_->port());
  auto anonymous = visitor.get("/agency/payment-exceptions");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_TRUE(anonymous.header("Location").starts_with("/login?next="));
}

PRATU_INSTANTIATE_ENGINE_TESTS(FinancePagesIT);

}  // namespace
}  // namespace pratu::test
