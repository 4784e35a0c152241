#include "domains/applications/applications_module.hpp"

#include <boost/json/serialize.hpp>

#include "domains/applications/form_json.hpp"
#include "domains/applications/form_loader.hpp"
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

Result<void> ApplicationsModule::start(platform::Shared&) {
  PRATU_TRY(addresses, ThaiAddressBook::load(settings_.address_data));
  addresses_ = std::move(addresses);
  for (const auto& [slug, form] : forms_) {
    form_json_.insert_or_assign(slug, boost::json::serialize(form_json(form)));
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
  web::Routes routes;
  routes.push_back(std::move(form));
  return routes;
}

}  // namespace pratu::applications
