#pragma once
/// Receipts between the module that takes payments and the module that issues signed documents
/// (docs/adr/0027). The payments module numbers a receipt in the transaction that records the
/// payment (per agency, Thai fiscal year and book, with no gap) and queues a
/// `documents.issue_receipt` outbox row there; the documents module draws it as PDF/A-3 with its
/// data embedded as XML, signs and timestamps it like a licence, keeps it under that number and
/// checks it at /verify. ReceiptSource is offered by the payments module while the modules
/// prepare.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "platform/billing.hpp"
#include "storage/database.hpp"

namespace pratu::platform {

/// Everything a receipt shows, as the payments module keeps it.
struct ReceiptContent {
  std::string number;         // BMA-2570-001-000001: agency, fiscal year, book, sequence
  int fiscal_year = 0;        // Buddhist era, named by the year it ends (1 Oct - 30 Sep)
  std::string book;           // "001": paid through a bank, "002": at the agency's counter
  std::string agency;         // the agency's code
  std::string agency_tax_id;  // 13 digits: the tax ID of the agency's collection account
  std::string service;        // the service's slug
  std::int64_t application_id = 0;
  std::string application;  // its public id
  std::string reference;    // its reference number
  std::int64_t holder_user_id = 0;
  std::string payer_name;  // the account holder's name; empty when not known
  std::string payer_id;    // their citizen id; empty when not known
  std::string bill;        // the bill's public id
  std::string ref1, ref2;  // the bill's references
  std::vector<BillLineSpec> lines;
  std::int64_t total_satang = 0;
  std::int64_t paid_at = 0;  // when the payer paid (the bank's or the cashier's time)
  std::string source;        // "bank" | "statement" | "cashier"
  std::string channel;       // the bank's channel code, or the cashier's method: cash, cheque, card
  std::string bank;          // the bank connection's code; empty at the counter
  std::string transaction_id;  // the bank's, or the cheque's number; may be empty
  bool cancelled = false;      // cancelled since: issued, then marked cancelled
  std::string cancel_reason;
  std::int64_t cancelled_at = 0;
  std::int64_t issued_at = 0;  // when it was numbered: the payment recorded, or the replacement
  // A replacement (docs/payments.md, "Correcting a receipt"): the receipt it replaces, that
  // one's issue date as its XML gives it, and why it was cancelled: ETDA's PurposeCode (RCTC01
  // wrong name, RCTC99 other), the purpose's key and the finance
  // officer's words. All empty for an original.
  std::string replaces;
  std::int64_t replaces_issued_at = 0;
  std::string purpose_code;
  std::string purpose_key;
  std::string purpose;
  std::string replaced_by;  // a cancelled receipt's replacement; empty when none
};

class ReceiptSource {
 public:
  static constexpr const char* kServiceName = "platform::ReceiptSource";
  virtual ~ReceiptSource() = default;
  /// The agencies' services whose workflow bills, so receipts are issued for them.
  virtual std::vector<std::string> receipted_services() const = 0;
  /// The receipt numbered `number`, read in `c`; not_found when there is none.
  virtual Result<ReceiptContent> receipt(storage::Connection& c, std::string_view number) const = 0;
};

/// The outbox topic whose rows ask for a receipt to be issued; the payload names it by its
/// number: {"receipt": "BMA-2570-001-000001"}.
inline constexpr std::string_view kIssueReceiptTopic = "documents.issue_receipt";

}  // namespace pratu::platform
