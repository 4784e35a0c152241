/// The CMS check: one verdict for each way a signature can be wrong.
#include "crypto/cms_verification.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/files.hpp"
#include "crypto/cms_signature.hpp"
#include "crypto/der.hpp"
#include "crypto/digest.hpp"
#include "crypto/openssl_handles.hpp"
#include "support/run_command.hpp"
#include "support/signing_pki.hpp"
#include "support/temp_dir.hpp"

namespace pratu::crypto {
namespace {

using test::run_command;
using test::shell_quoted;
using test::SigningPki;
using ::testing::HasSubstr;

const std::string kFirst = "bytes before /Contents";
const std::string kSecond = "bytes after it";

// A signer that lies: it signs with one key but can claim another identity or spoil the value.
class AlteredSigner final : public Signer {
 public:
  AlteredSigner(Signer& inner, SignerIdentity identity, bool spoil)
      : inner_(inner), identity_(std::move(identity)), spoil_(spoil) {}
  Result<std::string> sign(std::string_view data) override {
    PRATU_TRY(signature, inner_.sign(data));
    if (spoil_) signature[signature.size() - 1] = static_cast<char>(signature.back() ^ 0x01);
    return signature;
  }
  const SignerIdentity& identity() const override { return identity_; }

 private:
  Signer& inner_;
  SignerIdentity identity_;
  bool spoil_;
};

// A timestamp authority that stamps something other than what it is asked to.
class ElsewhereAuthority final : public TimestampAuthority {
 public:
  explicit ElsewhereAuthority(TimestampAuthority& inner) : inner_(inner) {}
  Result<std::string> timestamp(std::string_view) override {
    return inner_.timestamp(sha256("something else"));
  }

 private:
  TimestampAuthority& inner_;
};

CmsVerification check(const std::string& cms, const SigningPki& pki,
                      std::vector<std::string_view> parts = {kFirst, kSecond}) {
  return verify_pades_cms(cms, parts, pki.anchors(), SigningPki::now());
}

std::string sign(Signer& signer, TimestampAuthority* tsa) {
  auto cms = build_pades_cms(sha256(kFirst + kSecond), signer, tsa);
  EXPECT_TRUE(cms) << cms.error().detail;
  return cms ? *cms : std::string();
}

TEST(VerifyPadesCms, AcceptsAGoodSignatureAndNamesTheSignerAndTime) {
  const auto& pki = SigningPki::get();
  auto signer = pki.signer();
  auto tsa = pki.tsa();
  const auto before = SigningPki::now();
  auto checked = check(sign(*signer, tsa.get()), pki);
  EXPECT_EQ(checked.outcome, CmsOutcome::valid) << checked.why;
  ASSERT_TRUE(checked.signer);
  EXPECT_EQ(checked.signer->common_name, "Pratu Test Document Signer bma");
  EXPECT_EQ(checked.signer->organization, "Pratu test PKI");
  EXPECT_THAT(checked.signer->subject, HasSubstr("OU=bma"));
  EXPECT_EQ(checked.signer->sha256_fingerprint_hex,
            to_hex(sha256(signer->identity().certificate_der)));
  EXPECT_EQ(checked.signer->serial_hex.size(), 32u);
  ASSERT_TRUE(checked.timestamp);
  EXPECT_TRUE(checked.timestamp->ok);
  EXPECT_GE(checked.timestamp->gen_time, before);
  EXPECT_LE(checked.timestamp->gen_time, SigningPki::now());
}

TEST(VerifyPadesCms, OtherBytesAreADigestMismatch) {
  const auto& pki = SigningPki::get();
  auto signer = pki.signer();
  auto tsa = pki.tsa();
  const auto cms = sign(*signer, tsa.get());
  EXPECT_EQ(check(cms, pki, {kFirst, kSecond + "!"}).outcome, CmsOutcome::digest_mismatch);
  EXPECT_EQ(check(cms, pki, {kSecond, kFirst}).outcome, CmsOutcome::digest_mismatch);
  EXPECT_EQ(check(cms, pki, {kFirst + kSecond}).outcome, CmsOutcome::valid);
}

TEST(VerifyPadesCms, ASpoiledValueOrAnotherIdentityIsABadSignature) {
  const auto& pki = SigningPki::get();
  auto signer = pki.signer();
  auto other = pki.signer("dbd");
  auto spoiled = AlteredSigner(*signer, signer->identity(), true);
  auto spoiled_check = check(sign(spoiled, nullptr), pki);
  EXPECT_EQ(spoiled_check.outcome, CmsOutcome::bad_signature);
  EXPECT_THAT(spoiled_check.why, HasSubstr("signature value"));

  // Claims dbd's certificate, signs with bma's key.
  auto impostor = AlteredSigner(*signer, other->identity(), false);
  EXPECT_EQ(check(sign(impostor, nullptr), pki).outcome, CmsOutcome::bad_signature);

  // signingCertificateV2 names another certificate than the one that signed.
  SignerIdentity wrong_hash = signer->identity();
  wrong_hash.certificate_sha256 = sha256("another certificate");
  auto misnamed = AlteredSigner(*signer, wrong_hash, false);
  auto misnamed_check = check(sign(misnamed, nullptr), pki);
  EXPECT_EQ(misnamed_check.outcome, CmsOutcome::bad_signature);
  EXPECT_THAT(misnamed_check.why, HasSubstr("signingCertificateV2"));
}

TEST(VerifyPadesCms, ASignerFromAnotherRootOrATimestampCertificateIsUntrusted) {
  const auto& pki = SigningPki::get();
  const auto& other = SigningPki::get("other");
  auto stranger = other.signer();
  auto tsa = pki.tsa();
  auto checked = check(sign(*stranger, tsa.get()), pki);
  EXPECT_EQ(checked.outcome, CmsOutcome::untrusted_signer);
  EXPECT_THAT(checked.why, HasSubstr("chain"));

  // The TSA's certificate chains to the root but is for timestamps only.
  auto tsa_key = FileSigner::load(pki.path("tsa.key").string(), pki.path("tsa-chain.pem"));
  ASSERT_TRUE(tsa_key) << tsa_key.error().detail;
  auto misused = check(sign(**tsa_key, tsa.get()), pki);
  EXPECT_EQ(misused.outcome, CmsOutcome::untrusted_signer);
  EXPECT_THAT(misused.why, HasSubstr("extended key usage"));
}

TEST(VerifyPadesCms, NoTimestampOrOneOverSomethingElseIsABadTimestamp) {
  const auto& pki = SigningPki::get();
  auto signer = pki.signer();
  auto none = check(sign(*signer, nullptr), pki);
  EXPECT_EQ(none.outcome, CmsOutcome::bad_timestamp);
  EXPECT_THAT(none.why, HasSubstr("no signature timestamp"));
  EXPECT_FALSE(none.timestamp);

  auto tsa = pki.tsa();
  ElsewhereAuthority elsewhere(*tsa);
  auto misplaced = check(sign(*signer, &elsewhere), pki);
  EXPECT_EQ(misplaced.outcome, CmsOutcome::bad_timestamp);
  ASSERT_TRUE(misplaced.timestamp);
  EXPECT_FALSE(misplaced.timestamp->ok);

  // A timestamp authority the anchors do not know.
  auto foreign_tsa = SigningPki::get("other").tsa();
  EXPECT_EQ(check(sign(*signer, foreign_tsa.get()), pki).outcome, CmsOutcome::bad_timestamp);
}

TEST(VerifyPadesCms, TwoSignerInfosAreRefused) {
  const auto& pki = SigningPki::get();
  test::TempDir dir;
  const auto content = dir.write("tbs.bin", kFirst + kSecond);
  auto made = run_command(
      "openssl cms -sign -binary -md sha256 -cades -outform DER -in " + shell_quoted(content) +
      " -signer " + shell_quoted(pki.path("agencies/bma.pem")) + " -inkey " +
      shell_quoted(pki.path("agencies/bma.key")) + " -signer " +
      shell_quoted(pki.path("agencies/dbd.pem")) + " -inkey " +
      shell_quoted(pki.path("agencies/dbd.key")) + " -out " + shell_quoted(dir / "two.der"));
  ASSERT_EQ(made.exit_code, 0) << made.output;
  auto checked = check(read_file(dir / "two.der").value(), pki);
  EXPECT_EQ(checked.outcome, CmsOutcome::bad_signature);
  EXPECT_THAT(checked.why, HasSubstr("exactly one SignerInfo"));
}

TEST(VerifyPadesCms, AnyBytesGiveAVerdictNeverACrash) {
  const auto& pki = SigningPki::get();
  auto signer = pki.signer();
  auto tsa = pki.tsa();
  const auto cms = sign(*signer, tsa.get());
  EXPECT_EQ(check("", pki).outcome, CmsOutcome::bad_signature);
  EXPECT_EQ(check("\x30\x80", pki).outcome, CmsOutcome::bad_signature);
  EXPECT_EQ(check(std::string(5000, '\0'), pki).outcome, CmsOutcome::bad_signature);
  for (std::size_t cut = 0; cut < cms.size(); cut += 97) {
    EXPECT_NE(check(cms.substr(0, cut), pki).outcome, CmsOutcome::valid) << cut;
  }
  // Every single octet changed: never "valid", except inside SignedData.digestAlgorithms (a
  // list of hints) and the version numbers (the only one-octet INTEGERs here): no signature
  // covers them, and OpenSSL reads neither.
  const std::string hints = der::set_of({der::sequence({der::oid("2.16.840.1.101.3.4.2.1")})});
  const std::size_t hints_at = cms.find(hints);
  ASSERT_LT(hints_at, 40u);
  for (std::size_t i = 0; i < cms.size(); ++i) {
    if (i >= hints_at && i < hints_at + hints.size()) continue;
    if (i >= 2 && cms[i - 2] == der::kInteger && cms[i - 1] == 1) continue;
    std::string changed = cms;
    changed[i] = static_cast<char>(changed[i] ^ 0x5a);
    EXPECT_NE(check(changed, pki).outcome, CmsOutcome::valid) << "octet " << i;
  }
}

}  // namespace
}  // namespace pratu::crypto
