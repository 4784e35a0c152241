#pragma once
/// Content-addressed files: each blob is stored once, under the SHA-256 of its bytes.
/// The caller records the returned BlobRef in the `blobs` table in its own transaction.

#include <cstdint>
#include <filesystem>
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

  /// Stores `bytes` durably (temp file, fsync, rename); storing the same bytes twice keeps one file.
  Result<BlobRef> put(std::string_view bytes, std::string_view media_type) const;
  /// The bytes of blob `sha256`; not_found if absent, invalid_input if `sha256` is malformed.
  Result<std::string> get(std::string_view sha256) const;
  /// True if blob `sha256` is stored (false for a malformed address).
  bool exists(std::string_view sha256) const;
  /// Where blob `sha256` lives (whether or not it exists); `sha256` must be well formed.
  std::filesystem::path path_of(std::string_view sha256) const;

  /// True if `text` is 64 lowercase hex digits.
  static bool is_sha256(std::string_view text);

 private:
  std::filesystem::path root_;
};

}  // namespace pratu::storage
