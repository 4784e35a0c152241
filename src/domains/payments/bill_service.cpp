#include "domains/payments/bill_service.hpp"

#include <algorithm>

#include "common/civil_date.hpp"
#include "domains/payments/bill_repository.hpp"
#include "domains/payments/thai_qr.hpp"
#include "web/access.hpp"

namespace pratu::payments {

namespace {

platform::BillSummary summary_of(const Bill& b) {
  return {b.public_id, std::string(bill_status_key(b.status)), b.total_satang, b.due_date,
          b.paid_at};
}

}  // namespace

bool may_see(const web::Principal& who, const Bill& bill) {
  if (who.role == web::Role::applicant) return who.user_id == bill.holder_user_id;
  // The agency's staff: its clerks too, who take and account for its money.
  return web::works_for_agency(who.role) && !who.agency_code.empty() &&
         who.agency_code == bill.agency;
}

BillService::BillService(storage::Database& db, const Clock& clock, Random& random,
                         const Billers& billers)
    : db_(db), clock_(clock), random_(random), billers_(billers) {}

Result<platform::BillSummary> BillService::open(storage::Connection& c,
                                                const platform::BillSpec& spec, std::int64_t now) {
  auto biller = billers_.find(spec.agency);
  if (biller == billers_.end()) {
    return Error::unavailable("payments: agency " + spec.agency + " has no biller account");
  }
  Bill b;
  b.public_id = random_.token(16);
  b.application_id = spec.application_id;
  b.application = spec.application;
  b.reference = spec.reference;
  b.service = spec.service;
  b.agency = spec.agency;
  b.state = spec.state;
  b.holder_user_id = spec.holder_user_id;
  b.biller_id = biller->second.biller_id();
  b.lines = spec.lines;
  for (const auto& line : b.lines) b.total_satang += line.amount_satang;
  if (b.lines.empty() || b.total_satang <= 0) {
    return Error::internal("payments: a bill of nothing for " + spec.application);
  }
  b.due_date = spec.due_date;
  b.status = BillStatus::awaiting;
  b.created_at = now;
  const int year = static_cast<int>(thai_date(now).year()) + 543;
  PRATU_TRY(sequence, repository::next_sequence(c, spec.agency, year));
  b.ref1 = bill_ref1(year, sequence);
  b.ref2 = bill_ref2(b.due_date);
  PRATU_TRY(id, repository::insert(c, b));
  b.id = id;
  return summary_of(b);
}

Result<std::vector<platform::BillSummary>> BillService::of_application(
    storage::Connection& c, std::string_view application) {
  PRATU_TRY(bills, repository::of_application(c, application));
  std::vector<platform::BillSummary> out;
  for (const Bill& b : bills) out.push_back(summary_of(b));
  return out;
}

Result<std::vector<platform::BillSummary>> BillService::bills_of(std::string_view application) {
  return db_.read_value<std::vector<platform::BillSummary>>(
      [&](storage::Connection& c) { return of_application(c, application); });
}

Result<BillView> BillService::find_for(const web::Principal& who, std::string_view public_id) {
  std::optional<Receipt> receipt;
  PRATU_TRY(found, db_.read_value<std::optional<Bill>>(
                       [&](storage::Connection& c) -> Result<std::optional<Bill>> {
                         PRATU_TRY(bill, repository::by_public_id(c, public_id));
                         if (bill && bill->status == BillStatus::paid) {
                           PRATU_TRY(paid, receipt_of_bill(c, bill->id));
                           receipt = std::move(paid);
                         }
                         return bill;
                       }));
  if (!found || !may_see(who, *found)) return Error::not_found("bill " + std::string(public_id));
  PRATU_TRY(out, view(std::move(*found)));
  out.receipt = std::move(receipt);
  return out;
}

Result<std::optional<std::string>> BillService::find_at_counter(const web::Principal& who,
                                                                const CounterLookup& asked) {
  auto biller = billers_.find(who.agency_code);
  if (asked.kind == CounterLookup::Kind::barcode) {
    // Only a barcode of the agency's own collection account names one of its bills.
    if (biller == billers_.end() || biller->second.biller_id() != asked.biller_id) {
      return std::optional<std::string>();
    }
    PRATU_TRY(found, db_.read_value<std::optional<Bill>>([&](storage::Connection& c) {
      return repository::by_reference(c, asked.biller_id, asked.ref1);
    }));
    if (!found || found->agency != who.agency_code) return std::optional<std::string>();
    return std::optional<std::string>(found->public_id);
  }
  const std::string& digits = asked.typed;
  const bool only_digits =
      std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (asked.kind != CounterLookup::Kind::typed || digits.empty() || digits.size() > 64 ||
      who.agency_code.empty()) {
    return std::optional<std::string>();
  }
  PRATU_TRY(found, db_.read_value<std::optional<Bill>>(
                       [&](storage::Connection& c) -> Result<std::optional<Bill>> {
                         if (only_digits && biller != billers_.end()) {
                           PRATU_TRY(by_ref1, repository::by_reference(
                                                  c, biller->second.biller_id(), digits));
                           if (by_ref1) return by_ref1;
                         }
                         return repository::by_public_id(c, digits);
                       }));
  if (!found || found->agency != who.agency_code) return std::optional<std::string>();
  return std::optional<std::string>(found->public_id);
}

Result<BillView> BillService::view(Bill bill) const {
  BillView out;
  auto biller = billers_.find(bill.agency);
  if (biller == billers_.end()) {
    return Error::unavailable("payments: agency " + bill.agency + " has no biller account");
  }
  out.biller = &biller->second;
  BillPayment payment;
  payment.biller_id = bill.biller_id;
  payment.ref1 = bill.ref1;
  payment.ref2 = bill.ref2;
  payment.amount_satang = bill.total_satang;
  // promptparse's order for bills (53 before 58), as the banks' own bill QR codes are written.
  payment.order = FieldOrder::currency_first;
  PRATU_TRY(payload, thai_qr_payload(payment));
  PRATU_TRY(barcode, bot_barcode_text(payment));
  out.qr_payload = std::move(payload);
  out.barcode = std::move(barcode);
  out.bill = std::move(bill);
  return out;
}

}  // namespace pratu::payments
