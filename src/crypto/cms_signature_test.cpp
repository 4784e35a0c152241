/// PAdES CMS signatures as openssl cms, ts and asn1parse see them.
#include "crypto/cms_signature.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "common/files.hpp"
#include "crypto/cms_verification.hpp"
#include "crypto/openssl_handles.hpp"
#include "support/cms_parts.hpp"
#include "support/run_command.hpp"
#include "support/signing_pki.hpp"
#include "support/temp_dir.hpp"

namespace pratu::crypto {
namespace {

using test::run_command;
using test::shell_quoted;
using test::SigningPki;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kContent = "%PDF-1.7 ... the bytes a ByteRange covers ... ใบอนุญาต";

// The DER encoding of an OID's content octets, to find it in a CMS.
std::string oid_bytes(const char* dotted) {
  const ASN1_OBJECT* object = OBJ_txt2obj(dotted, 1);
  std::string out(reinterpret_cast<const char*>(OBJ_get0_data(object)), OBJ_length(object));
  ASN1_OBJECT_free(const_cast<ASN1_OBJECT*>(object));
  return out;
}

TEST(FileSigner, LoadsTheKeyAndCarriesTheChainWithoutTheRoot) {
  const auto& pki = SigningPki::get();
  auto signer = pki.signer("bma");
  ASSERT_TRUE(signer);
  const auto& identity = signer->identity();
  EXPECT_EQ(identity.algorithm, SignatureAlgorithm::ecdsa_with_sha256);
  auto own = read_pem_certificates(read_file(pki.path("agencies/bma.pem")).value()).value();
  auto issuing = read_pem_certificates(read_file(pki.path("issuing-ca.pem")).value()).value();
  EXPECT_EQ(identity.certificate_der, der_of(own[0].get()));
  ASSERT_EQ(identity.chain_der.size(), 1u);
  EXPECT_EQ(identity.chain_der[0], der_of(issuing[0].get()));
  EXPECT_EQ(identity.certificate_sha256, sha256(identity.certificate_der));

  // A file: URI goes through the same store.
  auto by_uri = FileSigner::load("file:" + pki.path("agencies/bma.key").string(),
                                 pki.path("agencies/bma-chain.pem"));
  ASSERT_TRUE(by_uri) << by_uri.error().detail;
  EXPECT_EQ((*by_uri)->identity().certificate_der, identity.certificate_der);
}

TEST(FileSigner, RefusesAChainWithoutTheKeysCertificateAndAMissingKey) {
  const auto& pki = SigningPki::get();
  auto mismatched =
      FileSigner::load(pki.path("agencies/bma.key").string(), pki.path("agencies/dbd-chain.pem"));
  ASSERT_FALSE(mismatched);
  EXPECT_THAT(mismatched.error().detail, HasSubstr("is for the signing key"));
  auto missing = FileSigner::load(pki.path("agencies/nobody.key").string(),
                                  pki.path("agencies/bma-chain.pem"));
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().detail, Not(HasSubstr("nobody")));  // a URI may hold a PIN
}

TEST(BuildPadesCms, OpensslVerifiesItAsCadesAndFindsNoSigningTime) {
  const auto& pki = SigningPki::get();
  auto signer = pki.signer();
  auto tsa = pki.tsa();
  ASSERT_TRUE(signer && tsa);
  auto cms = build_pades_cms(sha256(kContent), *signer, tsa.get());
  ASSERT_TRUE(cms) << cms.error().detail;

  test::TempDir dir;
  const auto content = dir.write("tbs.bin", kContent);
  const auto signature = dir.write("sig.der", *cms);
  auto verified =
      run_command("openssl cms -verify -cades -binary -inform DER -in " + shell_quoted(signature) +
                  " -content " + shell_quoted(content) + " -CAfile " +
                  shell_quoted(pki.path("root-ca.pem")) + " -purpose any -out /dev/null");
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("CAdES Verification successful"));

  // Another content, or another root, and openssl says no.
  const auto other = dir.write("other.bin", kContent + " ");
  EXPECT_NE(run_command("openssl cms -verify -cades -binary -inform DER -in " +
                        shell_quoted(signature) + " -content " + shell_quoted(other) + " -CAfile " +
                        shell_quoted(pki.path("root-ca.pem")) + " -purpose any -out /dev/null")
                .exit_code,
            0);
  EXPECT_NE(run_command("openssl cms -verify -cades -binary -inform DER -in " +
                        shell_quoted(signature) + " -content " + shell_quoted(content) +
                        " -CAfile " + shell_quoted(SigningPki::get("other").path("root-ca.pem")) +
                        " -purpose any -out /dev/null")
                .exit_code,
            0);

  // Our SignerInfo's attributes come before the token (whose own signed attributes are the
  // TSA's business, and OpenSSL's TSA puts a signingTime there).
  auto parsed = run_command("openssl asn1parse -inform DER -in " + shell_quoted(signature));
  EXPECT_EQ(parsed.exit_code, 0) << parsed.output;
  const auto token_at = parsed.output.find(":id-smime-aa-timeStampToken");
  ASSERT_NE(token_at, std::string::npos) << parsed.output;
  const std::string ours = parsed.output.substr(0, token_at);
  EXPECT_THAT(ours, HasSubstr(":contentType"));
  EXPECT_THAT(ours, HasSubstr(":messageDigest"));
  EXPECT_THAT(ours, HasSubstr(":id-smime-aa-signingCertificateV2"));
  EXPECT_THAT(ours, HasSubstr(":ecdsa-with-SHA256"));
  EXPECT_THAT(ours, Not(HasSubstr(":signingTime")));
  EXPECT_THAT(ours, Not(HasSubstr("SMIMECapabilities")));
  // The same on the OIDs' bytes: 1.2.840.113549.1.9.5 never, .16.2.47 and .16.2.14 there.
  const auto parts = test::cms_parts(*cms);
  const std::string without_token = cms->substr(0, cms->find(parts.timestamp_token));
  EXPECT_EQ(without_token.find(oid_bytes("1.2.840.113549.1.9.5")), std::string::npos);
  EXPECT_NE(without_token.find(oid_bytes("1.2.840.113549.1.9.16.2.47")), std::string::npos);
  EXPECT_NE(without_token.find(oid_bytes("1.2.840.113549.1.9.16.2.14")), std::string::npos);

  // The certificates: the signer and its issuing CA, never the root.
  auto certificates =
      run_command("openssl pkcs7 -inform DER -print_certs -noout -in " + shell_quoted(signature));
  EXPECT_EQ(certificates.exit_code, 0) << certificates.output;
  EXPECT_THAT(certificates.output, HasSubstr("CN = Pratu Test Document Signer bma"));
  EXPECT_THAT(certificates.output,
              HasSubstr("subject=C = TH, O = Pratu test PKI, CN = Pratu Test Issuing CA"));
  EXPECT_THAT(certificates.output,
              Not(HasSubstr("subject=C = TH, O = Pratu test PKI, CN = Pratu Test Root CA")));
}

TEST(BuildPadesCms, TheTimestampIsOverTheSignatureValueAndOpensslVerifiesIt) {
  const auto& pki = SigningPki::get();
  auto signer = pki.signer();
  auto tsa = pki.tsa();
  ASSERT_TRUE(signer && tsa);
  auto cms = build_pades_cms(sha256(kContent), *signer, tsa.get());
  ASSERT_TRUE(cms) << cms.error().detail;
  const auto parts = test::cms_parts(*cms);
  ASSERT_TRUE(parts.parsed);
  EXPECT_EQ(parts.signer_infos, 1);
  ASSERT_FALSE(parts.timestamp_token.empty());

  test::TempDir dir;
  const auto value = dir.write("sigvalue.bin", parts.signature_value);
  const auto token = dir.write("token.der", parts.timestamp_token);
  auto verified = run_command("openssl ts -verify -data " + shell_quoted(value) + " -in " +
                              shell_quoted(token) + " -token_in -CAfile " +
                              shell_quoted(pki.path("root-ca.pem")) + " -untrusted " +
                              shell_quoted(pki.path("tsa-chain.pem")));
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("Verification: OK"));
  // Over anything else, it is not.
  const auto other = dir.write("other.bin", parts.signature_value + "x");
  EXPECT_NE(run_command("openssl ts -verify -data " + shell_quoted(other) + " -in " +
                        shell_quoted(token) + " -token_in -CAfile " +
                        shell_quoted(pki.path("root-ca.pem")) + " -untrusted " +
                        shell_quoted(pki.path("tsa-chain.pem")))
                .exit_code,
            0);
}

TEST(BuildPadesCms, WithoutATimestampAuthorityItIsBaselineB) {
  const auto& pki = SigningPki::get();
  auto signer = pki.signer();
  ASSERT_TRUE(signer);
  auto cms = build_pades_cms(sha256(kContent), *signer, nullptr);
  ASSERT_TRUE(cms) << cms.error().detail;
  EXPECT_TRUE(test::cms_parts(*cms).timestamp_token.empty());
  EXPECT_EQ(cms->find(oid_bytes("1.2.840.113549.1.9.16.2.14")), std::string::npos);
  EXPECT_LE(cms->size(), estimate_pades_cms_size(*signer, nullptr));
  EXPECT_FALSE(build_pades_cms("short", *signer, nullptr));
}

TEST(BuildPadesCms, AnRsaKeyGivesAnRsaSignatureOpensslAccepts) {
  const auto& pki = SigningPki::get();
  test::TempDir dir;
  const auto extensions = dir.write(
      "ext.cnf", "keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=CA:FALSE\n");
  auto made = run_command(
      "openssl req -new -newkey rsa:2048 -nodes -keyout " + shell_quoted(dir / "rsa.key") +
      " -subj '/C=TH/O=Pratu test PKI/CN=RSA signer' -out " + shell_quoted(dir / "rsa.csr") +
      " && openssl x509 -req -in " + shell_quoted(dir / "rsa.csr") + " -CA " +
      shell_quoted(pki.path("issuing-ca.pem")) + " -CAkey " +
      shell_quoted(pki.path("issuing-ca.key")) + " -CAcreateserial -days 2 -sha256 -extfile " +
      shell_quoted(extensions) + " -out " + shell_quoted(dir / "rsa.pem") + " && cat " +
      shell_quoted(dir / "rsa.pem") + " " + shell_quoted(pki.path("issuing-ca.pem")) + " > " +
      shell_quoted(dir / "rsa-chain.pem"));
  ASSERT_EQ(made.exit_code, 0) << made.output;
  auto signer = FileSigner::load((dir / "rsa.key").string(), dir / "rsa-chain.pem");
  ASSERT_TRUE(signer) << signer.error().detail;
  EXPECT_EQ((*signer)->identity().algorithm, SignatureAlgorithm::rsa_pkcs1_sha256);
  auto tsa = pki.tsa();
  auto cms = build_pades_cms(sha256(kContent), **signer, tsa.get());
  ASSERT_TRUE(cms) << cms.error().detail;
  EXPECT_LE(cms->size(), estimate_pades_cms_size(**signer, tsa.get()));
  const auto content = dir.write("tbs.bin", kContent);
  const auto signature = dir.write("sig.der", *cms);
  auto verified =
      run_command("openssl cms -verify -cades -binary -inform DER -in " + shell_quoted(signature) +
                  " -content " + shell_quoted(content) + " -CAfile " +
                  shell_quoted(pki.path("root-ca.pem")) + " -purpose any -out /dev/null");
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("CAdES Verification successful"));
  EXPECT_THAT(run_command("openssl asn1parse -inform DER -in " + shell_quoted(signature)).output,
              HasSubstr(":rsaEncryption"));
}

TEST(BuildPadesCms, TwoThreadsSignAtOnceWithOneSignerAndOneAuthority) {
  const auto& pki = SigningPki::get();
  auto signer = pki.signer();
  auto tsa = pki.tsa();
  ASSERT_TRUE(signer && tsa);
  const auto anchors = pki.anchors();
  constexpr int kEach = 100;
  std::vector<std::string> made[2];
  auto work = [&](int thread) {
    for (int i = 0; i < kEach; ++i) {
      const std::string content = kContent + std::to_string(thread) + "/" + std::to_string(i);
      auto cms = build_pades_cms(sha256(content), *signer, tsa.get());
      made[thread].push_back(cms ? *cms : std::string());
    }
  };
  std::thread a(work, 0);
  std::thread b(work, 1);
  a.join();
  b.join();
  for (int thread = 0; thread < 2; ++thread) {
    ASSERT_EQ(made[thread].size(), static_cast<std::size_t>(kEach));
    for (int i = 0; i < kEach; ++i) {
      const std::string content = kContent + std::to_string(thread) + "/" + std::to_string(i);
      auto checked = verify_pades_cms(made[thread][i], {content}, anchors, SigningPki::now());
      EXPECT_EQ(checked.outcome, CmsOutcome::valid) << thread << "/" << i << ": " << checked.why;
    }
  }
}

}  // namespace
}  // namespace pratu::crypto
