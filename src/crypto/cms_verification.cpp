/// The check of a PAdES CMS signature with OpenSSL's CMS, ESS, X509 and TS functions.
#include "crypto/cms_verification.hpp"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <array>

#include "crypto/digest.hpp"
#include "crypto/openssl_handles.hpp"

namespace pratu::crypto {

namespace {

// Extended key usages under which a certificate may sign documents: any, e-mail protection
// (S/MIME, which CMS is), id-kp-documentSigning (RFC 9336), Microsoft's document signing and
// Adobe's authentic documents trust.
constexpr std::array<std::string_view, 3> kDocumentSigningUsages = {
    "1.3.6.1.5.5.7.3.36", "1.3.6.1.4.1.311.10.3.12", "1.2.840.113583.1.1.5"};

std::string text_of(const ASN1_OBJECT* object) {
  char text[128] = "";
  OBJ_obj2txt(text, sizeof text, object, 1);
  return text;
}

std::string entry_utf8(X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  unsigned char* utf8 = nullptr;
  const int length =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
  if (length < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return out;
}

std::string subject_line(X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

CertificateSummary summary_of(X509* certificate) {
  CertificateSummary out;
  X509_NAME* subject = X509_get_subject_name(certificate);
  out.common_name = entry_utf8(subject, NID_commonName);
  out.organization = entry_utf8(subject, NID_organizationName);
  out.subject = subject_line(subject);
  if (BignumPtr serial{ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr)}) {
    if (char* hex = BN_bn2hex(serial.get())) {
      out.serial_hex = hex;
      OPENSSL_free(hex);
    }
  }
  out.sha256_fingerprint_hex = to_hex(sha256(der_of(certificate)));
  return out;
}

// The digest of the parts with the SignerInfo's digest algorithm, when it is one we accept.
std::optional<std::string> digest_of(const std::vector<std::string_view>& parts,
                                     const X509_ALGOR* algorithm) {
  const int nid = algorithm != nullptr ? OBJ_obj2nid(algorithm->algorithm) : NID_undef;
  const EVP_MD* md = nid == NID_sha256   ? EVP_sha256()
                     : nid == NID_sha384 ? EVP_sha384()
                     : nid == NID_sha512 ? EVP_sha512()
                                         : nullptr;
  if (md == nullptr) return std::nullopt;
  MdContextPtr context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), md, nullptr) != 1) return std::nullopt;
  for (const auto part : parts) {
    if (EVP_DigestUpdate(context.get(), part.data(), part.size()) != 1) return std::nullopt;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context.get(), digest, &length) != 1) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(digest), length);
}

// The signed attribute `nid` as its value's ASN1_STRING, when it is there exactly once with
// one value of `type`.
const ASN1_STRING* single_signed_value(CMS_SignerInfo* info, int nid, int type) {
  return static_cast<const ASN1_STRING*>(
      CMS_signed_get0_data_by_OBJ(info, OBJ_nid2obj(nid), -3, type));
}

// Empty when signingCertificateV2 names `signer`, else why not.
std::string check_signing_certificate(CMS_SignerInfo* info, X509* signer) {
  const ASN1_STRING* value =
      single_signed_value(info, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE);
  if (value == nullptr) return "no single signingCertificateV2 attribute";
  const unsigned char* p = ASN1_STRING_get0_data(value);
  EssSigningCertV2Ptr certificate_ids(
      d2i_ESS_SIGNING_CERT_V2(nullptr, &p, ASN1_STRING_length(value)));
  if (!certificate_ids) return "signingCertificateV2 is not readable";
  CertificateStackPtr chain(sk_X509_new_null());
  if (!chain || X509_up_ref(signer) != 1) return "out of memory";
  if (sk_X509_push(chain.get(), signer) <= 0) {
    X509_free(signer);
    return "out of memory";
  }
  if (OSSL_ESS_check_signing_certs(nullptr, certificate_ids.get(), chain.get(), 1) != 1) {
    return "signingCertificateV2 names another certificate: " + take_openssl_errors();
  }
  return {};
}

// Empty when the certificate may sign documents, else why not.
std::string check_key_usage(X509* signer) {
  const std::uint32_t usage = X509_get_key_usage(signer);
  if ((usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0) {
    return "the certificate's key usage allows no signatures";
  }
  if ((X509_get_extension_flags(signer) & EXFLAG_XKUSAGE) == 0) return {};
  auto* usages = static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(signer, NID_ext_key_usage, nullptr, nullptr));
  if (usages == nullptr) return "the certificate's extended key usage is unreadable";
  bool allowed = false;
  for (int i = 0; i < sk_ASN1_OBJECT_num(usages) && !allowed; ++i) {
    const ASN1_OBJECT* usage_oid = sk_ASN1_OBJECT_value(usages, i);
    const int nid = OBJ_obj2nid(usage_oid);
    allowed = nid == NID_anyExtendedKeyUsage || nid == NID_email_protect;
    for (auto oid : kDocumentSigningUsages) allowed = allowed || text_of(usage_oid) == oid;
  }
  EXTENDED_KEY_USAGE_free(usages);
  return allowed ? std::string() : "the certificate's extended key usage excludes documents";
}

// Empty when `signer` chains to a root of `anchors` at `at`, else why not.
std::string check_chain(X509* signer, STACK_OF(X509) * carried, const TrustAnchors& anchors,
                        std::int64_t at) {
  StorePtr store(anchors.new_store(at));
  CertificateStackPtr untrusted(anchors.new_untrusted(carried));
  StoreContextPtr context(X509_STORE_CTX_new());
  if (!store || !untrusted || !context ||
      X509_STORE_CTX_init(context.get(), store.get(), signer, untrusted.get()) != 1) {
    return "out of memory";
  }
  if (X509_verify_cert(context.get()) == 1) return {};
  ERR_clear_error();
  return std::string("the signer's certificate does not chain to a trusted root: ") +
         X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get()));
}

CmsVerification verdict(CmsVerification out, CmsOutcome outcome, std::string why) {
  ERR_clear_error();
  out.outcome = outcome;
  out.why = std::move(why);
  return out;
}

}  // namespace

CmsVerification verify_pades_cms(std::string_view cms_der,
                                 const std::vector<std::string_view>& signed_parts,
                                 const TrustAnchors& anchors, std::int64_t now) {
  CmsVerification out;
  const auto* p = reinterpret_cast<const unsigned char*>(cms_der.data());
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(cms_der.size())));
  if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    return verdict(std::move(out), CmsOutcome::bad_signature, "not a CMS SignedData");
  }
  if (CMS_is_detached(cms.get()) != 1 ||
      OBJ_obj2nid(CMS_get0_eContentType(cms.get())) != NID_pkcs7_data) {
    return verdict(std::move(out), CmsOutcome::bad_signature, "not a detached signature over data");
  }
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
  if (infos == nullptr || sk_CMS_SignerInfo_num(infos) != 1) {
    return verdict(std::move(out), CmsOutcome::bad_signature, "not exactly one SignerInfo");
  }
  CMS_SignerInfo* info = sk_CMS_SignerInfo_value(infos, 0);
  if (CMS_set1_signers_certs(cms.get(), nullptr, 0) != 1) {
    return verdict(std::move(out), CmsOutcome::bad_signature,
                   "the signer's certificate is not in the signature");
  }
  EVP_PKEY* key = nullptr;
  X509* signer = nullptr;
  X509_ALGOR* digest_algorithm = nullptr;
  X509_ALGOR* signature_algorithm = nullptr;
  CMS_SignerInfo_get0_algs(info, &key, &signer, &digest_algorithm, &signature_algorithm);
  if (signer == nullptr) {
    return verdict(std::move(out), CmsOutcome::bad_signature, "no signer certificate");
  }
  out.signer = summary_of(signer);

  // What was signed: the content's digest against messageDigest.
  const auto* type = static_cast<const ASN1_OBJECT*>(
      CMS_signed_get0_data_by_OBJ(info, OBJ_nid2obj(NID_pkcs9_contentType), -3, V_ASN1_OBJECT));
  if (type == nullptr || OBJ_obj2nid(type) != NID_pkcs7_data) {
    return verdict(std::move(out), CmsOutcome::bad_signature, "no contentType id-data attribute");
  }
  const ASN1_STRING* message_digest =
      single_signed_value(info, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING);
  if (message_digest == nullptr) {
    return verdict(std::move(out), CmsOutcome::bad_signature, "no messageDigest attribute");
  }
  const auto digest = digest_of(signed_parts, digest_algorithm);
  if (!digest) {
    return verdict(std::move(out), CmsOutcome::bad_signature, "a digest algorithm not accepted");
  }
  const std::string_view carried(
      reinterpret_cast<const char*>(ASN1_STRING_get0_data(message_digest)),
      static_cast<std::size_t>(ASN1_STRING_length(message_digest)));
  if (!constant_time_equal(carried, *digest)) {
    return verdict(std::move(out), CmsOutcome::digest_mismatch,
                   "the signed bytes are not those the signature was made over");
  }

  // The signature over the signed attributes, and the certificate it binds.
  if (!accepted_signature_algorithm(signature_algorithm)) {
    return verdict(std::move(out), CmsOutcome::bad_signature, "a signature algorithm not accepted");
  }
  if (CMS_SignerInfo_verify(info) != 1) {
    return verdict(std::move(out), CmsOutcome::bad_signature,
                   "the signature value does not verify: " + take_openssl_errors());
  }
  if (auto why = check_signing_certificate(info, signer); !why.empty()) {
    return verdict(std::move(out), CmsOutcome::bad_signature, std::move(why));
  }

  // The signature timestamp: over the signature value's octets.
  std::string timestamp_problem;
  const int at =
      CMS_unsigned_get_attr_by_OBJ(info, OBJ_nid2obj(NID_id_smime_aa_timeStampToken), -1);
  if (at < 0) {
    timestamp_problem = "no signature timestamp";
  } else {
    const auto* token = static_cast<const ASN1_STRING*>(
        X509_ATTRIBUTE_get0_data(CMS_unsigned_get_attr(info, at), 0, V_ASN1_SEQUENCE, nullptr));
    const ASN1_OCTET_STRING* signature = CMS_SignerInfo_get0_signature(info);
    if (token == nullptr || signature == nullptr) {
      timestamp_problem = "the signature timestamp attribute is empty";
    } else {
      const std::string_view value(reinterpret_cast<const char*>(ASN1_STRING_get0_data(signature)),
                                   static_cast<std::size_t>(ASN1_STRING_length(signature)));
      const std::string_view token_der(reinterpret_cast<const char*>(ASN1_STRING_get0_data(token)),
                                       static_cast<std::size_t>(ASN1_STRING_length(token)));
      out.timestamp = verify_timestamp_token(token_der, sha256(value), anchors, now);
      if (!out.timestamp->ok) timestamp_problem = out.timestamp->why;
    }
  }

  // The signer's chain, when the signature was made: the timestamp proves it existed then.
  const std::int64_t signed_at = timestamp_problem.empty() ? out.timestamp->gen_time : now;
  CertificateStackPtr carried_certificates(CMS_get1_certs(cms.get()));
  if (auto why = check_chain(signer, carried_certificates.get(), anchors, signed_at);
      !why.empty()) {
    return verdict(std::move(out), CmsOutcome::untrusted_signer, std::move(why));
  }
  if (auto why = check_key_usage(signer); !why.empty()) {
    return verdict(std::move(out), CmsOutcome::untrusted_signer, std::move(why));
  }
  if (!timestamp_problem.empty()) {
    return verdict(std::move(out), CmsOutcome::bad_timestamp, std::move(timestamp_problem));
  }
  return verdict(std::move(out), CmsOutcome::valid, {});
}

}  // namespace pratu::crypto
