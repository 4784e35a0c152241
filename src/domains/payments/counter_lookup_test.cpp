#include "domains/payments/counter_lookup.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "domains/payments/thai_qr.hpp"

namespace pratu::payments {
namespace {

using Kind = CounterLookup::Kind;

// `ascii` typed key by key on a Thai (Kedmanee) keyboard: the inverse of from_thai_keyboard.
std::string on_thai_keyboard(const std::string& ascii) {
  static const std::map<char, std::string> kKeys{
      {'1', "ๅ"}, {'2', "/"}, {'3', "-"}, {'4', "ภ"}, {'5', "ถ"}, {'6', "ุ"}, {'7', "ึ"},
      {'8', "ค"}, {'9', "ต"}, {'0', "จ"}, {'-', "ข"}, {'=', "ช"}, {'|', "ฅ"}};
  std::string out;
  for (char c : ascii) {
    auto it = kKeys.find(c);
    out += it != kKeys.end() ? it->second : std::string(1, c);
  }
  return out;
}

TEST(CounterLookup, ReadsARef1AsPrintedOrABillsId) {
  auto typed = read_counter_lookup("  690000 123-4 ");
  EXPECT_EQ(typed.kind, Kind::typed);
  EXPECT_EQ(typed.typed, "6900001234");
  EXPECT_EQ(read_counter_lookup("b_7Hx2kQ").typed, "b_7Hx2kQ");
  // Thai digits are digits; a dash typed on an English keyboard stays a dash.
  EXPECT_EQ(read_counter_lookup("๖๙๐๐๐๐๑๒๓-๔").typed, "6900001234");
  EXPECT_EQ(read_counter_lookup(" \t ").kind, Kind::empty);
  EXPECT_EQ(read_counter_lookup("").kind, Kind::empty);
}

// Every barcode Pratu prints reads back to its parts, however the scanner's carriage returns
// arrive (as typed, as CR LF, or as the spaces the page's script puts for them) and whichever
// keyboard layout the computer was set to.
TEST(CounterLookup, ReadsBackEveryBarcodeBotBarcodeTextWrites) {
  std::mt19937 random(20261206);
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + random() % 10);
    return s;
  };
  for (int i = 0; i < 500; ++i) {
    BillPayment bill;
    bill.biller_id = digits(15);
    bill.ref1 = digits(1 + static_cast<int>(random() % 20));
    bill.ref2 = random() % 4 == 0 ? "" : digits(1 + static_cast<int>(random() % 20));
    bill.amount_satang = static_cast<std::int64_t>(random() % 100'000'000);
    auto text = bot_barcode_text(bill);
    ASSERT_TRUE(text) << text.error().message_key;
    std::string spaced = *text, crlf;
    for (char& c : spaced) c = c == '\r' ? ' ' : c;
    for (char c : *text) crlf += c == '\r' ? std::string("\r\n") : std::string(1, c);
    for (const std::string& scanned :
         {*text, *text + "\r", spaced, crlf, on_thai_keyboard(*text), on_thai_keyboard(spaced)}) {
      const auto read = read_counter_lookup(scanned);
      ASSERT_EQ(read.kind, Kind::barcode) << scanned;
      EXPECT_EQ(read.biller_id, bill.biller_id);
      EXPECT_EQ(read.ref1, bill.ref1);
      EXPECT_EQ(read.ref2, bill.ref2);
      ASSERT_TRUE(read.amount_satang.has_value()) << scanned;
      EXPECT_EQ(*read.amount_satang, bill.amount_satang);
    }
  }
}

TEST(CounterLookup, TheBillersPartAloneIsPartialAndRef1AloneIsEnough) {
  EXPECT_EQ(read_counter_lookup("|099400015910200").kind, Kind::partial);
  EXPECT_EQ(read_counter_lookup("|099400015910200\r").kind, Kind::partial);
  EXPECT_EQ(read_counter_lookup(on_thai_keyboard("|099400015910200")).kind, Kind::partial);
  const auto two = read_counter_lookup("|099400015910200 690000123");
  EXPECT_EQ(two.kind, Kind::barcode);
  EXPECT_EQ(two.ref1, "690000123");
  EXPECT_FALSE(two.amount_satang.has_value());
}

TEST(CounterLookup, WhatNoBillCouldHavePrintedIsNotABarcode) {
  for (const std::string text :
       {"|12\r34", "|099400015910200\r\r\r0", "|099400015910200\rab-c\r1\r0",
        "|099400015910200\r1\r2\r3\r4", "|0994000159102001\r1\r\r0"}) {
    const auto read = read_counter_lookup(text);
    EXPECT_EQ(read.kind, Kind::typed) << text;
    EXPECT_TRUE(read.biller_id.empty()) << text;
  }
}

TEST(CounterLookup, MapsTheThaiLayoutOnlyWhenAThaiKeyWasTyped) {
  EXPECT_EQ(from_thai_keyboard("ฅจ๙๙ๅ/-ภถุึคตจ"), "|0991234567890");
  EXPECT_EQ(from_thai_keyboard("69/1-2"), "69/1-2");
  EXPECT_EQ(from_thai_keyboard("๑๒๓"), "123");
  EXPECT_EQ(from_thai_keyboard("กรงเทพ"), "กรงเทพ");
}

}  // namespace
}  // namespace pratu::payments
