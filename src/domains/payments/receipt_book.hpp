#pragma once
/// Receipts (docs/payments.md, "Receipts"; docs/adr/0027, 0033): every payment gets one,
/// numbered per agency, Thai fiscal year and book, with no gap and no repeat: in the transaction
/// that records the payment, or, for a bank's confirmation, soon after its commit with the
/// others waiting (number_all_waiting); the documents module issues it as a signed PDF/A-3
/// from the outbox under that number (platform::ReceiptSource). A receipt is never edited: a
/// cancelled one keeps its number and says why.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "domains/payments/bill.hpp"
#include "domains/payments/bill_repository.hpp"
#include "platform/billing.hpp"
#include "platform/receipts.hpp"
#include "platform/services.hpp"
#include "storage/database.hpp"
#include "web/context.hpp"

namespace pratu::payments {

/// The receipt book of a payment's source: "001" for money through a bank (its confirmation or
/// its statement), "002" for money taken at the agency's counter.
std::string_view receipt_book(std::string_view source);

/// A receipt's number: the agency's code in capitals, the fiscal year, the book and the
/// sequence in six digits: "BMA-2570-001-000001".
std::string receipt_number(std::string_view agency, int fiscal_year, std::string_view book,
                           std::int64_t sequence);

/// A receipt as the receipts table keeps it.
struct Receipt {
  std::int64_t id = 0;
  std::string number;
  std::int64_t payment_id = 0;
  std::int64_t bill_id = 0;
  std::string agency;
  int fiscal_year = 0;
  std::string book;
  std::int64_t amount_satang = 0;
  std::int64_t issued_at = 0;
  std::int64_t cancelled_at = 0;  // 0: not cancelled
  std::string cancel_reason;
  std::string cancel_purpose;    // a cancelled one's: see CancelPurpose
  std::int64_t replaces_id = 0;  // a replacement's: the receipt it replaces
  std::string replaces;          // and its number
};

/// When a payment's receipt takes its number.
enum class Numbering {
  now,           // in the payment's transaction, which holds the agency's counter row to its end
  after_commit,  // queued in receipts_to_number, numbered with the others waiting soon after
  queued,        // the same, queued already by the statement that recorded the payment
};

/// Records the payment of `bill` (already marked paid in `c`'s transaction): the payment row,
/// its receipt (numbered, and queued for the documents module to issue), the holder's notice,
/// and the application's move out of the billing state through `paid_bills`. Returns the
/// receipt, its `id` 0: the row is written with the commit.
Result<Receipt> settle(storage::Connection& c, const Bill& bill, repository::Payment payment,
                       platform::PaidBills* paid_bills, std::int64_t now);
/// The same for a payment already recorded as `payment_id`; with Numbering::after_commit the
/// receipt returned has no number yet.
Result<Receipt> settle_recorded(storage::Connection& c, const Bill& bill, std::int64_t payment_id,
                                const repository::Payment& payment, platform::PaidBills* paid_bills,
                                std::int64_t now, Numbering numbering);

/// Numbers the receipts of the first `limit` payments waiting in receipts_to_number, in `c`'s
/// transaction: each book's counter taken once for all of its receipts, in the order the
/// payments were recorded; each receipt written, queued for the documents module to issue, and
/// its payment's row removed, as it is read. Of several transactions at once, each payment is
/// numbered by one (PostgreSQL: the others wait on the rows it removes and find them gone). How
/// many it numbered.
Result<std::size_t> number_waiting(storage::Connection& c, std::size_t limit, std::int64_t now);
/// Payments number_all_waiting numbers in one transaction at most.
inline constexpr std::size_t kNumberingBatch = 500;
/// Numbers every receipt waiting, kNumberingBatch to a transaction (housekeeping, every
/// `payments.numbering_poll_seconds`): how many.
Result<std::size_t> number_all_waiting(storage::Database& db, const Clock& clock);

/// The bank's payments waiting for their receipt's number, and when the oldest was recorded
/// (0 when none wait): what /metrics shows of the numbering.
struct WaitingReceipts {
  std::int64_t count = 0;
  std::int64_t oldest_recorded_at = 0;
};
Result<WaitingReceipts> waiting_receipts(storage::Connection& c);

/// Why a finance officer cancels a receipt (docs/payments.md, "Correcting a receipt"), with
/// ETDA's purpose code: `withdrawn` (RCTC03: the money given back, or the receipt void) ends it;
/// `wrong_name` (RCTC01) and `other` (RCTC99) replace it with a new receipt for the same
/// payment, which draws the payer's name afresh. (A receipt shows no address: ETDA's RCTC02,
/// a wrong address, has no use.)
enum class CancelPurpose { withdrawn, wrong_name, other };
/// The purpose named `key` ("wrong_name"), if there is one.
std::optional<CancelPurpose> cancel_purpose_named(std::string_view key);
std::string_view cancel_purpose_key(CancelPurpose purpose);
/// ETDA's PurposeCode for a receipt cancelled with `purpose`: "RCTC01".
std::string_view etda_purpose_code(CancelPurpose purpose);

/// The receipt of bill `bill_id` in force, if it was paid: its latest (a cancelled one when it
/// was not replaced).
Result<std::optional<Receipt>> receipt_of_bill(storage::Connection& c, std::int64_t bill_id);
/// The receipt numbered `number`.
Result<std::optional<Receipt>> receipt_by_number(storage::Connection& c, std::string_view number);

/// Cancels receipt `number` of `agency` for `purpose` with `reason`, by `user_id`, at `now`.
/// not_found when the agency has no such receipt; conflict when it was cancelled already.
Result<Receipt> cancel_receipt(storage::Connection& c, std::string_view agency,
                               std::string_view number, CancelPurpose purpose,
                               std::string_view reason, std::int64_t user_id, std::int64_t now);

/// Numbers a new receipt for the payment of `cancelled` (just cancelled in `c`'s transaction)
/// that replaces it: the next number of its book in the fiscal year of `now`, queued for the
/// documents module to issue. Returns the replacement, its `id` 0.
Result<Receipt> replace_receipt(storage::Connection& c, const Receipt& cancelled, std::int64_t now);

/// What the documents module draws a receipt from.
class ReceiptBook final : public platform::ReceiptSource {
 public:
  /// The services whose workflow bills (set while the modules prepare).
  void set_services(std::vector<std::string> services) { services_billed_ = std::move(services); }

  std::vector<std::string> receipted_services() const override { return services_billed_; }
  Result<platform::ReceiptContent> receipt(storage::Connection& c,
                                           std::string_view number) const override;

 private:
  std::vector<std::string> services_billed_;
};

}  // namespace pratu::payments

namespace pratu::payments {

/// A payment taken at the agency's counter, as the cashier records it.
struct CounterPayment {
  std::string method;     // "cash" | "cheque" | "card"
  std::string reference;  // the cheque's number or the card slip's approval code; cash: empty
  std::int64_t amount_satang = 0;  // what was taken: must be the bill's total
};

/// A receipt cancelled, and the receipt that replaced it (empty `number` when none did).
struct Cancellation {
  Receipt cancelled;
  Receipt replacement;
};

/// One payment a cashier took at the counter, for their day's takings.
struct CounterTaking {
  std::int64_t recorded_at = 0;
  std::int64_t amount_satang = 0;
  std::string method;     // cash | cheque | card
  std::string reference;  // the cheque's number or the card's approval code
  std::string bill;       // the bill's public id
  std::string ref1;
  std::string receipt;  // its number
  bool cancelled = false;
};

/// The agency's counter and finance side (docs/adr/0028): a cashier (an officer or supervisor
/// of the bill's agency with the cashier duty) records money taken at the counter, which pays
/// the bill and gets a receipt from book 002; a finance officer cancels a receipt with a
/// reason, which verification then shows, and which replaces it unless it was withdrawn.
class ReceiptDesk {
 public:
  /// `services` finds platform::PaidBills and platform::IssuedDocuments when they are needed.
  ReceiptDesk(storage::Database& db, const Clock& clock, const platform::Services& services)
      : db_(db), clock_(clock), services_(services) {}

  /// Pays bill `bill` (its public id, awaiting, of `who`'s agency) at the counter. not_found
  /// for a bill of another agency; invalid_input for a bad method, a missing reference or an
  /// amount that is not the bill's total; conflict when it is no longer awaiting.
  Result<Receipt> take(const web::Principal& who, std::string_view bill,
                       const CounterPayment& payment);

  /// The agency whose receipt `number` is; not_found when there is none.
  Result<std::string> agency_of(std::string_view number);

  /// Cancels receipt `number` of `who`'s agency for `purpose` (a CancelPurpose's key) with
  /// `reason` (1-500 characters), and replaces it unless it was withdrawn.
  /// invalid_input for an unknown purpose or a missing or long reason.
  Result<Cancellation> cancel(const web::Principal& who, std::string_view number,
                              std::string_view purpose, std::string_view reason);

  /// What `who` took at the counter from `from` (included) to `to` (excluded), in seconds,
  /// oldest first: their own payments only, at most `limit`.
  Result<std::vector<CounterTaking>> takings(const web::Principal& who, std::int64_t from,
                                             std::int64_t to, int limit);

 private:
  storage::Database& db_;
  const Clock& clock_;
  const platform::Services& services_;
};

}  // namespace pratu::payments
