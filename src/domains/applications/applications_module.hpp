#pragma once
/// Applications as a module: each service's form (services/<agency>/<slug>/form.yaml), read
/// while the modules prepare, earns the service its e-Form; applicants fill it in, and the API
/// serves its definition, its workflow's and the template of the document it issues.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/shared_calendar.hpp"
#include "domains/applications/application_service.hpp"
#include "domains/applications/document_template.hpp"
#include "domains/applications/fee_rules.hpp"
#include "domains/applications/form.hpp"
#include "domains/applications/thai_address.hpp"
#include "domains/applications/workflow.hpp"
#include "platform/module.hpp"

namespace pratu::applications {

class ApplicationBills;

class ApplicationApi;
class ApplicationDocuments;
class ApplicationHandlers;
class DashboardHandlers;
class HolidayHandlers;
class HolidayService;
class MessageService;
class UploadApi;
class UploadService;
class WalletHandlers;
class WorkflowService;
class WorkflowApi;

class ApplicationsModule final : public platform::Module {
 public:
  ApplicationsModule();
  ~ApplicationsModule() override;
  std::string_view name() const override { return "applications"; }
  std::vector<platform::SettingsSection> settings() override;
  /// Reads every service's form, workflow and document template; a problem in any stops the
  /// start, naming file, line and place. Each form read earns its service the "e_form"
  /// criterion.
  Result<void> prepare(platform::Shared& shared) override;
  /// Loads the Thai address book and the holiday file (a problem in either stops the start),
  /// copies the file's years the database lacks into it and loads the calendar from there,
  /// serialises the forms and builds the applicant's pages.
  Result<void> start(platform::Shared& shared) override;
  web::Routes routes() override;
  std::vector<platform::PeriodicTask> housekeeping() override;

  /// The forms read, by service slug.
  const std::map<std::string, Form, std::less<>>& forms() const { return forms_; }
  const Workflows& workflows() const { return workflows_; }
  /// The document templates read, by service slug: the services that issue a document.
  const DocumentTemplates& document_templates() const { return documents_; }
  /// Each service's fees, checked against its form (docs/adr/0026).
  const std::map<std::string, FeeRules, std::less<>>& fee_rules() const { return fee_rules_; }

 private:
  ApplicationsSettings settings_;
  std::optional<ThaiAddressBook> addresses_;
  // The working-day calendar the services count with, replaced as the holidays change; it
  // outlives every service below, which hold it by reference.
  SharedCalendar calendar_;
  std::unique_ptr<HolidayService> holidays_;
  std::unique_ptr<HolidayHandlers> holiday_handlers_;
  std::map<std::string, Form, std::less<>> forms_;
  std::map<std::string, std::string, std::less<>> form_json_;  // serialised, by slug
  Workflows workflows_;                                        // by slug: the services with a form
  std::map<std::string, std::string, std::less<>> workflow_json_;  // serialised, by slug
  DocumentTemplates documents_;  // by slug: the services that issue a document
  std::map<std::string, FeeRules, std::less<>> fee_rules_;         // by slug: every service's fees
  std::map<std::string, std::string, std::less<>> document_json_;  // serialised, by slug
  std::unique_ptr<ApplicationDocuments> document_source_;  // offered to the documents module
  std::unique_ptr<ApplicationBills> bills_;                // offered to the payments module
  std::unique_ptr<ApplicationService> service_;
  std::unique_ptr<ApplicationHandlers> handlers_;
  std::unique_ptr<ApplicationApi> api_;
  std::unique_ptr<UploadService> uploads_;
  std::unique_ptr<UploadApi> upload_api_;
  std::unique_ptr<WalletHandlers> wallet_handlers_;
  std::unique_ptr<WorkflowService> workflow_service_;
  std::unique_ptr<MessageService> messages_;
  std::unique_ptr<WorkflowApi> workflow_api_;
  std::unique_ptr<DashboardHandlers> dashboard_handlers_;
  // The JSON Schema of each form's answers, serialised, by slug.
  std::map<std::string, std::string, std::less<>> form_schema_;
};

}  // namespace pratu::applications
