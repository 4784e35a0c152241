#include "app/modules.hpp"

#include "domains/accounts/accounts_module.hpp"
#include "domains/applications/applications_module.hpp"
#include "domains/catalog/catalog_module.hpp"
#include "domains/documents/documents_module.hpp"
#include "domains/feedback/feedback_module.hpp"
#include "domains/notifications/notifications_module.hpp"
#include "domains/payments/payments_module.hpp"

namespace pratu::app {

Modules modules() {
  Modules m;
  // Adding a domain: one line here, in an order where each module comes after what it uses.
  m.push_back(std::make_unique<catalog::CatalogModule>());
  m.push_back(std::make_unique<accounts::AccountsModule>());
  m.push_back(std::make_unique<feedback::FeedbackModule>());
  m.push_back(std::make_unique<applications::ApplicationsModule>());
  m.push_back(std::make_unique<notifications::NotificationsModule>());
  m.push_back(std::make_unique<payments::PaymentsModule>());
  m.push_back(std::make_unique<documents::DocumentsModule>());
  return m;
}

std::vector<platform::SettingsSection> settings_of(const Modules& modules) {
  std::vector<platform::SettingsSection> out;
  for (const auto& module : modules) {
    for (auto& section : module->settings()) out.push_back(std::move(section));
  }
  return out;
}

}  // namespace pratu::app
