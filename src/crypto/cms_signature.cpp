/// PAdES CMS signatures: a signer over OSSL_STORE keys and the DER of §3.2.
#include "crypto/cms_signature.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>

#include "common/files.hpp"
#include "crypto/der.hpp"
#include "crypto/openssl_handles.hpp"

namespace pratu::crypto {

namespace {

constexpr std::string_view kIdData = "1.2.840.113549.1.7.1";
constexpr std::string_view kIdSignedData = "1.2.840.113549.1.7.2";
constexpr std::string_view kSha256 = "2.16.840.1.101.3.4.2.1";
constexpr std::string_view kContentType = "1.2.840.113549.1.9.3";
constexpr std::string_view kMessageDigest = "1.2.840.113549.1.9.4";
constexpr std::string_view kSigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
constexpr std::string_view kSignatureTimeStampToken = "1.2.840.113549.1.9.16.2.14";
constexpr std::string_view kEcdsaWithSha256 = "1.2.840.10045.4.3.2";
constexpr std::string_view kRsaEncryption = "1.2.840.113549.1.1.1";

// Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }
std::string attribute(std::string_view type, std::string value) {
  return der::sequence({der::oid(type), der::set_of({std::move(value)})});
}

// AlgorithmIdentifier for SHA-256, parameters absent (RFC 5754 §2).
std::string sha256_algorithm() { return der::sequence({der::oid(kSha256)}); }

std::string signature_algorithm(SignatureAlgorithm algorithm) {
  switch (algorithm) {
    case SignatureAlgorithm::ecdsa_with_sha256: return der::sequence({der::oid(kEcdsaWithSha256)});
    case SignatureAlgorithm::rsa_pkcs1_sha256:
      return der::sequence({der::oid(kRsaEncryption), der::null()});
  }
  return {};
}

// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, with one ESSCertIDv2
// { certHash, issuerSerial { issuer GeneralNames { directoryName [4] }, serialNumber } } and
// hashAlgorithm left at its default, SHA-256 (RFC 5035).
std::string signing_certificate_v2(const SignerIdentity& identity) {
  const std::string general_names = der::sequence({der::explicit_tag(4, identity.issuer_der)});
  const std::string issuer_serial = der::sequence({general_names, identity.serial_der});
  const std::string cert_id =
      der::sequence({der::octet_string(identity.certificate_sha256), issuer_serial});
  return der::sequence({der::sequence({cert_id})});
}

std::size_t largest_signature(SignatureAlgorithm algorithm, std::size_t certificate_size) {
  // ECDSA up to P-521 is under 140 octets; an RSA signature is the modulus, smaller than the
  // certificate that holds it.
  return algorithm == SignatureAlgorithm::ecdsa_with_sha256 ? 160 : certificate_size;
}

}  // namespace

Result<SignerIdentity> SignerIdentity::from_der(std::string certificate_der,
                                                std::vector<std::string> chain_der,
                                                SignatureAlgorithm algorithm) {
  CertificatePtr certificate = certificate_from_der(certificate_der);
  if (!certificate) return Error::internal("the signer's certificate is not DER X.509");
  SignerIdentity out;
  unsigned char* der = nullptr;
  int length = i2d_X509_NAME(X509_get_issuer_name(certificate.get()), &der);
  if (length <= 0) return openssl_error("encoding the signer's issuer");
  out.issuer_der.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  der = nullptr;
  length = i2d_ASN1_INTEGER(X509_get0_serialNumber(certificate.get()), &der);
  if (length <= 0) return openssl_error("encoding the signer's serial number");
  out.serial_der.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  out.certificate_sha256 = sha256(certificate_der);
  out.certificate_der = std::move(certificate_der);
  out.chain_der = std::move(chain_der);
  out.algorithm = algorithm;
  return out;
}

struct FileSigner::Key {
  KeyPtr key;
};

FileSigner::FileSigner(std::unique_ptr<Key> key, SignerIdentity identity)
    : key_(std::move(key)), identity_(std::move(identity)) {}

FileSigner::~FileSigner() = default;

Result<std::unique_ptr<FileSigner>> FileSigner::load(const std::string& key_uri,
                                                     const std::filesystem::path& chain_pem_path) {
  PRATU_TRY(key, load_private_key(key_uri));
  SignatureAlgorithm algorithm = SignatureAlgorithm::ecdsa_with_sha256;
  if (EVP_PKEY_is_a(key.get(), "EC")) {
    algorithm = SignatureAlgorithm::ecdsa_with_sha256;
  } else if (EVP_PKEY_is_a(key.get(), "RSA")) {
    if (EVP_PKEY_get_bits(key.get()) < 2048) return Error::internal("an RSA key under 2048 bits");
    algorithm = SignatureAlgorithm::rsa_pkcs1_sha256;
  } else {
    return Error::internal("the signing key is neither EC nor RSA");
  }
  PRATU_TRY(pem, read_file(chain_pem_path));
  PRATU_TRY(certificates, read_pem_certificates(pem));
  // The certificate is the one whose public key is the key's; the rest are its chain.
  std::string certificate_der;
  std::vector<std::string> chain_der;
  for (auto& certificate : certificates) {
    if (certificate_der.empty() && X509_check_private_key(certificate.get(), key.get()) == 1) {
      certificate_der = der_of(certificate.get());
      continue;
    }
    ERR_clear_error();
    if (is_self_signed(certificate.get())) continue;  // a root is the verifier's to have
    std::string der = der_of(certificate.get());
    if (std::find(chain_der.begin(), chain_der.end(), der) == chain_der.end()) {
      chain_der.push_back(std::move(der));
    }
  }
  if (certificate_der.empty()) {
    return Error::internal("no certificate in " + chain_pem_path.string() +
                           " is for the signing key");
  }
  std::erase(chain_der, certificate_der);
  PRATU_TRY(identity,
            SignerIdentity::from_der(std::move(certificate_der), std::move(chain_der), algorithm));
  auto held = std::make_unique<Key>();
  held->key = std::move(key);
  return std::unique_ptr<FileSigner>(new FileSigner(std::move(held), std::move(identity)));
}

Result<std::string> FileSigner::sign(std::string_view data) {
  MdContextPtr context(EVP_MD_CTX_new());
  if (!context) return openssl_error("allocating a signing context");
  if (EVP_DigestSignInit_ex(context.get(), nullptr, "SHA256", nullptr, nullptr, key_->key.get(),
                            nullptr) != 1) {
    return openssl_error("starting a signature");
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t length = 0;
  if (EVP_DigestSign(context.get(), nullptr, &length, bytes, data.size()) != 1) {
    return openssl_error("sizing a signature");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     bytes, data.size()) != 1) {
    return openssl_error("signing");
  }
  signature.resize(length);
  return signature;
}

Result<std::string> build_pades_cms(std::string_view message_digest, Signer& signer,
                                    TimestampAuthority* tsa) {
  if (message_digest.size() != 32) return Error::internal("a SHA-256 digest has 32 octets");
  const SignerIdentity& identity = signer.identity();

  // The signed attributes: DER SET OF, sorted; signed with the SET tag, carried as [0].
  const std::string signed_attributes = der::set_of_content({
      attribute(kContentType, der::oid(kIdData)),
      attribute(kMessageDigest, der::octet_string(message_digest)),
      attribute(kSigningCertificateV2, signing_certificate_v2(identity)),
  });
  PRATU_TRY(signature, signer.sign(der::tlv(der::kSet, signed_attributes)));

  std::vector<std::string> signer_info = {
      der::integer(1),
      der::sequence({identity.issuer_der, identity.serial_der}),  // IssuerAndSerialNumber
      sha256_algorithm(),
      der::implicit_constructed(0, signed_attributes),
      signature_algorithm(identity.algorithm),
      der::octet_string(signature),
  };
  if (tsa != nullptr) {
    // B-T: the token's imprint is the hash of the signature value's octets.
    PRATU_TRY(token, tsa->timestamp(sha256(signature)));
    signer_info.push_back(der::implicit_constructed(
        1, der::set_of_content({attribute(kSignatureTimeStampToken, std::move(token))})));
  }

  std::vector<std::string> certificates = {identity.certificate_der};
  certificates.insert(certificates.end(), identity.chain_der.begin(), identity.chain_der.end());
  const std::string signed_data = der::sequence({
      der::integer(1),
      der::set_of({sha256_algorithm()}),
      der::sequence({der::oid(kIdData)}),  // detached: no eContent
      der::implicit_constructed(0, der::set_of_content(std::move(certificates))),
      der::set_of({der::sequence(signer_info)}),
  });
  return der::sequence({der::oid(kIdSignedData), der::explicit_tag(0, signed_data)});
}

std::size_t estimate_pades_cms_size(const Signer& signer, const TimestampAuthority* tsa) {
  const SignerIdentity& identity = signer.identity();
  std::size_t certificates = identity.certificate_der.size();
  for (const auto& der : identity.chain_der) certificates += der.size();
  const std::size_t attributes =
      2 * (identity.issuer_der.size() + identity.serial_der.size()) + 256;
  const std::size_t token = tsa != nullptr ? tsa->token_size_hint() : 0;
  constexpr std::size_t kMargin = 1024;  // tags, lengths and the unexpected
  return certificates + attributes +
         largest_signature(identity.algorithm, identity.certificate_der.size()) + token + kMargin;
}

}  // namespace pratu::crypto
