#pragma once
/// Owning handles for the OpenSSL objects the signing code uses, and the few conversions every
/// part of it needs (DER of a certificate, PEM bundles, OpenSSL's last error as an Error).

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace pratu::crypto {

template <class T, void (*Free)(T*)>
struct OpensslFree {
  void operator()(T* p) const { Free(p); }
};

using BignumPtr = std::unique_ptr<BIGNUM, OpensslFree<BIGNUM, BN_free>>;
using BioPtr = std::unique_ptr<BIO, OpensslFree<BIO, BIO_free_all>>;
using CertificatePtr = std::unique_ptr<X509, OpensslFree<X509, X509_free>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, OpensslFree<CMS_ContentInfo, CMS_ContentInfo_free>>;
using EssSigningCertV2Ptr =
    std::unique_ptr<ESS_SIGNING_CERT_V2,
                    OpensslFree<ESS_SIGNING_CERT_V2, ESS_SIGNING_CERT_V2_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, OpensslFree<EVP_PKEY, EVP_PKEY_free>>;
using MdContextPtr = std::unique_ptr<EVP_MD_CTX, OpensslFree<EVP_MD_CTX, EVP_MD_CTX_free>>;
using Pkcs7Ptr = std::unique_ptr<PKCS7, OpensslFree<PKCS7, PKCS7_free>>;
using StorePtr = std::unique_ptr<X509_STORE, OpensslFree<X509_STORE, X509_STORE_free>>;
using StoreContextPtr =
    std::unique_ptr<X509_STORE_CTX, OpensslFree<X509_STORE_CTX, X509_STORE_CTX_free>>;
using TsRespPtr = std::unique_ptr<TS_RESP, OpensslFree<TS_RESP, TS_RESP_free>>;
using TsRespContextPtr = std::unique_ptr<TS_RESP_CTX, OpensslFree<TS_RESP_CTX, TS_RESP_CTX_free>>;
using TstInfoPtr = std::unique_ptr<TS_TST_INFO, OpensslFree<TS_TST_INFO, TS_TST_INFO_free>>;
using TsVerifyContextPtr =
    std::unique_ptr<TS_VERIFY_CTX, OpensslFree<TS_VERIFY_CTX, TS_VERIFY_CTX_free>>;

/// A STACK_OF(X509) that owns its certificates.
struct CertificateStackFree {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_pop_free(stack, X509_free); }
};
using CertificateStackPtr = std::unique_ptr<STACK_OF(X509), CertificateStackFree>;

/// `what` and OpenSSL's oldest queued error, as an internal Error; clears the queue.
Error openssl_error(const std::string& what);

/// OpenSSL's queued errors as one line (for a verdict's reason); clears the queue.
std::string take_openssl_errors();

/// The DER of `certificate`; empty when it cannot be encoded.
std::string der_of(X509* certificate);

/// Every certificate of a PEM bundle, in order; fails when there is none or one is broken.
Result<std::vector<CertificatePtr>> read_pem_certificates(std::string_view pem);

/// The certificate in `der`, or null.
CertificatePtr certificate_from_der(std::string_view der);

/// SHA-256 of `bytes`, 32 raw octets.
std::string sha256(std::string_view bytes);

/// The private key at `uri` through OSSL_STORE: a PEM file path, a `file:` URI, or any URI a
/// configured provider handles (`pkcs11:`). The error never repeats the URI, which may hold a
/// PIN.
Result<KeyPtr> load_private_key(const std::string& uri);

/// True for ECDSA and RSA signature algorithm names with SHA-2 (or the bare key type, which
/// some writers put there). OpenSSL's CMS and TS verification do not look at the name, so a
/// checker must.
bool accepted_signature_algorithm(const X509_ALGOR* algorithm);

/// True when `certificate` is self-signed (a root): subject equals issuer and it verifies
/// under its own key.
bool is_self_signed(X509* certificate);

}  // namespace pratu::crypto
