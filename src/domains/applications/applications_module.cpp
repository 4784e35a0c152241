#include "domains/applications/applications_module.hpp"

#include <boost/json/serialize.hpp>

#include <chrono>

#include "common/log.hpp"
#include "domains/applications/form_json.hpp"
#include "domains/applications/form_loader.hpp"
#include "domains/applications/form_schema.hpp"
#include "platform/service_directory.hpp"

namespace pratu::applications {

Result<void> ApplicationsModule::prepare(platform::Shared& shared) {
  PRATU_TRY(directory, shared.services.need<platform::ServiceDirectory>("the applications module"));
  PRATU_TRY(forms, load_forms(*directory));
  forms_ = std::move(forms);
  for (const auto& [slug, form] : forms_) shared.earned.earn(slug, "e_form", name());
  return ok();
}

std::vector<platform::SettingsSection> ApplicationsModule::settings() {
  return {{"applications",
           {platform::text("address_data",
                           "Directory of Thailand's provinces, districts and subdistricts (TSV)",
                           settings_.address_data)},
           {}}};
}

Result<void> ApplicationsModule::start(platform::Shared& shared) {
  PRATU_TRY(addresses, ThaiAddressBook::load(settings_.address_data));
  addresses_ = std::move(addresses);
  // The schemas' examples are dated from the day Pratu starts, in Thailand (UTC+7).
  const std::chrono::year_month_day today{
      std::chrono::floor<std::chrono::days>(shared.clock.now() + std::chrono::hours(7))};
  for (const auto& [slug, form] : forms_) {
    form_json_.insert_or_assign(slug, boost::json::serialize(form_json(form)));
    const auto schema = answer_schema(form, today, &*addresses_);
    if (!schema.contains("examples")) {
      log::warn("form schema without an example", {}, {{"service", slug}});
    }
    form_schema_.insert_or_assign(slug, boost::json::serialize(schema));
  }
  return ok();
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
  web::Routes routes;
  routes.push_back(std::move(form));
  routes.push_back(std::move(schema));
  return routes;
}

}  // namespace pratu::applications
