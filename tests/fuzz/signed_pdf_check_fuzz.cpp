// libFuzzer target: the check of a PDF anyone uploads to /verify and /api/v1/verify
// (pdf::check_signed_pdf: qpdf without recovery, each ByteRange and /Contents against the raw
// bytes, the CMS, the timestamp). Whatever the bytes, it gives a verdict without crashing or
// hanging, and a file it calls valid has signatures that all verified, the last covering the
// whole file. The trust anchor is the root of the hierarchy that signed the seed
// corpus/signed_pdf_check_fuzz/signed_b_t.pdf (crypto::make_test_hierarchy, 2026-12-05; its
// keys were not kept), and the time is fixed inside its certificates' lives, so the seed
// checks valid and mutations reach every step of the check.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "crypto/trust_anchors.hpp"
#include "pdf/signature_check.hpp"

namespace {

constexpr std::string_view kRootPem = R"(-----BEGIN CERTIFICATE-----
MIIBxzCCAWygAwIBAgIQWeVA5q18KFKtIw1Wr+ZCzjAKBggqhkjOPQQDAjBDMQsw
CQYDVQQGEwJUSDEXMBUGA1UECgwOUHJhdHUgdGVzdCBQS0kxGzAZBgNVBAMMElBy
YXR1IFRlc3QgUm9vdCBDQTAeFw0yNjEyMDUwMDE5MTdaFw0zNjEyMDIwMDE5MTda
MEMxCzAJBgNVBAYTAlRIMRcwFQYDVQQKDA5QcmF0dSB0ZXN0IFBLSTEbMBkGA1UE
AwwSUHJhdHUgVGVzdCBSb290IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
xtwSvDWzn+iUqjDoUatVEZyDTB06oxZC4qkiTBiYUPdv81eUxU91XwWuBFDaPeHq
Ew5Yq6fb1qBVVwtSh6WvHaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8E
BAMCAQYwHQYDVR0OBBYEFNzfIpmxvZzgEoHOdUt1Pv0fCFTEMAoGCCqGSM49BAMC
A0kAMEYCIQC0Aqr9zyDoQMnwGX8OHg3RrqbB7M7UBIcgVJx8fMoEYAIhAJTDlBoZ
A9USui/s8xBtIJ18F6nmTEaazesP1sSZRZfu
-----END CERTIFICATE-----
)";

// 2026-12-05 02:19 UTC: an hour after the seed was signed, within its signer's and TSA's lives.
constexpr std::int64_t kNow = 1'796'437'157;

const pratu::crypto::TrustAnchors& anchors() {
  static const pratu::crypto::TrustAnchors loaded = [] {
    auto made = pratu::crypto::TrustAnchors::from_pem(kRootPem);
    if (!made) std::abort();
    return *made;
  }();
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace pdf = pratu::pdf;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto verdict = pdf::check_signed_pdf(input, anchors(), kNow);
  if (verdict.sha256.size() != 64) std::abort();
  const bool header = input.substr(0, 1024).find("%PDF-") != std::string_view::npos;
  if ((verdict.outcome == pdf::SignatureOutcome::not_pdf) == header) std::abort();
  if (verdict.outcome != pdf::SignatureOutcome::valid) {
    if (verdict.why.empty()) std::abort();  // a refusal always says why, for the log
    return 0;
  }
  // Valid: at least one signature, each valid, ranges inside the file, the last to its end.
  if (verdict.signatures.empty() || !verdict.last()->covers_whole_file) std::abort();
  for (const auto& signature : verdict.signatures) {
    if (signature.outcome != pdf::SignatureOutcome::valid || !signature.signer ||
        !signature.timestamp_time) {
      std::abort();
    }
    const auto [a, b, c, d] = signature.byte_range;
    if (a != 0 || b <= 0 || c <= b || d < 0 || c + d > static_cast<std::int64_t>(size)) {
      std::abort();
    }
  }
  return 0;
}
