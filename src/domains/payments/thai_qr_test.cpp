#include "domains/payments/thai_qr.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace pratu::payments {

// Fields as their tags and values in failure messages.
void PrintTo(const EmvField& field, std::ostream* out) {
  *out << field.tag << "=" << field.value;
  if (!field.children.empty()) {
    *out << " {";
    for (const auto& child : field.children) {
      *out << " ";
      PrintTo(child, out);
    }
    *out << " }";
  }
}

namespace {

// The payload, or the error's message key prefixed with "error: ", for one-line comparisons.
std::string outcome(const Result<std::string>& result) {
  return result ? *result : "error: " + result.error().message_key;
}

// The field named by a builder's error ("" when it names none).
template <class T>
std::string error_field(const Result<T>& result) {
  if (result || result.error().fields.empty()) return "";
  return result.error().fields.front().field;
}

std::string parse_error(std::string_view payload) {
  auto parsed = parse_emv_payload(payload);
  return parsed ? "parsed" : parsed.error().message_key;
}

// A payload parsed then written again: the same bytes when the parser kept every field.
std::string round_trip(std::string_view payload) {
  auto parsed = parse_emv_payload(payload);
  if (!parsed) return "error: " + parsed.error().message_key;
  return outcome(emv_payload(*parsed));
}

PromptPayPayment promptpay(PromptPayProxy proxy, std::string id, std::int64_t satang = 0,
                           FieldOrder order = FieldOrder::country_first) {
  PromptPayPayment p;
  p.proxy = proxy;
  p.id = std::move(id);
  p.amount_satang = satang;
  p.order = order;
  return p;
}

BillPayment bill(std::string biller_id, std::string ref1, std::string ref2 = {},
                 std::int64_t satang = 0, FieldOrder order = FieldOrder::currency_first) {
  BillPayment b;
  b.biller_id = std::move(biller_id);
  b.ref1 = std::move(ref1);
  b.ref2 = std::move(ref2);
  b.amount_satang = satang;
  b.order = order;
  return b;
}

// ---- CRC (standards.md §1.1) ----

TEST(Crc16CcittFalse, GivesTheCheckValue) { EXPECT_EQ(crc16_ccitt_false("123456789"), 0x29B1); }

TEST(Crc16CcittFalse, StartsFromFfffAndCoversEveryByte) {
  EXPECT_EQ(crc16_ccitt_false(""), 0xFFFF);
  EXPECT_NE(crc16_ccitt_false("12345678"), crc16_ccitt_false("123456789"));
}

// ---- standards.md §1.5, vectors 1-16, each byte for byte ----

TEST(ThaiQrVectors, MobileNumberWithoutAmount) {  // vector 1
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::mobile, "0801234567"))),
            "00020101021129370016A000000677010111011300668012345675802TH530376463046197");
}

TEST(ThaiQrVectors, InternationalMobileNumberWithSeparators) {  // vector 2
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::mobile, "+66-89-123-4567"))),
            "00020101021129370016A000000677010111011300668912345675802TH5303764630429C1");
}

TEST(ThaiQrVectors, NationalId) {  // vector 3; fails the mod-11 check, which QR makers skip
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::national_id, "1111111111111"))),
            "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A");
}

TEST(ThaiQrVectors, TaxId) {  // vector 4
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::national_id, "0123456789012"))),
            "00020101021129370016A000000677010111021301234567890125802TH530376463040CBD");
}

TEST(ThaiQrVectors, EwalletId) {  // vector 5
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::ewallet, "012345678901234"))),
            "00020101021129390016A00000067701011103150123456789012345802TH530376463049781");
}

TEST(ThaiQrVectors, MobileNumberWithAmount) {  // vector 6
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::mobile, "000-000-0000", 422))),
            "00020101021229370016A000000677010111011300660000000005802TH530376454044.226304E469");
}

TEST(ThaiQrVectors, CurrencyBeforeCountryAsPromptparseWritesIt) {  // vector 7
  EXPECT_EQ(outcome(thai_qr_payload(
                promptpay(PromptPayProxy::mobile, "0812223333", 3000, FieldOrder::currency_first))),
            "00020101021229370016A0000006770101110113006681222333353037645802TH540530.0063043CAD");
}

TEST(ThaiQrVectors, StaticQrWithAmountIsReadButNotMade) {  // vector 8
  // pheerathach labels it static (11) yet gives an amount; an amount makes it dynamic (12,
  // §1.2), so ours differs in tag 01 and, with it, the CRC.
  const std::string vector =
      "00020101021129370016A0000006770101110113006600000000053037645406100.005802TH6304D19E";
  auto fields = parse_emv_payload(vector);
  ASSERT_TRUE(fields) << fields.error().message_key;
  ASSERT_EQ((*fields)[1].tag, "01");
  (*fields)[1].value = "12";
  auto expected = emv_payload(*fields);
  ASSERT_TRUE(expected);
  EXPECT_EQ(outcome(thai_qr_payload(
                promptpay(PromptPayProxy::mobile, "0000000000", 10000, FieldOrder::ascending))),
            *expected);
}

TEST(ThaiQrVectors, BankAccount) {  // vector 9
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::bank_account, "014-1234567890", 10000,
                                              FieldOrder::ascending))),
            "00020101021229370016A0000006770101110413014123456789053037645406100.005802TH6304901D");
}

TEST(ThaiQrVectors, StaticBillPayment) {  // vector 10
  EXPECT_EQ(outcome(thai_qr_payload(bill("099999999999990", "111222333444"))),
            "00020101021130550016A0000006770101120115099999999999990021211122233344453037645802TH"
            "63043EE7");
}

TEST(ThaiQrVectors, BillPaymentWithRef2AndAmount) {  // vector 11
  EXPECT_EQ(outcome(thai_qr_payload(bill("099400016550100", "123456789012", "670429", 364922))),
            "00020101021230650016A00000067701011201150994000165501000212123456789012030667042953"
            "037645802TH54073649.2263044534");
}

TEST(ThaiQrVectors, ThirteenDigitBillerIdIsReadButNotMade) {  // vector 12
  // §1.4: a biller ID is the tax ID and a 2-digit suffix; a bare tax ID is not copied.
  const std::string vector =
      "00020101021130620016A000000677010112011301122334455660211CUSTOMER0010306INV00153037645802"
      "TH62070703SCB6304780E";
  BillPayment b = bill("0112233445566", "CUSTOMER001", "INV001");
  b.terminal_label = "SCB";
  auto made = thai_qr_payload(b);
  EXPECT_EQ(outcome(made), "error: payments.thai_qr.biller_id_length");
  EXPECT_EQ(error_field(made), "biller_id");

  auto fields = parse_emv_payload(vector);
  ASSERT_TRUE(fields) << fields.error().message_key;
  const auto* account = find_emv_field(*fields, "30");
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(account->children, (std::vector<EmvField>{{"00", "A000000677010112", {}},
                                                      {"01", "0112233445566", {}},
                                                      {"02", "CUSTOMER001", {}},
                                                      {"03", "INV001", {}}}));
  const auto* additional = find_emv_field(*fields, "62");
  ASSERT_NE(additional, nullptr);
  EXPECT_EQ(additional->children, (std::vector<EmvField>{{"07", "SCB", {}}}));
  EXPECT_EQ(round_trip(vector), vector);
}

TEST(ThaiQrVectors, KrungthaiShopQrWithTerminalLabel) {  // vector 13
  BillPayment b = bill("010753700088205", "1615106018110503002", "PIRASIT");
  b.terminal_label = "0000";
  EXPECT_EQ(outcome(thai_qr_payload(b)),
            "00020101021130730016A0000006770101120115010753700088205021916151060181105030020307PI"
            "RASIT53037645802TH620807040000630443A3");
}

TEST(ThaiQrVectors, CrossBorderBillPayment) {  // vector 14
  BillPayment b = bill("099400016550100", "123456789012", {}, 10000, FieldOrder::ascending);
  b.scope = BillPaymentScope::cross_border;
  EXPECT_EQ(outcome(thai_qr_payload(b)),
            "00020101021230550016A0000006770120060115099400016550100021212345678901253037645406100."
            "005802TH63049D1C");
}

TEST(ThaiQrVectors, StaticBillPaymentWithRef2) {  // vector 15
  EXPECT_EQ(outcome(thai_qr_payload(bill("099400016550100", "123456789012", "670429"))),
            "00020101021130650016A00000067701011201150994000165501000212123456789012030667042953"
            "037645802TH6304ADAA");
}

TEST(ThaiQrVectors, DynamicBillPaymentInIdOrder) {  // vector 16
  EXPECT_EQ(outcome(thai_qr_payload(
                bill("099999999999990", "111222333444", "REF2", 10000, FieldOrder::ascending))),
            "00020101021230630016A000000677010112011509999999999999002121112223334440304REF25303"
            "7645406100.005802TH6304A5B2");
}

TEST(ThaiQrVectors, EveryVectorParsesAndWritesBackTheSame) {
  for (const char* vector : {
           "00020101021129370016A000000677010111011300668012345675802TH530376463046197",
           "00020101021129370016A000000677010111011300668912345675802TH5303764630429C1",
           "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A",
           "00020101021129370016A000000677010111021301234567890125802TH530376463040CBD",
           "00020101021129390016A00000067701011103150123456789012345802TH530376463049781",
           "00020101021229370016A000000677010111011300660000000005802TH530376454044.226304E469",
           "00020101021229370016A0000006770101110113006681222333353037645802TH540530.0063043CAD",
           "00020101021129370016A0000006770101110113006600000000053037645406100.005802TH6304D19E",
           "00020101021229370016A0000006770101110413014123456789053037645406100.005802TH6304901D",
           "00020101021130550016A0000006770101120115099999999999990021211122233344453037645802TH"
           "63043EE7",
           "00020101021230650016A00000067701011201150994000165501000212123456789012030667042953037"
           "645802TH54073649.2263044534",
           "00020101021130620016A000000677010112011301122334455660211CUSTOMER0010306INV0015303764"
           "5802TH62070703SCB6304780E",
           "00020101021130730016A0000006770101120115010753700088205021916151060181105030020307PIRA"
           "SIT53037645802TH620807040000630443A3",
           "00020101021230550016A0000006770120060115099400016550100021212345678901253037645406100."
           "005802TH63049D1C",
           "00020101021130650016A00000067701011201150994000165501000212123456789012030667042953037"
           "645802TH6304ADAA",
           "00020101021230630016A000000677010112011509999999999999002121112223334440304REF2530376"
           "45406100.005802TH6304A5B2",
       }) {
    EXPECT_EQ(round_trip(vector), vector);
  }
}

TEST(ThaiQrVectors, PublishedCrcThatStandardsCallsWrongIsRight) {
  // standards.md §1.5 says this vitest CRC should be 0FFB. ACCB is right for the payload as
  // published (tag 01 = 11); 0FFB is the CRC of the same payload with tag 01 = 12.
  const std::string published =
      "00020101021129370016A000000677010111011300668123456785204000053037645406100.505802TH6304"
      "ACCB";
  EXPECT_EQ(parse_error(published), "parsed");
  std::string dynamic = published;
  dynamic.replace(dynamic.find("010211"), 6, "010212");
  EXPECT_EQ(parse_error(dynamic), "payments.thai_qr.crc_mismatch");
  EXPECT_EQ(crc16_ccitt_false(dynamic.substr(0, dynamic.size() - 4)), 0x0FFB);
}

// ---- BOT counter-payment barcode (standards.md §1.6) ----

TEST(BotBarcode, CarriesTheSameBillAsVector11) {
  EXPECT_EQ(outcome(bot_barcode_text(bill("099400016550100", "123456789012", "670429", 364922))),
            "|099400016550100\r123456789012\r670429\r364922");
}

TEST(BotBarcode, LeavesRef2EmptyAndWritesZeroWithoutAmount) {
  // promptparse's test of the same bill as vector 10.
  EXPECT_EQ(outcome(bot_barcode_text(bill("099999999999990", "111222333444"))),
            "|099999999999990\r111222333444\r\r0");
}

TEST(BotBarcode, RefusesWhatTheQrRefuses) {
  EXPECT_EQ(outcome(bot_barcode_text(bill("0112233445566", "A"))),
            "error: payments.thai_qr.biller_id_length");
  EXPECT_EQ(outcome(bot_barcode_text(bill("099999999999990", "a1"))),
            "error: payments.thai_qr.ref1_characters");
  EXPECT_EQ(outcome(bot_barcode_text(bill("099999999999990", "A", {}, -1))),
            "error: payments.thai_qr.amount_negative");
}

// ---- amounts ----

TEST(ThaiQrAmount, WritesSatangWithTwoFractionDigits) {
  auto amount_of = [](std::int64_t satang) -> std::string {
    auto payload = thai_qr_payload(promptpay(PromptPayProxy::mobile, "0812345678", satang));
    if (!payload) return "error";
    auto fields = parse_emv_payload(*payload);
    if (!fields) return "unreadable";
    const auto* amount = find_emv_field(*fields, "54");
    return amount == nullptr ? "none" : amount->value;
  };
  EXPECT_EQ(amount_of(0), "none");
  EXPECT_EQ(amount_of(1), "0.01");
  EXPECT_EQ(amount_of(10), "0.10");
  EXPECT_EQ(amount_of(150000), "1500.00");
  EXPECT_EQ(amount_of(100000000), "1000000.00");
  EXPECT_EQ(amount_of(999'999'999'999), "9999999999.99");  // 13 characters, the most (§1.2)
}

TEST(ThaiQrAmount, MakesTheQrDynamicOnlyWithAnAmount) {
  auto initiation = [](std::int64_t satang) {
    auto payload = thai_qr_payload(bill("099999999999990", "A1", {}, satang));
    return payload ? payload->substr(6, 6) : "error";
  };
  EXPECT_EQ(initiation(0), "010211");
  EXPECT_EQ(initiation(1), "010212");
}

TEST(ThaiQrAmount, RefusesNegativeAndTooLargeAmounts) {
  auto negative = thai_qr_payload(promptpay(PromptPayProxy::mobile, "0812345678", -1));
  EXPECT_EQ(outcome(negative), "error: payments.thai_qr.amount_negative");
  EXPECT_EQ(error_field(negative), "amount_satang");
  EXPECT_EQ(outcome(thai_qr_payload(bill("099999999999990", "A1", {}, 1'000'000'000'000))),
            "error: payments.thai_qr.amount_too_large");
}

// ---- PromptPay ids ----

TEST(ThaiQrPromptPay, WritesMobileNumbersIn0066Form) {
  for (const char* typed : {"0812345678", "081-234-5678", "081 234 5678", "+66812345678",
                            "+66 81 234 5678", "66812345678"}) {
    auto payload = thai_qr_payload(promptpay(PromptPayProxy::mobile, typed));
    ASSERT_TRUE(payload) << typed;
    auto fields = parse_emv_payload(*payload);
    ASSERT_TRUE(fields);
    EXPECT_EQ(find_emv_field(*fields, "29")->children.at(1), (EmvField{"01", "0066812345678", {}}))
        << typed;
  }
}

TEST(ThaiQrPromptPay, RefusesWhatIsNotAThaiMobileNumber) {
  for (const char* typed :
       {"", "812345678", "08123456789", "1812345678", "+0812345678", "+67812345678",
        "0066812345678", "08l2345678", "(081) 234 5678", "081+2345678"}) {
    auto payload = thai_qr_payload(promptpay(PromptPayProxy::mobile, typed));
    EXPECT_EQ(outcome(payload), "error: payments.thai_qr.mobile_invalid") << typed;
    EXPECT_EQ(error_field(payload), "id");
  }
}

TEST(ThaiQrPromptPay, RefusesIdsOfTheWrongLength) {
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::national_id, "111111111111"))),
            "error: payments.thai_qr.national_id_invalid");
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::national_id, "11111111111112"))),
            "error: payments.thai_qr.national_id_invalid");
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::ewallet, "01234567890123"))),
            "error: payments.thai_qr.ewallet_id_invalid");
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::ewallet, "0123456789012345"))),
            "error: payments.thai_qr.ewallet_id_invalid");
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::ewallet, "01234567890123x"))),
            "error: payments.thai_qr.ewallet_id_invalid");
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::bank_account, "014"))),
            "error: payments.thai_qr.bank_account_invalid");
  EXPECT_EQ(
      outcome(thai_qr_payload(promptpay(PromptPayProxy::bank_account, "014123456789012345678901"))),
      "error: payments.thai_qr.bank_account_invalid");
}

TEST(ThaiQrPromptPay, AcceptsFormattedNationalIds) {
  EXPECT_EQ(outcome(thai_qr_payload(promptpay(PromptPayProxy::national_id, "1-1111-11111-11-1"))),
            "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A");
}

// ---- bill payments ----

TEST(ThaiQrBill, RefusesBillerIdsThatAreNotFifteenDigits) {
  auto short_id = thai_qr_payload(bill("09999999999999", "A1"));
  EXPECT_EQ(outcome(short_id), "error: payments.thai_qr.biller_id_length");
  EXPECT_EQ(error_field(short_id), "biller_id");
  EXPECT_EQ(outcome(thai_qr_payload(bill("0999999999999900", "A1"))),
            "error: payments.thai_qr.biller_id_length");
  EXPECT_EQ(outcome(thai_qr_payload(bill("0999-9999999999", "A1"))),
            "error: payments.thai_qr.biller_id_characters");
}

TEST(ThaiQrBill, RefusesReferencesOutsideTwentyUpperCaseAlphanumerics) {
  const std::string twenty(20, '9');
  EXPECT_TRUE(thai_qr_payload(bill("099999999999990", twenty, twenty)));
  auto missing = thai_qr_payload(bill("099999999999990", ""));
  EXPECT_EQ(outcome(missing), "error: payments.thai_qr.ref1_missing");
  EXPECT_EQ(error_field(missing), "ref1");
  EXPECT_EQ(outcome(thai_qr_payload(bill("099999999999990", twenty + "1"))),
            "error: payments.thai_qr.ref1_too_long");
  EXPECT_EQ(outcome(thai_qr_payload(bill("099999999999990", "inv001"))),
            "error: payments.thai_qr.ref1_characters");
  EXPECT_EQ(outcome(thai_qr_payload(bill("099999999999990", "INV 001"))),
            "error: payments.thai_qr.ref1_characters");
  auto ref2 = thai_qr_payload(bill("099999999999990", "A1", twenty + "1"));
  EXPECT_EQ(outcome(ref2), "error: payments.thai_qr.ref2_too_long");
  EXPECT_EQ(error_field(ref2), "ref2");
  EXPECT_EQ(outcome(thai_qr_payload(bill("099999999999990", "A1", "2567-01"))),
            "error: payments.thai_qr.ref2_characters");
}

TEST(ThaiQrBill, RefusesBadTerminalLabelsAndMerchantNames) {
  BillPayment b = bill("099999999999990", "A1");
  b.terminal_label = std::string(21, 'A');
  EXPECT_EQ(outcome(thai_qr_payload(b)), "error: payments.thai_qr.terminal_label_too_long");
  b.terminal_label = "ref3";
  auto label = thai_qr_payload(b);
  EXPECT_EQ(outcome(label), "error: payments.thai_qr.terminal_label_characters");
  EXPECT_EQ(error_field(label), "terminal_label");
  b.terminal_label.clear();
  b.merchant_name = std::string(26, 'A');
  EXPECT_EQ(outcome(thai_qr_payload(b)), "error: payments.thai_qr.merchant_name_too_long");
  b.merchant_name = "กรมพัฒนาธุรกิจการค้า";
  auto name = thai_qr_payload(b);
  EXPECT_EQ(outcome(name), "error: payments.thai_qr.merchant_name_characters");
  EXPECT_EQ(error_field(name), "merchant_name");
}

TEST(ThaiQrBill, PutsMerchantNameAndTerminalLabelAfterTheAmount) {
  BillPayment b = bill("099999999999990", "111222333444", {}, 150000, FieldOrder::country_first);
  b.merchant_name = "DBD Bangkok";
  b.terminal_label = "K001";
  auto payload = thai_qr_payload(b);
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->substr(0, payload->size() - 4),
            "00020101021230550016A00000067701011201150999999999999900212111222333444"
            "5802TH530376454071500.005911DBD Bangkok62080704K0016304");
  auto fields = parse_emv_payload(*payload);
  ASSERT_TRUE(fields);
  std::vector<std::string> tags;
  for (const auto& f : *fields) tags.push_back(f.tag);
  EXPECT_EQ(tags, (std::vector<std::string>{"00", "01", "30", "58", "53", "54", "59", "62", "63"}));
}

// ---- the parser ----

TEST(EmvParser, ReadsTemplatesIntoChildren) {
  auto fields = parse_emv_payload(
      "00020101021129370016A000000677010111011300668012345675802TH530376463046197");
  ASSERT_TRUE(fields) << fields.error().message_key;
  EXPECT_EQ(*fields, (std::vector<EmvField>{
                         {"00", "01", {}},
                         {"01", "11", {}},
                         {"29",
                          "0016A00000067701011101130066801234567",
                          {{"00", "A000000677010111", {}}, {"01", "0066801234567", {}}}},
                         {"58", "TH", {}},
                         {"53", "764", {}},
                         {"63", "6197", {}},
                     }));
}

TEST(EmvParser, RefusesAWrongCrc) {
  EXPECT_EQ(
      parse_error("00020101021129370016A000000677010111011300668012345675802TH530376463046198"),
      "payments.thai_qr.crc_mismatch");
  // One changed digit of the proxy, CRC unchanged.
  EXPECT_EQ(
      parse_error("00020101021129370016A000000677010111011300668012345685802TH530376463046197"),
      "payments.thai_qr.crc_mismatch");
}

TEST(EmvParser, RefusesAMalformedCrc) {
  EXPECT_EQ(parse_error("00020101021129370016A000000677010111011300668012345675802TH530376463046"
                        "19a"),
            "payments.thai_qr.crc_malformed");
  EXPECT_EQ(parse_error("0002010102115802TH6303ABC"), "payments.thai_qr.crc_malformed");
}

TEST(EmvParser, WantsTheCrcLast) {
  EXPECT_EQ(parse_error("0002010102115802TH"), "payments.thai_qr.crc_missing");
  auto crc_first = emv_payload({{"00", "01", {}}, {"01", "11", {}}});
  ASSERT_TRUE(crc_first);
  EXPECT_EQ(parse_error(*crc_first + "5802TH"), "payments.thai_qr.crc_not_last");
}

TEST(EmvParser, WantsThePayloadFormatIndicatorFirst) {
  auto late = emv_payload({{"01", "11", {}}, {"00", "01", {}}});
  ASSERT_TRUE(late);
  EXPECT_EQ(parse_error(*late), "payments.thai_qr.format_indicator_missing");
  auto wrong = emv_payload({{"00", "02", {}}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(parse_error(*wrong), "payments.thai_qr.format_indicator_missing");
  EXPECT_EQ(parse_error(""), "payments.thai_qr.format_indicator_missing");
}

TEST(EmvParser, RefusesMalformedObjects) {
  EXPECT_EQ(parse_error("000201010"), "payments.thai_qr.object_truncated");
  EXPECT_EQ(parse_error("0002010A0211"), "payments.thai_qr.tag_malformed");
  EXPECT_EQ(parse_error("000201010X11"), "payments.thai_qr.length_malformed");
  EXPECT_EQ(parse_error("00020101051"), "payments.thai_qr.value_truncated");
  EXPECT_EQ(parse_error("0002010102110102126304ABCD"), "payments.thai_qr.tag_duplicate");
  EXPECT_EQ(parse_error("000201\n"), "payments.thai_qr.payload_characters");
  EXPECT_EQ(parse_error("000201590อ"), "payments.thai_qr.payload_characters");
}

TEST(EmvParser, RefusesMalformedTemplates) {
  // Tag 29 whose value is not data objects: the length inside runs past the template.
  auto bad = emv_payload({{"00", "01", {}}, {"29", "0016A0000006770101110109123", {}}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(parse_error(*bad), "payments.thai_qr.value_truncated");
  auto duplicate = emv_payload({{"00", "01", {}}, {"62", "0701A0701B", {}}});
  ASSERT_TRUE(duplicate);
  EXPECT_EQ(parse_error(*duplicate), "payments.thai_qr.tag_duplicate");
}

TEST(EmvParser, LeavesNonTemplateValuesWhole) {
  // Tag 59 looks like data objects but is not a template.
  auto payload = emv_payload({{"00", "01", {}}, {"59", "0102AB", {}}});
  ASSERT_TRUE(payload);
  auto fields = parse_emv_payload(*payload);
  ASSERT_TRUE(fields);
  EXPECT_TRUE(find_emv_field(*fields, "59")->children.empty());
}

// ---- writing data objects ----

TEST(EmvPayload, RefusesWhatCannotBeWritten) {
  EXPECT_EQ(outcome(emv_payload({{"0", "01", {}}})), "error: payments.thai_qr.tag_malformed");
  EXPECT_EQ(outcome(emv_payload({{"AB", "01", {}}})), "error: payments.thai_qr.tag_malformed");
  EXPECT_EQ(outcome(emv_payload({{"59", std::string(100, 'A'), {}}})),
            "error: payments.thai_qr.value_too_long");
  EXPECT_EQ(outcome(emv_payload({{"62", {}, {{"07", std::string(96, 'A'), {}}}}})),
            "error: payments.thai_qr.value_too_long");
  EXPECT_EQ(outcome(emv_payload({{"59", "A\nB", {}}})), "error: payments.thai_qr.value_characters");
}

TEST(EmvPayload, ReplacesAnyCrcGivenWithTheComputedOne) {
  auto payload = emv_payload({{"00", "01", {}}, {"63", "0000", {}}, {"01", "11", {}}});
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->substr(0, 16), "0002010102116304");
  EXPECT_EQ(parse_error(*payload), "parsed");
}

TEST(EmvPayload, RoundTripsEveryKindOfPayloadItMakes) {
  std::vector<Result<std::string>> made;
  for (auto order :
       {FieldOrder::country_first, FieldOrder::currency_first, FieldOrder::ascending}) {
    for (std::int64_t satang : {0, 1, 99, 100, 123456789}) {
      made.push_back(
          thai_qr_payload(promptpay(PromptPayProxy::mobile, "0891234567", satang, order)));
      made.push_back(
          thai_qr_payload(promptpay(PromptPayProxy::national_id, "3100600445635", satang, order)));
      made.push_back(
          thai_qr_payload(promptpay(PromptPayProxy::ewallet, "140000812345678", satang, order)));
      BillPayment b = bill("099400061772100", "ABC123", "2568001", satang, order);
      b.merchant_name = "Pratu";
      b.terminal_label = "R3";
      made.push_back(thai_qr_payload(b));
    }
  }
  for (const auto& payload : made) {
    ASSERT_TRUE(payload) << payload.error().message_key;
    EXPECT_EQ(round_trip(*payload), *payload);
  }
}

}  // namespace
}  // namespace pratu::payments
