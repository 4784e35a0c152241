#include "domains/documents/documents_module.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "common/log.hpp"
#include "crypto/pki.hpp"
#include "platform/service_directory.hpp"

namespace pratu::documents {

std::vector<platform::SettingsSection> DocumentsModule::settings() {
  auto& s = settings_;
  return {{"documents",
           {platform::text("pki_dir",
                           "Directory of the keys and certificates documents are signed with "
                           "(the test hierarchy is made here for the demo)",
                           s.pki_dir)},
           nullptr}};
}

std::vector<platform::Command> DocumentsModule::add_commands(CLI::App& cli) {
  auto* documents = cli.add_subcommand("documents", "Signed e-documents");
  documents->require_subcommand(1);
  auto* pki = documents->add_subcommand(
      "test-pki",
      "Make a test key hierarchy (root CA, issuing CA, a signer per agency, a timestamp "
      "authority) in documents.pki_dir; never for production");
  return {{pki, [this](platform::Shared& shared) {
             auto made = make_test_pki(shared);
             if (!made) {
               std::cerr << "documents: " << made.error().detail << "\n";
               return 1;
             }
             std::cout << *made;
             return 0;
           }}};
}

Result<void> DocumentsModule::prepare(platform::Shared& shared) {
  // The agencies that may issue documents: those with a service in the catalogue.
  if (const auto* services = shared.services.find<platform::ServiceDirectory>()) {
    for (const auto* service : services->services()) agencies_.push_back(service->agency);
  }
  std::sort(agencies_.begin(), agencies_.end());
  agencies_.erase(std::unique(agencies_.begin(), agencies_.end()), agencies_.end());
  return ok();
}

Result<void> DocumentsModule::start(platform::Shared& /*shared*/) { return ok(); }

Result<std::string> DocumentsModule::seed_demo(platform::Shared& shared) {
  return make_test_pki(shared);
}

Result<std::string> DocumentsModule::make_test_pki(platform::Shared& shared) {
  PRATU_TRY(made,
            crypto::make_test_hierarchy(settings_.pki_dir, agencies_, shared.clock.now_seconds()));
  if (!made.anchors_made && made.agencies_made.empty()) return std::string();
  log::info("test key hierarchy made", {},
            {{"dir", made.dir.string()},
             {"agencies", std::to_string(made.agencies_made.size())},
             {"anchors", made.anchors_made ? "made" : "kept"}});
  return "Test signing keys (never for production) in " + made.dir.string() + ": " +
         std::to_string(made.agencies_made.size()) + " agency signer(s)" +
         (made.anchors_made ? ", a new root CA, issuing CA and timestamp authority" : "") + "\n";
}

}  // namespace pratu::documents
