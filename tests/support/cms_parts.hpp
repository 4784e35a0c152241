#pragma once
/// Pieces of a CMS signature taken out with OpenSSL's own parser, so tests can hand them to
/// `openssl ts -verify` and compare them with what Pratu wrote.

#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <string>
#include <string_view>

namespace pratu::test {

/// The signature value and the signature timestamp token of a one-signer CMS.
struct CmsParts {
  bool parsed = false;
  int signer_infos = 0;
  std::string signature_value;  // SignerInfo.signature's octets
  std::string timestamp_token;  // DER of the signatureTimeStampToken, empty when none
};

/// What OpenSSL reads out of `der`.
inline CmsParts cms_parts(std::string_view der) {
  CmsParts out;
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size()));
  if (cms == nullptr) return out;
  out.parsed = true;
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms);
  out.signer_infos = infos != nullptr ? sk_CMS_SignerInfo_num(infos) : 0;
  if (out.signer_infos > 0) {
    CMS_SignerInfo* info = sk_CMS_SignerInfo_value(infos, 0);
    const ASN1_OCTET_STRING* value = CMS_SignerInfo_get0_signature(info);
    out.signature_value.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                               static_cast<std::size_t>(ASN1_STRING_length(value)));
    const int at =
        CMS_unsigned_get_attr_by_OBJ(info, OBJ_nid2obj(NID_id_smime_aa_timeStampToken), -1);
    if (at >= 0) {
      const auto* token = static_cast<const ASN1_STRING*>(
          X509_ATTRIBUTE_get0_data(CMS_unsigned_get_attr(info, at), 0, V_ASN1_SEQUENCE, nullptr));
      if (token != nullptr) {
        out.timestamp_token.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(token)),
                                   static_cast<std::size_t>(ASN1_STRING_length(token)));
      }
    }
  }
  CMS_ContentInfo_free(cms);
  return out;
}

}  // namespace pratu::test
