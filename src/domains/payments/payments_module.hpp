#pragma once
/// Payments as a module (docs/adr/0026, docs/payments.md): bills opened when an application
/// enters a state its workflow bills in, shown with a Thai QR code to pay in any banking app,
/// paid by the bank's signed confirmation, which moves the application on; the agencies'
/// collection accounts (`payments.billers_file`); the banks that confirm, each with its
/// secret; and, for the demo and the tests, a bank simulator (`pratu bank-simulator pay`)
/// that pays a bill the way a bank would. It earns the level-2 criteria of the services it
/// bills for.

#include <memory>
#include <string>

#include "domains/payments/bank_commands.hpp"
#include "domains/payments/billers.hpp"
#include "domains/payments/receipt_book.hpp"
#include "platform/module.hpp"

namespace pratu::payments {

class BillService;
class CollectionHandlers;
class CollectionReports;
class CounterPage;
class ConfirmationService;
class FinancePages;
class PaymentHandlers;
class PaymentMetrics;
class StatementImports;

/// The `payments` configuration section.
struct PaymentsSettings {
  std::string billers_file = "config/billers.yaml";
  int confirmation_window_seconds = 300;     // how far a confirmation's timestamp may be from now
  int failed_confirmations_per_minute = 30;  // failed authentications one address may send
  int failed_confirmations_burst = 20;
  int numbering_poll_seconds = 1;  // how often the banks' payments' receipts are numbered
};

class PaymentsModule final : public platform::Module {
 public:
  std::string_view name() const override { return "payments"; }
  std::vector<platform::SettingsSection> settings() override;
  std::vector<platform::Command> add_commands(CLI::App& cli) override;
  Result<void> prepare(platform::Shared& shared) override;
  Result<void> start(platform::Shared& shared) override;
  Result<std::string> seed_demo(platform::Shared& shared) override;
  web::Routes routes() override;
  std::vector<platform::PeriodicTask> housekeeping() override;

  PaymentsModule();
  ~PaymentsModule() override;

 private:
  PaymentsSettings settings_;
  Billers billers_;
  std::unique_ptr<BillService> bills_;
  storage::Database* db_ = nullptr;  // set by start
  const Clock* clock_ = nullptr;
  std::unique_ptr<PaymentMetrics> metrics_;
  std::unique_ptr<ConfirmationService> confirmations_;
  std::unique_ptr<StatementImports> statements_;
  std::unique_ptr<PaymentHandlers> handlers_;
  std::unique_ptr<CollectionReports> collections_;
  std::unique_ptr<CollectionHandlers> collection_handlers_;
  std::unique_ptr<FinancePages> finance_pages_;
  std::unique_ptr<CounterPage> counter_page_;
  ReceiptBook receipts_;
  std::unique_ptr<ReceiptDesk> desk_;
  BankCommands bank_commands_;  // pratu bank ...
  // pratu bank-simulator pay
  std::string simulate_bill_;
  std::string simulate_url_;
  std::string simulate_bank_ = "sim";
  std::string simulate_amount_;
  std::string simulate_transaction_;
  // pratu bank-simulator statement
  std::string statement_agency_;
  std::string statement_date_;
  std::string statement_out_;
};

}  // namespace pratu::payments
