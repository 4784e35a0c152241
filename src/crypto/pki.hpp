#pragma once
/// Keys and X.509 certificates for signing documents (docs/adr/0024): what an agency's
/// document signer and a timestamp authority need, made with OpenSSL. In production the CA
/// issues them; for the demo and the tests, make_test_hierarchy() makes a whole hierarchy
/// (root CA, issuing CA, one signer per agency, a timestamp authority) on this machine.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace pratu::crypto {

/// What a certificate is for; each kind gets the extensions RFC 5280 and ETSI EN 319 412 ask.
enum class CertificateKind {
  root_ca,          // self-signed; CA:TRUE, keyCertSign and cRLSign
  issuing_ca,       // CA:TRUE with pathlen 0; keyCertSign and cRLSign
  document_signer,  // an agency's seal: digitalSignature and nonRepudiation (contentCommitment)
  timestamping,     // a TSA: digitalSignature, extendedKeyUsage critical timeStamping only
};

/// The subject and lifetime of a certificate to make.
struct CertificateRequest {
  CertificateKind kind = CertificateKind::document_signer;
  std::string common_name;          // UTF-8; Thai names are kept as UTF8String
  std::string organization;         // O
  std::string organizational_unit;  // OU; empty for none
  std::string country = "TH";       // C
  std::int64_t not_before = 0;      // seconds since the epoch
  int days = 365;                   // valid for this many days from not_before
};

/// A private key and its certificate, both PEM.
struct KeyAndCertificate {
  std::string key_pem;  // PKCS#8, unencrypted: the caller keeps it readable by Pratu alone
  std::string certificate_pem;
};

/// A new P-256 key and a certificate for it as `request` says, signed by `issuer` (its key
/// and certificate), or self-signed when `issuer` is null; a random 128-bit serial number.
Result<KeyAndCertificate> issue_certificate(const CertificateRequest& request,
                                            const KeyAndCertificate* issuer);

/// A certificate a CA withdrew before its end.
struct RevokedCertificate {
  std::string serial_hex;       // the certificate's serial number, hex
  std::int64_t revoked_at = 0;  // seconds since the epoch
  int reason = 0;               // RFC 5280 CRLReason: 0 unspecified, 1 keyCompromise, 4 superseded,
                                // 5 cessationOfOperation
};

/// The DER of an X.509 v2 CRL by `issuer` (its key and certificate) listing `revoked`, valid
/// from `this_update` to `next_update`, numbered `number` (cRLNumber), with the authority key
/// identifier; signed with SHA-256.
Result<std::string> make_crl(const KeyAndCertificate& issuer,
                             const std::vector<RevokedCertificate>& revoked,
                             std::int64_t this_update, std::int64_t next_update,
                             std::int64_t number);

/// The serial number of the certificate in `certificate_pem`, hex (upper case).
Result<std::string> certificate_serial(const std::string& certificate_pem);

/// The SHA-256 of the DER of the (first) certificate in `certificate_pem`, 64 lower-case hex
/// digits: what `openssl x509 -noout -fingerprint -sha256` prints without its colons.
Result<std::string> certificate_sha256(const std::string& certificate_pem);

/// Where make_test_hierarchy() writes, under one directory:
///   root-ca.pem, root-ca.key           the trust anchor
///   issuing-ca.pem, issuing-ca.key     issues the others
///   tsa.pem, tsa.key, tsa-chain.pem    the timestamp authority (chain: tsa, issuing CA)
///   agencies/<code>.pem, .key          each agency's document signer
///   agencies/<code>-chain.pem          signer and issuing CA, as a signature carries them
struct TestHierarchy {
  std::filesystem::path dir;
  std::vector<std::string> agencies_made;  // those made now (an agency already there is kept)
  bool anchors_made = false;               // root, issuing CA and TSA made now
};

/// Makes the hierarchy under `dir` for `agencies` (codes), valid from `now` (the CAs for 10
/// years, signers and the TSA for 2), keys readable by the owner only. What is there already is
/// kept, so running it again adds new agencies' signers under the same CAs.
Result<TestHierarchy> make_test_hierarchy(const std::filesystem::path& dir,
                                          const std::vector<std::string>& agencies,
                                          std::int64_t now);

}  // namespace pratu::crypto
