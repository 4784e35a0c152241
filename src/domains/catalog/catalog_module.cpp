#include "domains/catalog/catalog_module.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "domains/catalog/catalog_handlers.hpp"
#include "domains/catalog/catalog_loader.hpp"
#include "domains/catalog/catalog_repository.hpp"
#include "domains/catalog/catalog_service.hpp"

namespace pratu::catalog {

CatalogModule::CatalogModule() = default;
CatalogModule::~CatalogModule() = default;

std::vector<platform::SettingsSection> CatalogModule::settings() {
  return {{"catalog",
           {platform::text("directory",
                           "Directory of the service catalogue (agencies and services as YAML)",
                           settings_.directory),
            platform::integer("search_entries", "Catalogue search results kept in memory (0: none)",
                              settings_.search_entries, 0, 1000000)},
           {}}};
}

std::vector<platform::Command> CatalogModule::add_commands(CLI::App& cli) {
  auto* catalog = cli.add_subcommand("catalog", "Manage the service catalogue");
  catalog->require_subcommand(1);
  auto* load = catalog->add_subcommand("load", "Validate and load services/ into the database");
  load->add_option("--dir", load_dir_, "Catalogue directory (default: catalog.directory)");
  return {{load, [this](platform::Shared& shared) {
             CatalogRepository repository(shared.db);
             CatalogService service(repository);
             auto stored = publish(service, shared);
             if (!stored) {
               std::cerr << "pratu catalog load: " << stored.error().detail << "\n";
               return 1;
             }
             std::cout << "Loaded " << stored->agencies << " agencies and " << stored->services
                       << " services from " << directory_.string() << " (removed "
                       << stored->agencies_removed << " agencies and " << stored->services_removed
                       << " services no longer there).\n";
             return 0;
           }}};
}

Result<void> CatalogModule::prepare(platform::Shared& shared) {
  directory_ = load_dir_.empty() ? settings_.directory : load_dir_;
  PRATU_TRY(catalog, load_catalog(directory_));
  services_.clear();
  for (const Service& service : catalog.services) {
    platform::ServiceInfo info{service.slug,
                               service.agency_code,
                               service.name.th,
                               service.name.en,
                               service.time_limit_working_days,
                               {},
                               service.source_file,
                               {}};
    for (const RequiredDocument& document : service.documents) {
      info.documents.push_back(
          {document.key, document.name.th, document.name.en, document.required});
    }
    for (const Fee& fee : service.fees) {
      platform::ServiceFee out{
          fee.code, fee.label.th, fee.label.en, fee.amount_satang,  fee.when,      fee.for_each, {},
          1,        {},           {},           fee.minimum_satang, fee.stamp_duty};
      if (fee.quantity) {
        out.quantity_of = fee.quantity->of;
        out.quantity_per = fee.quantity->per;
        out.unit_th = fee.quantity->unit.th;
        out.unit_en = fee.quantity->unit.en;
      }
      info.fees.push_back(std::move(out));
    }
    services_.emplace(service.slug, std::move(info));
  }
  parsed_ = std::move(catalog);
  return shared.services.offer<platform::ServiceDirectory>(name(), *this);
}

Result<ReplaceSummary> CatalogModule::publish(CatalogService& service, platform::Shared& shared) {
  if (!parsed_) return Error::internal("catalog: published before it was prepared");
  Catalog catalog = std::move(*parsed_);
  parsed_.reset();
  PRATU_CHECK(apply_earned(catalog, shared.earned));
  return service.publish(std::move(catalog));
}

Result<void> CatalogModule::start(platform::Shared& shared) {
  if (shared.renderer == nullptr) return Error::internal("catalog: started without a renderer");
  repository_ = std::make_unique<CatalogRepository>(shared.db);
  service_ = std::make_unique<CatalogService>(
      *repository_, SearchCacheSettings{static_cast<std::size_t>(settings_.search_entries),
                                        shared.settings.cache_ttl});
  PRATU_CHECK(publish(*service_, shared));
  handlers_ = std::make_unique<CatalogHandlers>(
      *service_, *shared.renderer,
      ContentCacheSettings{shared.settings.page_entries, shared.settings.cache_ttl});
  return shared.services.offer<platform::AgencyDirectory>(name(), *this);
}

web::Routes CatalogModule::routes() { return handlers_->routes(); }

std::string CatalogModule::agency_name(std::string_view code, web::Locale locale) const {
  const auto* agency = service_->snapshot()->agency(code);
  return agency != nullptr ? agency->name.in(locale) : std::string();
}

std::vector<std::string> CatalogModule::agency_codes() const { return service_->agency_codes(); }

std::filesystem::path CatalogModule::directory() const { return directory_; }

const platform::ServiceInfo* CatalogModule::service(std::string_view slug) const {
  auto it = services_.find(slug);
  return it == services_.end() ? nullptr : &it->second;
}

std::vector<const platform::ServiceInfo*> CatalogModule::services() const {
  std::vector<const platform::ServiceInfo*> out;
  out.reserve(services_.size());
  for (const auto& [slug, info] : services_) out.push_back(&info);
  return out;
}

}  // namespace pratu::catalog
