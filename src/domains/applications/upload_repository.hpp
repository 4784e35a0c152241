#pragma once
/// SQL for uploads and the document wallet: free functions on a connection.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::applications {

/// A resumable upload as stored.
struct UploadRecord {
  std::int64_t id = 0;
  std::string public_id;
  std::int64_t user_id = 0;
  std::int64_t length = 0;
  std::int64_t offset = 0;
  std::string writer_id;
  std::string filename;
  std::string filetype;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::string sha256;  // empty until complete and accepted
};

/// A document in an applicant's wallet.
struct WalletDocument {
  std::string public_id;
  std::int64_t user_id = 0;
  std::string sha256;
  std::string media_type;
  std::int64_t size_bytes = 0;
  std::string filename;
  std::int64_t created_at = 0;
};

/// What one applicant's unfinished uploads hold open.
struct OpenUploads {
  std::int64_t count = 0;
  std::int64_t bytes = 0;  // their declared lengths
};

}  // namespace pratu::applications

namespace pratu::applications::upload_repository {

Result<void> insert_upload(storage::Connection& c, const UploadRecord& u);
Result<std::optional<UploadRecord>> find_upload(storage::Connection& c, std::string_view public_id);
/// Unfinished, unexpired uploads of `user_id` at `now`.
Result<OpenUploads> open_uploads(storage::Connection& c, std::int64_t user_id, std::int64_t now);
Result<void> record_offset(storage::Connection& c, std::int64_t id, std::int64_t offset);
/// Marks upload `id` finished as blob `sha256`: false when it was finished already or is gone,
/// so only one of two requests completing it at once adds a document.
Result<bool> mark_finished(storage::Connection& c, std::int64_t id, std::string_view sha256);
Result<void> delete_upload(storage::Connection& c, std::int64_t id);
/// Uploads expired before `now`, oldest first.
Result<std::vector<UploadRecord>> expired(storage::Connection& c, std::int64_t now, int limit);
/// Records blob `sha256` (once) in the `blobs` table.
Result<void> insert_blob(storage::Connection& c, std::string_view sha256, std::int64_t size,
                         std::string_view media_type, std::int64_t now);
Result<void> insert_document(storage::Connection& c, const WalletDocument& d);
Result<std::vector<WalletDocument>> documents_of(storage::Connection& c, std::int64_t user_id,
                                                 int limit);
/// Wallet document `public_id` of `user_id`, if there is one.
Result<std::optional<WalletDocument>> find_document(storage::Connection& c, std::int64_t user_id,
                                                    std::string_view public_id);
/// The newest wallet document of `user_id` holding blob `sha256`, if there is one.
/// Removes wallet document `public_id` of `user_id`; the rows removed (0 or 1).
Result<std::int64_t> delete_document(storage::Connection& c, std::int64_t user_id,
                                     std::string_view public_id);
Result<std::optional<WalletDocument>> document_with_blob(storage::Connection& c,
                                                         std::int64_t user_id,
                                                         std::string_view sha256);

}  // namespace pratu::applications::upload_repository
