#pragma once
/// The CMS of a PAdES baseline signature (B-B, and B-T with a timestamp authority), written
/// byte for byte as shared/reference/standards.md §3.2 lays out: OpenSSL's CMS_sign always adds
/// a signingTime, which PAdES forbids. The private key stays behind the Signer interface, so
/// an HSM or a PKCS#11 token can hold it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "crypto/timestamp.hpp"

namespace pratu::crypto {

/// The signature algorithm a signer's key gives, as the SignerInfo names it.
enum class SignatureAlgorithm {
  ecdsa_with_sha256,  // 1.2.840.10045.4.3.2
  rsa_pkcs1_sha256,   // rsaEncryption 1.2.840.113549.1.1.1 with SHA-256 (PKCS#1 v1.5)
};

/// What a signature says about its signer, worked out once from the certificates.
struct SignerIdentity {
  std::string certificate_der;         // the signer's certificate
  std::vector<std::string> chain_der;  // intermediates up to (not including) the root
  std::string issuer_der;              // the certificate's issuer Name
  std::string serial_der;              // its serialNumber, a DER INTEGER
  std::string certificate_sha256;      // SHA-256 of certificate_der, 32 octets
  SignatureAlgorithm algorithm = SignatureAlgorithm::ecdsa_with_sha256;

  /// From DER certificates: the signer's, and the intermediates a signature carries.
  static Result<SignerIdentity> from_der(std::string certificate_der,
                                         std::vector<std::string> chain_der,
                                         SignatureAlgorithm algorithm);
};

/// Signs with a key it keeps to itself.
class Signer {
 public:
  virtual ~Signer() = default;

  /// The signature over SHA-256(`data`) with the identity's algorithm: DER Ecdsa-Sig-Value
  /// for ECDSA, the PKCS#1 v1.5 block for RSA. Thread-safe.
  virtual Result<std::string> sign(std::string_view data) = 0;

  /// The certificate and chain signatures carry.
  virtual const SignerIdentity& identity() const = 0;
};

/// A signer whose key OpenSSL's OSSL_STORE loads: a PEM file path, a `file:` URI, or a
/// `pkcs11:` URI where a PKCS#11 provider is configured. Loads key and certificates once;
/// sign() is thread-safe.
class FileSigner final : public Signer {
 public:
  /// The key at `key_uri`, and from `chain_pem_path` the certificate that matches it plus the
  /// intermediates (roots, self-signed, are left out). EC (P-256 and up) and RSA keys.
  static Result<std::unique_ptr<FileSigner>> load(const std::string& key_uri,
                                                  const std::filesystem::path& chain_pem_path);
  ~FileSigner() override;

  Result<std::string> sign(std::string_view data) override;
  const SignerIdentity& identity() const override { return identity_; }

 private:
  struct Key;
  FileSigner(std::unique_ptr<Key> key, SignerIdentity identity);
  std::unique_ptr<Key> key_;
  SignerIdentity identity_;
};

/// The DER ContentInfo of a detached CAdES signature over content whose SHA-256 is
/// `message_digest` (32 octets): SignedData v1 with one SignerInfo whose signed attributes are
/// contentType, messageDigest and signingCertificateV2 (no signingTime), and, when `tsa` is
/// given, an unsigned signatureTimeStampToken over SHA-256 of the signature value (B-T).
Result<std::string> build_pades_cms(std::string_view message_digest, Signer& signer,
                                    TimestampAuthority* tsa);

/// How much room (octets) a CMS from `signer` with a token from `tsa` may take: the
/// certificates, the attributes, the largest signature and the token, with a margin.
std::size_t estimate_pades_cms_size(const Signer& signer, const TimestampAuthority* tsa);

}  // namespace pratu::crypto
