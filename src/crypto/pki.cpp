#include "crypto/pki.hpp"

#include "crypto/digest.hpp"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <utility>

#include "common/files.hpp"

namespace pratu::crypto {

namespace fs = std::filesystem;

namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

// What OpenSSL said last, for the error's detail.
Error openssl_error(const std::string& what) {
  char text[256] = "";
  ERR_error_string_n(ERR_get_error(), text, sizeof text);
  ERR_clear_error();
  return Error::internal(what + ": " + text);
}

std::string pem_of(const std::function<int(BIO*)>& write) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) return {};
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

Result<Key> read_key(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return openssl_error("reading a private key");
  return key;
}

Result<Cert> read_certificate(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return openssl_error("reading a certificate");
  return cert;
}

// The extensions of each kind, in the order they are added (the subject key identifier before
// the authority key identifier, which a self-signed certificate takes from it).
std::vector<std::pair<int, const char*>> extensions_of(CertificateKind kind) {
  switch (kind) {
    case CertificateKind::root_ca:
      return {{NID_basic_constraints, "critical,CA:TRUE"},
              {NID_key_usage, "critical,keyCertSign,cRLSign"},
              {NID_subject_key_identifier, "hash"}};
    case CertificateKind::issuing_ca:
      return {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
              {NID_key_usage, "critical,keyCertSign,cRLSign"},
              {NID_subject_key_identifier, "hash"},
              {NID_authority_key_identifier, "keyid:always"}};
    case CertificateKind::document_signer:
      return {{NID_basic_constraints, "critical,CA:FALSE"},
              {NID_key_usage, "critical,digitalSignature,nonRepudiation"},
              {NID_subject_key_identifier, "hash"},
              {NID_authority_key_identifier, "keyid:always"}};
    case CertificateKind::timestamping:
      return {{NID_basic_constraints, "critical,CA:FALSE"},
              {NID_key_usage, "critical,digitalSignature,nonRepudiation"},
              {NID_ext_key_usage, "critical,timeStamping"},
              {NID_subject_key_identifier, "hash"},
              {NID_authority_key_identifier, "keyid:always"}};
  }
  return {};
}

Result<void> add_name_entry(X509_NAME* name, const char* field, const std::string& value) {
  if (value.empty()) return ok();
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), -1, 0) != 1) {
    return openssl_error(std::string("setting the subject's ") + field);
  }
  return ok();
}

// Writes `text` to `path` through a temporary file, readable by the owner alone when `secret`.
Result<void> write_file(const fs::path& path, const std::string& text, bool secret) {
  const fs::path temporary = path.string() + ".tmp";
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, secret ? 0600 : 0644);
  if (fd < 0) return Error::internal("cannot write " + temporary.string());
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) {
      ::close(fd);
      return Error::internal("cannot write " + temporary.string());
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return Error::internal("cannot write " + temporary.string());
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) return Error::internal("cannot write " + path.string() + ": " + ec.message());
  return ok();
}

Result<KeyAndCertificate> read_pair(const fs::path& dir, const std::string& name) {
  PRATU_TRY(key, read_file(dir / (name + ".key")));
  PRATU_TRY(certificate, read_file(dir / (name + ".pem")));
  return KeyAndCertificate{std::move(key), std::move(certificate)};
}

Result<void> write_pair(const fs::path& dir, const std::string& name,
                        const KeyAndCertificate& pair) {
  PRATU_CHECK(write_file(dir / (name + ".key"), pair.key_pem, true));
  return write_file(dir / (name + ".pem"), pair.certificate_pem, false);
}

}  // namespace

Result<KeyAndCertificate> issue_certificate(const CertificateRequest& request,
                                            const KeyAndCertificate* issuer) {
  if (request.common_name.empty()) return Error::internal("a certificate needs a common name");
  if (request.days <= 0) return Error::internal("a certificate must be valid for a day at least");
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return openssl_error("making a P-256 key");

  Cert cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return openssl_error("making a certificate");
  }
  // A random, positive 128-bit serial number (RFC 5280 §4.1.2.2: at most 20 octets).
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return openssl_error("drawing a serial number");
  serial[0] &= 0x7f;
  serial[0] |= 0x40;  // never a leading zero octet
  Bignum number(BN_bin2bn(serial, sizeof serial, nullptr));
  if (!number || BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return openssl_error("setting the serial number");
  }
  const std::int64_t not_after = request.not_before + std::int64_t{request.days} * 86400;
  if (ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(request.not_before)) ==
          nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(not_after)) == nullptr) {
    return openssl_error("setting the validity");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  PRATU_CHECK(add_name_entry(subject, "C", request.country));
  PRATU_CHECK(add_name_entry(subject, "O", request.organization));
  PRATU_CHECK(add_name_entry(subject, "OU", request.organizational_unit));
  PRATU_CHECK(add_name_entry(subject, "CN", request.common_name));
  if (X509_set_pubkey(cert.get(), key.get()) != 1) return openssl_error("setting the public key");

  Cert issuer_cert;
  Key issuer_key;
  if (issuer != nullptr) {
    PRATU_TRY(c, read_certificate(issuer->certificate_pem));
    PRATU_TRY(k, read_key(issuer->key_pem));
    issuer_cert = std::move(c);
    issuer_key = std::move(k);
    if (X509_check_private_key(issuer_cert.get(), issuer_key.get()) != 1) {
      return openssl_error("the issuer's key is not its certificate's");
    }
  }
  X509* signer_cert = issuer != nullptr ? issuer_cert.get() : cert.get();
  EVP_PKEY* signer_key = issuer != nullptr ? issuer_key.get() : key.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(signer_cert)) != 1) {
    return openssl_error("setting the issuer");
  }
  X509V3_CTX context;
  X509V3_set_ctx(&context, signer_cert, cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : extensions_of(request.kind)) {
    Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    if (!extension || X509_add_ext(cert.get(), extension.get(), -1) != 1) {
      return openssl_error(std::string("adding the extension ") + OBJ_nid2sn(nid));
    }
  }
  if (X509_sign(cert.get(), signer_key, EVP_sha256()) <= 0) {
    return openssl_error("signing the certificate");
  }
  KeyAndCertificate out;
  out.key_pem = pem_of([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  out.certificate_pem = pem_of([&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); });
  if (out.key_pem.empty() || out.certificate_pem.empty()) return openssl_error("writing PEM");
  return out;
}

Result<std::string> make_crl(const KeyAndCertificate& issuer,
                             const std::vector<RevokedCertificate>& revoked,
                             std::int64_t this_update, std::int64_t next_update,
                             std::int64_t number) {
  PRATU_TRY(key, read_key(issuer.key_pem));
  PRATU_TRY(cert, read_certificate(issuer.certificate_pem));
  std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>> crl(X509_CRL_new());
  if (!crl || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(cert.get())) != 1) {
    return openssl_error("CRL");
  }
  std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME, ASN1_TIME_free>> from(
      ASN1_TIME_set(nullptr, static_cast<time_t>(this_update)));
  std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME, ASN1_TIME_free>> until(
      ASN1_TIME_set(nullptr, static_cast<time_t>(next_update)));
  if (!from || !until || X509_CRL_set1_lastUpdate(crl.get(), from.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), until.get()) != 1) {
    return openssl_error("CRL times");
  }
  for (const auto& r : revoked) {
    BIGNUM* bn = nullptr;
    if (BN_hex2bn(&bn, r.serial_hex.c_str()) == 0) return Error::internal("bad serial");
    std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> owned(bn);
    std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER, ASN1_INTEGER_free>> serial(
        BN_to_ASN1_INTEGER(bn, nullptr));
    std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME, ASN1_TIME_free>> at(
        ASN1_TIME_set(nullptr, static_cast<time_t>(r.revoked_at)));
    X509_REVOKED* entry = X509_REVOKED_new();
    if (entry == nullptr || !serial || !at ||
        X509_REVOKED_set_serialNumber(entry, serial.get()) != 1 ||
        X509_REVOKED_set_revocationDate(entry, at.get()) != 1) {
      X509_REVOKED_free(entry);
      return openssl_error("CRL entry");
    }
    if (r.reason != 0) {
      std::unique_ptr<ASN1_ENUMERATED, Deleter<ASN1_ENUMERATED, ASN1_ENUMERATED_free>> reason(
          ASN1_ENUMERATED_new());
      if (!reason || ASN1_ENUMERATED_set(reason.get(), r.reason) != 1 ||
          X509_REVOKED_add1_ext_i2d(entry, NID_crl_reason, reason.get(), 0, 0) != 1) {
        X509_REVOKED_free(entry);
        return openssl_error("CRL reason");
      }
    }
    if (X509_CRL_add0_revoked(crl.get(), entry) != 1) {
      X509_REVOKED_free(entry);
      return openssl_error("CRL entry");
    }
  }
  std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER, ASN1_INTEGER_free>> crl_number(
      ASN1_INTEGER_new());
  if (!crl_number || ASN1_INTEGER_set_int64(crl_number.get(), number) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crl_number.get(), 0, 0) != 1) {
    return openssl_error("cRLNumber");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), nullptr, nullptr, crl.get(), 0);
  Extension aki(X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
  if (!aki || X509_CRL_add_ext(crl.get(), aki.get(), -1) != 1) {
    return openssl_error("CRL authority key identifier");
  }
  if (X509_CRL_sort(crl.get()) != 1 || X509_CRL_sign(crl.get(), key.get(), EVP_sha256()) <= 0) {
    return openssl_error("signing the CRL");
  }
  unsigned char* der = nullptr;
  const int size = i2d_X509_CRL(crl.get(), &der);
  if (size <= 0) return openssl_error("CRL DER");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

Result<std::string> certificate_serial(const std::string& certificate_pem) {
  PRATU_TRY(cert, read_certificate(certificate_pem));
  std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> bn(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr));
  if (!bn) return openssl_error("serial");
  char* hex = BN_bn2hex(bn.get());
  std::string out(hex != nullptr ? hex : "");
  OPENSSL_free(hex);
  return out;
}

Result<std::string> certificate_sha256(const std::string& certificate_pem) {
  PRATU_TRY(cert, read_certificate(certificate_pem));
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert.get(), &der);
  if (length <= 0 || der == nullptr) return openssl_error("encoding a certificate");
  std::string digest = sha256_hex(
      std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length)));
  OPENSSL_free(der);
  return digest;
}

Result<TestHierarchy> make_test_hierarchy(const fs::path& dir,
                                          const std::vector<std::string>& agencies,
                                          std::int64_t now) {
  TestHierarchy out;
  out.dir = dir;
  std::error_code ec;
  fs::create_directories(dir / "agencies", ec);
  if (ec)
    return Error::internal("cannot make " + (dir / "agencies").string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);

  constexpr int kCaDays = 3650;
  constexpr int kLeafDays = 730;
  const std::string organization = "Pratu test PKI";
  KeyAndCertificate issuing;
  if (fs::exists(dir / "root-ca.pem") && fs::exists(dir / "issuing-ca.pem") &&
      fs::exists(dir / "tsa.pem")) {
    PRATU_TRY(kept, read_pair(dir, "issuing-ca"));
    issuing = std::move(kept);
  } else {
    PRATU_TRY(root, issue_certificate({CertificateKind::root_ca, "Pratu Test Root CA", organization,
                                       "", "TH", now, kCaDays},
                                      nullptr));
    PRATU_TRY(made, issue_certificate({CertificateKind::issuing_ca, "Pratu Test Issuing CA",
                                       organization, "", "TH", now, kCaDays},
                                      &root));
    issuing = std::move(made);
    PRATU_TRY(tsa, issue_certificate({CertificateKind::timestamping, "Pratu Test Timestamping",
                                      organization, "", "TH", now, kLeafDays},
                                     &issuing));
    PRATU_CHECK(write_pair(dir, "root-ca", root));
    PRATU_CHECK(write_pair(dir, "issuing-ca", issuing));
    PRATU_CHECK(write_pair(dir, "tsa", tsa));
    PRATU_CHECK(
        write_file(dir / "tsa-chain.pem", tsa.certificate_pem + issuing.certificate_pem, false));
    out.anchors_made = true;
  }
  for (const auto& code : agencies) {
    // A code names a file: letters, digits and hyphens only.
    const bool plain =
        !code.empty() &&
        code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
    if (!plain) return Error::internal("not an agency code: " + code);
    const fs::path agencies_dir = dir / "agencies";
    if (fs::exists(agencies_dir / (code + ".pem"))) continue;
    PRATU_TRY(signer, issue_certificate(
                          {CertificateKind::document_signer, "Pratu Test Document Signer " + code,
                           organization, code, "TH", now, kLeafDays},
                          &issuing));
    PRATU_CHECK(write_pair(agencies_dir, code, signer));
    PRATU_CHECK(write_file(agencies_dir / (code + "-chain.pem"),
                           signer.certificate_pem + issuing.certificate_pem, false));
    out.agencies_made.push_back(code);
  }
  return out;
}

}  // namespace pratu::crypto
