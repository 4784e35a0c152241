#pragma once
/// Content-addressed files: each blob is stored once, under the SHA-256 of its bytes.
/// The caller records the returned BlobRef in the `blobs` table in its own transaction.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace pratu::storage {

/// What `put` stored: the address and the metadata the `blobs` table keeps.
struct BlobRef {
  std::string sha256;  // 64 lowercase hex digits
  std::int64_t size_bytes = 0;
  std::string media_type;
};

/// Blobs as files `<root>/ab/cd/<sha256>`; safe to share between threads and processes.
class BlobStore {
 public:
  /// A store rooted at `root` (created on first put).
  explicit BlobStore(std::filesystem::path root);

  /// Stores `bytes` durably (temp file, fsync, rename); storing the same bytes twice keeps one
  /// file.
  Result<BlobRef> put(std::string_view bytes, std::string_view media_type) const;
  /// The bytes of blob `sha256`; not_found if absent, invalid_input if `sha256` is malformed.
  Result<std::string> get(std::string_view sha256) const;
  /// True if blob `sha256` is stored (false for a malformed address).
  bool exists(std::string_view sha256) const;
  /// Where blob `sha256` lives (whether or not it exists); `sha256` must be well formed.
  std::filesystem::path path_of(std::string_view sha256) const;

  /// True if `text` is 64 lowercase hex digits.
  static bool is_sha256(std::string_view text);
  /// Where partial uploads live: `<root>/uploads`, on the same file system as the blobs.
  std::filesystem::path uploads_dir() const;

 private:
  std::filesystem::path root_;
};

/// Writes one blob as it arrives, without holding it in memory: the bytes go to a partial
/// upload `<root>/uploads/<id>` and into an incremental SHA-256; finish() moves the file to its
/// content address. A partial upload outlives its writer, so another writer (a later request)
/// can reopen it by id and append where the last one stopped; abandon() removes it. One writer
/// at a time per upload (an advisory lock refuses a second). Not thread-safe.
class BlobWriter {
 public:
  /// Starts a new partial upload of at most `limit_bytes`, with a fresh random id.
  static Result<BlobWriter> create(const BlobStore& store, std::int64_t limit_bytes);
  /// Reopens partial upload `id` to append after what it holds (read back once, by finish(),
  /// for the digest: resuming costs nothing however often an upload is cut); not_found if
  /// there is none, invalid_input if `id` is malformed, conflict if another writer holds it.
  static Result<BlobWriter> resume(const BlobStore& store, std::string_view id,
                                   std::int64_t limit_bytes);

  BlobWriter(BlobWriter&&) noexcept;
  BlobWriter& operator=(BlobWriter&&) noexcept;
  /// Closes the file and keeps the partial upload (see abandon()).
  ~BlobWriter();

  /// The partial upload's id: 32 lowercase hex digits, unguessable.
  const std::string& id() const;
  /// Bytes stored so far (the offset the next append must start at).
  std::int64_t bytes_written() const;
  /// The size limit this writer enforces.
  std::int64_t limit_bytes() const;

  /// Appends `bytes` at the end; invalid_input (errors.upload_too_large) if the upload would
  /// pass its limit, and then nothing of `bytes` is stored.
  Result<void> append(std::string_view bytes);
  /// Appends `bytes` at `offset`, which must equal bytes_written(): conflict
  /// (errors.upload_offset_conflict) otherwise, as a resumed upload that lost track would be.
  Result<void> append_at(std::int64_t offset, std::string_view bytes);
  /// Makes the bytes durable, moves them to their content address (a blob already stored is
  /// kept as it is) and returns its reference; the writer is then spent. publish() then
  /// release().
  Result<BlobRef> finish(std::string_view media_type);
  /// Makes the bytes durable at their content address (hard-linked; a blob already stored is
  /// kept as it is) and returns its reference, keeping the partial upload and this writer's
  /// lock: until release(), another request finds the upload whole and busy, never gone, so a
  /// caller can record the blob before the partial upload disappears. Nothing more can be
  /// appended. Dropped without release(), the partial upload stays and a later writer can
  /// finish it again.
  Result<BlobRef> publish(std::string_view media_type);
  /// After publish(): removes the partial upload and lets go of its lock; the writer is then
  /// spent.
  void release();
  /// Removes the partial upload; the writer is then spent. Idempotent.
  void abandon();
  /// True until finish(), publish() or abandon().
  bool open() const;

  /// True if `text` is a well-formed upload id.
  static bool is_upload_id(std::string_view text);

 private:
  struct State;
  explicit BlobWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pratu::storage
