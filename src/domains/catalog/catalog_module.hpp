#pragma once
/// The catalogue as a module: agencies and their services, loaded from YAML files, searched
/// and shown to everyone. Offers the agency directory to the modules after it.

#include <memory>

#include "platform/agency_directory.hpp"
#include "platform/module.hpp"

namespace pratu::catalog {

class CatalogRepository;
class CatalogService;
class CatalogHandlers;

/// The `catalog` configuration section.
struct CatalogSettings {
  std::string directory = "services";  // agencies and services as YAML
  int search_entries = 1024;           // searches remembered in memory (0: none)
};

class CatalogModule final : public platform::Module, public platform::AgencyDirectory {
 public:
  CatalogModule();
  ~CatalogModule() override;

  std::string_view name() const override { return "catalog"; }
  std::vector<platform::SettingsSection> settings() override;
  std::vector<platform::Command> add_commands(CLI::App& cli) override;
  Result<void> start(platform::Shared& shared) override;
  web::Routes routes() override;

  // platform::AgencyDirectory
  std::string agency_name(std::string_view code, web::Locale locale) const override;
  std::vector<std::string> agency_codes() const override;

 private:
  CatalogSettings settings_;
  std::string load_dir_;  // `pratu catalog load --dir`
  std::unique_ptr<CatalogRepository> repository_;
  std::unique_ptr<CatalogService> service_;
  std::unique_ptr<CatalogHandlers> handlers_;
};

}  // namespace pratu::catalog
