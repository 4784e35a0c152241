#pragma once
/// Temporary files for tests: each use gets a directory of its own, removed with its contents.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pratu::test {

/// `prefix` and a suffix no other test process or case uses: pid, a counter and randomness.
inline std::string unique_name(std::string_view prefix) {
  static std::atomic<int> counter{0};
  std::random_device random;
  return std::string(prefix) + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(random() % 1000000);
}

/// A fresh directory under the system's temporary directory, removed with everything in it
/// when this goes away.
class TempDir {
 public:
  /// Creates it, named `prefix` and a unique suffix; throws when it cannot.
  explicit TempDir(std::string_view prefix = "pratu-test-")
      : path_(std::filesystem::temp_directory_path() / unique_name(prefix)) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The directory.
  const std::filesystem::path& path() const { return path_; }
  /// `relative` inside the directory.
  std::filesystem::path operator/(const std::filesystem::path& relative) const {
    return path_ / relative;
  }

  /// Writes `bytes` to `relative`, creating the folders on the way; returns the file's path.
  std::filesystem::path write(const std::filesystem::path& relative, std::string_view bytes) const {
    auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
    return file;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace pratu::test
