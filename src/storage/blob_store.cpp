#include "storage/blob_store.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace pratu::storage {
namespace {

Result<std::string> sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return Error::internal("blob store: SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
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
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Error::unavailable("blob store: cannot create " + dir.string() + ": " + ec.message());
  }
  std::string temp = (dir / ("." + sha256 + ".XXXXXX")).string();
  FileDescriptor fd(::mkstemp(temp.data()));
  if (fd.get() < 0) return io_error("cannot create", temp);
  // Once renamed the blob is immutable: readable by all, writable by none.
  bool written = ::fchmod(fd.get(), 0444) == 0 && write_all(fd.get(), bytes) &&
                 ::fsync(fd.get()) == 0 && ::close(fd.release()) == 0;
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
  if (!sync_directory(dir)) return io_error("cannot sync", dir);
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

bool BlobStore::exists(std::string_view sha256) const {
  if (!is_sha256(sha256)) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(path_of(sha256), ec);
}

}  // namespace pratu::storage
