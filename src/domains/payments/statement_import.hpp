#pragma once
/// An agency's import of its bank's daily statement file (docs/payments.md, docs/adr/0026,
/// shared/reference/payments.md §1.7): read whole or refused at its first problem, imported
/// once (its SHA-256), and every line matched to one of the agency's bills by Ref. 1:
///   matched   the bill was paid by the bank's confirmation (or a cashier), and this line is
///             the money for it;
///   paid      the bill was awaiting and no confirmation came: the statement is the bank's
///             word, so the line pays it and the application moves on;
///   exception for an officer: unknown_bill, cancelled_bill, wrong_reference, underpaid,
///             overpaid, paid_twice, late (paid after the last day), debit (a D line).
/// Every line is kept with its outcome; nothing is deleted.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "domains/payments/billers.hpp"
#include "platform/services.hpp"
#include "storage/database.hpp"
#include "web/context.hpp"

namespace pratu::payments {

struct StatementLineView {
  std::int64_t id = 0;
  std::int64_t sequence = 0;
  std::string payment_date;
  std::int64_t paid_at = 0;
  std::string ref1, ref2;
  std::int64_t amount_satang = 0;
  std::string kind;  // "C" | "D"
  std::string channel;
  std::string bill;  // the bill's public id; empty when none matched
  std::string outcome;
  std::string reason;
  std::string resolution;
};

struct StatementImportView {
  std::int64_t id = 0;
  std::string sha256;
  std::string agency;
  std::string bank_code;
  std::string company_account;
  std::int64_t imported_at = 0;
  std::int64_t line_count = 0;
  std::int64_t credit_satang = 0;
  std::int64_t matched = 0;
  std::int64_t exceptions = 0;
  bool already = false;  // this file was imported before: nothing changed
  std::vector<StatementLineView> lines;
};

/// One import as the agency's list shows it: no lines, who imported it, its lines by outcome.
struct StatementImportSummary {
  std::int64_t id = 0;
  std::int64_t imported_at = 0;
  std::string imported_by;  // their name, else their email; empty when no longer recorded
  std::string bank_code;
  std::string company_account;
  std::int64_t line_count = 0;
  std::int64_t credit_satang = 0;
  std::int64_t matched = 0;          // outcome matched
  std::int64_t paid = 0;             // outcome paid
  std::int64_t exceptions = 0;       // outcome exception
  std::int64_t open_exceptions = 0;  // of those, not yet settled
};

/// An exception line once settled: how, why, by whom and when.
struct SettledLineView {
  StatementLineView line;
  std::string note;
  std::string resolved_by;  // their name, else their email; empty when no longer recorded
  std::int64_t resolved_at = 0;
};

class StatementImports {
 public:
  StatementImports(storage::Database& db, const Clock& clock, const Billers& billers,
                   const platform::Services& paid_bills);

  /// Imports `bytes` for `who`'s agency (its staff only: forbidden otherwise). invalid_input
  /// with key payments.statement.<code> and the line and field in the detail for a file that
  /// cannot be read; the import as it stands, `already` when the same file came before.
  Result<StatementImportView> import(const web::Principal& who, std::string_view bytes);
  /// Import `id` with its lines, if it is `who`'s agency's.
  Result<StatementImportView> find(const web::Principal& who, std::int64_t id);
  /// `who`'s agency's most recent imports, newest first, at most `limit`.
  Result<std::vector<StatementImportSummary>> recent(const web::Principal& who, int limit = 50);
  /// `who`'s agency's settled exception lines, most recently settled first, at most `limit`.
  Result<std::vector<SettledLineView>> recently_settled(const web::Principal& who, int limit = 50);
  /// The agency's lines still waiting for an officer, oldest first.
  Result<std::vector<StatementLineView>> open_exceptions(const web::Principal& who);

  /// How an officer settles an exception.
  struct Resolution {
    std::string action;  // "refund" | "ask_balance" | "accept"
    std::string note;    // why; required for a refund
  };
  /// Settles exception line `line` of `who`'s agency, recording who and when (not_found for
  /// another agency's or no such line; conflict, payments.exceptions.resolved, once settled;
  /// invalid_input with the field at fault). `accept` of an overpaid, late or wrong-reference
  /// line whose bill still awaits pays the bill with the line's money and moves the application
  /// on; `ask_balance` is for an underpaid line; every action keeps the line as it was.
  Result<StatementLineView> resolve(const web::Principal& who, std::int64_t line,
                                    const Resolution& resolution);

 private:
  storage::Database& db_;
  const Clock& clock_;
  const Billers& billers_;
  const platform::Services& services_;
};

}  // namespace pratu::payments
