/// RFC 3161 requests, replies and tokens, checked with openssl ts.
#include "crypto/timestamp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "common/files.hpp"
#include "crypto/der.hpp"
#include "crypto/digest.hpp"
#include "crypto/openssl_handles.hpp"
#include "crypto/secure_random.hpp"
#include "support/run_command.hpp"
#include "support/signing_pki.hpp"
#include "support/temp_dir.hpp"

namespace pratu::crypto {
namespace {

using test::run_command;
using test::shell_quoted;
using test::SigningPki;
using ::testing::HasSubstr;

// Bytes that repeat, so a test knows the nonce and serial numbers it gets.
class CountingRandom final : public Random {
 public:
  std::string bytes(std::size_t n) override { return std::string(n, static_cast<char>(++next_)); }

 private:
  int next_ = 0x10;
};

std::unique_ptr<LocalTimestampAuthority> authority(const SigningPki& pki, const Clock& clock,
                                                   Random& random) {
  LocalTimestampSettings settings;
  settings.key = pki.path("tsa.key");
  settings.certificate = pki.path("tsa.pem");
  settings.chain = pki.path("tsa-chain.pem");
  auto loaded = LocalTimestampAuthority::load(settings, clock, random);
  EXPECT_TRUE(loaded) << loaded.error().detail;
  return loaded ? std::move(*loaded) : nullptr;
}

TEST(TimestampRequest, IsWhatOpensslMakesOfAVersionOneRequestWithNonceAndCertReq) {
  CountingRandom random;
  const std::string imprint = sha256("signature value");
  const auto request = make_timestamp_request(imprint, random);
  EXPECT_EQ(request.nonce, std::string(8, '\x11'));
  test::TempDir dir;
  auto shown = run_command("openssl ts -query -in " +
                           shell_quoted(dir.write("request.tsq", request.der)) + " -text");
  EXPECT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_THAT(shown.output, HasSubstr("Version: 1"));
  EXPECT_THAT(shown.output, HasSubstr("Hash Algorithm: sha256"));
  EXPECT_THAT(shown.output, HasSubstr("Nonce: 0x1111111111111111"));
  EXPECT_THAT(shown.output, HasSubstr("Certificate required: yes"));
  EXPECT_THAT(shown.output, HasSubstr("Policy OID: unspecified"));
}

TEST(LocalTimestampAuthority, TokensVerifyWithOpensslAndCarryThePolicyAccuracyAndClock) {
  const auto& pki = SigningPki::get();
  FakeClock clock(SigningPki::now());
  SecureRandom random;
  auto tsa = authority(pki, clock, random);
  ASSERT_TRUE(tsa);
  const std::string data = "the signature value's octets";
  auto token = tsa->timestamp(sha256(data));
  ASSERT_TRUE(token) << token.error().detail;
  EXPECT_LE(token->size(), tsa->token_size_hint());

  test::TempDir dir;
  const auto token_file = dir.write("token.der", *token);
  const auto data_file = dir.write("data.bin", data);
  auto verified = run_command("openssl ts -verify -data " + shell_quoted(data_file) + " -in " +
                              shell_quoted(token_file) + " -token_in -CAfile " +
                              shell_quoted(pki.path("root-ca.pem")) + " -untrusted " +
                              shell_quoted(pki.path("tsa-chain.pem")));
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("Verification: OK"));

  auto shown =
      run_command("openssl ts -reply -in " + shell_quoted(token_file) + " -token_in -text");
  EXPECT_THAT(shown.output, HasSubstr("Policy OID: 2.999.1.3161.1"));
  EXPECT_THAT(shown.output, HasSubstr("Accuracy: 0x01 seconds"));
  EXPECT_THAT(shown.output, HasSubstr("Hash Algorithm: sha256"));
  EXPECT_THAT(shown.output, HasSubstr("TSA: unspecified"));

  auto checked = verify_timestamp_token(*token, sha256(data), pki.anchors(), clock.now_seconds());
  EXPECT_TRUE(checked.ok) << checked.why;
  EXPECT_EQ(checked.gen_time, clock.now_seconds());
  EXPECT_THAT(checked.tsa_subject, HasSubstr("CN=Pratu Test Timestamping"));
}

TEST(LocalTimestampAuthority, AnswersARequestFromOpensslAndRejectsGarbage) {
  const auto& pki = SigningPki::get();
  SystemClock clock;
  SecureRandom random;
  auto tsa = authority(pki, clock, random);
  ASSERT_TRUE(tsa);
  test::TempDir dir;
  const auto data = dir.write("data.bin", "a document");
  auto queried = run_command("openssl ts -query -data " + shell_quoted(data) +
                             " -sha256 -cert -out " + shell_quoted(dir / "request.tsq"));
  ASSERT_EQ(queried.exit_code, 0) << queried.output;
  auto response = tsa->respond(read_file(dir / "request.tsq").value());
  ASSERT_TRUE(response) << response.error().detail;
  const auto reply = dir.write("reply.tsr", *response);
  auto verified =
      run_command("openssl ts -verify -data " + shell_quoted(data) + " -in " + shell_quoted(reply) +
                  " -CAfile " + shell_quoted(pki.path("root-ca.pem")) + " -untrusted " +
                  shell_quoted(pki.path("tsa-chain.pem")));
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("Verification: OK"));

  // Garbage gets a rejection, which is a reply, not an error.
  auto rejected = tsa->respond("not a request");
  ASSERT_TRUE(rejected) << rejected.error().detail;
  auto shown = run_command("openssl ts -reply -in " +
                           shell_quoted(dir.write("rejected.tsr", *rejected)) + " -text");
  EXPECT_THAT(shown.output, HasSubstr("Status: Rejected"));
  // A SHA-1 imprint too: only the SHA-2 family is accepted.
  auto sha1 = run_command("openssl ts -query -data " + shell_quoted(data) + " -sha1 -cert -out " +
                          shell_quoted(dir / "sha1.tsq"));
  ASSERT_EQ(sha1.exit_code, 0) << sha1.output;
  auto refused = tsa->respond(read_file(dir / "sha1.tsq").value());
  ASSERT_TRUE(refused);
  EXPECT_THAT(run_command("openssl ts -reply -in " + shell_quoted(dir.write("sha1.tsr", *refused)) +
                          " -text")
                  .output,
              HasSubstr("Status: Rejected"));
}

TEST(LocalTimestampAuthority, SerialNumbersNeverRepeatUnderTwoThreads) {
  const auto& pki = SigningPki::get();
  SystemClock clock;
  SecureRandom random;
  auto tsa = authority(pki, clock, random);
  ASSERT_TRUE(tsa);
  constexpr int kEach = 100;
  std::vector<std::string> serials[2];
  auto work = [&](int thread) {
    for (int i = 0; i < kEach; ++i) {
      auto token = tsa->timestamp(sha256(std::to_string(thread * 1000 + i)));
      if (!token) continue;
      const auto* p = reinterpret_cast<const unsigned char*>(token->data());
      Pkcs7Ptr pkcs7(d2i_PKCS7(nullptr, &p, static_cast<long>(token->size())));
      TstInfoPtr info(PKCS7_to_TS_TST_INFO(pkcs7.get()));
      BignumPtr serial(ASN1_INTEGER_to_BN(TS_TST_INFO_get_serial(info.get()), nullptr));
      char* hex = BN_bn2hex(serial.get());
      serials[thread].push_back(hex);
      OPENSSL_free(hex);
    }
  };
  std::thread a(work, 0);
  std::thread b(work, 1);
  a.join();
  b.join();
  std::set<std::string> distinct(serials[0].begin(), serials[0].end());
  distinct.insert(serials[1].begin(), serials[1].end());
  EXPECT_EQ(serials[0].size() + serials[1].size(), 2u * kEach);
  EXPECT_EQ(distinct.size(), 2u * kEach);
  EXPECT_EQ(distinct.begin()->size(), 32u);  // 128 bits, no sign octet needed
}

TEST(TokenFromResponse, RefusesAReplyForAnotherNonceOrImprint) {
  const auto& pki = SigningPki::get();
  SystemClock clock;
  SecureRandom random;
  auto tsa = authority(pki, clock, random);
  ASSERT_TRUE(tsa);
  const std::string imprint = sha256("mine");
  const auto request = make_timestamp_request(imprint, random);
  auto response = tsa->respond(request.der);
  ASSERT_TRUE(response);
  EXPECT_TRUE(token_from_response(*response, imprint, request));

  TimestampRequest other_nonce = request;
  other_nonce.nonce[0] = static_cast<char>(other_nonce.nonce[0] ^ 1);
  auto replayed = token_from_response(*response, imprint, other_nonce);
  ASSERT_FALSE(replayed);
  EXPECT_THAT(replayed.error().detail, HasSubstr("nonce"));
  auto elsewhere = token_from_response(*response, sha256("theirs"), request);
  ASSERT_FALSE(elsewhere);
  EXPECT_THAT(elsewhere.error().detail, HasSubstr("imprint"));
  EXPECT_FALSE(token_from_response("garbage", imprint, request));
  EXPECT_FALSE(token_from_response(response->substr(0, response->size() / 2), imprint, request));
  auto rejected = tsa->respond("garbage");
  ASSERT_TRUE(rejected);
  auto refused = token_from_response(*rejected, imprint, request);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().detail, HasSubstr("refused"));
}

TEST(VerifyTimestampToken, FailsForAnotherImprintRootTimeOrGarbage) {
  const auto& pki = SigningPki::get();
  SystemClock clock;
  SecureRandom random;
  auto tsa = authority(pki, clock, random);
  ASSERT_TRUE(tsa);
  const std::string imprint = sha256("signature");
  auto token = tsa->timestamp(imprint);
  ASSERT_TRUE(token);
  const auto now = SigningPki::now();
  EXPECT_TRUE(verify_timestamp_token(*token, imprint, pki.anchors(), now).ok);

  auto other_imprint = verify_timestamp_token(*token, sha256("other"), pki.anchors(), now);
  EXPECT_FALSE(other_imprint.ok);
  EXPECT_THAT(other_imprint.why, HasSubstr("imprint"));
  auto other_root =
      verify_timestamp_token(*token, imprint, SigningPki::get("other").anchors(), now);
  EXPECT_FALSE(other_root.ok);
  EXPECT_THAT(other_root.why, HasSubstr("does not verify"));
  // After the TSA's certificate (two years) has expired.
  EXPECT_FALSE(verify_timestamp_token(*token, imprint, pki.anchors(), now + 800 * 86400).ok);
  // A token whose time is after the check's.
  EXPECT_FALSE(verify_timestamp_token(*token, imprint, pki.anchors(), now - 3600).ok);
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, token->size() / 2, token->size() - 1}) {
    EXPECT_FALSE(verify_timestamp_token(token->substr(0, cut), imprint, pki.anchors(), now).ok);
  }
  std::string flipped = *token;
  flipped[flipped.size() - 10] = static_cast<char>(flipped[flipped.size() - 10] ^ 0x01);
  EXPECT_FALSE(verify_timestamp_token(flipped, imprint, pki.anchors(), now).ok);
}

TEST(LocalTimestampAuthority, RefusesACertificateThatIsNotForTimestamping) {
  const auto& pki = SigningPki::get();
  SystemClock clock;
  SecureRandom random;
  LocalTimestampSettings settings;
  settings.key = pki.path("agencies/bma.key");
  settings.certificate = pki.path("agencies/bma.pem");
  auto loaded = LocalTimestampAuthority::load(settings, clock, random);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().detail, HasSubstr("not for timestamping"));
  settings.key = pki.path("tsa.key");
  auto mismatched = LocalTimestampAuthority::load(settings, clock, random);
  EXPECT_FALSE(mismatched);
}

}  // namespace
}  // namespace pratu::crypto
