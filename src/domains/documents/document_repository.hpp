#pragma once
/// The documents tables (migrations/*/0001_documents.sql) as the documents module uses them.
/// Free functions on a connection, inside the caller's transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domains/documents/issued_document.hpp"
#include "storage/database.hpp"

namespace pratu::documents::repository {

/// Takes the next number of `prefix` in Buddhist-era `year`: 1, 2, ... with no gap or repeat
/// among committed transactions.
Result<std::int64_t> next_sequence(storage::Connection& c, std::string_view prefix, int year);

/// Inserts `document` (status issuing); returns its id.
Result<std::int64_t> insert(storage::Connection& c, const IssuedDocument& document);

/// Keeps the signed file of document `id` and makes it valid. False when it is not issuing.
Result<bool> mark_signed(storage::Connection& c, std::int64_t id, const std::string& sha256,
                         std::int64_t size_bytes, const std::string& signer_serial,
                         std::int64_t now);

/// Changes the status of document `id` from `from` to `to`. False when it was not `from`.
Result<bool> change_status(storage::Connection& c, std::int64_t id, DocumentStatus from,
                           DocumentStatus to, std::int64_t now, const std::string& reason);

/// Sets how document `id` reaches its holder ("download", "post", "counter"). False once it
/// was posted or handed over.
Result<bool> choose_delivery(storage::Connection& c, std::int64_t id, const std::string& delivery);

/// Records that document `id` was posted (with `tracking_number`) or handed over at `now`.
/// False unless its delivery is `delivery` and it was not delivered yet.
Result<bool> mark_delivered(storage::Connection& c, std::int64_t id, const std::string& delivery,
                            const std::string& tracking_number, std::int64_t now);

Result<std::optional<IssuedDocument>> by_application(storage::Connection& c,
                                                     std::int64_t application_id);
Result<std::optional<IssuedDocument>> by_number(storage::Connection& c, std::string_view number);
/// The number of the issued document that replaces document `number` (a renewal, a corrected
/// receipt); empty when none does.
Result<std::string> replaced_by(storage::Connection& c, std::string_view number);
Result<std::optional<IssuedDocument>> by_sha256(storage::Connection& c, std::string_view sha256);
/// `user_id`'s documents, newest first (issuing ones included).
Result<std::vector<IssuedDocument>> of_holder(storage::Connection& c, std::int64_t user_id);

/// One entry of a document's history.
struct DocumentEvent {
  std::int64_t at = 0;
  std::string kind;                // issued, suspended, reinstated, revoked, posted, handed_over
  std::int64_t actor_user_id = 0;  // 0: Pratu itself
  std::string reason;
  std::string detail = "{}";  // JSON
};
Result<void> add_event(storage::Connection& c, std::int64_t document_id, const DocumentEvent& e);
Result<std::vector<DocumentEvent>> events(storage::Connection& c, std::int64_t document_id);

}  // namespace pratu::documents::repository
