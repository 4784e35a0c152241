#pragma once
/// Resumable uploads (tus 1.0) into the applicant's document wallet. A new upload is a partial
/// file in the blob store; requests append to it where it stopped; the last byte has the file
/// checked by its content (PDF, JPEG, PNG; PDFs opened by qpdf, malformed or encrypted ones
/// refused), stored by its SHA-256 and added to the wallet. Every call names the person: an
/// upload that is not theirs is not found.

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "domains/applications/application_service.hpp"
#include "domains/applications/upload_repository.hpp"
#include "storage/blob_store.hpp"
#include "storage/database.hpp"
#include "web/message.hpp"

namespace pratu::applications {

/// What an upload was made with: Upload-Length and Upload-Metadata's filename and filetype.
struct NewUpload {
  std::int64_t length = 0;
  std::string filename;
  std::string filetype;
};

/// An upload's state, as HEAD and PATCH tell it.
struct UploadState {
  UploadRecord record;
  std::int64_t offset = 0;                 // the bytes stored: where the next PATCH starts
  std::optional<WalletDocument> document;  // set once complete and accepted
};

class UploadService {
 public:
  UploadService(storage::Database& db, const Clock& clock, Random& random,
                const storage::BlobStore& blobs, const ApplicationsSettings& settings);

  /// The largest upload accepted (Tus-Max-Size).
  std::int64_t max_size() const;

  /// Starts an upload for `user_id`: too_large past max_size() or the person's open bytes,
  /// conflict when they hold too many unfinished uploads.
  Result<UploadRecord> create(std::int64_t user_id, const NewUpload& upload);
  /// The upload `public_id` of `user_id`, with its offset; not_found if not theirs or expired.
  Result<UploadState> status(std::int64_t user_id, std::string_view public_id);
  /// Where a PATCH starting at `offset` appends: conflict when `offset` is not the bytes
  /// stored or the upload is complete.
  Result<web::PartialUpload> append_target(std::int64_t user_id, std::string_view public_id,
                                           std::int64_t offset);
  /// After a PATCH: records the offset, and when the upload is complete checks its content,
  /// stores it by SHA-256 and adds it to the wallet. A refused file (invalid_input, the reason
  /// as the message key) is removed with its upload.
  Result<UploadState> appended(std::int64_t user_id, std::string_view public_id);
  /// Removes the upload and what it stored (tus termination).
  Result<void> terminate(std::int64_t user_id, std::string_view public_id);
  /// Removes uploads past their expiry, and the bytes of unfinished ones; how many.
  Result<std::int64_t> sweep_expired();
  /// The person's wallet, newest first.
  Result<std::vector<WalletDocument>> wallet(std::int64_t user_id);
  /// Keeps a whole file sent at once (a page's file input): judged by its content as a
  /// finished upload is, and added to the wallet (the document already there when the person
  /// holds the same bytes). invalid_input with the reason as the key when refused.
  Result<WalletDocument> store(std::int64_t user_id, std::string_view filename,
                               std::string_view bytes);
  /// Takes wallet document `public_id` out of `user_id`'s wallet; not_found if it is not
  /// theirs. Applications it is attached to keep their copy: a sent application is a record.
  Result<void> remove_document(std::int64_t user_id, std::string_view public_id);
  /// Wallet document `public_id` of `user_id`; not_found if it is not theirs.
  Result<WalletDocument> document(std::int64_t user_id, std::string_view public_id);
  /// Where the bytes of blob `sha256` are, which the caller found in the person's wallet or
  /// answers, to be streamed from; internal when they are missing (the blob of a document is
  /// never removed).
  Result<std::string> content_file(std::string_view sha256) const;
  /// The person's wallet document holding blob `sha256`, if they have one.
  Result<std::optional<WalletDocument>> document_with_blob(std::int64_t user_id,
                                                           std::string_view sha256);

 private:
  Result<UploadRecord> find(std::int64_t user_id, std::string_view public_id);
  /// The bytes stored; not_found when the partial file has gone (finished or removed since).
  Result<std::int64_t> stored_bytes(const UploadRecord& upload) const;
  /// The upload with its offset, read again if its partial file went meanwhile.
  Result<UploadState> current(std::int64_t user_id, std::string_view public_id);
  /// Once its partial file is gone: the upload as another request finished it, or not_found.
  Result<UploadState> settled(std::int64_t user_id, std::string_view public_id);
  Result<UploadState> complete(UploadRecord upload);
  /// Why a complete file is refused (a message key), or nullopt to keep it.
  Result<std::optional<std::string>> refusal(const UploadRecord& upload, std::string& media_type);
  void discard(const UploadRecord& upload);
  /// A wallet document, with a fresh public id, for `blob` as stored for `user_id`.
  WalletDocument new_document(std::int64_t user_id, const storage::BlobRef& blob,
                              std::string_view filename);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  const storage::BlobStore& blobs_;
  const ApplicationsSettings& settings_;
};

/// A document answer (what a form's document field holds) naming wallet document `d`.
boost::json::object document_answer(const WalletDocument& d, std::string_view source);

/// What qpdf says of the PDF at `path`.
enum class PdfVerdict { sound, malformed, encrypted };

/// Opens the PDF at `path` with the qpdf program `qpdf` (`--requires-password`, `--check`);
/// an error when qpdf cannot be run.
Result<PdfVerdict> check_pdf(const std::string& qpdf, const std::string& path);

}  // namespace pratu::applications
