#pragma once
/// Documents as a module: the signed e-documents an application ends with (issue "Issue the
/// licence", docs/adr/0024). This first part holds the keys: where each agency's document
/// signer and the timestamp authority live (`documents.pki_dir`), and, for the demo and the
/// tests, a whole test hierarchy made with OpenSSL (`pratu documents test-pki`, and at a demo
/// start) so that nothing outside Pratu is needed to sign.

#include <string>

#include "platform/module.hpp"

namespace pratu::documents {

/// The `documents` configuration section.
struct DocumentsSettings {
  std::string pki_dir = "data/pki";  // root-ca.pem, issuing-ca.pem, tsa.*, agencies/<code>.*
};

class DocumentsModule final : public platform::Module {
 public:
  std::string_view name() const override { return "documents"; }
  std::vector<platform::SettingsSection> settings() override;
  std::vector<platform::Command> add_commands(CLI::App& cli) override;
  Result<void> prepare(platform::Shared& shared) override;
  Result<void> start(platform::Shared& shared) override;
  Result<std::string> seed_demo(platform::Shared& shared) override;

 private:
  /// Makes the test hierarchy under pki_dir for every agency that has a service.
  Result<std::string> make_test_pki(platform::Shared& shared);

  DocumentsSettings settings_;
  std::vector<std::string> agencies_;  // every agency with a service, from the catalogue
};

}  // namespace pratu::documents
