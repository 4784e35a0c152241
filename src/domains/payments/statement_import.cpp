#include "domains/payments/statement_import.hpp"

#include <boost/json.hpp>

#include "common/civil_date.hpp"
#include "crypto/digest.hpp"
#include "domains/payments/bill_repository.hpp"
#include "domains/payments/receipt_book.hpp"
#include "domains/payments/statement_file.hpp"
#include "platform/billing.hpp"
#include "platform/notices.hpp"
#include "web/access.hpp"

namespace pratu::payments {

namespace {

// The agency's finance officers import its statements and resolve what did not match
// (docs/adr/0028).
bool keeps_books(const web::Principal& who) {
  return web::works_for_agency(who.role) && who.has(web::Duty::finance);
}

using storage::Row;

constexpr const char* kLineColumns =
    "l.id, l.sequence, l.payment_date, l.paid_at, l.ref1, l.ref2, l.amount_satang, l.kind, "
    "l.channel, COALESCE(b.public_id, ''), l.outcome, COALESCE(l.reason, ''), "
    "COALESCE(l.resolution, '')";

StatementLineView line_of(const Row& r) {
  return {r.int64(0), r.int64(1), r.text(2), r.int64(3), r.text(4),  r.text(5), r.int64(6),
          r.text(7),  r.text(8),  r.text(9), r.text(10), r.text(11), r.text(12)};
}

StatementImportView import_of(const Row& r) {
  StatementImportView v;
  v.id = r.int64(0);
  v.sha256 = r.text(1);
  v.agency = r.text(2);
  v.bank_code = r.text(3);
  v.company_account = r.text(4);
  v.imported_at = r.int64(5);
  v.line_count = r.int64(6);
  v.credit_satang = r.int64(7);
  v.matched = r.int64(8);
  v.exceptions = r.int64(9);
  return v;
}

constexpr const char* kImportColumns =
    "id, sha256, agency, bank_code, company_account, imported_at, line_count, credit_satang, "
    "matched, exceptions";

Result<std::optional<StatementImportView>> read_import(storage::Connection& c,
                                                       const std::string& where,
                                                       std::vector<storage::Value> params) {
  PRATU_TRY(row, c.query_one(std::string("SELECT ") + kImportColumns +
                                 " FROM statement_imports WHERE " + where,
                             params));
  if (!row) return std::optional<StatementImportView>{};
  StatementImportView v = import_of(*row);
  PRATU_TRY(rows, c.query(std::string("SELECT ") + kLineColumns +
                              " FROM statement_lines l LEFT JOIN bills b ON b.id = l.bill_id "
                              "WHERE l.import_id = $1 ORDER BY l.id",
                          {v.id}));
  for (const Row& r : rows) v.lines.push_back(line_of(r));
  return std::optional<StatementImportView>(std::move(v));
}

// Pays `bill` (awaiting) with a statement line's money, tells the holder and moves the
// application on, in `c`.
Result<void> pay_by_statement(storage::Connection& c, const Bill& bill, std::int64_t amount,
                              std::int64_t paid_at, const std::string& channel,
                              const std::string& bank, std::int64_t now,
                              platform::PaidBills* paid_bills) {
  PRATU_TRY(marked, repository::mark_paid(c, bill.id, now));
  if (!marked) {
    return Error{
        ErrorCode::conflict, "payments.exceptions.changed", "bill " + bill.public_id, {}, 0};
  }
  repository::Payment payment;
  payment.amount_satang = amount;
  payment.paid_at = paid_at;
  payment.channel = channel;
  payment.source = "statement";
  payment.bank = bank;
  PRATU_CHECK(settle(c, bill, std::move(payment), paid_bills, now));
  return ok();
}

// How a member of staff is named on the agency's pages: their name, else their email (as
// accounts' display name); empty when the person is no longer recorded.
std::string staff_name(const std::string& given, const std::string& family,
                       const std::string& email) {
  if (given.empty() && family.empty()) return email;
  if (given.empty() || family.empty()) return given + family;
  return given + " " + family;
}

Error statement_refused(const StatementError& e) {
  Error out = e.to_error();
  return out;
}

}  // namespace

StatementImports::StatementImports(storage::Database& db, const Clock& clock,
                                   const Billers& billers, const platform::Services& paid_bills)
    : db_(db), clock_(clock), billers_(billers), services_(paid_bills) {}

Result<StatementImportView> StatementImports::import(const web::Principal& who,
                                                     std::string_view bytes) {
  if (!keeps_books(who) || who.agency_code.empty()) {
    return Error{ErrorCode::forbidden, "errors.pages.forbidden.message", "not agency staff", {}, 0};
  }
  auto biller = billers_.find(who.agency_code);
  if (biller == billers_.end()) {
    return Error{ErrorCode::invalid_input,
                 "payments.statement.no_account",
                 "agency " + who.agency_code + " has no collection account",
                 {},
                 0};
  }
  auto parsed = parse_statement_file(bytes);
  if (!parsed) return statement_refused(parsed.error());
  const StatementFile& file = *parsed;
  const std::string sha256 = crypto::sha256_hex(bytes);
  const std::int64_t now = clock_.now_seconds();
  auto* paid_bills = services_.find<platform::PaidBills>();

  StatementImportView out;
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(earlier, read_import(c, "sha256 = $1", {sha256}));
    if (earlier) {
      out = std::move(*earlier);
      out.already = true;
      return ok();
    }
    PRATU_TRY(inserted,
              c.query_one("INSERT INTO statement_imports (sha256, agency, bank_code, "
                          "company_account, imported_by, imported_at, line_count, credit_satang, "
                          "matched, exceptions) VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, 0) "
                          "RETURNING id",
                          {sha256, who.agency_code, file.bank_code, file.company_account,
                           who.user_id, now}));
    if (!inserted) return Error::internal("statement_imports insert returned no id");
    const std::int64_t import_id = inserted->int64(0);
    std::int64_t lines = 0, credit = 0, matched = 0, exceptions = 0;
    for (const StatementDay& day : file.days) {
      for (const StatementLine& line : day.lines) {
        ++lines;
        const std::int64_t paid_at = paid_at_epoch_seconds(line);
        std::string outcome = "exception", reason;
        std::int64_t bill_id = 0;
        if (line.kind == TransactionKind::debit) {
          reason = "debit";
        } else {
          credit += line.amount_satang;
          PRATU_TRY(bill, repository::by_reference(c, biller->second.biller_id(), line.ref1));
          if (bill) bill_id = bill->id;
          if (!bill) {
            reason = "unknown_bill";
          } else if (bill->status == BillStatus::cancelled) {
            reason = "cancelled_bill";
          } else if (line.ref2 != bill->ref2) {
            reason = "wrong_reference";
          } else if (line.amount_satang < bill->total_satang) {
            reason = "underpaid";
          } else if (line.amount_satang > bill->total_satang) {
            reason = "overpaid";
          } else if (bill->status == BillStatus::paid) {
            // The money for a payment already recorded, unless a line already brought it.
            PRATU_TRY(seen, c.query_one("SELECT COUNT(*) FROM statement_lines WHERE bill_id = $1 "
                                        "AND outcome IN ('matched', 'paid')",
                                        {bill->id}));
            if (seen && seen->int64(0) > 0) {
              reason = "paid_twice";
            } else {
              outcome = "matched";
            }
          } else if (iso_date(line.payment_date) > bill->due_date) {
            reason = "late";
          } else {
            // No confirmation came: the bank's file is its word that the bill was paid.
            PRATU_CHECK(pay_by_statement(c, *bill, line.amount_satang, paid_at,
                                         line.transaction_code, file.bank_code, now, paid_bills));
            outcome = "paid";
          }
        }
        if (outcome == "exception") ++exceptions;
        else ++matched;
        PRATU_CHECK(c.execute(
            "INSERT INTO statement_lines (import_id, sequence, payment_date, paid_at, ref1, ref2, "
            "amount_satang, kind, channel, bill_id, outcome, reason) VALUES ($1, $2, $3, $4, $5, "
            "$6, $7, $8, $9, $10, $11, $12)",
            {import_id, line.sequence, iso_date(line.payment_date), paid_at, line.ref1, line.ref2,
             line.amount_satang, std::string(1, static_cast<char>(line.kind)),
             line.transaction_code,
             bill_id == 0 ? storage::Value{nullptr} : storage::Value{bill_id}, outcome,
             reason.empty() ? storage::Value{nullptr} : storage::Value{reason}}));
      }
    }
    PRATU_CHECK(
        c.execute("UPDATE statement_imports SET line_count = $1, credit_satang = $2, "
                  "matched = $3, exceptions = $4 WHERE id = $5",
                  {lines, credit, matched, exceptions, import_id}));
    PRATU_TRY(stored, read_import(c, "id = $1", {import_id}));
    if (!stored) return Error::internal("statement import vanished");
    out = std::move(*stored);
    return ok();
  });
  if (!written) return written.error();
  return out;
}

Result<StatementImportView> StatementImports::find(const web::Principal& who, std::int64_t id) {
  PRATU_TRY(found, db_.read_value<std::optional<StatementImportView>>([&](storage::Connection& c) {
    return read_import(c, "id = $1 AND agency = $2", {id, who.agency_code});
  }));
  if (!found || who.agency_code.empty() || !keeps_books(who)) {
    return Error::not_found("statement import " + std::to_string(id));
  }
  return std::move(*found);
}

Result<std::vector<StatementImportSummary>> StatementImports::recent(const web::Principal& who,
                                                                     int limit) {
  std::vector<StatementImportSummary> out;
  if (!keeps_books(who) || who.agency_code.empty() || limit <= 0) return out;
  PRATU_CHECK(db_.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(rows, c.query("SELECT i.id, i.imported_at, u.given_name, u.family_name, u.email, "
                            "i.bank_code, i.company_account, i.line_count, i.credit_satang, "
                            "(SELECT COUNT(*) FROM statement_lines l WHERE l.import_id = i.id AND "
                            "l.outcome = 'matched'), "
                            "(SELECT COUNT(*) FROM statement_lines l WHERE l.import_id = i.id AND "
                            "l.outcome = 'paid'), i.exceptions, "
                            "(SELECT COUNT(*) FROM statement_lines l WHERE l.import_id = i.id AND "
                            "l.outcome = 'exception' AND l.resolution IS NULL) "
                            "FROM statement_imports i LEFT JOIN users u ON u.id = i.imported_by "
                            "WHERE i.agency = $1 ORDER BY i.imported_at DESC, i.id DESC LIMIT " +
                                std::to_string(limit),
                            {who.agency_code}));
    for (const Row& r : rows) {
      StatementImportSummary s;
      s.id = r.int64(0);
      s.imported_at = r.int64(1);
      s.imported_by = staff_name(r.text(2), r.text(3), r.text(4));
      s.bank_code = r.text(5);
      s.company_account = r.text(6);
      s.line_count = r.int64(7);
      s.credit_satang = r.int64(8);
      s.matched = r.int64(9);
      s.paid = r.int64(10);
      s.exceptions = r.int64(11);
      s.open_exceptions = r.int64(12);
      out.push_back(std::move(s));
    }
    return ok();
  }));
  return out;
}

Result<std::vector<SettledLineView>> StatementImports::recently_settled(const web::Principal& who,
                                                                        int limit) {
  std::vector<SettledLineView> out;
  if (!keeps_books(who) || who.agency_code.empty() || limit <= 0) return out;
  PRATU_CHECK(db_.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(
        rows,
        c.query(std::string("SELECT ") + kLineColumns +
                    ", l.resolution_note, u.given_name, u.family_name, u.email, l.resolved_at "
                    "FROM statement_lines l JOIN statement_imports i ON i.id = "
                    "l.import_id LEFT JOIN bills b ON b.id = l.bill_id LEFT JOIN users "
                    "u ON u.id = l.resolved_by WHERE i.agency = $1 AND l.resolution "
                    "IS NOT NULL ORDER BY l.resolved_at DESC, l.id DESC LIMIT " +
                    std::to_string(limit),
                {who.agency_code}));
    for (const Row& r : rows) {
      SettledLineView s;
      s.line = line_of(r);
      s.note = r.text(13);
      s.resolved_by = staff_name(r.text(14), r.text(15), r.text(16));
      s.resolved_at = r.int64(17);
      out.push_back(std::move(s));
    }
    return ok();
  }));
  return out;
}

Result<std::vector<StatementLineView>> StatementImports::open_exceptions(
    const web::Principal& who) {
  std::vector<StatementLineView> out;
  if (!keeps_books(who) || who.agency_code.empty()) return out;
  PRATU_CHECK(db_.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(rows, c.query(std::string("SELECT ") + kLineColumns +
                                " FROM statement_lines l JOIN statement_imports i ON i.id = "
                                "l.import_id LEFT JOIN bills b ON b.id = l.bill_id WHERE i.agency "
                                "= $1 AND l.outcome = 'exception' AND l.resolution IS NULL ORDER "
                                "BY l.id LIMIT 500",
                            {who.agency_code}));
    for (const Row& r : rows) out.push_back(line_of(r));
    return ok();
  }));
  return out;
}

Result<StatementLineView> StatementImports::resolve(const web::Principal& who, std::int64_t line,
                                                    const Resolution& resolution) {
  if (!keeps_books(who) || who.agency_code.empty()) {
    return Error::not_found("statement line");
  }
  std::vector<FieldError> problems;
  if (resolution.action != "refund" && resolution.action != "ask_balance" &&
      resolution.action != "accept") {
    problems.push_back({"action", "payments.exceptions.action_unknown"});
  }
  if (resolution.note.size() > 2000) {
    problems.push_back({"note", "payments.exceptions.note_too_long"});
  } else if (resolution.action == "refund" && resolution.note.empty()) {
    problems.push_back({"note", "payments.exceptions.note_required"});
  }
  if (!problems.empty()) return Error::invalid(std::move(problems));
  const std::int64_t now = clock_.now_seconds();
  auto* paid_bills = services_.find<platform::PaidBills>();
  StatementLineView out;
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(row, c.query_one(std::string("SELECT ") + kLineColumns +
                                   ", i.bank_code, COALESCE(l.bill_id, 0) FROM statement_lines l "
                                   "JOIN statement_imports i ON i.id = l.import_id LEFT JOIN bills "
                                   "b ON b.id = l.bill_id WHERE l.id = $1 AND i.agency = $2",
                               {line, who.agency_code}));
    if (!row || row->text(10) != "exception") return Error::not_found("statement line");
    StatementLineView found = line_of(*row);
    if (!found.resolution.empty()) {
      return Error{ErrorCode::conflict, "payments.exceptions.resolved", found.resolution, {}, 0};
    }
    if (resolution.action == "ask_balance" && found.reason != "underpaid") {
      return Error::invalid({{"action", "payments.exceptions.balance_only_underpaid"}});
    }
    if (resolution.action == "accept" && (found.reason == "overpaid" || found.reason == "late" ||
                                          found.reason == "wrong_reference")) {
      PRATU_TRY(bill, repository::by_public_id(c, found.bill));
      if (bill && bill->status == BillStatus::awaiting) {
        PRATU_CHECK(pay_by_statement(c, *bill, found.amount_satang, found.paid_at, found.channel,
                                     row->text(13), now, paid_bills));
      }
    }
    PRATU_CHECK(c.execute(
        "UPDATE statement_lines SET resolution = $1, resolution_note = $2, "
        "resolved_by = $3, resolved_at = $4 WHERE id = $5 AND resolution IS NULL",
        {resolution.action,
         resolution.note.empty() ? storage::Value{nullptr} : storage::Value{resolution.note},
         who.user_id, now, line}));
    found.resolution = resolution.action;
    out = std::move(found);
    return ok();
  });
  if (!written) return written.error();
  return out;
}

}  // namespace pratu::payments
