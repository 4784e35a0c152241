/// OpenSSL helpers shared by the signing, timestamping and verification code.
#include "crypto/openssl_handles.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/store.h>

namespace pratu::crypto {

Error openssl_error(const std::string& what) {
  char text[256] = "";
  const unsigned long code = ERR_get_error();
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return Error::internal(code != 0 ? what + ": " + text : what);
}

std::string take_openssl_errors() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    char text[256] = "";
    ERR_error_string_n(code, text, sizeof text);
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out;
}

std::string der_of(X509* certificate) {
  unsigned char* der = nullptr;
  const int length = i2d_X509(certificate, &der);
  if (length <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

Result<std::vector<CertificatePtr>> read_pem_certificates(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return openssl_error("reading certificates");
  std::vector<CertificatePtr> out;
  while (true) {
    CertificatePtr certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!certificate) break;
    out.push_back(std::move(certificate));
  }
  // The loop ends on "no start line" at the end of the text; anything else is a broken one.
  const unsigned long last = ERR_peek_last_error();
  const bool clean_end = last == 0 || (ERR_GET_LIB(last) == ERR_LIB_PEM &&
                                       ERR_GET_REASON(last) == PEM_R_NO_START_LINE);
  ERR_clear_error();
  if (!clean_end) return Error::internal("a PEM certificate is broken");
  if (out.empty()) return Error::internal("no PEM certificate found");
  return out;
}

CertificatePtr certificate_from_der(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  CertificatePtr certificate(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  return certificate;
}

std::string sha256(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    ERR_clear_error();
    return {};
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

Result<KeyPtr> load_private_key(const std::string& uri) {
  OSSL_STORE_CTX* store = OSSL_STORE_open(uri.c_str(), nullptr, nullptr, nullptr, nullptr);
  if (store == nullptr) return openssl_error("cannot open the private key");
  OSSL_STORE_expect(store, OSSL_STORE_INFO_PKEY);
  KeyPtr key;
  // A store gives its objects one by one; a file holds one key, a token may list more.
  for (int i = 0; i < 64 && !key && OSSL_STORE_eof(store) == 0; ++i) {
    OSSL_STORE_INFO* info = OSSL_STORE_load(store);
    if (info == nullptr) {
      if (OSSL_STORE_error(store) != 0) break;
      continue;
    }
    if (OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY) {
      key.reset(OSSL_STORE_INFO_get1_PKEY(info));
    }
    OSSL_STORE_INFO_free(info);
  }
  OSSL_STORE_close(store);
  if (!key) return openssl_error("no private key found at the signing key's location");
  ERR_clear_error();
  return key;
}

bool accepted_signature_algorithm(const X509_ALGOR* algorithm) {
  switch (algorithm != nullptr ? OBJ_obj2nid(algorithm->algorithm) : NID_undef) {
    case NID_ecdsa_with_SHA256:
    case NID_ecdsa_with_SHA384:
    case NID_ecdsa_with_SHA512:
    case NID_X9_62_id_ecPublicKey:
    case NID_rsaEncryption:
    case NID_sha256WithRSAEncryption:
    case NID_sha384WithRSAEncryption:
    case NID_sha512WithRSAEncryption: return true;
    default: return false;
  }
}

bool is_self_signed(X509* certificate) {
  // X509_self_signed(cert, 1) checks the names and the signature under its own key.
  const bool self_signed = X509_self_signed(certificate, 1) == 1;
  ERR_clear_error();
  return self_signed;
}

}  // namespace pratu::crypto
