#pragma once
/// The catalogue as a module: agencies and their services, loaded from YAML files, searched
/// and shown to everyone. Offers the service directory (while the modules prepare) and the
/// agency directory to the modules after it.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "domains/catalog/catalog.hpp"
#include "domains/catalog/catalog_repository.hpp"
#include "platform/agency_directory.hpp"
#include "platform/module.hpp"
#include "platform/service_directory.hpp"

namespace pratu::catalog {

class CatalogRepository;
class CatalogService;
class CatalogHandlers;

/// The `catalog` configuration section.
struct CatalogSettings {
  std::string directory = "services";  // agencies and services as YAML
  int search_entries = 1024;           // searches remembered in memory (0: none)
};

class CatalogModule final : public platform::Module,
                            public platform::AgencyDirectory,
                            public platform::ServiceDirectory {
 public:
  CatalogModule();
  ~CatalogModule() override;

  std::string_view name() const override { return "catalog"; }
  std::vector<platform::SettingsSection> settings() override;
  std::vector<platform::Command> add_commands(CLI::App& cli) override;
  /// Reads the catalogue's files and offers the service directory, so that later modules can
  /// read their own files beside each service's and declare what they run for it.
  Result<void> prepare(platform::Shared& shared) override;
  /// Stores and serves the catalogue read in prepare(), with what modules earned for it.
  Result<void> start(platform::Shared& shared) override;
  web::Routes routes() override;

  // platform::AgencyDirectory
  std::string agency_name(std::string_view code, web::Locale locale) const override;
  std::vector<std::string> agency_codes() const override;

  // platform::ServiceDirectory
  std::filesystem::path directory() const override;
  const platform::ServiceInfo* service(std::string_view slug) const override;
  std::vector<const platform::ServiceInfo*> services() const override;

 private:
  CatalogSettings settings_;
  std::string load_dir_;  // `pratu catalog load --dir`
  // The catalogue read by prepare(), until start() or the load command stores it.
  Result<ReplaceSummary> publish(CatalogService& service, platform::Shared& shared);
  std::filesystem::path directory_;
  std::optional<Catalog> parsed_;
  std::map<std::string, platform::ServiceInfo, std::less<>> services_;
  std::unique_ptr<CatalogRepository> repository_;
  std::unique_ptr<CatalogService> service_;
  std::unique_ptr<CatalogHandlers> handlers_;
};

}  // namespace pratu::catalog
