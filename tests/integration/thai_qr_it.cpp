/// Thai QR payloads and amounts in words checked against tools nobody here wrote: the npm
/// packages promptpay-qr and bahttext (tests/reference) and zbarimg, which reads our QR PNGs.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/baht_words.hpp"
#include "domains/payments/thai_qr.hpp"
#include "pdf/qr_image.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace pratu::payments {
namespace {

using test::run_command;
using test::shell_quoted;

const std::filesystem::path kReferenceDir = PRATU_SOURCE_DIR "/tests/reference";
constexpr std::uint64_t kSeed = 20240501;  // fixed: a failure names inputs that come back

// Fails unless node and the packages of tests/reference are installed: these tests do not skip.
::testing::AssertionResult reference_tools_installed() {
  if (run_command("command -v node", test::Stderr::dropped).exit_code != 0)
    return ::testing::AssertionFailure() << "node is missing: run bin/install-deps --test";
  for (const char* package : {"promptpay-qr/index.js", "bahttext/src/index.js"}) {
    if (!std::filesystem::exists(kReferenceDir / "node_modules" / package))
      return ::testing::AssertionFailure() << "tests/reference/node_modules/" << package
                                           << " is missing: run bin/install-deps --test";
  }
  return ::testing::AssertionSuccess();
}

// The lines `script` (in tests/reference) prints for `input` on its stdin; empty on failure,
// with the failure recorded.
std::vector<std::string> run_reference(const char* script, const std::string& input,
                                       std::size_t expected_lines) {
  test::TempDir dir;
  const auto in = dir.write("input.txt", input);
  const auto errors = dir / "errors.txt";
  // Its stderr apart, so that a warning cannot pass for an output line.
  auto out = run_command("(node " + shell_quoted(kReferenceDir / script) + " < " +
                             shell_quoted(in) + " 2> " + shell_quoted(errors) + ")",
                         test::Stderr::dropped);
  if (out.exit_code != 0) {
    ADD_FAILURE() << script << " failed (" << out.exit_code << "; run bin/install-deps --test): "
                  << run_command("cat " + shell_quoted(errors)).output;
    return {};
  }
  std::vector<std::string> lines;
  std::istringstream stream(out.output);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  if (lines.size() != expected_lines) {
    ADD_FAILURE() << script << " printed " << lines.size() << " lines for " << expected_lines;
    return {};
  }
  return lines;
}

// `digits` random decimal digits.
std::string random_digits(std::mt19937_64& random, int digits) {
  std::uniform_int_distribution<int> digit(0, 9);
  std::string out;
  for (int i = 0; i < digits; ++i) out += static_cast<char>('0' + digit(random));
  return out;
}

// `digits` with a separator inserted before each position of `breaks`.
std::string grouped(const std::string& digits, std::vector<std::size_t> breaks, char separator) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (std::find(breaks.begin(), breaks.end(), i) != breaks.end()) out += separator;
    out += digits[i];
  }
  return out;
}

// A PromptPay payee as a person might type it, in a form promptpay-qr reads the same way:
// mobiles (10 digits from 0, or 66 + 9 with or without +), 13-digit IDs and 15-digit e-wallets
// (tests/reference/promptpay_payloads.js). Bank accounts (sub-tag 04) it does not make.
PromptPayPayment random_payee(std::mt19937_64& random) {
  PromptPayPayment p;
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
  switch (pick(3)) {
    case 0: {
      p.proxy = PromptPayProxy::mobile;
      // Mostly 06, 08 and 09 numbers; any digit now and then, as vectors 6 and 8 use 000.
      const std::string prefixes = "689";
      const char second = pick(5) == 0 ? static_cast<char>('0' + pick(10))
                                       : prefixes[static_cast<std::size_t>(pick(3))];
      const std::string rest = second + random_digits(random, 8);
      switch (pick(7)) {
        case 0: p.id = "0" + rest; break;
        case 1: p.id = grouped("0" + rest, {3, 6}, '-'); break;
        case 2: p.id = grouped("0" + rest, {3, 6}, ' '); break;
        case 3: p.id = "+66" + rest; break;
        case 4: p.id = "+66 " + grouped(rest, {2, 5}, ' '); break;
        case 5: p.id = "+66-" + grouped(rest, {2, 5}, '-'); break;
        default: p.id = "66" + rest; break;
      }
      break;
    }
    case 1: {
      p.proxy = PromptPayProxy::national_id;
      const auto id = random_digits(random, 13);
      p.id = pick(3) == 0 ? grouped(id, {1, 5, 10, 12}, '-') : id;
      break;
    }
    default: {
      p.proxy = PromptPayProxy::ewallet;
      // TrueMoney's e-wallet IDs are 14 and the 13-character mobile (§1.3).
      p.id = pick(2) == 0 ? "140066" + random_digits(random, 9) : random_digits(random, 15);
      break;
    }
  }
  static constexpr std::array<std::int64_t, 9> kEdgeAmounts = {
      1, 10, 99, 100, 101, 100'000'000, 100'000'001, 999'999'999'999, 150'000};
  switch (pick(5)) {
    case 0: p.amount_satang = 0; break;
    case 1:
      p.amount_satang =
          kEdgeAmounts[static_cast<std::size_t>(pick(static_cast<int>(kEdgeAmounts.size())))];
      break;
    case 2:
      p.amount_satang = std::uniform_int_distribution<std::int64_t>(1, 100'000)(random);
      break;
    default: {
      // As many amounts of each digit count, up to tag 54's 13 characters.
      const int digits = 1 + pick(12);
      std::int64_t amount = 0;
      for (char c : random_digits(random, digits)) amount = amount * 10 + (c - '0');
      p.amount_satang = amount;
      break;
    }
  }
  return p;
}

// A whole number of satang up to 10^12 with runs of zeros, where the Thai words have their
// special cases (สิบ, ยี่สิบ, เอ็ด, หนึ่ง after a zero, ล้าน).
std::int64_t random_satang(std::mt19937_64& random) {
  const int digits = std::uniform_int_distribution<int>(1, 13)(random);
  const bool sparse = std::bernoulli_distribution(0.5)(random);
  std::uniform_int_distribution<int> digit(0, 9);
  std::bernoulli_distribution zero(0.6);
  std::int64_t amount = 0;
  for (int i = 0; i < digits; ++i) {
    const int d =
        sparse && zero(random) ? (std::bernoulli_distribution(0.3)(random) ? 1 : 0) : digit(random);
    amount = amount * 10 + d;
  }
  return std::min<std::int64_t>(amount, 1'000'000'000'000);
}

TEST(ThaiQrPromptpayQr, PayloadsMatchByteForByte) {
  ASSERT_TRUE(reference_tools_installed());
  std::mt19937_64 random(kSeed);
  std::vector<PromptPayPayment> payees;
  std::string input;
  for (int i = 0; i < 600; ++i) {
    payees.push_back(random_payee(random));
    input += "{\"target\":\"" + payees.back().id +
             "\",\"amount_satang\":" + std::to_string(payees.back().amount_satang) + "}\n";
  }
  const auto theirs = run_reference("promptpay_payloads.js", input, payees.size());
  ASSERT_EQ(theirs.size(), payees.size());
  for (std::size_t i = 0; i < payees.size(); ++i) {
    auto ours = thai_qr_payload(payees[i]);
    ASSERT_TRUE(ours) << payees[i].id << ": " << ours.error().message_key;
    EXPECT_EQ(*ours, theirs[i]) << payees[i].id << ", " << payees[i].amount_satang << " satang";
    EXPECT_TRUE(parse_emv_payload(*ours)) << *ours;
  }
}

// payments.md §5.3, and bahttext's column of §5.2 in satang: the reference tool as installed
// gives the words the reference lists, so comparing with it compares with what Pratu wants.
TEST(ThaiQrBahtText, ReferenceToolGivesThePaymentsVectors) {
  ASSERT_TRUE(reference_tools_installed());
  const std::vector<std::pair<std::int64_t, std::string>> vectors = {
      {0, "ศูนย์บาทถ้วน"},
      {100, "หนึ่งบาทถ้วน"},
      {1'100, "สิบเอ็ดบาทถ้วน"},
      {2'000, "ยี่สิบบาทถ้วน"},
      {11'100, "หนึ่งร้อยสิบเอ็ดบาทถ้วน"},
      {50, "ห้าสิบสตางค์"},
      {101, "หนึ่งบาทหนึ่งสตางค์"},
      {2'100'000'000, "ยี่สิบเอ็ดล้านบาทถ้วน"},
      {100'000'000'000'000, "หนึ่งล้านล้านบาทถ้วน"},
      {12'345'678'925, "หนึ่งร้อยยี่สิบสามล้านสี่แสนห้าหมื่นหกพันเจ็ดร้อยแปดสิบเก้าบาทยี่สิบห้าสตางค์"},
      {10'100, "หนึ่งร้อยหนึ่งบาทถ้วน"},
      {100'000'100, "หนึ่งล้านหนึ่งบาทถ้วน"},
      {10'100'000'000, "หนึ่งร้อยเอ็ดล้านบาทถ้วน"},
      {20'100, "สองร้อยหนึ่งบาทถ้วน"},
      {500'100'050'000, "ห้าพันเอ็ดล้านห้าร้อยบาทถ้วน"},
      {5'100'000'100, "ห้าสิบเอ็ดล้านหนึ่งบาทถ้วน"},
  };
  std::string input;
  for (const auto& [satang, words] : vectors) input += std::to_string(satang) + "\n";
  const auto theirs = run_reference("baht_texts.js", input, vectors.size());
  ASSERT_EQ(theirs.size(), vectors.size());
  for (std::size_t i = 0; i < vectors.size(); ++i)
    EXPECT_EQ(theirs[i], vectors[i].second) << vectors[i].first << " satang";
}

// payments.md §5.3 asks Pratu's amount in words to equal bahttext's; there are no differing
// cases for whole satang >= 0 (tests/reference/baht_texts.js).
TEST(ThaiQrBahtText, AmountsInWordsMatchBahttext) {
  ASSERT_TRUE(reference_tools_installed());
  std::mt19937_64 random(kSeed);
  std::vector<std::int64_t> amounts = {0,
                                       1,
                                       10,
                                       11,
                                       21,
                                       50,
                                       100,
                                       101,
                                       1'100,
                                       2'000,
                                       10'100,
                                       11'100,
                                       20'100,
                                       100'000'100,
                                       2'100'000'000,
                                       5'100'000'100,
                                       10'100'000'000,
                                       12'345'678'925,
                                       500'100'050'000,
                                       1'000'000'000'000,
                                       100'000'000'000'000};
  while (amounts.size() < 600) amounts.push_back(random_satang(random));
  std::string input;
  for (auto satang : amounts) input += std::to_string(satang) + "\n";
  const auto theirs = run_reference("baht_texts.js", input, amounts.size());
  ASSERT_EQ(theirs.size(), amounts.size());
  for (std::size_t i = 0; i < amounts.size(); ++i)
    EXPECT_EQ(pratu::baht_words(amounts[i]), theirs[i]) << amounts[i] << " satang";
}

// Payloads of both kinds, drawn by qr_image and read back by zbarimg, exactly.
TEST(ThaiQrImage, ZbarimgReadsEveryPayloadBack) {
  ASSERT_EQ(run_command("command -v zbarimg", test::Stderr::dropped).exit_code, 0)
      << "zbarimg is missing: run bin/install-deps --test";
  std::mt19937_64 random(kSeed + 1);
  std::vector<std::string> payloads;
  for (int i = 0; i < 12; ++i) {
    auto payload = thai_qr_payload(random_payee(random));
    ASSERT_TRUE(payload);
    payloads.push_back(*payload);
  }
  const std::array<BillPayment, 12> bills = {{
      {"099400016550100", "123456789012", "670429", 364'922},
      {"099999999999990", "111222333444", "", 0},
      {"010753700088205", "1615106018110503002", "PIRASIT", 0, "", "0000"},
      {"099400061772100", "INV2568000123", "256801", 150'000, "DBD", "R3"},
      {"099400061772100", "A", "", 1},
      {"099400061772100", "99999999999999999999", "99999999999999999999", 999'999'999'999,
       "Department of Business De", "ZZZZZZZZZZZZZZZZZZZZ"},
      {"010553611201400", "CUSTOMER001", "INV001", 100'000'000},
      {"099300013397800", "68000000001X", "", 2'500, "", "", BillPaymentScope::cross_border},
      {"099400016550100", "123456789012", "", 10'000, "", "", BillPaymentScope::cross_border,
       FieldOrder::ascending},
      {"099999999999990", "111222333444", "REF2", 10'000, "", "", BillPaymentScope::domestic,
       FieldOrder::ascending},
      {"099400016550100", "123456789012", "670429", 0, "", "", BillPaymentScope::domestic,
       FieldOrder::currency_first},
      {"010753700088205", "20201231000000000001", "1", 7, "Pratu", "1"},
  }};
  for (const auto& bill : bills) {
    auto payload = thai_qr_payload(bill);
    ASSERT_TRUE(payload) << bill.ref1 << ": " << payload.error().message_key;
    payloads.push_back(*payload);
  }
  test::TempDir dir;
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    auto png = pdf::qr_png(payloads[i]);
    ASSERT_TRUE(png) << payloads[i];
    const auto file = dir.write("qr-" + std::to_string(i) + ".png", *png);
    auto read = run_command("zbarimg --raw -q " + shell_quoted(file), test::Stderr::dropped);
    EXPECT_EQ(read.exit_code, 0) << payloads[i];
    EXPECT_EQ(read.output, payloads[i] + "\n");
  }
}

}  // namespace
}  // namespace pratu::payments
