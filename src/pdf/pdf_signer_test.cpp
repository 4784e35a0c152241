/// Signing a PDF, checked with the tools nobody in Pratu wrote: pdfsig, qpdf and openssl.
#include "pdf/pdf_signer.hpp"

// qpdf 11 without its old PointerHolder: std::shared_ptr everywhere.
#define POINTERHOLDER_TRANSITION 4

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <qpdf/QPDF.hh>

#include <atomic>
#include <chrono>
#include <iostream>
#include <regex>
#include <thread>

#include "common/files.hpp"
#include "pdf/signature_check.hpp"
#include "support/cms_parts.hpp"
#include "support/run_command.hpp"
#include "support/sample_pdf.hpp"
#include "support/signing_pki.hpp"
#include "support/temp_dir.hpp"

namespace pratu::pdf {
namespace {

using test::run_command;
using test::shell_quoted;
using test::SigningPki;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::int64_t kSigningTime = 1'780'000'000;  // 2026-05-28 20:26:40 UTC

SignatureFields licence_fields() {
  SignatureFields fields;
  fields.name = "กรุงเทพมหานคร";
  fields.reason = "Licence 1/2569 (ใบอนุญาต)";
  fields.location = "Bangkok";
  fields.contact = "licence@bma.go.th";
  fields.signing_time = kSigningTime;
  return fields;
}

// The ByteRange a signed file gives, read from its text.
std::array<std::size_t, 4> byte_range_of(const std::string& pdf, std::size_t from = 0) {
  std::smatch match;
  const std::regex pattern(R"(/ByteRange \[0 (\d+) (\d+) (\d+) *\])");
  std::string tail = pdf.substr(from);
  std::array<std::size_t, 4> out{};
  std::string last;
  for (auto it = std::sregex_iterator(tail.begin(), tail.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    out = {0, std::stoul((*it)[1]), std::stoul((*it)[2]), std::stoul((*it)[3])};
  }
  return out;
}

// The CMS in the gap of the last signature, and the bytes it signs.
struct Extracted {
  std::string cms;
  std::string signed_bytes;
};
Extracted extract(const std::string& pdf) {
  const auto range = byte_range_of(pdf);
  Extracted out;
  const std::string hex = pdf.substr(range[1] + 1, range[2] - range[1] - 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.cms.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  out.signed_bytes = pdf.substr(0, range[1]) + pdf.substr(range[2], range[3]);
  return out;
}

class PdfSigner : public ::testing::Test {
 protected:
  const SigningPki& pki_ = SigningPki::get();
  std::unique_ptr<crypto::FileSigner> signer_ = pki_.signer();
  std::unique_ptr<crypto::LocalTimestampAuthority> tsa_ = pki_.tsa();
  test::TempDir dir_;
};

TEST_F(PdfSigner, AppendsAnUpdateAndLeavesEveryOriginalByteAsItWas) {
  const std::string input = test::sample_pdf();
  auto signed_pdf = sign_pdf(input, *signer_, tsa_.get(), licence_fields());
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().detail;
  ASSERT_GT(signed_pdf->size(), input.size());
  EXPECT_EQ(signed_pdf->substr(0, input.size()), input);
  EXPECT_TRUE(signed_pdf->ends_with("%%EOF\n"));

  // The ByteRange covers the whole file but the /Contents string.
  const auto range = byte_range_of(*signed_pdf);
  EXPECT_EQ(range[2] + range[3], signed_pdf->size());
  EXPECT_EQ((*signed_pdf)[range[1]], '<');
  EXPECT_EQ((*signed_pdf)[range[2] - 1], '>');
  EXPECT_GT(range[1], input.size());
  const std::string update = signed_pdf->substr(input.size());
  EXPECT_THAT(update,
              HasSubstr("/Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached"));
  EXPECT_THAT(update, HasSubstr("/M (D:20260529032640+07'00')"));
  EXPECT_THAT(update, HasSubstr("/Location (Bangkok)"));
  EXPECT_THAT(update, HasSubstr("/ContactInfo (licence@bma.go.th)"));
  EXPECT_THAT(update,
              HasSubstr("/Name <feff0e010e230e380e070e400e170e1e0e210e2b0e320e190e040e23>"));
  EXPECT_THAT(update, HasSubstr("/FT /Sig /F 132 /Rect [0 0 0 0]"));
  EXPECT_THAT(update, HasSubstr("/SigFlags 3"));
  EXPECT_THAT(update, HasSubstr("/Prev "));
  EXPECT_THAT(update, Not(HasSubstr("/Cert")));
  // The hex is upper-case, padded with zeros.
  const std::string hex = signed_pdf->substr(range[1] + 1, range[2] - range[1] - 2);
  EXPECT_EQ(hex.find_first_of("abcdef"), std::string::npos);
  EXPECT_TRUE(hex.starts_with("30"));
  EXPECT_TRUE(hex.ends_with("0000"));
}

TEST_F(PdfSigner, PdfsigQpdfAndOpensslAcceptTheSignedFile) {
  const auto file = dir_.write(
      "signed.pdf", sign_pdf(test::sample_pdf(), *signer_, tsa_.get(), licence_fields()).value());
  auto pdfsig = run_command("pdfsig -nocert " + shell_quoted(file));
  EXPECT_EQ(pdfsig.exit_code, 0) << pdfsig.output;
  EXPECT_THAT(pdfsig.output, HasSubstr("Signature Type: ETSI.CAdES.detached"));
  EXPECT_THAT(pdfsig.output, HasSubstr("Signature Validation: Signature is Valid."));
  EXPECT_THAT(pdfsig.output, HasSubstr("Total document signed"));
  EXPECT_THAT(pdfsig.output,
              HasSubstr("Signer Certificate Common Name: Pratu Test Document Signer bma"));
  const auto range = byte_range_of(read_file(file).value());
  EXPECT_THAT(pdfsig.output, HasSubstr("Signed Ranges: [0 - " + std::to_string(range[1]) + "], [" +
                                       std::to_string(range[2]) + " - " +
                                       std::to_string(range[2] + range[3]) + "]"));

  auto check = run_command("qpdf --check " + shell_quoted(file));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_THAT(check.output, HasSubstr("No syntax or stream encoding errors found"));
  auto form = run_command("qpdf --json=2 --json-key=acroform " + shell_quoted(file));
  EXPECT_THAT(form.output, HasSubstr("\"fieldtype\": \"/Sig\""));
  EXPECT_THAT(form.output, HasSubstr("\"fullname\": \"Signature1\""));

  const auto extracted = extract(read_file(file).value());
  const auto cms =
      dir_.write("sig.der", extracted.cms.substr(0, extracted.cms.find_last_not_of('\0') + 1));
  const auto tbs = dir_.write("tbs.bin", extracted.signed_bytes);
  auto verified =
      run_command("openssl cms -verify -cades -binary -inform DER -in " + shell_quoted(cms) +
                  " -content " + shell_quoted(tbs) + " -CAfile " +
                  shell_quoted(pki_.path("root-ca.pem")) + " -purpose any -out /dev/null");
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("CAdES Verification successful"));

  const auto parts = test::cms_parts(extracted.cms);
  ASSERT_EQ(parts.signer_infos, 1);
  const auto value = dir_.write("sigvalue.bin", parts.signature_value);
  const auto token = dir_.write("token.der", parts.timestamp_token);
  auto stamped = run_command("openssl ts -verify -data " + shell_quoted(value) + " -in " +
                             shell_quoted(token) + " -token_in -CAfile " +
                             shell_quoted(pki_.path("root-ca.pem")) + " -untrusted " +
                             shell_quoted(pki_.path("tsa-chain.pem")));
  EXPECT_EQ(stamped.exit_code, 0) << stamped.output;
  EXPECT_THAT(stamped.output, HasSubstr("Verification: OK"));

  auto parsed = run_command("openssl asn1parse -inform DER -in " + shell_quoted(cms));
  const std::string ours =
      parsed.output.substr(0, parsed.output.find(":id-smime-aa-timeStampToken"));
  EXPECT_THAT(parsed.output, HasSubstr(":id-smime-aa-timeStampToken"));  // .16.2.14
  EXPECT_THAT(ours, HasSubstr(":id-smime-aa-signingCertificateV2"));     // .16.2.47
  EXPECT_THAT(ours, Not(HasSubstr(":signingTime")));                     // 1.2.840.113549.1.9.5
}

TEST_F(PdfSigner, KeepsTheCatalogInfoAndFieldsOfARicherInput) {
  const std::string input = test::sample_pdf({.pages = 2, .info = true, .acroform = true});
  auto signed_pdf = sign_pdf(input, *signer_, tsa_.get(), licence_fields());
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().detail;
  const auto file = dir_.write("signed.pdf", *signed_pdf);
  auto pdfsig = run_command("pdfsig -nocert " + shell_quoted(file));
  EXPECT_THAT(pdfsig.output, HasSubstr("Signature is Valid."));
  EXPECT_THAT(pdfsig.output, HasSubstr("Total document signed"));
  EXPECT_EQ(run_command("qpdf --check " + shell_quoted(file)).exit_code, 0);

  QPDF before;
  before.processMemoryFile("before", input.data(), input.size());
  QPDF after;
  after.processMemoryFile("after", signed_pdf->data(), signed_pdf->size());
  EXPECT_EQ(after.getAllPages().size(), 2u);
  EXPECT_EQ(after.getTrailer().getKey("/Info").getKey("/Title").getUTF8Value(), "Sample licence");
  // The first /ID string stays; the second is new.
  auto old_id = before.getTrailer().getKey("/ID");
  auto new_id = after.getTrailer().getKey("/ID");
  EXPECT_EQ(new_id.getArrayItem(0).getStringValue(), old_id.getArrayItem(0).getStringValue());
  EXPECT_NE(new_id.getArrayItem(1).getStringValue(), old_id.getArrayItem(1).getStringValue());
  // Every Catalog entry is there, and the form has both fields.
  for (const auto& key : before.getRoot().getKeys()) {
    EXPECT_TRUE(after.getRoot().hasKey(key)) << key;
  }
  auto fields = after.getRoot().getKey("/AcroForm").getKey("/Fields");
  ASSERT_EQ(fields.getArrayNItems(), 2);
  EXPECT_EQ(fields.getArrayItem(0).getKey("/T").getUTF8Value(), "Remarks");
  EXPECT_EQ(fields.getArrayItem(1).getKey("/T").getUTF8Value(), "Signature1");
  EXPECT_EQ(after.getRoot().getKey("/AcroForm").getKey("/DA").getUTF8Value(), "/Helv 0 Tf 0 g");
  std::vector<QPDFObjectHandle> pages_after = after.getAllPages();
  std::vector<QPDFObjectHandle> pages_before = before.getAllPages();
  EXPECT_EQ(pages_after[0].getKey("/Annots").getArrayNItems(), 2);
  EXPECT_FALSE(pages_after[1].hasKey("/Annots"));
  EXPECT_EQ(pages_after[0].getKey("/Contents").getStreamData()->getSize(),
            pages_before[0].getKey("/Contents").getStreamData()->getSize());
}

TEST_F(PdfSigner, ASecondSignatureKeepsTheFirstValid) {
  auto once = sign_pdf(test::sample_pdf(), *signer_, tsa_.get(), licence_fields());
  ASSERT_TRUE(once);
  auto other = pki_.signer("dbd");
  SignatureFields second = licence_fields();
  second.field_name = "Signature2";
  EXPECT_FALSE(sign_pdf(*once, *other, tsa_.get(), licence_fields()));  // Signature1 is taken
  auto twice = sign_pdf(*once, *other, tsa_.get(), second);
  ASSERT_TRUE(twice) << twice.error().detail;
  const auto file = dir_.write("twice.pdf", *twice);
  auto pdfsig = run_command("pdfsig -nocert " + shell_quoted(file));
  EXPECT_THAT(pdfsig.output, HasSubstr("Signature #2"));
  EXPECT_THAT(pdfsig.output, Not(HasSubstr("Digest Mismatch")));
  EXPECT_EQ(run_command("qpdf --check " + shell_quoted(file)).exit_code, 0);

  auto verdict = check_signed_pdf(*twice, pki_.anchors(), SigningPki::now());
  EXPECT_EQ(verdict.outcome, SignatureOutcome::valid) << verdict.why;
  ASSERT_EQ(verdict.signatures.size(), 2u);
  EXPECT_FALSE(verdict.signatures[0].covers_whole_file);
  EXPECT_TRUE(verdict.signatures[1].covers_whole_file);
  EXPECT_EQ(verdict.signatures[1].signer->organization, "Pratu test PKI");
  EXPECT_THAT(verdict.signatures[1].signer->common_name, HasSubstr("dbd"));
}

TEST_F(PdfSigner, RefusesCrossReferenceStreamsEncryptionAndNonPdf) {
  auto streams =
      sign_pdf(test::sample_pdf({.object_streams = true}), *signer_, tsa_.get(), licence_fields());
  ASSERT_FALSE(streams);
  EXPECT_EQ(streams.error().code, ErrorCode::invalid_input);
  EXPECT_THAT(streams.error().detail, HasSubstr("cross-reference stream"));

  const auto plain = dir_.write("plain.pdf", test::sample_pdf());
  ASSERT_EQ(run_command("qpdf --encrypt u o 256 -- " + shell_quoted(plain) + " " +
                        shell_quoted(dir_ / "locked.pdf"))
                .exit_code,
            0);
  ASSERT_EQ(run_command("qpdf --encrypt '' o 256 -- " + shell_quoted(plain) + " " +
                        shell_quoted(dir_ / "open.pdf"))
                .exit_code,
            0);
  for (const char* name : {"locked.pdf", "open.pdf"}) {
    auto encrypted =
        sign_pdf(read_file(dir_ / name).value(), *signer_, tsa_.get(), licence_fields());
    ASSERT_FALSE(encrypted) << name;
    EXPECT_THAT(encrypted.error().detail, HasSubstr("encrypted")) << name;
  }
  EXPECT_FALSE(sign_pdf("\x89PNG\r\n", *signer_, tsa_.get(), licence_fields()));
  const std::string input = test::sample_pdf();
  EXPECT_FALSE(sign_pdf(input.substr(0, input.size() / 2), *signer_, tsa_.get(), licence_fields()));
}

// An authority that underestimates its tokens, so the first room reserved is too small.
class Understating final : public crypto::TimestampAuthority {
 public:
  explicit Understating(crypto::TimestampAuthority& inner) : inner_(inner) {}
  Result<std::string> timestamp(std::string_view imprint) override {
    ++calls;
    return inner_.timestamp(imprint);
  }
  std::size_t token_size_hint() const override { return 0; }
  int calls = 0;

 private:
  crypto::TimestampAuthority& inner_;
};

TEST_F(PdfSigner, ReservesMoreRoomWhenTheSignatureDoesNotFit) {
  Understating tsa(*tsa_);
  auto signed_pdf = sign_pdf(test::sample_pdf(), *signer_, &tsa, licence_fields());
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().detail;
  EXPECT_EQ(tsa.calls, 2);
  auto verdict = check_signed_pdf(*signed_pdf, pki_.anchors(), SigningPki::now());
  EXPECT_EQ(verdict.outcome, SignatureOutcome::valid) << verdict.why;
  auto pdfsig = run_command("pdfsig -nocert " + shell_quoted(dir_.write("s.pdf", *signed_pdf)));
  EXPECT_THAT(pdfsig.output, HasSubstr("Signature is Valid."));
}

TEST(PdfDate, WritesThaiTime) {
  EXPECT_EQ(pdf_date(0), "D:19700101070000+07'00'");
  EXPECT_EQ(pdf_date(kSigningTime), "D:20260529032640+07'00'");
  EXPECT_EQ(pdf_date(1'767'200'400), "D:20260101000000+07'00'");  // 2025-12-31 17:00 UTC
}

TEST_F(PdfSigner, SignsAndVerifiesFastEnough) {
  const std::string input = test::sample_pdf();
  const auto anchors = pki_.anchors();
  constexpr int kRounds = 200;
  std::vector<std::string> signed_pdfs;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    auto signed_pdf = sign_pdf(input, *signer_, tsa_.get(), licence_fields());
    ASSERT_TRUE(signed_pdf);
    signed_pdfs.push_back(std::move(*signed_pdf));
  }
  const auto signed_at = std::chrono::steady_clock::now();
  for (const auto& pdf : signed_pdfs) {
    ASSERT_EQ(check_signed_pdf(pdf, anchors, SigningPki::now()).outcome, SignatureOutcome::valid);
  }
  const auto checked_at = std::chrono::steady_clock::now();
  // Two threads at once, as the server's two cores would.
  std::thread a([&] {
    for (int i = 0; i < kRounds / 2; ++i)
      (void)sign_pdf(input, *signer_, tsa_.get(), licence_fields());
  });
  std::thread b([&] {
    for (int i = 0; i < kRounds / 2; ++i)
      (void)sign_pdf(input, *signer_, tsa_.get(), licence_fields());
  });
  a.join();
  b.join();
  const auto parallel_at = std::chrono::steady_clock::now();
  std::atomic<int> valid{0};
  auto verify_half = [&](int half) {
    for (int i = half; i < kRounds; i += 2) {
      if (check_signed_pdf(signed_pdfs[i], anchors, SigningPki::now()).outcome ==
          SignatureOutcome::valid) {
        ++valid;
      }
    }
  };
  std::thread c(verify_half, 0);
  std::thread d(verify_half, 1);
  c.join();
  d.join();
  EXPECT_EQ(valid.load(), kRounds);
  const auto verified_at = std::chrono::steady_clock::now();
  using ms = std::chrono::duration<double, std::milli>;
  using seconds = std::chrono::duration<double>;
  std::cout << "[ timing ] one thread: sign+timestamp " << ms(signed_at - start).count() / kRounds
            << " ms, verify " << ms(checked_at - signed_at).count() / kRounds
            << " ms per document (" << input.size() << " -> " << signed_pdfs[0].size()
            << " octets); two threads: " << kRounds / seconds(parallel_at - checked_at).count()
            << " signed and " << kRounds / seconds(verified_at - parallel_at).count()
            << " verified per second\n";
}

}  // namespace
}  // namespace pratu::pdf
