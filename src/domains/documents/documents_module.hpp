#pragma once
/// Documents as a module: the signed e-documents an application ends with (docs/adr/0024,
/// 0025). It issues the document of each application that enters the state its service's
/// template names (numbered, drawn as PDF/A-3, signed by the agency and timestamped), earns
/// those services the level-3 criteria, and keeps the keys: where each agency's document
/// signer and the timestamp authority live (`documents.pki_dir`), and, for the demo and the
/// tests, a whole test hierarchy made with OpenSSL (`pratu documents test-pki`, and at a demo
/// start) so that nothing outside Pratu is needed to sign.

#include <memory>
#include <string>

#include "common/rate_limiter.hpp"
#include "platform/module.hpp"

namespace pratu::documents {

class DocumentHandlers;
class DocumentIssuer;
class DocumentService;
class SignerRevocations;
class SigningKeys;
class Verifier;

/// The `documents` configuration section.
struct DocumentsSettings {
  std::string pki_dir = "data/pki";  // root-ca.pem, issuing-ca.pem, tsa.*, agencies/<code>.*
  std::string timestamp_url;         // an RFC 3161 TSA; empty: tsa.* of pki_dir, in process
  int timestamp_timeout_seconds = 10;
  int issue_threads = 1;       // documents drawn and signed at once: one core stays for pages
  int issue_niceness = 10;     // their niceness: below the page workers, so pages stay fast
  int poll_seconds = 2;        // how often each node looks for documents to issue
  int batch_size = 32;         // issue rows claimed at once
  int retry_seconds = 30;      // the first retry's wait, doubling with each retry
  int verify_max_mib = 20;     // the largest PDF /verify checks
  int verify_per_minute = 30;  // file checks one client address may make a minute
  int verify_burst = 10;       // ... and at once
};

class DocumentsModule final : public platform::Module {
 public:
  std::string_view name() const override { return "documents"; }
  std::vector<platform::SettingsSection> settings() override;
  std::vector<platform::Command> add_commands(CLI::App& cli) override;
  Result<void> prepare(platform::Shared& shared) override;
  Result<void> start(platform::Shared& shared) override;
  Result<std::string> seed_demo(platform::Shared& shared) override;
  std::vector<platform::PeriodicTask> housekeeping() override;
  web::Routes routes() override;

  DocumentsModule();
  ~DocumentsModule() override;

 private:
  /// Makes the test hierarchy under pki_dir for every agency that has a service.
  Result<std::string> make_test_pki(platform::Shared& shared);

  DocumentsSettings settings_;
  std::vector<std::string> agencies_;  // every agency with a service, from the catalogue
  std::unique_ptr<SigningKeys> keys_;
  std::unique_ptr<SignerRevocations> revocations_;
  std::unique_ptr<DocumentIssuer> issuer_;
  std::unique_ptr<DocumentService> documents_;
  std::unique_ptr<Verifier> verifier_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<DocumentHandlers> handlers_;
};

}  // namespace pratu::documents
