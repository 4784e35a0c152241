#pragma once
/// The certificates a verifier trusts (docs/adr/0024): root CAs, which a signer's and a
/// timestamp authority's chains must end at, and intermediates offered to build those chains
/// (never trusted on their own). Loaded once and shared; every method is thread-safe.

#include <openssl/x509.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/result.hpp"

namespace pratu::crypto {

class TrustAnchors {
 public:
  /// From PEM text: `roots_pem` one or more self-signed CA certificates, `intermediates_pem`
  /// none or more CA certificates. Fails when a root is not self-signed or a PEM is broken.
  static Result<TrustAnchors> from_pem(std::string_view roots_pem,
                                       std::string_view intermediates_pem = {});

  /// From PEM files; `intermediates` may be empty for none.
  static Result<TrustAnchors> from_files(const std::filesystem::path& roots,
                                         const std::filesystem::path& intermediates = {});

  /// A new store holding the roots that checks validity at `at` (seconds since the epoch).
  /// The caller owns it (X509_STORE_free).
  X509_STORE* new_store(std::int64_t at) const;

  /// A new stack of the intermediates followed by `extra` (may be null), each certificate
  /// up-referenced; the caller owns it (sk_X509_pop_free with X509_free).
  STACK_OF(X509) * new_untrusted(const STACK_OF(X509) * extra) const;

 private:
  struct Certificates;
  explicit TrustAnchors(std::shared_ptr<const Certificates> certificates);
  std::shared_ptr<const Certificates> certificates_;
};

}  // namespace pratu::crypto
