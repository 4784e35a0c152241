// An agency's daily collections (docs/payments.md) through the real server on SQLite and
// PostgreSQL: bills of two services paid by the bank on both sides of midnight in Bangkok
// fall on their own days in Thailand; the CSV, the JSON and the page show the same figures,
// which add up to the payments to the satang; only the agency's finance officers see them, their
// own agency's only; a range that cannot be read is refused with its own code, and the page
// says why in Thai.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/civil_date.hpp"
#include "domains/accounts/accounts_service.hpp"
#include "storage/database.hpp"
#include "support/applicants.hpp"
#include "support/bills.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_app.hpp"

namespace pratu::test {
namespace {

namespace fs = std::filesystem;
using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// The second service the BMA bills for: a copy of the signboard tax, named with a comma and
// quotes, which the CSV must quote.
constexpr const char* kTemporary = "signboard-tax-temporary";
constexpr const char* kTemporaryNameTh = "ภาษีป้ายชั่วคราว, \"ป้ายงานวัด\"";
constexpr const char* kCsvMedia = "text/csv; charset=utf-8";
constexpr const char* kBom = "\xEF\xBB\xBF";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The Unix time of `hh:mm:ss` on `day` in Bangkok (UTC+7).
std::int64_t bangkok(year_month_day day, int hh, int mm, int ss) {
  return static_cast<std::int64_t>(sys_days(day).time_since_epoch().count()) * 86400 - 7 * 3600 +
         hh * 3600 + mm * 60 + ss;
}

// Satang from a CSV amount ("1500.00").
std::int64_t satang_of(const std::string& baht) {
  const auto dot = baht.find('.');
  if (dot == std::string::npos || baht.size() != dot + 3) {
    ADD_FAILURE() << "not baht with two decimals: " << baht;
    return 0;
  }
  return std::stoll(baht.substr(0, dot)) * 100 + std::stoll(baht.substr(dot + 1));
}

// The records of an RFC 4180 file: fields unquoted, "" read as ", CRLF ending each record.
std::vector<std::vector<std::string>> csv_records(const std::string& text) {
  std::vector<std::vector<std::string>> out(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      out.back().push_back(std::move(field));
      field.clear();
      out.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

class CollectionsIT : public AppTest {
 protected:
  // The demo catalogue with a second service of the BMA that bills: the signboard tax's copy.
  void configure(app::Config& config) override {
    const fs::path services = catalogue_.path() / "services";
    fs::copy(fs::path(PRATU_SOURCE_DIR) / "services", services, fs::copy_options::recursive);
    std::string yaml = read_file(services / "bma" / "signboard-tax.yaml");
    const std::string slug = "slug: signboard-tax\n";
    const std::string name =
        "name:\n  th: การยื่นแบบและชำระภาษีป้าย\n  en: Signboard tax return and payment\n";
    ASSERT_NE(yaml.find(slug), std::string::npos);
    ASSERT_NE(yaml.find(name), std::string::npos);
    yaml.replace(yaml.find(slug), slug.size(), std::string("slug: ") + kTemporary + "\n");
    yaml.replace(yaml.find(name), name.size(),
                 "name:\n  th: 'ภาษีป้ายชั่วคราว, \"ป้ายงานวัด\"'\n  en: Temporary signboard tax\n");
    catalogue_.write(fs::path("services") / "bma" / (std::string(kTemporary) + ".yaml"), yaml);
    fs::copy(services / "bma" / "signboard-tax", services / "bma" / kTemporary,
             fs::copy_options::recursive);
    config.modules["catalog.directory"] = services.string();
  }

  void SetUp() override {
    AppTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    applicant_ = api_token(app_->port(), kDemoApplicant, kDemoApplicantPassword);
    finance_ = api_token(app_->port(), accounts::demo_finance_email("bma"),
                         std::string(accounts::kDemoOfficerPassword));
    secret_ = simulator_secret(db_->url());
    // Three days ago in Thailand: inside the page's default range of the last 30 days.
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    day_ = year_month_day(sys_days(thai_date(now)) - days(3));
  }

  // A bill of `service` paid in full at `paid_at`: its amount in satang.
  std::int64_t paid(const std::string& service, std::int64_t paid_at) {
    const auto bill =
        bill_of(app_->port(), applicant_, billed_application(app_->port(), applicant_, service));
    if (bill.empty()) return 0;
    auto answer =
        pay_bill(app_->port(), secret_, bill, "SIM-C" + std::to_string(++transactions_), paid_at);
    EXPECT_EQ(answer.status, 200) << answer.body;
    return bill.at("total_satang").as_int64();
  }

  // The sum of the payments of [from, to) in the database itself.
  std::int64_t paid_between(std::int64_t from, std::int64_t to) {
    std::int64_t out = -1;
    auto opened = storage::open_database({.url = db_->url()});
    EXPECT_TRUE(opened);
    if (!opened) return out;
    EXPECT_TRUE((*opened)->read([&](storage::Connection& c) -> Result<void> {
      PRATU_TRY(row, c.query_one("SELECT CAST(COALESCE(SUM(amount_satang), 0) AS BIGINT) "
                                 "FROM payments WHERE paid_at >= $1 AND paid_at < $2",
                                 {from, to}));
      out = row ? row->int64(0) : -1;
      return ok();
    }));
    return out;
  }

  HttpResponse as_finance(const std::string& target) {
    return bearer_request(app_->port(), finance_, "GET", target);
  }

  std::string day(int offset) const {
    return iso_date(year_month_day(sys_days(day_) + days(offset)));
  }

  TempDir catalogue_{"pratu-collections-"};
  std::string applicant_, finance_, secret_;
  year_month_day day_;
  int transactions_ = 0;
};

TEST_P(CollectionsIT, EachPaymentCountsOnItsDayInBangkokAndTheCsvAddsUpToTheSatang) {
  const year_month_day next(sys_days(day_) + days(1));
  const year_month_day before(sys_days(day_) - days(1));
  const year_month_day after(sys_days(day_) + days(2));
  // One second apart, on two days in Thailand (and one day in UTC).
  const std::int64_t last_second = paid("signboard-tax", bangkok(day_, 23, 59, 59));
  const std::int64_t midnight = paid("signboard-tax", bangkok(next, 0, 0, 0));
  const std::int64_t temporary_late = paid(kTemporary, bangkok(day_, 23, 59, 59));
  const std::int64_t temporary_noon = paid(kTemporary, bangkok(next, 12, 0, 0));
  // Just outside the range on either side.
  const std::int64_t earlier = paid("signboard-tax", bangkok(before, 23, 59, 59));
  const std::int64_t later = paid(kTemporary, bangkok(after, 0, 0, 0));
  const std::int64_t in_range = last_second + midnight + temporary_late + temporary_noon;
  ASSERT_GT(in_range, 0);
  EXPECT_EQ(paid_between(bangkok(day_, 0, 0, 0), bangkok(after, 0, 0, 0)), in_range);

  const std::string range = "?from=" + day(0) + "&to=" + day(1);
  auto csv = as_finance("/api/v1/agency/collections.csv" + range);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.header("Content-Type"), kCsvMedia);
  EXPECT_EQ(csv.header("Content-Disposition"),
            "attachment; filename=\"collections-bma-" + day(0) + "-" + day(1) + ".csv\"");
  ASSERT_TRUE(csv.body.starts_with(kBom)) << "a byte-order mark, for Excel";
  const auto records = csv_records(csv.body.substr(3));
  using Record = std::vector<std::string>;
  ASSERT_EQ(records.size(), 6u) << csv.body;
  EXPECT_EQ(records[0], (Record{"day", "service", "service_name", "payments", "amount_baht"}));
  EXPECT_EQ(records[1],
            (Record{day(0), "signboard-tax", "การยื่นแบบและชำระภาษีป้าย", "1", records[1][4]}));
  EXPECT_EQ(records[2], (Record{day(0), kTemporary, kTemporaryNameTh, "1", records[2][4]}));
  EXPECT_EQ(records[3],
            (Record{day(1), "signboard-tax", "การยื่นแบบและชำระภาษีป้าย", "1", records[3][4]}));
  EXPECT_EQ(records[4], (Record{day(1), kTemporary, kTemporaryNameTh, "1", records[4][4]}));
  EXPECT_EQ(satang_of(records[1][4]), last_second);
  EXPECT_EQ(satang_of(records[2][4]), temporary_late);
  EXPECT_EQ(satang_of(records[3][4]), midnight);
  EXPECT_EQ(satang_of(records[4][4]), temporary_noon);
  EXPECT_EQ(records[5], (Record{"total", "", "", "4", records[5][4]}));
  std::int64_t rows = 0;
  for (std::size_t i = 1; i + 1 < records.size(); ++i) rows += satang_of(records[i][4]);
  EXPECT_EQ(rows, in_range);
  EXPECT_EQ(satang_of(records[5][4]), in_range);
  // The name with a comma and quotes is one quoted field.
  EXPECT_NE(csv.body.find(",\"ภาษีป้ายชั่วคราว, \"\"ป้ายงานวัด\"\"\","), std::string::npos);

  // The JSON: the same figures, every day of the range with its total.
  auto api = as_finance("/api/v1/agency/collections" + range);
  ASSERT_EQ(api.status, 200) << api.body;
  const auto figures = json_object(api);
  EXPECT_EQ(figures.at("agency").as_string(), "bma");
  EXPECT_EQ(figures.at("from").as_string(), day(0));
  EXPECT_EQ(figures.at("to").as_string(), day(1));
  EXPECT_EQ(figures.at("total").at("payments").as_int64(), 4);
  EXPECT_EQ(figures.at("total").at("amount_satang").as_int64(), in_range);
  EXPECT_EQ(figures.at("total").at("amount_baht").as_string(), records[5][4]);
  const auto& each_day = figures.at("days").as_array();
  ASSERT_EQ(each_day.size(), 2u);
  EXPECT_EQ(each_day[0].at("day").as_string(), day(0));
  EXPECT_EQ(each_day[0].at("amount_satang").as_int64(), last_second + temporary_late);
  EXPECT_EQ(each_day[1].at("amount_satang").as_int64(), midnight + temporary_noon);
  EXPECT_EQ(figures.at("rows").as_array().size(), 4u);

  // A range over all of them counts each once; a day without payments is a zero.
  auto wide =
      json_object(as_finance("/api/v1/agency/collections?from=" + day(-2) + "&to=" + day(3)));
  EXPECT_EQ(wide.at("total").at("amount_satang").as_int64(), in_range + earlier + later);
  EXPECT_EQ(wide.at("total").at("payments").as_int64(), 6);
  EXPECT_EQ(wide.at("days").as_array().size(), 6u);
  EXPECT_EQ(wide.at("days").as_array()[0].at("payments").as_int64(), 0);
  EXPECT_EQ(wide.at("days").as_array()[5].at("amount_baht").as_string(), "0.00");

  // Another agency's finance officer sees their own agency's collections: none of these.
  const auto dbd = api_token(app_->port(), accounts::demo_finance_email("dbd"),
                             std::string(accounts::kDemoOfficerPassword));
  auto theirs = bearer_request(app_->port(), dbd, "GET", "/api/v1/agency/collections.csv" + range);
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  EXPECT_EQ(theirs.body, std::string(kBom) +
                             "day,service,service_name,payments,amount_baht\r\ntotal,,,0,0.00\r\n");
  EXPECT_NE(theirs.header("Content-Disposition").find("collections-dbd-"), std::string::npos);
}

TEST_P(CollectionsIT, ThePageShowsTheChartAndTheTableToTheAgencysSupervisorsOnly) {
  const std::int64_t amount = paid("signboard-tax", bangkok(day_, 10, 0, 0));
  ASSERT_GT(amount, 0);
  const std::string range = "?from=" + day(0) + "&to=" + day(1);
  auto finance = signed_in(app_->port(), accounts::demo_finance_email("bma"),
                           std::string(accounts::kDemoOfficerPassword));
  auto page = finance->get("/agency/collections" + range);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("ยอดเงินที่จัดเก็บรายวัน"), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  EXPECT_NE(page.body.find("data-chart=\"collections-days\""), std::string::npos);
  EXPECT_NE(page.body.find("class=\"chart__bar\""), std::string::npos);
  EXPECT_NE(page.body.find("<caption>"), std::string::npos);
  EXPECT_NE(page.body.find("<th scope=\"row\"><time datetime=\"" + day(0) + "\">"),
            std::string::npos);
  EXPECT_NE(page.body.find("data-service=\"signboard-tax\""), std::string::npos);
  EXPECT_NE(page.body.find("การยื่นแบบและชำระภาษีป้าย"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/api/v1/agency/collections.csv?from=" + day(0) +
                           "&amp;to=" + day(1) + "\""),
            std::string::npos)
      << "a link to the CSV of the same range";
  // The figure as people read it, with its thousands separator.
  auto api = json_object(as_finance("/api/v1/agency/collections" + range));
  EXPECT_EQ(api.at("total").at("amount_satang").as_int64(), amount);
  EXPECT_NE(page.body.find("data-collections-summary>รับชำระ 1 รายการ"), std::string::npos)
      << page.body.substr(page.body.find("data-collections"), 2000);

  // The CSV from the page's link, over the person's session.
  auto csv = finance->get("/api/v1/agency/collections.csv" + range);
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("Content-Type"), kCsvMedia);

  // Without a range: the last 30 days up to today, this payment among them.
  auto recent = finance->get("/agency/collections");
  ASSERT_EQ(recent.status, 200);
  EXPECT_NE(recent.body.find("data-day=\"" + day(0) + "\""), std::string::npos);
  EXPECT_NE(recent.body.find("data-service=\"signboard-tax\""), std::string::npos);

  // Nobody else: the applicant, the agency's officer, the administrator.
  auto applicant = signed_in_applicant(app_->port());
  EXPECT_EQ(applicant->get("/agency/collections" + range).status, 403);
  EXPECT_EQ(
      bearer_request(app_->port(), applicant_, "GET", "/api/v1/agency/collections.csv" + range)
          .status,
      403);
  auto officer = signed_in(app_->port(), accounts::demo_officer_email("bma"),
                           std::string(accounts::kDemoOfficerPassword));
  EXPECT_EQ(officer->get("/agency/collections" + range).status, 403);
  auto admin = signed_in(app_->port(), std::string(accounts::kDemoAdminEmail),
                         std::string(accounts::kDemoAdminPassword));
  EXPECT_EQ(admin->get("/agency/collections" + range).status, 403);
  EXPECT_EQ(HttpClient(app_->port()).get("/api/v1/agency/collections" + range).status, 401);
  // Another agency's finance officer gets their own agency's page, without the BMA's payment.
  auto dbd = signed_in(app_->port(), accounts::demo_finance_email("dbd"),
                       std::string(accounts::kDemoOfficerPassword));
  auto theirs = dbd->get("/agency/collections" + range);
  ASSERT_EQ(theirs.status, 200);
  EXPECT_EQ(theirs.body.find("data-service=\"signboard-tax\""), std::string::npos);
  EXPECT_EQ(theirs.body.find("class=\"chart__bar\""), std::string::npos);
  EXPECT_NE(theirs.body.find("data-chart-empty=\"true\""), std::string::npos);
}

TEST_P(CollectionsIT, ARangeThatCannotBeReadIsRefusedWithItsCodeAndThePageSaysWhyInThai) {
  struct Case {
    std::string query;
    std::string code;
    std::string thai;  // what the page says
  };
  const std::vector<Case> cases = {
      {"?from=" + day(1) + "&to=" + day(0), "payments.collections.reversed",
       "วันสุดท้ายต้องไม่อยู่ก่อนวันแรก"},
      {"?from=2024-01-01&to=2025-01-01", "payments.collections.too_long",
       "เลือกช่วงเวลาได้ไม่เกิน 366 วัน"},
      {"?from=2026-02-30&to=2026-03-01", "payments.collections.bad_date", "โปรดระบุวันที่ที่มีอยู่จริง"},
      {"?from=" + day(0) + "&to=31%2F12%2F2569", "payments.collections.bad_date",
       "โปรดระบุวันที่ที่มีอยู่จริง"},
  };
  auto finance = signed_in(app_->port(), accounts::demo_finance_email("bma"),
                           std::string(accounts::kDemoOfficerPassword));
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    for (const std::string api : {"/api/v1/agency/collections", "/api/v1/agency/collections.csv"}) {
      auto refused = as_finance(api + c.query);
      EXPECT_EQ(refused.status, 422) << refused.body;
      EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
      EXPECT_NE(refused.body.find("\"code\":\"" + c.code + "\""), std::string::npos)
          << refused.body;
    }
    auto page = finance->get("/agency/collections" + c.query);
    EXPECT_EQ(page.status, 422);
    EXPECT_NE(page.body.find("error-summary"), std::string::npos);
    EXPECT_NE(page.body.find(c.thai), std::string::npos) << page.body;
    EXPECT_EQ(page.body.find("<svg"), std::string::npos) << "no figures for a range not read";
    // The form again, to correct it.
    EXPECT_NE(page.body.find("data-collections-range"), std::string::npos);
  }
}

PRATU_INSTANTIATE_ENGINE_TESTS(CollectionsIT);

}  // namespace
}  // namespace pratu::test
