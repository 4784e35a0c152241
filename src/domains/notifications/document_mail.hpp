#pragma once
/// The mail of the documents module's topics, to the document's holder: `documents.issued`
/// (the signed document is ready: its number and where to open it), `documents.status_changed`
/// (suspended, reinstated or revoked) and `documents.delivered` (the printed copy was posted,
/// with its tracking number, or handed over). Nothing of the answers, nor the agency's reason:
/// the holder reads that once signed in.

#include <string>

#include "common/result.hpp"
#include "domains/notifications/draft_expiry_mail.hpp"
#include "domains/notifications/notifications.hpp"
#include "platform/profile_directory.hpp"
#include "platform/service_directory.hpp"
#include "web/render.hpp"

namespace pratu::notifications {

inline constexpr const char* kDocumentIssuedTopic = "documents.issued";
inline constexpr const char* kDocumentStatusTopic = "documents.status_changed";
inline constexpr const char* kDocumentDeliveredTopic = "documents.delivered";
inline constexpr const char* kReceiptIssuedTopic = "documents.receipt_issued";

class DocumentMail : private MailComposer {
 public:
  /// As DraftExpiryMail: `services` may be null; `public_url` is where people reach Pratu.
  DocumentMail(platform::ProfileDirectory& profiles, const platform::ServiceDirectory* services,
               const web::Translations& translations, std::string public_url);

  /// The letter for a row's payload {"user_id", "service", "number", and "application"
  /// (issued), "status" (status_changed: suspended, reinstated, revoked), "delivery" and
  /// "tracking_number" (delivered: posted, handed_over)}.
  Result<Letter> compose(const OutboxJob& job) const;
};

}  // namespace pratu::notifications
