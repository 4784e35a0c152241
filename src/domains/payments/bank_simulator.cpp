#include "domains/payments/bank_simulator.hpp"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <memory>

#include "common/civil_date.hpp"
#include "domains/payments/bank_confirmation.hpp"
#include "domains/payments/bill_repository.hpp"
#include "domains/payments/statement_file.hpp"
#include "web/dates.hpp"

namespace pratu::payments {

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

std::string confirmation_body(const std::string& transaction_id, const std::string& biller_id,
                              const std::string& ref1, const std::string& ref2,
                              std::int64_t amount_satang, std::int64_t paid_at,
                              const std::string& channel) {
  return boost::json::serialize(
      boost::json::object{{"bank_transaction_id", transaction_id},
                          {"biller_id", biller_id},
                          {"ref1", ref1},
                          {"ref2", ref2},
                          {"amount", format_confirmation_amount(amount_satang)},
                          {"paid_at", web::iso_date_time(paid_at)},
                          {"channel", channel}});
}

Result<BankAnswer> simulate_payment(storage::Database& db, const Clock& clock, Random& random,
                                    const SimulatedPayment& payment) {
  std::optional<Bill> bill;
  std::optional<repository::BankConnection> bank;
  std::size_t same_ref1 = 0;  // Ref. 1 is unique per agency only
  PRATU_CHECK(db.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(by_id, repository::by_public_id(c, payment.bill));
    if (by_id) {
      bill = std::move(by_id);
    } else {
      PRATU_TRY(rows, c.query("SELECT public_id FROM bills WHERE ref1 = $1", {payment.bill}));
      same_ref1 = rows.size();
      if (rows.size() == 1) {
        PRATU_TRY(found, repository::by_public_id(c, rows[0].text(0)));
        bill = std::move(found);
      }
    }
    PRATU_TRY(found_bank, repository::bank(c, payment.bank));
    bank = std::move(found_bank);
    return {};
  }));
  if (!bank) return Error::not_found("no bank connection " + payment.bank);
  if (same_ref1 > 1) {
    return Error{ErrorCode::invalid_input,
                 "errors.invalid_input",
                 "Ref. 1 " + payment.bill + " is the number of bills of " +
                     std::to_string(same_ref1) + " agencies: give the bill's id",
                 {},
                 0};
  }
  if (!bill) return Error::not_found("no bill " + payment.bill);

  BankAnswer answer;
  answer.transaction_id =
      payment.transaction_id.empty() ? "SIM" + random.token(8) : payment.transaction_id;
  const std::int64_t now = clock.now_seconds();
  const std::string body = confirmation_body(
      answer.transaction_id, bill->biller_id, bill->ref1, bill->ref2,
      payment.amount_satang < 0 ? bill->total_satang : payment.amount_satang, now, payment.channel);
  const auto signature =
      sign_confirmation(bank->secret, std::chrono::sys_seconds{std::chrono::seconds{now}}, body);

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error::unavailable("bank-simulator: curl_easy_init failed");
  const std::string url = payment.url + "/api/v1/banks/" + payment.bank + "/confirmations";
  curl_slist* headers = nullptr;
  const std::string timestamp = std::string(kTimestampHeader) + ": " + signature.timestamp;
  const std::string signed_by = std::string(kSignatureHeader) + ": " + signature.signature;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, timestamp.c_str());
  headers = curl_slist_append(headers, signed_by.c_str());
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  const CURLcode result = curl_easy_perform(h);
  curl_slist_free_all(headers);
  if (result != CURLE_OK) {
    return Error::unavailable(std::string("bank-simulator: ") + curl_easy_strerror(result));
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

Result<std::string> simulated_statement(storage::Database& db, const std::string& bank,
                                        const std::string& agency, const std::string& day) {
  const auto date = parse_iso_date(day);
  if (!date) return Error::invalid({{"date", "errors.invalid_input"}});
  // The day in Bangkok, as epoch seconds.
  const std::int64_t start = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::sys_days(*date).time_since_epoch())
                                 .count() -
                             7 * 3600;
  StatementFile file;
  file.bank_code = "999";
  file.company_account = "0000000000";
  StatementDay statement_day;
  statement_day.company_name = "PRATU " + agency;
  statement_day.effective_date = *date;
  statement_day.service_code = "0001";
  PRATU_CHECK(db.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(rows, c.query("SELECT b.ref1, b.ref2, p.amount_satang, p.paid_at, p.channel "
                            "FROM payments p JOIN bills b ON b.id = p.bill_id WHERE p.bank = $1 "
                            "AND p.source = 'bank' AND b.agency = $2 AND p.paid_at >= $3 AND "
                            "p.paid_at < $4 ORDER BY p.paid_at, p.id",
                            {bank, agency, start, start + 86400}));
    for (const auto& r : rows) {
      StatementLine line;
      const std::int64_t local = r.int64(3) + 7 * 3600;
      line.payment_date = *date;
      line.payment_time = std::chrono::seconds(local - (start + 7 * 3600));
      line.customer_name = "PRATU BANK SIMULATOR";
      line.ref1 = r.text(0);
      line.ref2 = r.text(1);
      line.branch = "0001";
      line.teller = "SIM ";
      line.kind = TransactionKind::credit;
      line.transaction_code = r.text(4).substr(0, 3);
      line.amount_satang = r.int64(2);
      statement_day.lines.push_back(std::move(line));
    }
    return ok();
  }));
  file.days.push_back(std::move(statement_day));
  number_and_total(file);
  auto written = write_statement_file(file);
  if (!written) return written.error().to_error();
  return std::move(*written);
}

}  // namespace pratu::payments
