#pragma once
/// A document Pratu issued, as the `documents` table keeps it (docs/documents.md): its number
/// and short code, whose it is, what it is, how long it is valid, its status and the signed
/// file. Plain types, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pratu::documents {

/// Where a document stands. `issuing`: numbered, not yet signed; `cancelled`: a receipt the
/// agency cancelled (a licence is revoked instead).
enum class DocumentStatus { issuing, valid, suspended, revoked, cancelled };
std::string_view status_key(DocumentStatus status);
std::optional<DocumentStatus> status_of(std::string_view key);

struct IssuedDocument {
  std::int64_t id = 0;
  std::string number;  // DBD-CR-2569-000123
  std::string code;    // the short code the QR code carries
  std::int64_t application_id = 0;
  std::string service;
  std::string agency;
  std::int64_t holder_user_id = 0;
  std::string holder_name;
  std::string kind;  // "licence" | "certificate" | "permit" | "receipt"
  std::string title_th, title_en;
  std::int64_t issued_at = 0;
  std::string valid_from;   // YYYY-MM-DD
  std::string valid_until;  // YYYY-MM-DD; empty: no term
  DocumentStatus status = DocumentStatus::issuing;
  std::int64_t status_since = 0;
  std::string status_reason;
  std::string sha256;  // of the signed file; empty while issuing
  std::int64_t size_bytes = 0;
  std::string signer_serial;
  std::string delivery = "download";  // "download" | "post" | "counter"
  std::string postal_address;         // where a printed copy goes; empty: none given
  std::string tracking_number;        // post: the Thai Post number, once posted
  std::int64_t delivered_at = 0;      // posted or handed over; 0: not yet
  std::string replaces;               // a renewal: the number of the document it replaces

  /// Whether its term ended before `today` (YYYY-MM-DD).
  bool expired_on(std::string_view today) const {
    return !valid_until.empty() && valid_until < today;
  }
};

}  // namespace pratu::documents
