#include "domains/catalog/catalog_module.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "domains/catalog/catalog_handlers.hpp"
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
             const auto& dir = load_dir_.empty() ? settings_.directory : load_dir_;
             auto stored = service.load_directory(dir);
             if (!stored) {
               std::cerr << "pratu catalog load: " << stored.error().detail << "\n";
               return 1;
             }
             std::cout << "Loaded " << stored->agencies << " agencies and " << stored->services
                       << " services from " << dir << " (removed " << stored->agencies_removed
                       << " agencies and " << stored->services_removed
                       << " services no longer there).\n";
             return 0;
           }}};
}

Result<void> CatalogModule::start(platform::Shared& shared) {
  if (shared.renderer == nullptr) return Error::internal("catalog: started without a renderer");
  repository_ = std::make_unique<CatalogRepository>(shared.db);
  service_ = std::make_unique<CatalogService>(
      *repository_, SearchCacheSettings{static_cast<std::size_t>(settings_.search_entries),
                                        shared.settings.cache_ttl});
  PRATU_CHECK(service_->load_directory(settings_.directory));
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

}  // namespace pratu::catalog
