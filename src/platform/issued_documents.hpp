#pragma once
/// The documents Pratu issued, as other modules show them (docs/adr/0025): the document of an
/// application on its page, and a holder's documents in their wallet. Offered by the
/// documents module when it starts; a module that started before it looks it up when it
/// answers a request.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::platform {

/// One issued document, enough to list it and link to it.
struct IssuedDocumentSummary {
  std::string number;
  std::string kind;    // "licence" | "certificate" | "permit" | "receipt"
  std::string status;  // "issuing" | "valid" | "suspended" | "revoked" | "expired" | "cancelled"
  std::string title_th, title_en;
  std::int64_t issued_at = 0;
  std::string valid_until;   // YYYY-MM-DD; empty: no term
  std::string download_url;  // empty while issuing
  std::string verify_url;    // the page anyone checks it at (with its code)
  std::string delivery;      // "download" | "post" | "counter"
  bool can_post = false;     // the application gave an address to post a copy to
  bool delivered = false;    // the printed copy was posted or handed over
  std::string tracking_number;
  std::string delivery_url;  // where the holder chooses how it reaches them
};

class IssuedDocuments {
 public:
  static constexpr const char* kServiceName = "platform::IssuedDocuments";
  virtual ~IssuedDocuments() = default;
  /// The document of application `application_id`, if one was issued (or is being issued).
  virtual Result<std::optional<IssuedDocumentSummary>> of_application(
      std::int64_t application_id) = 0;
  /// Every document of `user_id`, receipts too, newest first.
  virtual Result<std::vector<IssuedDocumentSummary>> of_holder(std::int64_t user_id) = 0;
  /// The document numbered `number` (a receipt's number is the payments module's).
  virtual Result<std::optional<IssuedDocumentSummary>> by_number(std::string_view number) = 0;
  /// In `c`'s transaction: marks receipt `number` cancelled since `now` with `reason`, so
  /// verification says so. False when it is not issued yet (it is then issued cancelled) or
  /// is no receipt.
  virtual Result<bool> cancel_receipt(storage::Connection& c, std::string_view number,
                                      std::string_view reason, std::int64_t now) = 0;
};

}  // namespace pratu::platform
