#pragma once
/// Issues the document an application ends with (docs/adr/0025): takes the outbox rows the
/// applications module queues when an application enters the state its service's template
/// names, and for each numbers the document (per prefix and Buddhist-era year), lays it out,
/// draws it as PDF/A-3 with its data embedded as XML, signs it with the agency's key and a
/// timestamp (PAdES B-T), keeps the file and tells the holder. A retried row finishes what its
/// first try began, under the same number; an application is issued one document, ever.

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "domains/documents/issued_document.hpp"
#include "domains/documents/signer_revocations.hpp"
#include "domains/documents/signing_keys.hpp"
#include "pdf/layout.hpp"
#include "pdf/pdf_a3.hpp"
#include "platform/agency_directory.hpp"
#include "platform/document_source.hpp"
#include "platform/receipts.hpp"
#include "platform/service_directory.hpp"
#include "storage/blob_store.hpp"
#include "storage/database.hpp"
#include "web/render.hpp"

namespace pratu::documents {

/// What a round of issue() found to do and did.
struct IssueCounts {
  int issued = 0;
  int failed = 0;  // retried later
};

class DocumentIssuer {
 public:
  DocumentIssuer(storage::Database& db, const storage::BlobStore& blobs, const Clock& clock,
                 Random& random, const platform::DocumentSource& source,
                 const platform::AgencyDirectory& agencies, const web::Translations& t,
                 SigningKeys& keys, SignerRevocations& revocations, std::string public_url,
                 std::string worker);

  /// Where receipts come from, and the services' names they show; without a source, receipts
  /// are not issued (their rows wait).
  void issue_receipts(const platform::ReceiptSource* receipts,
                      const platform::ServiceDirectory* services) {
    receipts_ = receipts;
    services_ = services;
  }

  /// Issues the document of application `application` (its public id) now, or gives the one
  /// already issued. not_found when its service issues none.
  Result<IssuedDocument> issue(std::string_view application);

  /// Issues receipt `number` (numbered by the payments module) now, or gives the one already
  /// issued; a receipt cancelled before it was drawn is issued and marked cancelled.
  Result<IssuedDocument> issue_receipt(std::string_view number);

  /// Claims up to `batch` due issue rows and issues each on `threads` threads at once, then
  /// finishes the rows: a failure is retried after `retry_seconds`, doubling.
  Result<IssueCounts> run_once(int batch, int threads, int lease_seconds, int retry_seconds);

  /// The niceness of the threads run_once issues on (0: as the caller's).
  void set_niceness(int niceness) { niceness_ = niceness; }

  /// Where a document's QR code leads: <public_url>/verify/<number>?c=<code>.
  std::string verify_url(const IssuedDocument& document) const;

 private:
  /// What a document is drawn from, and what its holder is told once it is kept.
  struct Drawing {
    pdf::Layout layout;
    pdf::DocumentInfo info;
    pdf::Attachment data;
    std::string notice_topic;
    boost::json::object notice;
    std::int64_t cancelled_at = 0;  // a receipt cancelled before it was drawn
    std::string cancel_reason;
  };
  /// Fails when the agency's signing key was withdrawn.
  Result<void> check_signer(const std::string& agency);
  platform::BilingualText agency_name(const std::string& agency) const;
  static pdf::DocumentInfo document_info(const IssuedDocument& document, const std::string& agency);
  /// Draws, signs and keeps `document` (issuing), and tells its holder.
  Result<IssuedDocument> sign_and_keep(IssuedDocument document, Drawing drawing);

  storage::Database& db_;
  const storage::BlobStore& blobs_;
  const Clock& clock_;
  Random& random_;
  const platform::DocumentSource& source_;
  const platform::AgencyDirectory& agencies_;
  const web::Translations& t_;
  SigningKeys& keys_;
  SignerRevocations& revocations_;
  std::string public_url_;
  std::string worker_;
  int niceness_ = 0;
  const platform::ReceiptSource* receipts_ = nullptr;
  const platform::ServiceDirectory* services_ = nullptr;
};

/// A short code a verifier types or the QR code carries: `n` characters of Crockford's base32
/// (no I, L, O or U).
std::string verification_code(Random& random, std::size_t n = 10);

/// The document number of the `sequence`th document of `prefix` in Buddhist-era `year`.
std::string document_number(std::string_view prefix, int year, std::int64_t sequence);

/// The last valid day of a document valid for `validity` from `from` (YYYY-MM-DD): a year from
/// 5 December 2569 is valid through 4 December 2570. Empty for no term.
std::string last_valid_day(std::string_view from,
                           const std::optional<platform::DocumentValidity>& validity);

}  // namespace pratu::documents
