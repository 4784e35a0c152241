#pragma once
/// A test key hierarchy (crypto::make_test_hierarchy) made once per test binary, valid now so
/// the openssl and pdfsig command lines, which check at the real time, accept it; with the
/// signer, timestamp authority and trust anchors the signing tests use.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "common/clock.hpp"
#include "crypto/cms_signature.hpp"
#include "crypto/pki.hpp"
#include "crypto/secure_random.hpp"
#include "crypto/timestamp.hpp"
#include "crypto/trust_anchors.hpp"
#include "support/temp_dir.hpp"

namespace pratu::test {

/// One hierarchy under a temporary directory: root, issuing CA, TSA and agencies "bma" and
/// "dbd". Made on first use and kept for the process.
class SigningPki {
 public:
  /// The hierarchy named `name` ("main", "other", ...): each name is a separate root.
  static const SigningPki& get(const std::string& name = "main") {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<SigningPki>> made;
    std::lock_guard lock(mutex);
    auto& entry = made[name];
    if (!entry) entry.reset(new SigningPki());
    return *entry;
  }

  /// The directory holding root-ca.pem, tsa.* and agencies/.
  const std::filesystem::path& dir() const { return dir_; }
  /// `relative` under that directory ("agencies/bma.key").
  std::filesystem::path path(const std::string& relative) const { return dir_ / relative; }

  /// The agency `code`'s signer (key and chain from files).
  std::unique_ptr<crypto::FileSigner> signer(const std::string& code = "bma") const {
    auto loaded = crypto::FileSigner::load(path("agencies/" + code + ".key").string(),
                                           path("agencies/" + code + "-chain.pem"));
    EXPECT_TRUE(loaded) << loaded.error().detail;
    return loaded ? std::move(*loaded) : nullptr;
  }

  /// The timestamp authority, answering in process with the real clock.
  std::unique_ptr<crypto::LocalTimestampAuthority> tsa() const {
    crypto::LocalTimestampSettings settings;
    settings.key = path("tsa.key");
    settings.certificate = path("tsa.pem");
    settings.chain = path("tsa-chain.pem");
    auto loaded = crypto::LocalTimestampAuthority::load(settings, clock_, random_);
    EXPECT_TRUE(loaded) << loaded.error().detail;
    return loaded ? std::move(*loaded) : nullptr;
  }

  /// The root as the only anchor; intermediates come with each signature.
  crypto::TrustAnchors anchors() const {
    auto loaded = crypto::TrustAnchors::from_files(path("root-ca.pem"));
    if (!loaded) throw std::runtime_error(loaded.error().detail);
    return *loaded;
  }

  /// Now, in seconds.
  static std::int64_t now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

 private:
  // Valid from an hour ago, so a clock a little behind still finds it valid.
  SigningPki() : temp_("pratu-signing-pki-"), dir_(temp_.path() / "pki") {
    auto made = crypto::make_test_hierarchy(dir_, {"bma", "dbd"}, now() - 3600);
    if (!made) throw std::runtime_error(made.error().detail);
  }

  TempDir temp_;
  std::filesystem::path dir_;
  mutable SystemClock clock_;
  mutable crypto::SecureRandom random_;
};

}  // namespace pratu::test
