#include "storage/blob_store.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace pratu::storage {
namespace {

constexpr std::size_t kUploadIdBytes = 16;
constexpr std::size_t kResumeReadBytes = 256 * 1024;

std::string to_hex(const unsigned char* bytes, std::size_t length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (std::size_t i = 0; i < length; ++i) {
    hex.push_back(kHex[bytes[i] >> 4]);
    hex.push_back(kHex[bytes[i] & 0x0f]);
  }
  return hex;
}

Result<std::string> sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return Error::internal("blob store: SHA-256 failed");
  }
  return to_hex(digest, length);
}

bool is_lower_hex(std::string_view text, std::size_t size) {
  if (text.size() != size) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Error io_error(std::string_view what, const std::filesystem::path& path) {
  return Error::unavailable("blob store: " + std::string(what) + " " + path.string() + ": " +
                            std::strerror(errno));
}

// Closes a file descriptor whatever way the scope is left.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = other.release();
    }
    return *this;
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Makes a rename in `dir` durable.
bool sync_directory(const std::filesystem::path& dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  return fd.get() >= 0 && ::fsync(fd.get()) == 0;
}

Result<void> make_directories(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Error::unavailable("blob store: cannot create " + dir.string() + ": " + ec.message());
  }
  return ok();
}

// Moves the written file `temp` (open as `fd`) to `target` durably: read-only, fsync, rename,
// fsync of the directory. Removes `temp` on failure.
Result<void> publish(FileDescriptor& fd, const std::filesystem::path& temp,
                     const std::filesystem::path& target) {
  // Once renamed the blob is immutable: readable by all, writable by none.
  bool written =
      ::fchmod(fd.get(), 0444) == 0 && ::fsync(fd.get()) == 0 && ::close(fd.release()) == 0;
  if (!written) {
    Error error = io_error("cannot write", temp);
    ::unlink(temp.c_str());
    return error;
  }
  // rename() replaces atomically: a concurrent put of the same bytes leaves identical content.
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    Error error = io_error("cannot rename into", target);
    ::unlink(temp.c_str());
    return error;
  }
  if (!sync_directory(target.parent_path())) return io_error("cannot sync", target.parent_path());
  return ok();
}

Error too_large(std::int64_t limit) {
  return Error{ErrorCode::invalid_input,
               "errors.upload_too_large",
               "upload larger than its limit of " + std::to_string(limit) + " bytes",
               {},
               0};
}

Error offset_conflict(std::int64_t offset, std::int64_t written) {
  return Error{ErrorCode::conflict,
               "errors.upload_offset_conflict",
               "upload append at offset " + std::to_string(offset) + " but " +
                   std::to_string(written) + " bytes are stored",
               {},
               0};
}

}  // namespace

BlobStore::BlobStore(std::filesystem::path root) : root_(std::move(root)) {}

bool BlobStore::is_sha256(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::filesystem::path BlobStore::path_of(std::string_view sha256) const {
  return root_ / std::string(sha256.substr(0, 2)) / std::string(sha256.substr(2, 2)) /
         std::string(sha256);
}

Result<BlobRef> BlobStore::put(std::string_view bytes, std::string_view media_type) const {
  PRATU_TRY(sha256, sha256_hex(bytes));
  BlobRef ref{sha256, static_cast<std::int64_t>(bytes.size()), std::string(media_type)};
  std::filesystem::path target = path_of(sha256);
  if (exists(sha256)) return ref;

  std::filesystem::path dir = target.parent_path();
  PRATU_CHECK(make_directories(dir));
  std::string temp = (dir / ("." + sha256 + ".XXXXXX")).string();
  FileDescriptor fd(::mkstemp(temp.data()));
  if (fd.get() < 0) return io_error("cannot create", temp);
  if (!write_all(fd.get(), bytes)) {
    Error error = io_error("cannot write", temp);
    ::unlink(temp.c_str());
    return error;
  }
  PRATU_CHECK(publish(fd, temp, target));
  return ref;
}

Result<std::string> BlobStore::get(std::string_view sha256) const {
  if (!is_sha256(sha256)) return Error::invalid({{"sha256", "errors.invalid_input"}});
  std::filesystem::path path = path_of(sha256);
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Error::not_found("blob " + std::string(sha256));
    return io_error("cannot open", path);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return io_error("cannot stat", path);
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read", path);
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

std::filesystem::path BlobStore::uploads_dir() const { return root_ / "uploads"; }

bool BlobStore::exists(std::string_view sha256) const {
  if (!is_sha256(sha256)) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(path_of(sha256), ec);
}

// ---- BlobWriter -------------------------------------------------------------------------

struct BlobWriter::State {
  const BlobStore* store = nullptr;
  std::string id;
  std::filesystem::path path;
  FileDescriptor fd{-1};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> digest{EVP_MD_CTX_new(),
                                                                 &EVP_MD_CTX_free};
  std::int64_t written = 0;
  std::int64_t limit = 0;
  bool spent = false;
  // Published at its content address, the partial upload kept until release().
  bool published = false;
  // False for a resumed upload: the digest's state cannot be kept between requests, so the
  // file is read once, when it is finished, rather than at every resume.
  bool digest_current = true;
};

BlobWriter::BlobWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
BlobWriter::BlobWriter(BlobWriter&&) noexcept = default;
BlobWriter& BlobWriter::operator=(BlobWriter&&) noexcept = default;
BlobWriter::~BlobWriter() = default;

bool BlobWriter::is_upload_id(std::string_view text) {
  return is_lower_hex(text, 2 * kUploadIdBytes);
}

namespace {

// A partial upload's file, locked for this writer alone; the lock goes with the descriptor.
Result<void> lock_upload(const FileDescriptor& fd, const std::filesystem::path& path) {
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return ok();
  if (errno == EWOULDBLOCK) {
    return Error{ErrorCode::conflict,
                 "errors.upload_offset_conflict",
                 "upload " + path.filename().string() + " has another writer",
                 {},
                 0};
  }
  return io_error("cannot lock", path);
}

Result<void> start_digest(EVP_MD_CTX* context) {
  if (context == nullptr || EVP_DigestInit_ex(context, EVP_sha256(), nullptr) != 1) {
    return Error::internal("blob store: SHA-256 failed");
  }
  return ok();
}

}  // namespace

Result<BlobWriter> BlobWriter::create(const BlobStore& store, std::int64_t limit_bytes) {
  auto state = std::make_unique<State>();
  state->store = &store;
  state->limit = limit_bytes;
  PRATU_CHECK(start_digest(state->digest.get()));
  const std::filesystem::path dir = store.uploads_dir();
  PRATU_CHECK(make_directories(dir));
  std::array<unsigned char, kUploadIdBytes> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    return Error::internal("blob store: no randomness for an upload id");
  }
  state->id = to_hex(random.data(), random.size());
  state->path = dir / state->id;
  state->fd =
      FileDescriptor(::open(state->path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (state->fd.get() < 0) return io_error("cannot create", state->path);
  PRATU_CHECK(lock_upload(state->fd, state->path));
  // Opened just before its last writer released it: the name is gone (or another file's), and
  // what this descriptor holds is a published blob, never to be appended to.
  struct stat opened {};
  struct stat named {};
  if (::fstat(state->fd.get(), &opened) != 0 || ::stat(state->path.c_str(), &named) != 0 ||
      opened.st_ino != named.st_ino || opened.st_dev != named.st_dev) {
    return Error::not_found("upload " + state->id);
  }
  return BlobWriter(std::move(state));
}

Result<BlobWriter> BlobWriter::resume(const BlobStore& store, std::string_view id,
                                      std::int64_t limit_bytes) {
  if (!is_upload_id(id)) return Error::invalid({{"upload", "errors.invalid_input"}});
  auto state = std::make_unique<State>();
  state->store = &store;
  state->limit = limit_bytes;
  state->id = std::string(id);
  state->path = store.uploads_dir() / state->id;
  PRATU_CHECK(start_digest(state->digest.get()));
  state->fd = FileDescriptor(::open(state->path.c_str(), O_RDWR | O_CLOEXEC));
  if (state->fd.get() < 0) {
    if (errno == ENOENT) return Error::not_found("upload " + state->id);
    return io_error("cannot open", state->path);
  }
  PRATU_CHECK(lock_upload(state->fd, state->path));
  // Opened just before its last writer released it: the name is gone (or another file's), and
  // what this descriptor holds is a published blob, never to be appended to.
  struct stat opened {};
  struct stat named {};
  if (::fstat(state->fd.get(), &opened) != 0 || ::stat(state->path.c_str(), &named) != 0 ||
      opened.st_ino != named.st_ino || opened.st_dev != named.st_dev) {
    return Error::not_found("upload " + state->id);
  }
  // Appends go after what is stored; the digest is worked out when the upload is finished.
  const off_t end = ::lseek(state->fd.get(), 0, SEEK_END);
  if (end < 0) return io_error("cannot seek", state->path);
  state->written = static_cast<std::int64_t>(end);
  state->digest_current = false;
  return BlobWriter(std::move(state));
}

const std::string& BlobWriter::id() const { return state_->id; }

std::int64_t BlobWriter::bytes_written() const { return state_->written; }

std::int64_t BlobWriter::limit_bytes() const { return state_->limit; }

bool BlobWriter::open() const { return state_ && !state_->spent; }

Result<void> BlobWriter::append(std::string_view bytes) {
  if (!open()) return Error::internal("blob store: append to a finished upload");
  if (static_cast<std::int64_t>(bytes.size()) > state_->limit - state_->written) {
    return too_large(state_->limit);
  }
  if (!write_all(state_->fd.get(), bytes)) {
    // A short write leaves the file longer than the digest knows: the upload is unusable.
    Error error = io_error("cannot write", state_->path);
    abandon();
    return error;
  }
  if (state_->digest_current &&
      EVP_DigestUpdate(state_->digest.get(), bytes.data(), bytes.size()) != 1) {
    abandon();
    return Error::internal("blob store: SHA-256 failed");
  }
  state_->written += static_cast<std::int64_t>(bytes.size());
  return ok();
}

Result<void> BlobWriter::append_at(std::int64_t offset, std::string_view bytes) {
  if (!open()) return Error::internal("blob store: append to a finished upload");
  if (offset != state_->written) return offset_conflict(offset, state_->written);
  return append(bytes);
}

Result<BlobRef> BlobWriter::finish(std::string_view media_type) {
  PRATU_TRY(ref, publish(media_type));
  release();
  return ref;
}

Result<BlobRef> BlobWriter::publish(std::string_view media_type) {
  if (!open()) return Error::internal("blob store: finish of a finished upload");
  if (!state_->digest_current) {
    // A resumed upload: read back, once, all it holds.
    std::string chunk(kResumeReadBytes, '\0');
    for (std::int64_t at = 0; at < state_->written;) {
      const ssize_t n =
          ::pread(state_->fd.get(), chunk.data(), chunk.size(), static_cast<off_t>(at));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        Error error = io_error("cannot read", state_->path);
        abandon();
        return error;
      }
      if (EVP_DigestUpdate(state_->digest.get(), chunk.data(), static_cast<std::size_t>(n)) != 1) {
        abandon();
        return Error::internal("blob store: SHA-256 failed");
      }
      at += n;
    }
    state_->digest_current = true;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(state_->digest.get(), digest, &length) != 1) {
    abandon();
    return Error::internal("blob store: SHA-256 failed");
  }
  BlobRef ref{to_hex(digest, length), state_->written, std::string(media_type)};
  const std::filesystem::path target = state_->store->path_of(ref.sha256);
  if (!state_->store->exists(ref.sha256)) {
    auto made = make_directories(target.parent_path());
    if (!made) {
      abandon();
      return made.error();
    }
    // A second name for the same bytes: the partial upload stays where it is until release(),
    // and a concurrent publish of the same bytes (EEXIST) left identical content.
    if (::fsync(state_->fd.get()) != 0 ||
        (::link(state_->path.c_str(), target.c_str()) != 0 && errno != EEXIST)) {
      Error error = io_error("cannot link into", target);
      abandon();
      return error;
    }
    if (!sync_directory(target.parent_path())) {
      return io_error("cannot sync", target.parent_path());
    }
  }
  state_->spent = true;
  state_->published = true;
  return ref;
}

void BlobWriter::release() {
  if (!state_ || !state_->published) return;
  state_->published = false;
  ::unlink(state_->path.c_str());
  // Once it has no other name the blob is immutable: readable by all, writable by none.
  ::fchmod(state_->fd.get(), 0444);
  state_->fd = FileDescriptor(-1);
}

void BlobWriter::abandon() {
  if (!open()) return;
  state_->spent = true;
  ::unlink(state_->path.c_str());
  state_->fd = FileDescriptor(-1);
}

}  // namespace pratu::storage
