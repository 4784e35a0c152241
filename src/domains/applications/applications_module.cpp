#include "domains/applications/applications_module.hpp"

#include <boost/json/serialize.hpp>

#include <chrono>

#include "common/civil_date.hpp"
#include "common/log.hpp"
#include "domains/applications/application_api.hpp"
#include "domains/applications/application_bills.hpp"
#include "domains/applications/application_handlers.hpp"
#include "domains/applications/dashboard_handlers.hpp"
#include "domains/applications/document_content.hpp"
#include "domains/applications/document_loader.hpp"
#include "domains/applications/form_json.hpp"
#include "domains/applications/form_loader.hpp"
#include "domains/applications/form_schema.hpp"
#include "domains/applications/holiday_handlers.hpp"
#include "domains/applications/holiday_service.hpp"
#include "domains/applications/message_service.hpp"
#include "domains/applications/upload_api.hpp"
#include "domains/applications/wallet_handlers.hpp"
#include "domains/applications/workflow_api.hpp"
#include "domains/applications/workflow_loader.hpp"
#include "domains/applications/workflow_service.hpp"
#include "platform/holiday_file.hpp"
#include "platform/profile_directory.hpp"
#include "platform/service_directory.hpp"

namespace pratu::applications {

ApplicationsModule::ApplicationsModule() = default;
ApplicationsModule::~ApplicationsModule() = default;

Result<void> ApplicationsModule::prepare(platform::Shared& shared) {
  PRATU_TRY(directory, shared.services.need<platform::ServiceDirectory>("the applications module"));
  PRATU_TRY(forms, load_forms(*directory));
  forms_ = std::move(forms);
  PRATU_TRY(workflows, load_workflows(*directory, forms_));
  workflows_ = std::move(workflows);
  PRATU_TRY(fee_rules, load_fee_rules(*directory, forms_));
  fee_rules_ = std::move(fee_rules);
  PRATU_TRY(documents, load_document_templates(*directory, forms_, workflows_));
  documents_ = std::move(documents);
  for (const auto& [slug, form] : forms_) shared.earned.earn(slug, "e_form", name());
  // A template earns nothing here: the documents module, which issues and signs, earns the
  // level-3 criteria of the services it issues for.
  document_source_ = std::make_unique<ApplicationDocuments>(documents_, forms_);
  PRATU_CHECK(shared.services.offer<platform::DocumentSource>(name(), *document_source_));
  bills_ = std::make_unique<ApplicationBills>(workflows_);
  PRATU_CHECK(shared.services.offer<platform::PaidBills>(name(), *bills_));
  return ok();
}

std::vector<platform::SettingsSection> ApplicationsModule::settings() {
  using platform::integer;
  using platform::text;
  auto& s = settings_;
  return {
      {"applications",
       {text("address_data", "Directory of Thailand's provinces, districts and subdistricts (TSV)",
             s.address_data),
        text("holidays",
             "The government's holidays (YAML), copied at start for each year the database lacks",
             s.holidays),
        integer("keep_draft_days", "Days an untouched draft is kept before it may be deleted",
                s.keep_draft_days, 90, 3650),
        integer("warn_days", "Days before deleting a draft that its applicant is told", s.warn_days,
                1, 60),
        integer("max_drafts", "Drafts one applicant may hold at once", s.max_drafts, 1, 1000),
        integer("upload_max_mib", "The largest upload accepted, in MiB (Tus-Max-Size)",
                s.upload_max_mib, 1, 4096),
        integer("upload_pdf_max_mib", "The largest PDF kept, in MiB", s.upload_pdf_max_mib, 1,
                4096),
        integer("upload_image_max_mib", "The largest JPEG or PNG kept, in MiB",
                s.upload_image_max_mib, 1, 4096),
        integer("max_open_uploads", "Unfinished uploads one applicant may hold at once",
                s.max_open_uploads, 1, 1000),
        integer("open_uploads_max_mib",
                "What one applicant's unfinished uploads may declare in all, in MiB",
                s.open_uploads_max_mib, 1, 65536),
        integer("upload_expiry_hours", "Hours after it began that an unfinished upload is removed",
                s.upload_expiry_hours, 1, 720),
        integer("upload_chunk_mib",
                "MiB a page sends in one upload request; 0 sends each file whole (set it under "
                "a proxy that limits request bodies)",
                s.upload_chunk_mib, 0, 4096),
        text("qpdf", "The qpdf program, which checks every PDF uploaded", s.qpdf)},
       {}}};
}

Result<void> ApplicationsModule::start(platform::Shared& shared) {
  if (shared.renderer == nullptr)
    return Error::internal("applications: started without a renderer");
  PRATU_TRY(directory, shared.services.need<platform::ServiceDirectory>("the applications module"));
  PRATU_TRY(profiles, shared.services.need<platform::ProfileDirectory>("the applications module"));
  PRATU_TRY(addresses, ThaiAddressBook::load(settings_.address_data));
  addresses_ = std::move(addresses);
  // The holiday file seeds the calendar in the database: a year it has and the database lacks
  // is copied in; the administrators' changes to the years there win (docs/workflows.md).
  PRATU_TRY(holiday_file, platform::read_holiday_file(settings_.holidays));
  holidays_ = std::make_unique<HolidayService>(shared.db, shared.clock, calendar_);
  PRATU_TRY(seeded, holidays_->seed(holiday_file));
  if (seeded > 0) {
    log::info("holiday years copied from the file", {}, {{"years", std::to_string(seeded)}});
  }
  holiday_handlers_ = std::make_unique<HolidayHandlers>(*holidays_, *shared.renderer);
  // The schemas' examples are dated from the day Pratu starts, in Thailand.
  const std::chrono::year_month_day today = thai_date(shared.clock.now_seconds());
  for (const auto& [slug, form] : forms_) {
    form_json_.insert_or_assign(slug, boost::json::serialize(form_json(form)));
    const auto schema = answer_schema(form, today, &*addresses_);
    if (!schema.contains("examples")) {
      log::warn("form schema without an example", {}, {{"service", slug}});
    }
    form_schema_.insert_or_assign(slug, boost::json::serialize(schema));
  }
  for (const auto& [slug, workflow] : workflows_) {
    workflow_json_.insert_or_assign(slug, boost::json::serialize(workflow_json(workflow)));
  }
  for (const auto& [slug, document] : documents_) {
    document_json_.insert_or_assign(slug, boost::json::serialize(document_template_json(document)));
  }
  service_ = std::make_unique<ApplicationService>(shared.db, shared.clock, shared.random, forms_,
                                                  workflows_, *directory, &*addresses_, calendar_,
                                                  profiles, settings_);
  uploads_ = std::make_unique<UploadService>(shared.db, shared.clock, shared.random, shared.blobs,
                                             settings_);
  workflow_service_ = std::make_unique<WorkflowService>(shared.db, shared.clock, forms_, workflows_,
                                                        *directory, calendar_);
  workflow_service_->issue_documents(documents_);
  workflow_service_->bill_with(fee_rules_, shared.services);
  bills_->use(*workflow_service_);
  // An application fee: a workflow whose first state bills opens the bill at submission.
  service_->on_submitted([this](storage::Connection& c, const Application& a, std::int64_t now) {
    return workflow_service_->submitted(c, a, now);
  });
  document_source_->use(shared.translations, addresses_ ? &*addresses_ : nullptr);
  // Every version of a workflow an application may be under is kept (once).
  PRATU_CHECK(workflow_service_->record_versions());
  messages_ =
      std::make_unique<MessageService>(shared.db, shared.clock, *workflow_service_, *uploads_);
  handlers_ =
      std::make_unique<ApplicationHandlers>(*service_, *uploads_, *workflow_service_, *messages_,
                                            *shared.renderer, *directory, shared.random);
  handlers_->find_issued_in(shared.services);
  api_ = std::make_unique<ApplicationApi>(*service_, *uploads_, *workflow_service_,
                                          shared.translations);
  api_->find_bills_in(shared.services);
  upload_api_ = std::make_unique<UploadApi>(*uploads_, shared.translations);
  wallet_handlers_ = std::make_unique<WalletHandlers>(*uploads_, *shared.renderer);
  wallet_handlers_->find_issued_in(shared.services);
  workflow_api_ = std::make_unique<WorkflowApi>(*workflow_service_, *messages_, shared.clock);
  // The dashboard counts working days by the same calendar.
  dashboard_handlers_ = std::make_unique<DashboardHandlers>(
      Dashboard(shared.db, *workflow_service_, *directory, calendar_), *service_, *directory,
      *shared.renderer);
  return ok();
}

std::vector<platform::PeriodicTask> ApplicationsModule::housekeeping() {
  // One statement per step, idempotent: several nodes running it at once is harmless.
  return {{"applications: tell of and delete old drafts", std::chrono::hours(1),
           [this]() -> Result<void> {
             PRATU_CHECK(service_->sweep_drafts());
             return ok();
           }},
          {"applications: remove expired uploads", std::chrono::minutes(10),
           [this]() -> Result<void> {
             PRATU_CHECK(uploads_->sweep_expired());
             return ok();
           }},
          {"applications: tell supervisors of overdue applications", std::chrono::minutes(15),
           [this]() -> Result<void> {
             PRATU_CHECK(workflow_service_->escalate_overdue());
             return ok();
           }},
          // Another node's change to the holidays counts here within a minute.
          {"applications: reload the holidays", std::chrono::minutes(1),
           [this]() -> Result<void> { return holidays_->reload(); }}};
}

web::Routes ApplicationsModule::routes() {
  web::RouteSpec form;
  form.method = "GET";
  form.pattern = "/api/v1/services/{slug}/form";
  form.access = web::Access::anyone;
  form.surface = web::Surface::api;
  form.name = "api_service_form";
  form.runs = web::Runs::io_thread;  // from memory
  form.handler = [this](const web::Request& request,
                        web::RequestContext&) -> Result<web::Response> {
    auto it = form_json_.find(request.path_param("slug"));
    if (it == form_json_.end()) {
      return Error{ErrorCode::not_found, "applications.api.form_not_found", "form", {}, 0};
    }
    return web::Response::json(it->second);
  };
  web::RouteSpec schema;
  schema.method = "GET";
  schema.pattern = "/api/v1/services/{slug}/form/schema";
  schema.access = web::Access::anyone;
  schema.surface = web::Surface::api;
  schema.name = "api_service_form_schema";
  schema.runs = web::Runs::io_thread;  // from memory
  schema.handler = [this](const web::Request& request,
                          web::RequestContext&) -> Result<web::Response> {
    auto it = form_schema_.find(request.path_param("slug"));
    if (it == form_schema_.end()) {
      return Error{ErrorCode::not_found, "applications.api.form_not_found", "form", {}, 0};
    }
    return web::Response::json(it->second);
  };
  web::RouteSpec workflow;
  workflow.method = "GET";
  workflow.pattern = "/api/v1/services/{slug}/workflow";
  workflow.access = web::Access::anyone;
  workflow.surface = web::Surface::api;
  workflow.name = "api_service_workflow";
  workflow.runs = web::Runs::io_thread;  // from memory
  workflow.handler = [this](const web::Request& request,
                            web::RequestContext&) -> Result<web::Response> {
    auto it = workflow_json_.find(request.path_param("slug"));
    if (it == workflow_json_.end()) {
      return Error{ErrorCode::not_found, "applications.api.workflow_not_found", "workflow", {}, 0};
    }
    return web::Response::json(it->second);
  };
  web::RouteSpec document;
  document.method = "GET";
  document.pattern = "/api/v1/services/{slug}/document";
  document.access = web::Access::anyone;
  document.surface = web::Surface::api;
  document.name = "api_service_document";
  document.runs = web::Runs::io_thread;  // from memory
  document.handler = [this](const web::Request& request,
                            web::RequestContext&) -> Result<web::Response> {
    auto it = document_json_.find(request.path_param("slug"));
    if (it == document_json_.end()) {
      return Error{ErrorCode::not_found, "applications.api.document_not_found", "document", {}, 0};
    }
    return web::Response::json(it->second);
  };
  web::Routes routes = handlers_->routes();
  for (auto& route : api_->routes()) routes.push_back(std::move(route));
  for (auto& route : upload_api_->routes()) routes.push_back(std::move(route));
  for (auto& route : wallet_handlers_->routes()) routes.push_back(std::move(route));
  for (auto& route : workflow_api_->routes()) routes.push_back(std::move(route));
  for (auto& route : dashboard_handlers_->routes()) routes.push_back(std::move(route));
  for (auto& route : holiday_handlers_->routes()) routes.push_back(std::move(route));
  routes.push_back(std::move(form));
  routes.push_back(std::move(schema));
  routes.push_back(std::move(workflow));
  routes.push_back(std::move(document));
  return routes;
}

}  // namespace pratu::applications
