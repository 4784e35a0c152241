#include "domains/documents/documents_module.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "common/log.hpp"
#include "crypto/pki.hpp"
#include "domains/documents/document_handlers.hpp"
#include "domains/documents/document_issuer.hpp"
#include "domains/documents/document_service.hpp"
#include "domains/documents/http_timestamp_client.hpp"
#include "domains/documents/signer_revocations.hpp"
#include "domains/documents/signing_keys.hpp"
#include "domains/documents/verifier.hpp"
#include "platform/agency_directory.hpp"
#include "platform/document_source.hpp"
#include "platform/issued_documents.hpp"
#include "platform/outbox.hpp"
#include "platform/receipts.hpp"
#include "platform/service_directory.hpp"

namespace pratu::documents {

DocumentsModule::DocumentsModule() = default;
DocumentsModule::~DocumentsModule() = default;

std::vector<platform::SettingsSection> DocumentsModule::settings() {
  using platform::integer;
  using platform::text;
  auto& s = settings_;
  return {{"documents",
           {text("pki_dir",
                 "Directory of the keys and certificates documents are signed with "
                 "(the test hierarchy is made here for the demo)",
                 s.pki_dir),
            platform::optional_text(
                "timestamp_url",
                "The RFC 3161 timestamp authority signatures are timestamped by; empty: the "
                "test authority of pki_dir, in this process",
                s.timestamp_url),
            integer("timestamp_timeout_seconds", "How long to wait for the timestamp authority",
                    s.timestamp_timeout_seconds, 1, 120),
            integer("issue_threads", "Documents drawn and signed at once on each node",
                    s.issue_threads, 1, 64),
            integer("issue_niceness",
                    "The niceness of the threads documents are issued on (0-19), below the page "
                    "workers' so pages stay fast while a backlog is issued",
                    s.issue_niceness, 0, 19),
            integer("poll_seconds", "How often each node looks for documents to issue",
                    s.poll_seconds, 1, 3600),
            integer("batch_size", "Documents to issue claimed at once", s.batch_size, 1, 1000),
            integer("retry_seconds", "The first wait before a failed issue is tried again",
                    s.retry_seconds, 1, 86400),
            integer("verify_max_mib", "The largest PDF anyone may check at /verify, in MiB",
                    s.verify_max_mib, 1, 100),
            integer("verify_per_minute", "PDF checks one client address may make a minute",
                    s.verify_per_minute, 1, 100000),
            integer("verify_burst", "PDF checks one client address may make at once",
                    s.verify_burst, 1, 100000)},
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
  // A service whose workflow issues a document earns level 3's criteria: Pratu issues it
  // electronically, signed with a CA-certified key, as PDF/A-3.
  if (const auto* source = shared.services.find<platform::DocumentSource>()) {
    for (const auto& issuing : source->issuing_services()) {
      for (auto criterion : {"e_license", "ca_signature", "pdf_a3"}) {
        shared.earned.earn(issuing.service, criterion, name());
      }
    }
  }
  // A service whose workflow bills earns level 2's e-receipt: every payment gets a receipt,
  // issued here signed and timestamped, as PDF/A-3 with its data inside.
  if (const auto* receipts = shared.services.find<platform::ReceiptSource>()) {
    for (const auto& service : receipts->receipted_services()) {
      shared.earned.earn(service, "e_receipt", name());
    }
  }
  return ok();
}

Result<void> DocumentsModule::start(platform::Shared& shared) {
  PRATU_TRY(source, shared.services.need<platform::DocumentSource>(name()));
  PRATU_TRY(agencies, shared.services.need<platform::AgencyDirectory>(name()));
  std::unique_ptr<crypto::TimestampAuthority> timestamp;
  if (!settings_.timestamp_url.empty()) {
    HttpTimestampSettings http;
    http.url = settings_.timestamp_url;
    http.timeout_ms = settings_.timestamp_timeout_seconds * 1000;
    http.connect_timeout_ms = std::min(http.timeout_ms, 5000);
    timestamp = std::make_unique<HttpTimestampClient>(std::move(http), shared.random);
  }
  keys_ = std::make_unique<SigningKeys>(settings_.pki_dir, shared.clock, shared.random,
                                        std::move(timestamp));
  revocations_ = std::make_unique<SignerRevocations>(shared.db, shared.clock);
  issuer_ = std::make_unique<DocumentIssuer>(shared.db, shared.blobs, shared.clock, shared.random,
                                             *source, *agencies, shared.translations, *keys_,
                                             *revocations_, shared.settings.public_url,
                                             platform::outbox::worker_name(shared.random));
  issuer_->set_niceness(settings_.issue_niceness);
  issuer_->issue_receipts(shared.services.find<platform::ReceiptSource>(),
                          shared.services.find<platform::ServiceDirectory>());
  documents_ =
      std::make_unique<DocumentService>(shared.db, shared.clock, shared.settings.public_url);
  PRATU_CHECK(shared.services.offer<platform::IssuedDocuments>(name(), *documents_));
  verifier_ = std::make_unique<Verifier>(*keys_, *documents_, *revocations_, shared.clock);
  limiter_ = std::make_unique<RateLimiter>(shared.clock, settings_.verify_per_minute,
                                           settings_.verify_burst);
  if (shared.renderer != nullptr) {
    handlers_ = std::make_unique<DocumentHandlers>(
        *documents_, *verifier_, shared.blobs, *shared.renderer, *limiter_,
        static_cast<std::size_t>(settings_.verify_max_mib) * 1024 * 1024);
    handlers_->manage_signers(*keys_, *revocations_, shared.clock);
  }
  return ok();
}

std::vector<platform::PeriodicTask> DocumentsModule::housekeeping() {
  // Several nodes at once are safe: each row is claimed by one of them under a lease. A backlog
  // is drained for at most a few seconds a poll, so the other modules' periodic work (mail,
  // sweeps) waits no longer than that behind it.
  static constexpr auto kBudget = std::chrono::seconds(5);
  return {
      {"documents: issue", std::chrono::seconds(settings_.poll_seconds), [this]() -> Result<void> {
         const auto until = std::chrono::steady_clock::now() + kBudget;
         while (std::chrono::steady_clock::now() < until) {
           PRATU_TRY(counts, issuer_->run_once(settings_.batch_size, settings_.issue_threads, 600,
                                               settings_.retry_seconds));
           if (counts.issued + counts.failed < settings_.batch_size) break;
         }
         return ok();
       }}};
}

web::Routes DocumentsModule::routes() { return handlers_ ? handlers_->routes() : web::Routes{}; }

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
