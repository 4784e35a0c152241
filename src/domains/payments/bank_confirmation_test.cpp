#include "domains/payments/bank_confirmation.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace pratu::payments {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::string_view kSecret = "pratu-webhook-test-secret";
// 2026-01-07T03:15:40Z
constexpr sys_seconds kSentAt{seconds{1767755740}};

// The example of docs/bank-webhook.md.
const std::string kBody =
    R"({"bank_transaction_id":"SCB20260107000123","biller_id":"099400241590400",)"
    R"("ref1":"DBD2569000123X","ref2":"25690101","amount":"1500.00",)"
    R"("paid_at":"2026-01-07T10:15:30+07:00","channel":"ENET"})";

// Computed once with OpenSSL, not with the code under test:
//   printf '%s' "1767755740.$body" | openssl dgst -sha256 -hmac 'pratu-webhook-test-secret'
// where $body is kBody.
constexpr std::string_view kExpectedSignature =
    "sha256=5eb1badf78f164310d2e3fb6658ed67c67fd39c7509133ba5c22fb859a0430f1";

std::string code_of(const Error& error) {
  const auto dot = error.message_key.rfind('.');
  return error.message_key.substr(dot + 1);
}

Result<void> authenticate_at(sys_seconds now, std::string_view timestamp,
                             std::string_view signature, std::string_view body = kBody) {
  return authenticate_confirmation(kSecret, timestamp, signature, body, now);
}

void expect_unauthorized(const Result<void>& result, std::string_view code) {
  ASSERT_FALSE(result) << "accepted; expected " << code;
  EXPECT_EQ(result.error().code, ErrorCode::unauthorized);
  EXPECT_EQ(code_of(result.error()), code) << result.error().detail;
  EXPECT_EQ(result.error().message_key, "payments.confirmation." + std::string(code));
}

TEST(BankConfirmationSignature, MatchesOpensslHmacSha256) {
  const auto signed_body = sign_confirmation(kSecret, kSentAt, kBody);
  EXPECT_EQ(signed_body.timestamp, "1767755740");
  EXPECT_EQ(signed_body.signature, kExpectedSignature);
}

TEST(BankConfirmationSignature, AcceptsItsOwnSignatureWithinTheWindow) {
  const auto headers = sign_confirmation(kSecret, kSentAt, kBody);
  EXPECT_TRUE(authenticate_at(kSentAt, headers.timestamp, headers.signature));
  EXPECT_TRUE(authenticate_at(kSentAt + seconds(300), headers.timestamp, headers.signature));
  EXPECT_TRUE(authenticate_at(kSentAt - seconds(300), headers.timestamp, headers.signature));
  expect_unauthorized(authenticate_at(kSentAt + seconds(301), headers.timestamp, headers.signature),
                      "stale_timestamp");
  expect_unauthorized(authenticate_at(kSentAt - seconds(301), headers.timestamp, headers.signature),
                      "future_timestamp");
  // A tolerance of its own.
  EXPECT_TRUE(authenticate_confirmation(kSecret, headers.timestamp, headers.signature, kBody,
                                        kSentAt + seconds(3600), seconds(3600)));
  // Header values as a proxy may leave them, with spaces around.
  EXPECT_TRUE(authenticate_at(kSentAt, " " + headers.timestamp + " ", " " + headers.signature));
}

TEST(BankConfirmationSignature, AcceptsUpperCaseHex) {
  std::string upper(kExpectedSignature);
  for (std::size_t i = 7; i < upper.size(); ++i) {
    if (upper[i] >= 'a' && upper[i] <= 'f') upper[i] = static_cast<char>(upper[i] - 'a' + 'A');
  }
  EXPECT_TRUE(authenticate_at(kSentAt, "1767755740", upper));
}

TEST(BankConfirmationSignature, RefusesAnyChangeToTheSignedBytes) {
  expect_unauthorized(authenticate_at(kSentAt, "1767755741", kExpectedSignature), "bad_signature");
  std::string body = kBody;
  body[body.find("1500.00")] = '2';
  expect_unauthorized(authenticate_at(kSentAt, "1767755740", kExpectedSignature, body),
                      "bad_signature");
  expect_unauthorized(authenticate_at(kSentAt, "1767755740", kExpectedSignature, kBody + " "),
                      "bad_signature");
  expect_unauthorized(
      authenticate_confirmation("another secret", "1767755740", kExpectedSignature, kBody, kSentAt),
      "bad_signature");
  // A timestamp written with a leading zero is other bytes.
  expect_unauthorized(authenticate_at(kSentAt, "01767755740", kExpectedSignature), "bad_signature");
}

TEST(BankConfirmationSignature, RefusesMissingOrMalformedHeaders) {
  expect_unauthorized(authenticate_at(kSentAt, "1767755740", ""), "missing_signature");
  expect_unauthorized(authenticate_at(kSentAt, "1767755740", "  "), "missing_signature");
  expect_unauthorized(authenticate_at(kSentAt, "", kExpectedSignature), "missing_timestamp");
  for (const char* bad : {"-1767755740", "1767755740.5", "17677x5740", "1234567890123", "0x10"}) {
    expect_unauthorized(authenticate_at(kSentAt, bad, kExpectedSignature), "bad_timestamp");
  }
  const std::string hex(kExpectedSignature.substr(7));
  for (const std::string& bad : {hex, "sha1=" + hex, "sha256=" + hex.substr(1),
                                 "sha256=" + hex + "0", "sha256=" + hex.substr(0, 63) + "g",
                                 "sha256=" + hex + ",", "v1=" + hex, "sha256 = " + hex}) {
    SCOPED_TRACE(bad);
    expect_unauthorized(authenticate_at(kSentAt, "1767755740", bad), "bad_signature");
  }
  // A stale timestamp on an unsigned body says only that the signature is wrong.
  expect_unauthorized(
      authenticate_at(kSentAt + seconds(9999), "1767755740", "sha256=" + std::string(64, '0')),
      "bad_signature");
}

TEST(BankConfirmationSignature, TakesTheOldOrTheNewSecretWhileRotating) {
  const auto old_headers = sign_confirmation("old secret", kSentAt, kBody);
  const auto new_headers = sign_confirmation("new secret", kSentAt, kBody);
  const std::vector<std::string> secrets{"new secret", "old secret"};
  EXPECT_TRUE(authenticate_confirmation(secrets, old_headers.timestamp, old_headers.signature,
                                        kBody, kSentAt));
  EXPECT_TRUE(authenticate_confirmation(secrets, new_headers.timestamp, new_headers.signature,
                                        kBody, kSentAt));
  // The bank may send both signatures in one header.
  const std::string both = new_headers.signature + ", " + old_headers.signature;
  EXPECT_TRUE(authenticate_confirmation("old secret", "1767755740", both, kBody, kSentAt));
  std::string nine;
  for (int i = 0; i < 9; ++i) nine += (i ? "," : "") + old_headers.signature;
  expect_unauthorized(authenticate_confirmation("old secret", "1767755740", nine, kBody, kSentAt),
                      "bad_signature");
}

TEST(BankConfirmationSignature, NeverAcceptsAnEmptySecret) {
  const auto headers = sign_confirmation("", kSentAt, kBody);
  expect_unauthorized(
      authenticate_confirmation("", headers.timestamp, headers.signature, kBody, kSentAt),
      "bad_signature");
  expect_unauthorized(authenticate_confirmation(std::vector<std::string>{"", ""}, headers.timestamp,
                                                headers.signature, kBody, kSentAt),
                      "bad_signature");
  expect_unauthorized(authenticate_confirmation(std::vector<std::string>{}, headers.timestamp,
                                                headers.signature, kBody, kSentAt),
                      "bad_signature");
}

// --- The body -------------------------------------------------------------------------------

// kBody with `name`'s value replaced by `json` (a JSON value as written), or the member left
// out when `json` is empty.
std::string body_with(std::string_view name, std::string_view json) {
  std::string out = "{";
  const std::vector<std::pair<std::string_view, std::string_view>> members{
      {"bank_transaction_id", R"("SCB20260107000123")"},
      {"biller_id", R"("099400241590400")"},
      {"ref1", R"("DBD2569000123X")"},
      {"ref2", R"("25690101")"},
      {"amount", R"("1500.00")"},
      {"paid_at", R"("2026-01-07T10:15:30+07:00")"},
      {"channel", R"("ENET")"}};
  bool found = false;
  for (const auto& [key, value] : members) {
    std::string_view written = value;
    if (key == name) {
      found = true;
      if (json.empty()) continue;
      written = json;
    }
    if (out.size() > 1) out += ",";
    out += "\"" + std::string(key) + "\":" + std::string(written);
  }
  if (!found && !json.empty()) out += ",\"" + std::string(name) + "\":" + std::string(json);
  return out + "}";
}

void expect_invalid(std::string_view body, std::string_view code, std::string_view field = {}) {
  const auto result = parse_confirmation(body);
  ASSERT_FALSE(result) << "accepted " << body;
  EXPECT_EQ(result.error().code, ErrorCode::invalid_input) << body;
  EXPECT_EQ(code_of(result.error()), code) << result.error().detail << " for " << body;
  if (field.empty()) {
    EXPECT_TRUE(result.error().fields.empty()) << body;
  } else {
    ASSERT_EQ(result.error().fields.size(), 1u) << body;
    EXPECT_EQ(result.error().fields[0].field, field) << body;
    EXPECT_EQ(result.error().detail.rfind(std::string(code) + ":" + std::string(field), 0), 0u)
        << result.error().detail;
  }
}

TEST(BankConfirmationBody, ReadsEveryField) {
  const auto confirmation = parse_confirmation(kBody);
  ASSERT_TRUE(confirmation) << confirmation.error().detail;
  EXPECT_EQ(confirmation->bank_transaction_id, "SCB20260107000123");
  EXPECT_EQ(confirmation->biller_id, "099400241590400");
  EXPECT_EQ(confirmation->ref1, "DBD2569000123X");
  EXPECT_EQ(confirmation->ref2, "25690101");
  EXPECT_EQ(confirmation->ref3, "");
  EXPECT_EQ(confirmation->amount_satang, 150000);
  // 10:15:30 at UTC+7 is 03:15:30 UTC.
  EXPECT_EQ(confirmation->paid_at, sys_seconds(seconds(1767755730)));
  EXPECT_EQ(confirmation->paid_at_text, "2026-01-07T10:15:30+07:00");
  EXPECT_EQ(confirmation->channel, "ENET");
  EXPECT_EQ(parse_confirmation(kBody + "\n")->amount_satang, 150000);
  EXPECT_EQ(parse_confirmation(body_with("ref3", R"("Q7")"))->ref3, "Q7");
  EXPECT_EQ(parse_confirmation(body_with("ref3", R"("")"))->ref3, "");
  // JSON escapes are read as what they stand for.
  EXPECT_EQ(parse_confirmation(body_with("channel", R"("\u0041TM")"))->channel, "ATM");
}

TEST(BankConfirmationBody, ReadsAmountsFromTheirDigits) {
  const std::vector<std::pair<std::string, std::int64_t>> good{
      {"0.01", 1},
      {"1.00", 100},
      {"1.10", 110},
      {"1500.00", 150000},
      {"145.05", 14505},  // 145.05 * 100 is 14505.000000000002 in binary floating point
      {"99999999999.99", kMaxConfirmationAmount}};
  for (const auto& [text, satang] : good) {
    const auto result = parse_confirmation(body_with("amount", "\"" + text + "\""));
    ASSERT_TRUE(result) << text << ": " << result.error().detail;
    EXPECT_EQ(result->amount_satang, satang) << text;
    EXPECT_EQ(format_confirmation_amount(satang), text);
  }
  for (const char* bad :
       {"0.00", "100000000000.00", "1500", "1500.0", "1500.000", "1.005", "-1.00", "+1.00", "01.00",
        "1,500.00", "1e3", " 1.00", "1.00 ", ".50", "1.", "๑.๐๐", "", "9223372036854775807.00"}) {
    expect_invalid(body_with("amount", "\"" + std::string(bad) + "\""), "bad_amount", "amount");
  }
  // A JSON number is not a decimal string.
  expect_invalid(body_with("amount", "1500.00"), "bad_amount", "amount");
  expect_invalid(body_with("amount", "150000"), "bad_amount", "amount");
}

TEST(BankConfirmationBody, FormatsAmountsWithTwoDecimals) {
  EXPECT_EQ(format_confirmation_amount(0), "0.00");
  EXPECT_EQ(format_confirmation_amount(5), "0.05");
  EXPECT_EQ(format_confirmation_amount(-150), "-1.50");
  EXPECT_EQ(format_confirmation_amount(std::numeric_limits<std::int64_t>::max()),
            "92233720368547758.07");
  EXPECT_EQ(format_confirmation_amount(std::numeric_limits<std::int64_t>::min()),
            "-92233720368547758.08");
}

TEST(BankConfirmationBody, TakesReferencesOfUpperCaseLettersAndDigits) {
  EXPECT_TRUE(parse_confirmation(body_with("ref1", "\"" + std::string(20, '9') + "\"")));
  for (const char* bad : {R"("")", R"("abc123")", R"("AB 12")", R"("AB-12")", R"("ก12")",
                          R"("123456789012345678901")", R"("A\u0000")", "12"}) {
    expect_invalid(body_with("ref1", bad), bad == std::string("12") ? "bad_field" : "bad_reference",
                   "ref1");
    expect_invalid(body_with("ref2", bad), bad == std::string("12") ? "bad_field" : "bad_reference",
                   "ref2");
  }
  expect_invalid(body_with("ref3", R"("x")"), "bad_reference", "ref3");
  // The biller ID: a tax ID with its check digit, and a two-digit suffix (payments.md §1.6).
  expect_invalid(body_with("biller_id", R"("099400241590500")"), "bad_reference", "biller_id");
  expect_invalid(body_with("biller_id", R"("0994002415904")"), "bad_reference", "biller_id");
  expect_invalid(body_with("biller_id", R"("199400241590400")"), "bad_reference", "biller_id");
}

TEST(BankConfirmationBody, ReadsTimesWithAnOffset) {
  const auto at = [](std::string_view text) {
    auto result = parse_confirmation(body_with("paid_at", "\"" + std::string(text) + "\""));
    EXPECT_TRUE(result) << text << ": " << (result ? "" : result.error().detail);
    return result ? result->paid_at : sys_seconds{};
  };
  const sys_seconds utc{seconds(1767755730)};
  EXPECT_EQ(at("2026-01-07T03:15:30Z"), utc);
  EXPECT_EQ(at("2026-01-07T10:15:30.123+07:00"), utc);  // BBL's milliseconds
  EXPECT_EQ(at("2026-01-07T10:15:30.999999999+07:00"), utc);
  EXPECT_EQ(at("2026-01-06T22:15:30-05:00"), utc);
  EXPECT_EQ(at("2026-01-07T03:15:30+00:00"), utc);
  EXPECT_EQ(at("2024-02-29T00:00:00+07:00"), sys_seconds(seconds(1709139600)));
  for (const char* bad :
       {"2026-01-07T10:15:30", "2026-01-07 10:15:30+07:00", "2026-01-07t10:15:30+07:00",
        "2026-01-07T10:15:30z", "2569-01-07T10:15:30+07:00", "2026-02-30T10:15:30+07:00",
        "2026-01-07T24:00:00+07:00", "2026-01-07T10:60:00+07:00", "2026-01-07T10:15:60+07:00",
        "2026-01-07T10:15:30+15:00", "2026-01-07T10:15:30+0700", "2026-01-07T10:15:30.+07:00",
        "2026-01-07T10:15:30.1234567890+07:00", "2026-1-7T10:15:30+07:00", "1767755730",
        "2026-01-07T10:15+07:00", "1899-12-31T10:15:30+07:00", ""}) {
    expect_invalid(body_with("paid_at", "\"" + std::string(bad) + "\""), "bad_time", "paid_at");
  }
}

TEST(BankConfirmationBody, TakesTransactionIdsAndChannelsOfASafeShape) {
  EXPECT_TRUE(parse_confirmation(body_with("bank_transaction_id", R"("2026.01-07_A:1")")));
  EXPECT_TRUE(
      parse_confirmation(body_with("bank_transaction_id", "\"" + std::string(64, 'x') + "\"")));
  for (const char* bad : {R"("")", R"("a b")", R"("a/b")", R"("ก")"}) {
    expect_invalid(body_with("bank_transaction_id", bad), "bad_field", "bank_transaction_id");
    expect_invalid(body_with("channel", bad), "bad_field", "channel");
  }
  expect_invalid(body_with("bank_transaction_id", "\"" + std::string(65, 'x') + "\""), "bad_field",
                 "bank_transaction_id");
  expect_invalid(body_with("channel", "\"" + std::string(17, 'A') + "\""), "bad_field", "channel");
  EXPECT_TRUE(parse_confirmation(body_with("channel", R"("MBANKING")")));
  EXPECT_TRUE(parse_confirmation(body_with("channel", R"("80")")));
}

TEST(BankConfirmationBody, NamesAMissingField) {
  for (const char* name :
       {"bank_transaction_id", "biller_id", "ref1", "ref2", "amount", "paid_at", "channel"}) {
    expect_invalid(body_with(name, ""), "missing_field", name);
  }
  expect_invalid("{}", "missing_field", "bank_transaction_id");
}

TEST(BankConfirmationBody, RefusesUnknownRepeatedOrNonStringFields) {
  expect_invalid(body_with("reverse_flag", "\"Y\""), "unknown_field", "reverse_flag");
  expect_invalid(body_with("Amount", "\"1.00\""), "unknown_field", "Amount");
  const std::string twice = kBody.substr(0, kBody.size() - 1) + R"(,"amount":"1.00"})";
  expect_invalid(twice, "duplicate_field", "amount");
  expect_invalid(body_with("channel", "null"), "bad_field", "channel");
  expect_invalid(body_with("channel", "true"), "bad_field", "channel");
  expect_invalid(body_with("channel", R"(["ENET"])"), "bad_field", "channel");
  expect_invalid(body_with("channel", R"({"code":"ENET"})"), "bad_field", "channel");
  expect_invalid(body_with("amount", R"({"value":"1.00"})"), "bad_amount", "amount");
  // The first problem in the document is the one reported.
  expect_invalid(R"({"ref1":1,"x":"y"})", "bad_field", "ref1");
}

TEST(BankConfirmationBody, RefusesWhatIsNotOneJsonObject) {
  for (const std::string& bad : std::vector<std::string>{
           "", " ", "null", "[]", "\"text\"", "42", "{", "{\"ref1\":\"A\",}", kBody + "{}",
           kBody + "x", "{\"ref1\":\"A\" /* c */}", "{\"ref1\":\"\xff\"}", "{'ref1':'A'}",
           "{\"a\":[[[[[[[[[[1]]]]]]]]]]}", "{\"unknown\": 1, "}) {
    expect_invalid(bad, "not_json");
  }
}

TEST(BankConfirmationBody, RefusesABodyPastTheLimit) {
  const std::string padding(kMaxConfirmationBytes, ' ');
  const auto result = parse_confirmation(kBody + padding);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::too_large);
  EXPECT_EQ(result.error().message_key, "payments.confirmation.too_large");
  // Padding up to the limit is still read.
  const std::string exact = kBody + std::string(kMaxConfirmationBytes - kBody.size(), ' ');
  EXPECT_TRUE(parse_confirmation(exact));
}

}  // namespace
}  // namespace pratu::payments
