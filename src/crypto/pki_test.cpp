#include "crypto/pki.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>

#include "common/files.hpp"
#include "support/temp_dir.hpp"

namespace pratu::crypto {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr std::int64_t kNow = 1'780'000'000;  // June 2026

// What `command` (run by the shell, stderr with stdout) printed, and its exit status.
struct Ran {
  int status = -1;
  std::string output;
};
Ran run(const std::string& command) {
  Ran out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    out.output.append(buffer.data(), n);
  out.status = ::pclose(pipe);
  return out;
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

// `openssl verify` of `leaf` against the hierarchy's root, through its issuing CA.
Ran verify(const fs::path& dir, const fs::path& leaf, const std::string& purpose = "") {
  return run("openssl verify -x509_strict -attime " + std::to_string(kNow + 86400) +
             (purpose.empty() ? "" : " -purpose " + purpose) + " -CAfile " +
             quoted(dir / "root-ca.pem") + " -untrusted " + quoted(dir / "issuing-ca.pem") + " " +
             quoted(leaf));
}

// A document signer's certificate request for `name`, made now.
CertificateRequest signer_request(const std::string& name) {
  CertificateRequest request;
  request.kind = CertificateKind::document_signer;
  request.common_name = name;
  request.organization = name;
  request.not_before = kNow;
  return request;
}

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  ::stat(path.c_str(), &info);
  return info.st_mode & 0777;
}

TEST(TestHierarchy, EachAgencysSignerAndTheTimestampAuthorityChainToTheRoot) {
  test::TempDir dir;
  const fs::path pki = dir.path() / "pki";
  auto made = make_test_hierarchy(pki, {"bma", "dbd"}, kNow);
  ASSERT_TRUE(made) << made.error().detail;
  EXPECT_TRUE(made->anchors_made);
  EXPECT_EQ(made->agencies_made, (std::vector<std::string>{"bma", "dbd"}));

  // openssl, which nobody here wrote, accepts each chain, strictly, for its purpose.
  for (const auto* code : {"bma", "dbd"}) {
    auto checked = verify(pki, pki / "agencies" / (std::string(code) + ".pem"));
    EXPECT_EQ(checked.status, 0) << checked.output;
    EXPECT_THAT(checked.output, HasSubstr(": OK"));
  }
  auto tsa = verify(pki, pki / "tsa.pem", "timestampsign");
  EXPECT_EQ(tsa.status, 0) << tsa.output;
  // A signer is no timestamp authority.
  EXPECT_NE(verify(pki, pki / "agencies" / "bma.pem", "timestampsign").status, 0);
  // Nor valid before it was made.
  auto early = run("openssl verify -attime " + std::to_string(kNow - 86400) + " -CAfile " +
                   quoted(pki / "root-ca.pem") + " -untrusted " + quoted(pki / "issuing-ca.pem") +
                   " " + quoted(pki / "agencies" / "bma.pem"));
  EXPECT_NE(early.status, 0) << early.output;

  // What each is for, as RFC 5280 and the timestamp profile ask.
  auto signer = run("openssl x509 -noout -ext basicConstraints,keyUsage,extendedKeyUsage -in " +
                    quoted(pki / "agencies" / "bma.pem"));
  EXPECT_THAT(signer.output, HasSubstr("CA:FALSE"));
  EXPECT_THAT(signer.output, HasSubstr("Digital Signature, Non Repudiation"));
  auto stamper = run("openssl x509 -noout -ext extendedKeyUsage -in " + quoted(pki / "tsa.pem"));
  EXPECT_THAT(stamper.output, HasSubstr("X509v3 Extended Key Usage: critical"));
  EXPECT_THAT(stamper.output, HasSubstr("Time Stamping"));
  auto issuing =
      run("openssl x509 -noout -ext basicConstraints -in " + quoted(pki / "issuing-ca.pem"));
  EXPECT_THAT(issuing.output, HasSubstr("CA:TRUE, pathlen:0"));

  // Keys are the certificates' own, and only their owner reads them.
  for (const auto* name : {"root-ca", "issuing-ca", "tsa", "agencies/bma"}) {
    const fs::path key = pki / (std::string(name) + ".key");
    EXPECT_EQ(mode_of(key), 0600u) << name;
    auto from_key = run("openssl pkey -pubout -in " + quoted(key));
    auto from_cert =
        run("openssl x509 -noout -pubkey -in " + quoted(pki / (std::string(name) + ".pem")));
    EXPECT_EQ(from_key.output, from_cert.output) << name;
    EXPECT_THAT(from_key.output, HasSubstr("BEGIN PUBLIC KEY"));
  }
  // The chain a signature carries: the signer, then its issuing CA.
  auto chain = read_file(pki / "agencies" / "bma-chain.pem");
  ASSERT_TRUE(chain);
  EXPECT_EQ(*chain, *read_file(pki / "agencies" / "bma.pem") + *read_file(pki / "issuing-ca.pem"));
}

TEST(TestHierarchy, ASignatureMadeWithAnAgencysKeyVerifiesAgainstTheRootOnly) {
  test::TempDir dir;
  const fs::path pki = dir.path() / "pki";
  ASSERT_TRUE(make_test_hierarchy(pki, {"bma"}, kNow));
  const fs::path data = dir.path() / "data.bin";
  std::ofstream(data) << "ใบอนุญาตเลขที่ 1/2569";
  const fs::path signature = dir.path() / "sig.der";
  auto signed_ = run("openssl cms -sign -binary -md sha256 -cades -nosmimecap -outform DER -in " +
                     quoted(data) + " -signer " + quoted(pki / "agencies" / "bma.pem") +
                     " -inkey " + quoted(pki / "agencies" / "bma.key") + " -certfile " +
                     quoted(pki / "issuing-ca.pem") + " -out " + quoted(signature));
  ASSERT_EQ(signed_.status, 0) << signed_.output;
  auto checked = run("openssl cms -verify -binary -cades -inform DER -in " + quoted(signature) +
                     " -content " + quoted(data) + " -CAfile " + quoted(pki / "root-ca.pem") +
                     " -purpose any -out /dev/null");
  EXPECT_EQ(checked.status, 0) << checked.output;
  EXPECT_THAT(checked.output, HasSubstr("Verification successful"));

  // Another hierarchy's root does not vouch for it.
  const fs::path other = dir.path() / "other";
  ASSERT_TRUE(make_test_hierarchy(other, {}, kNow));
  auto stranger = run("openssl cms -verify -binary -inform DER -in " + quoted(signature) +
                      " -content " + quoted(data) + " -CAfile " + quoted(other / "root-ca.pem") +
                      " -purpose any -out /dev/null");
  EXPECT_NE(stranger.status, 0) << stranger.output;
}

TEST(TestHierarchy, RunningAgainKeepsWhatIsThereAndAddsNewAgencies) {
  test::TempDir dir;
  const fs::path pki = dir.path() / "pki";
  ASSERT_TRUE(make_test_hierarchy(pki, {"bma"}, kNow));
  const auto root = read_file(pki / "root-ca.pem");
  const auto bma = read_file(pki / "agencies" / "bma.pem");
  auto again = make_test_hierarchy(pki, {"bma", "dopa"}, kNow + 3600);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_FALSE(again->anchors_made);
  EXPECT_EQ(again->agencies_made, std::vector<std::string>{"dopa"});
  EXPECT_EQ(read_file(pki / "root-ca.pem").value(), root.value());
  EXPECT_EQ(read_file(pki / "agencies" / "bma.pem").value(), bma.value());
  // The new agency's signer is issued by the same CA.
  EXPECT_EQ(verify(pki, pki / "agencies" / "dopa.pem").status, 0);
  // A code that is not one is refused, not turned into a path.
  EXPECT_FALSE(make_test_hierarchy(pki, {"../etc"}, kNow));
}

TEST(IssueCertificate, KeepsAThaiNameAndAnUnpredictableSerial) {
  CertificateRequest request = signer_request("กรุงเทพมหานคร");
  auto a = issue_certificate(request, nullptr);
  auto b = issue_certificate(request, nullptr);
  ASSERT_TRUE(a && b);
  test::TempDir dir;
  std::ofstream(dir.path() / "a.pem") << a->certificate_pem;
  std::ofstream(dir.path() / "b.pem") << b->certificate_pem;
  auto subject = run("openssl x509 -noout -subject -nameopt utf8,sep_comma_plus -in " +
                     quoted(dir.path() / "a.pem"));
  EXPECT_THAT(subject.output, HasSubstr("CN=กรุงเทพมหานคร")) << subject.output;
  auto serial_a = run("openssl x509 -noout -serial -in " + quoted(dir.path() / "a.pem"));
  auto serial_b = run("openssl x509 -noout -serial -in " + quoted(dir.path() / "b.pem"));
  EXPECT_NE(serial_a.output, serial_b.output);
  EXPECT_EQ(serial_a.output.size(), std::string("serial=").size() + 32 + 1) << serial_a.output;

  request.common_name.clear();
  EXPECT_FALSE(issue_certificate(request, nullptr));
}

// A pinned client certificate is named by its SHA-256: the same digits openssl prints.
TEST(CertificateSha256, IsOpensslsFingerprintWithoutColons) {
  auto issued = issue_certificate(signer_request("Bank client"), nullptr);
  ASSERT_TRUE(issued) << issued.error().detail;
  test::TempDir dir;
  std::ofstream(dir.path() / "client.pem") << issued->certificate_pem;
  auto printed =
      run("openssl x509 -noout -fingerprint -sha256 -in " + quoted(dir.path() / "client.pem"));
  ASSERT_EQ(printed.status, 0) << printed.output;
  std::string expected;
  for (char ch : printed.output.substr(printed.output.find('=') + 1)) {
    if (std::isxdigit(static_cast<unsigned char>(ch))) {
      expected += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  auto ours = certificate_sha256(issued->certificate_pem);
  ASSERT_TRUE(ours) << ours.error().detail;
  EXPECT_EQ(*ours, expected);
  EXPECT_EQ(ours->size(), 64u);
  EXPECT_FALSE(
      certificate_sha256("-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n"));
  EXPECT_FALSE(certificate_sha256(""));
}

}  // namespace
}  // namespace pratu::crypto
