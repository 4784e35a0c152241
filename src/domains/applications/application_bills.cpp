#include "domains/applications/application_bills.hpp"

#include "domains/applications/workflow_service.hpp"

namespace pratu::applications {

std::vector<platform::BillingService> ApplicationBills::billing_services() const {
  std::vector<platform::BillingService> out;
  for (const auto& [slug, workflow] : workflows_) {
    platform::BillingService billing;
    for (const WorkflowState& state : workflow.states) {
      if (state.bill) billing.states.push_back(state.id);
    }
    if (billing.states.empty()) continue;
    billing.service = slug;
    out.push_back(std::move(billing));
  }
  return out;
}

Result<bool> ApplicationBills::paid(storage::Connection& c, std::string_view application,
                                    std::string_view service, std::string_view state,
                                    const platform::PaymentNews& payment, std::int64_t now) {
  if (service_ == nullptr) return Error::unavailable("applications: not started");
  return service_->take_system_step(c, application, state, now, &payment, service);
}

}  // namespace pratu::applications
