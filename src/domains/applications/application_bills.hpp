#pragma once
/// The applications module's side of bills (platform/billing.hpp, docs/adr/0026): which
/// services bill in which states, and, when the payments module records a payment, the step
/// out of the billing state, taken in the payment's transaction.

#include <vector>

#include "domains/applications/workflow.hpp"
#include "platform/billing.hpp"

namespace pratu::applications {

class WorkflowService;

class ApplicationBills final : public platform::PaidBills {
 public:
  explicit ApplicationBills(const Workflows& workflows) : workflows_(workflows) {}
  /// From start on: the service that takes the steps.
  void use(WorkflowService& workflows) { service_ = &workflows; }

  std::vector<platform::BillingService> billing_services() const override;
  Result<bool> paid(storage::Connection& c, std::string_view application, std::string_view service,
                    std::string_view state, const platform::PaymentNews& payment,
                    std::int64_t now) override;

 private:
  const Workflows& workflows_;
  WorkflowService* service_ = nullptr;
};

}  // namespace pratu::applications
