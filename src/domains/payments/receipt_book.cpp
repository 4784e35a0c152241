#include "domains/payments/receipt_book.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>
#include <cstdio>
#include <map>
#include <tuple>

#include "common/civil_date.hpp"
#include "common/unicode_text.hpp"
#include "platform/issued_documents.hpp"
#include "platform/notices.hpp"
#include "platform/outbox.hpp"
#include "web/access.hpp"

namespace pratu::payments {

namespace {

using storage::Row;
using storage::Value;

constexpr const char* kReceiptColumns =
    "id, number, payment_id, bill_id, agency, fiscal_year, book, amount_satang, issued_at, "
    "cancelled_at, cancel_reason, cancel_purpose, replaces_id, "
    "(SELECT o.number FROM receipts o WHERE o.id = receipts.replaces_id)";

Receipt receipt_of(const Row& r) {
  Receipt out;
  out.id = r.int64(0);
  out.number = r.text(1);
  out.payment_id = r.int64(2);
  out.bill_id = r.int64(3);
  out.agency = r.text(4);
  out.fiscal_year = static_cast<int>(r.int64(5));
  out.book = r.text(6);
  out.amount_satang = r.int64(7);
  out.issued_at = r.int64(8);
  out.cancelled_at = r.int64(9);
  out.cancel_reason = r.text(10);
  out.cancel_purpose = r.text(11);
  out.replaces_id = r.int64(12);
  out.replaces = r.text(13);
  return out;
}

// Takes `count` numbers of `agency`'s book in `fiscal_year`: the last of them. The counter row
// stays locked until `c`'s transaction ends, so numbers are taken only with their receipts.
Result<std::int64_t> take_numbers(storage::Connection& c, const std::string& agency,
                                  int fiscal_year, const std::string& book, std::int64_t count) {
  PRATU_TRY(last, c.query_one("INSERT INTO receipt_sequences (agency, fiscal_year, book, last) "
                              "VALUES ($1, $2, $3, $4) ON CONFLICT (agency, fiscal_year, book) "
                              "DO UPDATE SET last = receipt_sequences.last + $4 RETURNING last",
                              {agency, std::int64_t{fiscal_year}, book, count}));
  if (!last) return Error::internal("receipt_sequences upsert returned no row");
  return last->int64(0);
}

// Writes `receipt` as number `sequence` of its book and queues its issue. The receipt and its
// outbox row go with the next statement or the commit (PostgreSQL's pipeline, one statement);
// its id is not read back (0 here).
Result<void> write_and_queue(storage::Connection& c, Receipt& receipt, std::int64_t sequence) {
  receipt.number = receipt_number(receipt.agency, receipt.fiscal_year, receipt.book, sequence);
  return platform::outbox::defer_with_outbox(
      c,
      "INSERT INTO receipts (number, payment_id, bill_id, agency, fiscal_year, book, sequence, "
      "amount_satang, issued_at, replaces_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {receipt.number, receipt.payment_id, receipt.bill_id, receipt.agency,
       std::int64_t{receipt.fiscal_year}, receipt.book, sequence, receipt.amount_satang,
       receipt.issued_at, receipt.replaces_id == 0 ? Value{nullptr} : Value{receipt.replaces_id}},
      {std::string(platform::kIssueReceiptTopic)},
      boost::json::serialize(boost::json::object{{"receipt", receipt.number}}), receipt.issued_at);
}

// The receipt of payment `payment_id` of bill `bill_id`, before its number: the fiscal year of
// the Thai day it was paid, the book of its source, and what the bill charged (money over it,
// an overpayment accepted, is settled apart).
Receipt unnumbered_receipt(std::int64_t payment_id, std::int64_t bill_id, std::string agency,
                           std::int64_t paid_at, std::string_view source, std::int64_t total_satang,
                           std::int64_t now) {
  Receipt receipt;
  receipt.payment_id = payment_id;
  receipt.bill_id = bill_id;
  receipt.agency = std::move(agency);
  receipt.fiscal_year = thai_fiscal_year(thai_date(paid_at));
  receipt.book = std::string(receipt_book(source));
  receipt.amount_satang = total_satang;
  receipt.issued_at = now;
  return receipt;
}

// Takes the next number of `receipt`'s agency, fiscal year and book, writes it and queues its
// issue: in the transaction of `c`, which holds the counter row until it ends.
Result<void> number_and_queue(storage::Connection& c, Receipt& receipt) {
  PRATU_TRY(last, take_numbers(c, receipt.agency, receipt.fiscal_year, receipt.book, 1));
  return write_and_queue(c, receipt, last);
}

Result<std::optional<Receipt>> one_receipt(storage::Connection& c, const char* where,
                                           std::vector<Value> params) {
  PRATU_TRY(row,
            c.query_one(std::string("SELECT ") + kReceiptColumns + " FROM receipts WHERE " + where,
                        params));
  if (!row) return std::optional<Receipt>{};
  return std::optional<Receipt>(receipt_of(*row));
}

}  // namespace

std::string_view receipt_book(std::string_view source) {
  return source == "cashier" ? "002" : "001";
}

std::string receipt_number(std::string_view agency, int fiscal_year, std::string_view book,
                           std::int64_t sequence) {
  std::string out;
  for (char ch : agency) out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  char digits[32];
  std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(sequence));
  return out + "-" + std::to_string(fiscal_year) + "-" + std::string(book) + "-" + digits;
}

Result<Receipt> settle(storage::Connection& c, const Bill& bill, repository::Payment payment,
                       platform::PaidBills* paid_bills, std::int64_t now) {
  if (paid_bills == nullptr) return Error::unavailable("payments: no module moves applications");
  payment.bill_id = bill.id;
  payment.recorded_at = now;
  PRATU_TRY(payment_id, repository::insert_payment(c, payment));
  return settle_recorded(c, bill, payment_id, payment, paid_bills, now, Numbering::now);
}

Result<Receipt> settle_recorded(storage::Connection& c, const Bill& bill, std::int64_t payment_id,
                                const repository::Payment& payment, platform::PaidBills* paid_bills,
                                std::int64_t now, Numbering numbering) {
  if (paid_bills == nullptr) return Error::unavailable("payments: no module moves applications");
  // The application's step tells the applicant of the payment in its own notice (ADR 0034).
  PRATU_TRY(moved, paid_bills->paid(c, bill.application, bill.service, bill.state,
                                    platform::PaymentNews{bill.public_id, bill.total_satang}, now));
  if (!moved) {
    // No longer in the billing state (withdrawn meanwhile): it stays where it is, and the
    // applicant is told of the payment alone.
    boost::json::object told{
        {"user_id", bill.holder_user_id}, {"application", bill.application},
        {"reference", bill.reference},    {"service", bill.service},
        {"bill", bill.public_id},         {"amount_satang", bill.total_satang}};
    PRATU_CHECK(platform::notify(c, "payments.paid", told, now, platform::kPortalOnly));
  }

  Receipt receipt = unnumbered_receipt(payment_id, bill.id, bill.agency, payment.paid_at,
                                       payment.source, bill.total_satang, now);
  if (numbering == Numbering::queued) return receipt;
  if (numbering == Numbering::after_commit) {
    // Numbered with the others waiting after this commits (number_all_waiting): the agency's
    // counter row is not locked here, so the agency's payments commit side by side.
    PRATU_CHECK(c.defer("INSERT INTO receipts_to_number (payment_id) VALUES ($1)", {payment_id}));
    return receipt;
  }
  // Numbered here, last, in the payment's transaction: a rolled-back payment takes no number,
  // and the agency's counter row stays locked from here to the commit.
  PRATU_CHECK(number_and_queue(c, receipt));
  return receipt;
}

Result<std::size_t> number_waiting(storage::Connection& c, std::size_t limit, std::int64_t now) {
  const bool postgres = c.dialect() == storage::Dialect::postgres;
  // PostgreSQL: taken off the queue as they are read, in one statement. A batch of another
  // node at once waits on the rows this one deletes and then skips them, gone: each payment is
  // numbered once. A rollback puts them back. SQLite has one writer: nothing joins the queue
  // between the read and the DELETE.
  const std::string query =
      std::string(postgres ? "WITH w AS (DELETE FROM receipts_to_number WHERE payment_id IN "
                             "(SELECT payment_id FROM receipts_to_number ORDER BY payment_id "
                             "LIMIT $1) RETURNING payment_id) "
                           : "") +
      "SELECT w.payment_id, p.bill_id, b.agency, p.paid_at, p.source, b.total_satang FROM " +
      (postgres ? "w" : "receipts_to_number w") +
      " JOIN payments p ON p.id = w.payment_id JOIN bills b ON b.id = p.bill_id "
      "ORDER BY w.payment_id" +
      (postgres ? "" : " LIMIT $1");
  PRATU_TRY(rows, c.query(query, {static_cast<std::int64_t>(limit)}));
  if (rows.empty()) return std::size_t{0};
  if (!postgres) {
    // The first rows in order, so exactly those up to the last read.
    PRATU_CHECK(
        c.defer("DELETE FROM receipts_to_number WHERE payment_id <= $1", {rows.back().int64(0)}));
  }
  // The counters are taken after, in the order of their keys.
  std::map<std::tuple<std::string, int, std::string>, std::vector<Receipt>> books;
  for (const Row& r : rows) {
    Receipt receipt = unnumbered_receipt(r.int64(0), r.int64(1), r.text(2), r.int64(3), r.text(4),
                                         r.int64(5), now);
    books[{receipt.agency, receipt.fiscal_year, receipt.book}].push_back(std::move(receipt));
  }
  for (auto& [book, receipts] : books) {
    const auto& [agency, fiscal_year, series] = book;
    const auto count = static_cast<std::int64_t>(receipts.size());
    PRATU_TRY(last, take_numbers(c, agency, fiscal_year, series, count));
    std::int64_t sequence = last - count;
    for (Receipt& receipt : receipts) {  // in the order the payments were recorded
      PRATU_CHECK(write_and_queue(c, receipt, ++sequence));
    }
  }
  return rows.size();
}

Result<std::size_t> number_all_waiting(storage::Database& db, const Clock& clock) {
  std::size_t numbered = 0;
  for (;;) {
    PRATU_TRY(batch,
              db.write_value<std::size_t>([&](storage::Connection& c) -> Result<std::size_t> {
                return number_waiting(c, kNumberingBatch, clock.now_seconds());
              }));
    numbered += batch;
    if (batch < kNumberingBatch) return numbered;
  }
}

Result<WaitingReceipts> waiting_receipts(storage::Connection& c) {
  PRATU_TRY(row, c.query_one("SELECT COUNT(*), COALESCE(MIN(p.recorded_at), 0) FROM "
                             "receipts_to_number w JOIN payments p ON p.id = w.payment_id"));
  WaitingReceipts out;
  if (row) out = {row->int64(0), row->int64(1)};
  return out;
}

Result<std::optional<Receipt>> receipt_of_bill(storage::Connection& c, std::int64_t bill_id) {
  return one_receipt(c, "bill_id = $1 ORDER BY id DESC LIMIT 1", {bill_id});
}

Result<std::optional<Receipt>> receipt_by_number(storage::Connection& c, std::string_view number) {
  return one_receipt(c, "number = $1", {std::string(number)});
}

std::optional<CancelPurpose> cancel_purpose_named(std::string_view key) {
  for (CancelPurpose p :
       {CancelPurpose::withdrawn, CancelPurpose::wrong_name, CancelPurpose::other}) {
    if (cancel_purpose_key(p) == key) return p;
  }
  return std::nullopt;
}

std::string_view cancel_purpose_key(CancelPurpose purpose) {
  switch (purpose) {
    case CancelPurpose::withdrawn: return "withdrawn";
    case CancelPurpose::wrong_name: return "wrong_name";
    case CancelPurpose::other: return "other";
  }
  return "other";
}

std::string_view etda_purpose_code(CancelPurpose purpose) {
  switch (purpose) {
    case CancelPurpose::wrong_name: return "RCTC01";
    case CancelPurpose::withdrawn: return "RCTC03";
    case CancelPurpose::other: return "RCTC99";
  }
  return "RCTC99";
}

Result<Receipt> cancel_receipt(storage::Connection& c, std::string_view agency,
                               std::string_view number, CancelPurpose purpose,
                               std::string_view reason, std::int64_t user_id, std::int64_t now) {
  PRATU_TRY(found, receipt_by_number(c, number));
  if (!found || found->agency != agency) {
    return Error{ErrorCode::not_found, "payments.receipt.not_found", std::string(number), {}, 0};
  }
  PRATU_TRY(changed,
            c.execute("UPDATE receipts SET cancelled_at = $1, cancelled_by = $2, "
                      "cancel_reason = $3, cancel_purpose = $4 "
                      "WHERE id = $5 AND cancelled_at IS NULL",
                      {now, user_id == 0 ? Value{nullptr} : Value{user_id}, std::string(reason),
                       std::string(cancel_purpose_key(purpose)), found->id}));
  if (changed != 1) {
    return Error{
        ErrorCode::conflict, "payments.receipt.already_cancelled", std::string(number), {}, 0};
  }
  found->cancelled_at = now;
  found->cancel_reason = std::string(reason);
  found->cancel_purpose = std::string(cancel_purpose_key(purpose));
  return *found;
}

Result<Receipt> replace_receipt(storage::Connection& c, const Receipt& cancelled,
                                std::int64_t now) {
  Receipt out;
  out.payment_id = cancelled.payment_id;
  out.bill_id = cancelled.bill_id;
  out.agency = cancelled.agency;
  // A new document of today: its fiscal year's book, which may be the next year's.
  out.fiscal_year = thai_fiscal_year(thai_date(now));
  out.book = cancelled.book;
  out.amount_satang = cancelled.amount_satang;
  out.issued_at = now;
  out.replaces_id = cancelled.id;
  out.replaces = cancelled.number;
  PRATU_CHECK(number_and_queue(c, out));
  return out;
}

Result<platform::ReceiptContent> ReceiptBook::receipt(storage::Connection& c,
                                                      std::string_view number) const {
  PRATU_TRY(
      row, c.query_one("SELECT r.number, r.fiscal_year, r.book, r.agency, r.amount_satang, "
                       "r.cancelled_at, r.cancel_reason, b.public_id, p.paid_at, p.source, "
                       "p.channel, p.bank, p.transaction_id, p.method_reference, u.given_name, "
                       "u.family_name, u.national_id, r.issued_at, o.number, "
                       "CASE WHEN o.replaces_id IS NULL THEN p.paid_at ELSE o.issued_at END, "
                       "o.cancel_purpose, o.cancel_reason, n.number FROM receipts r "
                       "JOIN payments p ON p.id = r.payment_id JOIN bills b ON b.id = r.bill_id "
                       "LEFT JOIN users u ON u.id = b.holder_user_id "
                       "LEFT JOIN receipts o ON o.id = r.replaces_id "
                       "LEFT JOIN receipts n ON n.replaces_id = r.id AND n.replaces_id IS NOT NULL "
                       "WHERE r.number = $1",
                       {std::string(number)}));
  if (!row) {
    return Error{ErrorCode::not_found, "payments.receipt.not_found", std::string(number), {}, 0};
  }
  PRATU_TRY(bill, repository::by_public_id(c, row->text(7)));
  if (!bill) return Error::internal("receipt " + std::string(number) + " has no bill");
  platform::ReceiptContent out;
  out.number = row->text(0);
  out.fiscal_year = static_cast<int>(row->int64(1));
  out.book = row->text(2);
  out.agency = row->text(3);
  out.total_satang = row->int64(4);
  out.cancelled = row->int64(5) != 0;
  out.cancelled_at = row->int64(5);
  out.cancel_reason = row->text(6);
  out.bill = bill->public_id;
  out.paid_at = row->int64(8);
  out.source = row->text(9);
  out.channel = row->text(10);
  out.bank = row->text(11);
  out.transaction_id = row->text(12).empty() ? row->text(13) : row->text(12);
  std::string name = row->text(14);
  if (!row->text(15).empty()) name += (name.empty() ? "" : " ") + row->text(15);
  out.payer_name = std::move(name);
  out.payer_id = row->text(16);
  out.issued_at = row->int64(17);
  if (!row->is_null(18)) {
    out.replaces = row->text(18);
    out.replaces_issued_at = row->int64(19);
    out.purpose_key = row->text(20);
    if (auto purpose = cancel_purpose_named(out.purpose_key)) {
      out.purpose_code = std::string(etda_purpose_code(*purpose));
    }
    out.purpose = row->text(21);
  }
  out.replaced_by = row->text(22);
  out.service = bill->service;
  out.application_id = bill->application_id;
  out.application = bill->application;
  out.reference = bill->reference;
  out.holder_user_id = bill->holder_user_id;
  // Tag 30's biller ID is the collection account's tax ID and a two-digit suffix.
  if (bill->biller_id.size() == 15) out.agency_tax_id = bill->biller_id.substr(0, 13);
  out.ref1 = bill->ref1;
  out.ref2 = bill->ref2;
  out.lines = bill->lines;
  return out;
}

namespace {

constexpr std::size_t kMaxReason = 500;
constexpr std::size_t kMaxMethodReference = 40;

// The agency's cashiers take money at its counter (docs/adr/0028).
bool is_cashier_of(const web::Principal& who, std::string_view agency) {
  return web::works_for_agency(who.role) && who.has(web::Duty::cashier) &&
         who.agency_code == agency;
}

}  // namespace

Result<Receipt> ReceiptDesk::take(const web::Principal& who, std::string_view bill_id,
                                  const CounterPayment& counter) {
  std::vector<FieldError> problems;
  if (counter.method != "cash" && counter.method != "cheque" && counter.method != "card") {
    problems.push_back({"method", "payments.counter.method"});
  }
  auto reference = nfc_trimmed(counter.reference);
  if (!reference || code_point_count(*reference) > kMaxMethodReference) {
    problems.push_back({"reference", "payments.counter.reference_too_long"});
  } else if (counter.method != "cash" && reference->empty()) {
    problems.push_back({"reference", "payments.counter.reference_required"});
  }
  if (!problems.empty()) return Error::invalid(std::move(problems));
  auto* paid_bills = services_.find<platform::PaidBills>();
  const std::int64_t now = clock_.now_seconds();
  Receipt out;
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(bill, repository::by_public_id(c, bill_id));
    if (!bill || !is_cashier_of(who, bill->agency)) {
      return Error::not_found("bill " + std::string(bill_id));
    }
    if (counter.amount_satang != bill->total_satang) {
      return Error::invalid({{"amount", "payments.counter.amount"}});
    }
    PRATU_TRY(marked, repository::mark_paid(c, bill->id, now));
    if (!marked) {
      return Error{ErrorCode::conflict, "payments.counter.not_awaiting", bill->public_id, {}, 0};
    }
    repository::Payment payment;
    payment.amount_satang = counter.amount_satang;
    payment.paid_at = now;
    payment.channel = counter.method;
    payment.source = "cashier";
    payment.cashier_user_id = who.user_id;
    payment.method_reference = *reference;
    PRATU_TRY(receipt, settle(c, *bill, std::move(payment), paid_bills, now));
    out = std::move(receipt);
    return ok();
  });
  if (!written) return written.error();
  return out;
}

Result<std::string> ReceiptDesk::agency_of(std::string_view number) {
  PRATU_TRY(found, db_.read_value<std::optional<Receipt>>(
                       [&](storage::Connection& c) { return receipt_by_number(c, number); }));
  if (!found) return Error{ErrorCode::not_found, "payments.receipt.not_found", "", {}, 0};
  return found->agency;
}

Result<Cancellation> ReceiptDesk::cancel(const web::Principal& who, std::string_view number,
                                         std::string_view purpose, std::string_view reason) {
  std::vector<FieldError> problems;
  auto why = cancel_purpose_named(purpose);
  if (!why) {
    problems.push_back({"purpose", purpose.empty() ? "payments.receipt.purpose_required"
                                                   : "payments.receipt.purpose_unknown"});
  }
  auto text = nfc_trimmed(reason);
  if (!text || text->empty()) {
    problems.push_back({"reason", "payments.receipt.reason_required"});
  } else if (code_point_count(*text) > kMaxReason) {
    problems.push_back({"reason", "payments.receipt.reason_too_long"});
  }
  if (!problems.empty()) return Error::invalid(std::move(problems));
  // Its finance officers cancel a receipt; anyone else finds none.
  if (!web::works_for_agency(who.role) || !who.has(web::Duty::finance)) {
    return Error::not_found("receipt");
  }
  auto* documents = services_.find<platform::IssuedDocuments>();
  const std::int64_t now = clock_.now_seconds();
  Cancellation out;
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    out = {};
    PRATU_TRY(cancelled, cancel_receipt(c, who.agency_code, number, *why, *text, who.user_id, now));
    // The signed file, if issued already, is marked cancelled in the same transaction; one
    // still being drawn is issued cancelled.
    if (documents != nullptr) PRATU_CHECK(documents->cancel_receipt(c, number, *text, now));
    // A wrong receipt is replaced in the same transaction: the payment is never without one.
    if (*why != CancelPurpose::withdrawn) {
      PRATU_TRY(replacement, replace_receipt(c, cancelled, now));
      out.replacement = std::move(replacement);
    }
    out.cancelled = std::move(cancelled);
    return ok();
  });
  if (!written) return written.error();
  return out;
}

Result<std::vector<CounterTaking>> ReceiptDesk::takings(const web::Principal& who,
                                                        std::int64_t from, std::int64_t to,
                                                        int limit) {
  std::vector<CounterTaking> out;
  if (!is_cashier_of(who, who.agency_code) || limit <= 0) return out;
  PRATU_CHECK(db_.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(rows, c.query("SELECT p.recorded_at, p.amount_satang, p.channel, "
                            "COALESCE(p.method_reference, ''), b.public_id, b.ref1, "
                            "COALESCE(r.number, ''), r.cancelled_at "
                            "FROM payments p JOIN bills b ON b.id = p.bill_id "
                            "LEFT JOIN receipts r ON r.id = (SELECT MAX(id) FROM receipts "
                            "WHERE bill_id = p.bill_id) "
                            "WHERE p.cashier_user_id = $1 AND p.source = 'cashier' "
                            "AND p.recorded_at >= $2 AND p.recorded_at < $3 "
                            "ORDER BY p.recorded_at, p.id LIMIT $4",
                            {who.user_id, from, to, std::int64_t{limit}}));
    for (const auto& row : rows) {
      out.push_back({row.int64(0), row.int64(1), row.text(2), row.text(3), row.text(4), row.text(5),
                     row.text(6), !row.is_null(7)});
    }
    return ok();
  }));
  return out;
}

}  // namespace pratu::payments
