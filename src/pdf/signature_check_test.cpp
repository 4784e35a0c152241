/// The check of signed PDFs: one outcome for each way a file can fail, and no crash on any.
#include "pdf/signature_check.hpp"

// qpdf 11 without its old PointerHolder: std::shared_ptr everywhere.
#define POINTERHOLDER_TRANSITION 4

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

#include <chrono>
#include <iostream>
#include <random>
#include <regex>

#include "common/files.hpp"
#include "crypto/digest.hpp"
#include "pdf/pdf_signer.hpp"
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

SignatureFields fields() {
  SignatureFields out;
  out.name = "Pratu test agency";
  out.reason = "Licence 1/2569";
  out.location = "Bangkok";
  out.signing_time = SigningPki::now();
  return out;
}

class SignatureCheck : public ::testing::Test {
 protected:
  SignatureVerdict check(std::string_view bytes) {
    return check_signed_pdf(bytes, anchors_, SigningPki::now());
  }
  std::string sign(const std::string& input, crypto::Signer& signer, bool timestamp = true) {
    auto out = sign_pdf(input, signer, timestamp ? tsa_.get() : nullptr, fields());
    EXPECT_TRUE(out) << out.error().detail;
    return out ? *out : std::string();
  }

  const SigningPki& pki_ = SigningPki::get();
  crypto::TrustAnchors anchors_ = pki_.anchors();
  std::unique_ptr<crypto::FileSigner> signer_ = pki_.signer();
  std::unique_ptr<crypto::LocalTimestampAuthority> tsa_ = pki_.tsa();
  const std::string input_ = test::sample_pdf();
  const std::string signed_ = sign(input_, *signer_);
};

TEST_F(SignatureCheck, ASignedFileIsValidAndSaysWhoSignedItAndWhen) {
  const auto verdict = check(signed_);
  EXPECT_EQ(verdict.outcome, SignatureOutcome::valid) << verdict.why;
  EXPECT_EQ(to_string(verdict.outcome), "valid");
  EXPECT_EQ(verdict.sha256, crypto::sha256_hex(signed_));
  ASSERT_EQ(verdict.signatures.size(), 1u);
  const auto& signature = *verdict.last();
  EXPECT_EQ(signature.field_name, "Signature1");
  EXPECT_TRUE(signature.covers_whole_file);
  EXPECT_EQ(signature.byte_range[0], 0);
  EXPECT_EQ(signature.byte_range[2] + signature.byte_range[3],
            static_cast<std::int64_t>(signed_.size()));
  EXPECT_EQ(signature.signing_time, pdf_date(fields().signing_time));
  ASSERT_TRUE(signature.signer);
  EXPECT_EQ(signature.signer->common_name, "Pratu Test Document Signer bma");
  EXPECT_EQ(signature.signer->organization, "Pratu test PKI");
  EXPECT_EQ(signature.signer->serial_hex.size(), 32u);
  EXPECT_EQ(signature.signer->sha256_fingerprint_hex.size(), 64u);
  ASSERT_TRUE(signature.timestamp_time);
  EXPECT_NEAR(static_cast<double>(*signature.timestamp_time),
              static_cast<double>(SigningPki::now()), 60);
  EXPECT_THAT(signature.timestamp_authority, HasSubstr("Pratu Test Timestamping"));
}

TEST_F(SignatureCheck, AByteChangedInsideTheRangeIsModified) {
  std::string changed = signed_;
  const auto at = changed.find("Licence page 1");
  ASSERT_NE(at, std::string::npos);
  changed[at] = 'l';
  const auto verdict = check(changed);
  EXPECT_EQ(verdict.outcome, SignatureOutcome::modified) << verdict.why;
  // pdfsig, which nobody here wrote, agrees.
  test::TempDir dir;
  auto pdfsig = run_command("pdfsig -nocert " + shell_quoted(dir.write("changed.pdf", changed)));
  EXPECT_THAT(pdfsig.output, HasSubstr("Digest Mismatch"));
}

TEST_F(SignatureCheck, AnUpdateAppendedAfterSigningIsChangedAfterSigning) {
  // A hand-written update: a new Info dictionary, its xref section and a trailer with /Prev.
  const auto startxref = signed_.rfind("startxref\n");
  const std::string prev =
      signed_.substr(startxref + 10, signed_.find('\n', startxref + 10) - startxref - 10);
  const std::regex root_pattern(R"(/Root (\d+ \d+ R))");
  std::smatch root;
  std::regex_search(signed_, root, root_pattern);
  const std::regex size_pattern(R"(/Size (\d+))");
  std::string last_size;
  for (auto it = std::sregex_iterator(signed_.begin(), signed_.end(), size_pattern);
       it != std::sregex_iterator(); ++it) {
    last_size = (*it)[1];
  }
  const int info_id = std::stoi(last_size);
  std::string changed = signed_;
  const std::size_t info_at = changed.size();
  changed += std::to_string(info_id) + " 0 obj\n<< /Title (Changed after signing) >>\nendobj\n";
  const std::size_t xref_at = changed.size();
  char entry[32];
  std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", info_at);
  changed += "xref\n" + std::to_string(info_id) + " 1\n" + entry + "trailer\n<< /Size " +
             std::to_string(info_id + 1) + " /Root " + root[1].str() + " /Info " +
             std::to_string(info_id) + " 0 R /Prev " + prev + " >>\nstartxref\n" +
             std::to_string(xref_at) + "\n%%EOF\n";
  test::TempDir dir;
  const auto file = dir.write("changed.pdf", changed);
  ASSERT_EQ(run_command("qpdf --check " + shell_quoted(file)).exit_code, 0);  // a good PDF
  EXPECT_THAT(run_command("pdfsig -nocert " + shell_quoted(file)).output,
              HasSubstr("Not total document signed"));

  const auto verdict = check(changed);
  EXPECT_EQ(verdict.outcome, SignatureOutcome::changed_after_signing) << verdict.why;
  ASSERT_EQ(verdict.signatures.size(), 1u);
  EXPECT_EQ(verdict.signatures[0].outcome, SignatureOutcome::valid);
  EXPECT_FALSE(verdict.signatures[0].covers_whole_file);
  // Bytes after %%EOF alone are the same.
  EXPECT_EQ(check(signed_ + "\n").outcome, SignatureOutcome::changed_after_signing);
}

TEST_F(SignatureCheck, ASignerFromAnotherHierarchyIsUntrusted) {
  auto stranger = SigningPki::get("other").signer();
  const auto verdict = check(sign(input_, *stranger));
  EXPECT_EQ(verdict.outcome, SignatureOutcome::untrusted_signer) << verdict.why;
  ASSERT_TRUE(verdict.last() && verdict.last()->signer);
  EXPECT_EQ(verdict.last()->signer->common_name, "Pratu Test Document Signer bma");
}

TEST_F(SignatureCheck, WithoutATimestampItIsABadTimestamp) {
  const auto verdict = check(sign(input_, *signer_, false));
  EXPECT_EQ(verdict.outcome, SignatureOutcome::bad_timestamp) << verdict.why;
  EXPECT_FALSE(verdict.last()->timestamp_time);
}

TEST_F(SignatureCheck, NamesWhatIsNotASignedPdf) {
  EXPECT_EQ(check(input_).outcome, SignatureOutcome::no_signature);
  EXPECT_EQ(check(test::sample_pdf({.pages = 2, .info = true, .acroform = true})).outcome,
            SignatureOutcome::no_signature);
  EXPECT_EQ(check(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)).outcome,
            SignatureOutcome::not_pdf);
  EXPECT_EQ(check("").outcome, SignatureOutcome::not_pdf);
  EXPECT_EQ(check("just some text").outcome, SignatureOutcome::not_pdf);
  EXPECT_EQ(check("%PDF-1.7\ngarbage").outcome, SignatureOutcome::damaged);
  for (std::size_t cut : {signed_.size() / 3, signed_.size() / 2, signed_.size() - 10}) {
    const auto verdict = check(signed_.substr(0, cut));
    EXPECT_NE(verdict.outcome, SignatureOutcome::valid) << cut;
    EXPECT_EQ(verdict.outcome, SignatureOutcome::damaged) << cut << ": " << verdict.why;
  }
}

TEST_F(SignatureCheck, AnEncryptedFileIsEncrypted) {
  test::TempDir dir;
  const auto plain = dir.write("signed.pdf", signed_);
  ASSERT_EQ(run_command("qpdf --encrypt u o 256 -- " + shell_quoted(plain) + " " +
                        shell_quoted(dir / "locked.pdf"))
                .exit_code,
            0);
  ASSERT_EQ(run_command("qpdf --encrypt '' o 256 -- " + shell_quoted(plain) + " " +
                        shell_quoted(dir / "open.pdf"))
                .exit_code,
            0);
  EXPECT_EQ(check(read_file(dir / "locked.pdf").value()).outcome, SignatureOutcome::encrypted);
  EXPECT_EQ(check(read_file(dir / "open.pdf").value()).outcome, SignatureOutcome::encrypted);
}

TEST_F(SignatureCheck, AbsurdByteRangesAndContentsAreBadSignatures) {
  const auto range_at = signed_.find("/ByteRange [");
  const auto range_end = signed_.find(']', range_at);
  const std::size_t width = range_end + 1 - range_at;
  auto with_range = [&](const std::string& range) {
    std::string out = signed_;
    std::string text = "/ByteRange " + range;
    if (text.size() > width) return std::string();
    text += std::string(width - text.size(), ' ');
    out.replace(range_at, width, text);
    return out;
  };
  const auto size = std::to_string(signed_.size());
  const std::vector<std::string> ranges = {"[0 -5 10 20]",
                                           "[0 100 50 20]",
                                           "[0 10 20 99999999999]",
                                           "[1 10 20 30]",
                                           "[0 10 20]",
                                           "[0 10 20 30 40]",
                                           "[0 1e3 20 30]",
                                           "[0 10 (x) 30]",
                                           "[0 9223372036854775807 1 1]",
                                           "[0 0 0 0]",
                                           "[0 10 " + size + " 0]",
                                           "[0 10 20 " + size + "]"};
  for (const auto& range : ranges) {
    const auto changed = with_range(range);
    if (changed.empty()) continue;
    const auto verdict = check(changed);
    EXPECT_NE(verdict.outcome, SignatureOutcome::valid) << range;
    EXPECT_TRUE(verdict.outcome == SignatureOutcome::bad_signature ||
                verdict.outcome == SignatureOutcome::damaged)
        << range << ": " << to_string(verdict.outcome) << " " << verdict.why;
  }
  // A /Contents that is not hex, or not where the ByteRange says.
  std::string not_hex = signed_;
  const auto contents = not_hex.find("/Contents <") + 11;
  not_hex[contents + 4] = 'G';
  EXPECT_NE(check(not_hex).outcome, SignatureOutcome::valid);
  std::string zeroed = signed_;
  zeroed.replace(contents, 8, "00000000");
  EXPECT_EQ(check(zeroed).outcome, SignatureOutcome::bad_signature);
}

TEST_F(SignatureCheck, RandomMutationsNeverCrashAndNeverPassInsideTheRange) {
  const auto verdict = check(signed_);
  ASSERT_EQ(verdict.outcome, SignatureOutcome::valid);
  const auto range = verdict.last()->byte_range;
  std::mt19937 random(20260101);  // the same mutations each run
  int outcomes[10] = {};
  auto signed_octet = [&](std::size_t at) {
    return at < static_cast<std::size_t>(range[1]) || at >= static_cast<std::size_t>(range[2]);
  };
  for (int round = 0; round < 400; ++round) {
    std::string changed = signed_;
    const int kind = round % 4;
    const std::size_t at = random() % changed.size();
    bool must_fail = true;  // a change the signature covers, or a change of the file's length
    if (kind == 0) {
      changed[at] = static_cast<char>(changed[at] ^ (1 + random() % 255));
      must_fail = signed_octet(at);
    } else if (kind == 1) {
      changed.resize(at);
    } else if (kind == 2) {
      changed.insert(at, std::string(1 + random() % 64, static_cast<char>(random())));
    } else {
      must_fail = false;
      for (int i = 0; i < 8; ++i) {
        const std::size_t j = random() % changed.size();
        changed[j] = static_cast<char>(random());
        must_fail = must_fail || (signed_octet(j) && changed[j] != signed_[j]);
      }
    }
    const auto result = check(changed);
    ++outcomes[static_cast<int>(result.outcome)];
    if (must_fail) {
      EXPECT_NE(result.outcome, SignatureOutcome::valid) << "round " << round << " at " << at;
    }
  }
  std::cout << "[ mutations ]";
  for (int i = 0; i < 10; ++i) {
    std::cout << " " << to_string(static_cast<SignatureOutcome>(i)) << "=" << outcomes[i];
  }
  std::cout << "\n";
}

TEST_F(SignatureCheck, ATensOfMegabytesFileIsCheckedQuickly) {
  // A large stream before the signature: the digest covers every octet of it.
  QPDF pdf;
  pdf.processMemoryFile("input", input_.data(), input_.size());
  auto big = pdf.newStream(std::string(30'000'000, 'x'));
  pdf.getRoot().replaceKey("/PratuPadding", big);
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setObjectStreamMode(qpdf_o_disable);
  writer.setStaticID(true);
  writer.write();
  auto buffer = writer.getBufferSharedPointer();
  const std::string large(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  const std::string signed_large = sign(large, *signer_);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(check(signed_large).outcome, SignatureOutcome::valid);
  std::string changed = signed_large;
  changed[changed.size() / 2] = 'y';
  EXPECT_EQ(check(changed).outcome, SignatureOutcome::modified);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0);
}

}  // namespace
}  // namespace pratu::pdf
