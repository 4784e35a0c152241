#pragma once
/// Bills between the module that holds applications and the module that takes payments
/// (docs/adr/0026). The applications module works a bill's lines out from the service's fees
/// and the answers, and opens it through `Billing` in the transaction of the step that enters
/// a billing state; the payments module numbers it, shows it, takes the bank's confirmation
/// and, in the transaction that records the payment, tells the applications module through
/// `PaidBills`, which takes the state's system transition. PaidBills is offered while the
/// modules prepare, Billing when they start; each is looked up when first needed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::platform {

/// One line of a bill, in satang.
struct BillLineSpec {
  std::string code;
  std::string label_th, label_en;
  std::int64_t unit_satang = 0;
  std::int64_t quantity = 1;
  std::string unit_th, unit_en;  // empty for a flat fee
  std::int64_t amount_satang = 0;
  bool stamp_duty = false;
  int item = 0;  // the repeating group's item it charges for, from 1; 0: none
};

/// What a new bill is for and what it charges.
struct BillSpec {
  std::int64_t application_id = 0;
  std::string application;  // its public id
  std::string reference;    // its reference number
  std::string service;
  std::string agency;
  std::string state;  // the workflow state that bills
  std::int64_t holder_user_id = 0;
  std::vector<BillLineSpec> lines;
  std::string due_date;  // YYYY-MM-DD, Thailand's last day to pay
};

/// A bill as an application's page shows it.
struct BillSummary {
  std::string id;      // its public id: /bills/{id}
  std::string status;  // "awaiting" | "paid" | "cancelled"
  std::int64_t total_satang = 0;
  std::string due_date;
  std::int64_t paid_at = 0;  // 0 unless paid
};

class Billing {
 public:
  static constexpr const char* kServiceName = "platform::Billing";
  virtual ~Billing() = default;
  /// Opens a bill of at least one line, coming to more than nothing, in `c`'s transaction.
  virtual Result<BillSummary> open(storage::Connection& c, const BillSpec& spec,
                                   std::int64_t now) = 0;
  /// The bills of an application (its public id), the newest first, read in `c`.
  virtual Result<std::vector<BillSummary>> of_application(storage::Connection& c,
                                                          std::string_view application) = 0;
  /// The same, read on its own.
  virtual Result<std::vector<BillSummary>> bills_of(std::string_view application) = 0;
};

/// A service whose workflow bills, and the states that do.
struct BillingService {
  std::string service;
  std::vector<std::string> states;
};

/// The payment that moves an application on, as the step's notice tells the applicant: one
/// notice for one event, in place of a separate one from the payments module (ADR 0034).
struct PaymentNews {
  std::string bill;  // its public id
  std::int64_t amount_satang = 0;
};

class PaidBills {
 public:
  static constexpr const char* kServiceName = "platform::PaidBills";
  virtual ~PaidBills() = default;
  /// The services whose workflow bills (known while the modules prepare).
  virtual std::vector<BillingService> billing_services() const = 0;
  /// In the transaction that records the payment of the bill an application (its public id)
  /// of `service` was billed in `state`: takes the state's system transition if the
  /// application is still there (true), its notice telling the applicant of `payment` too; else
  /// changes nothing (false: it moved on meanwhile, e.g. withdrawn, and the payer tells the
  /// applicant).
  virtual Result<bool> paid(storage::Connection& c, std::string_view application,
                            std::string_view service, std::string_view state,
                            const PaymentNews& payment, std::int64_t now) = 0;
};

}  // namespace pratu::platform
