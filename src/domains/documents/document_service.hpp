#pragma once
/// The documents Pratu issued, for the people who may see them (docs/documents.md): the
/// holder and the issuing agency's staff open a document's file and its history; anyone checks
/// its status by number, seeing the holder's name in full only with the document's code; an
/// officer of the issuing agency suspends, reinstates or revokes it with a reason, and the
/// holder is told. Also what other modules show (platform/issued_documents.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "domains/documents/document_repository.hpp"
#include "domains/documents/issued_document.hpp"
#include "platform/issued_documents.hpp"
#include "storage/database.hpp"
#include "web/context.hpp"

namespace pratu::documents {

/// What an officer does to a document's status.
enum class StatusAction { suspend, reinstate, revoke };
std::optional<StatusAction> status_action_of(std::string_view key);

/// A document as a verifier sees it.
struct PublicView {
  IssuedDocument document;
  bool code_matches = false;  // the code given is the document's: the name is shown in full
  std::string holder_shown;   // the name, or its masked form
  std::string state;          // "valid" | "expired" | "suspended" | "revoked" | "issuing"
  std::int64_t since = 0;     // when it came to that state (expired: the day after its term)
  std::string replaced_by;    // the number of the document that replaced it; empty: none
};

/// How the holder receives the document besides downloading it.
enum class Delivery { download, post, counter };
std::optional<Delivery> delivery_of(std::string_view key);
std::string_view delivery_key(Delivery delivery);

/// Whether `text` is a Thai Post tracking number (UPU S10: two letters, eight digits, a check
/// digit, "TH"), its check digit right.
bool is_tracking_number(std::string_view text);

/// "สมชาย ใจดี" as "ส••••• ใ•••": each word's first letter, the rest hidden.
std::string masked_name(std::string_view name);

class DocumentService final : public platform::IssuedDocuments {
 public:
  DocumentService(storage::Database& db, const Clock& clock, std::string public_url);

  /// Document `number` for `who`: its holder, or staff of the issuing agency. not_found for
  /// anyone else, as for a number that does not exist.
  Result<IssuedDocument> for_person(const web::Principal& who, std::string_view number);

  /// Document `number` as anyone checking it sees it; `code` as the QR code carries it.
  Result<PublicView> public_view(std::string_view number, std::string_view code);

  /// The document whose signed file has SHA-256 `sha256` (hex), if Pratu issued it.
  Result<std::optional<IssuedDocument>> by_file(std::string_view sha256);

  /// Its history, oldest first.
  Result<std::vector<repository::DocumentEvent>> history(const IssuedDocument& document);

  /// `who` (an officer of the issuing agency) suspends, reinstates or revokes document
  /// `number` for `reason` (required, at most 500 characters). A revoked document stays so.
  Result<IssuedDocument> change_status(const web::Principal& who, std::string_view number,
                                       StatusAction action, std::string_view reason);

  /// The holder chooses how a printed copy reaches them: by post (to the application's
  /// address; refused when it gave none), at the counter, or none (download only). Refused
  /// once it was posted or handed over, and for a document that is not valid.
  Result<IssuedDocument> choose_delivery(const web::Principal& who, std::string_view number,
                                         Delivery delivery);

  /// `who` (staff of the issuing agency) records that the printed copy was posted, with its
  /// tracking number, or handed over at the counter; the holder is told.
  Result<IssuedDocument> record_delivery(const web::Principal& who, std::string_view number,
                                         std::string_view tracking_number);

  /// Where the holder downloads it.
  static std::string download_url(const IssuedDocument& document);
  /// Where anyone checks it, with its code.
  std::string verify_url(const IssuedDocument& document) const;
  /// Today in Thailand, YYYY-MM-DD.
  std::string today() const;
  /// Its state on `today` (YYYY-MM-DD in Thailand).
  static std::string state_on(const IssuedDocument& document, std::string_view today);

  Result<std::optional<platform::IssuedDocumentSummary>> of_application(
      std::int64_t application_id) override;
  Result<std::vector<platform::IssuedDocumentSummary>> of_holder(std::int64_t user_id) override;
  Result<std::optional<platform::IssuedDocumentSummary>> by_number(
      std::string_view number) override;
  Result<bool> cancel_receipt(storage::Connection& c, std::string_view number,
                              std::string_view reason, std::int64_t now) override;

 private:
  platform::IssuedDocumentSummary summary(const IssuedDocument& document) const;

  storage::Database& db_;
  const Clock& clock_;
  std::string public_url_;
};

/// The summary's delivery fields for `document`.
void describe_delivery(const IssuedDocument& document, platform::IssuedDocumentSummary& summary);

}  // namespace pratu::documents
