#pragma once
/// Bills: opened for the applications module (platform::Billing) in the transaction of the
/// step that enters a billing state, numbered per agency and Buddhist-era year, and shown to
/// the people who may see them: the applicant billed, and the staff of the billing agency.
/// For anyone else a bill is not found, whether or not it exists.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "domains/payments/bill.hpp"
#include "domains/payments/billers.hpp"
#include "domains/payments/counter_lookup.hpp"
#include "domains/payments/receipt_book.hpp"
#include "platform/billing.hpp"
#include "storage/database.hpp"
#include "web/context.hpp"

namespace pratu::payments {

/// What a bill's page and the API show of a bill: the bill, its biller and what to pay with.
struct BillView {
  Bill bill;
  const Biller* biller = nullptr;
  std::string qr_payload;          // Thai QR bill payment (tag 30) with the amount
  std::string barcode;             // the Bank of Thailand's bill-payment barcode text
  std::optional<Receipt> receipt;  // a paid bill's, read by find_for
};

class BillService final : public platform::Billing {
 public:
  BillService(storage::Database& db, const Clock& clock, Random& random, const Billers& billers);

  Result<platform::BillSummary> open(storage::Connection& c, const platform::BillSpec& spec,
                                     std::int64_t now) override;
  Result<std::vector<platform::BillSummary>> of_application(storage::Connection& c,
                                                            std::string_view application) override;
  Result<std::vector<platform::BillSummary>> bills_of(std::string_view application) override;

  /// The bill `public_id` if `who` may see it (its applicant, or staff of its agency).
  Result<BillView> find_for(const web::Principal& who, std::string_view public_id);

  /// The public id of the bill of `who`'s agency that `asked` names, as a cashier types it off
  /// a printed bill (its Ref. 1, spaces and dashes ignored, or its id) or scans its barcode (the
  /// agency's biller ID and a Ref. 1). nullopt when no bill of the agency has it, another
  /// agency's alike, and for a barcode's first part alone.
  Result<std::optional<std::string>> find_at_counter(const web::Principal& who,
                                                     const CounterLookup& asked);
  /// What a bill shows with its payment codes; for a bill already read.
  Result<BillView> view(Bill bill) const;

  const Billers& billers() const { return billers_; }

 private:
  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  const Billers& billers_;
};

/// Whether `who` may see `bill`: its applicant, or an officer, supervisor or finance officer of
/// its agency.
bool may_see(const web::Principal& who, const Bill& bill);

}  // namespace pratu::payments
