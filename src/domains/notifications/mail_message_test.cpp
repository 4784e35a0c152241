#include "domains/notifications/mail_message.hpp"

#include <gtest/gtest.h>

#include "common/unicode_text.hpp"
#include "domains/notifications/mail_test_support.hpp"

namespace pratu::notifications {
namespace {

using test::decode_header;
using test::decode_word;
using test::encoded_words;

// A Thai mark that belongs to the consonant before it: vowels above and below, tone marks.
bool is_thai_combining(std::string_view text, std::size_t at) {
  // U+0E31, U+0E34..U+0E3A, U+0E47..U+0E4E: E0 B8 B1, E0 B8 B4..BA, E0 B9 87..8E.
  if (text.size() < at + 3 || static_cast<unsigned char>(text[at]) != 0xe0) return false;
  const auto b1 = static_cast<unsigned char>(text[at + 1]);
  const auto b2 = static_cast<unsigned char>(text[at + 2]);
  return (b1 == 0xb8 && (b2 == 0xb1 || (b2 >= 0xb4 && b2 <= 0xba))) ||
         (b1 == 0xb9 && b2 >= 0x87 && b2 <= 0x8e);
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto end = text.find("\r\n"); end != std::string_view::npos;
       end = text.find("\r\n", start)) {
    out.emplace_back(text.substr(start, end - start));
    start = end + 2;
  }
  out.emplace_back(text.substr(start));
  return out;
}

// What every encoded header must keep, whatever the text and wherever it starts.
void expect_well_encoded(std::string_view text, std::size_t used) {
  const std::string value = encode_header_text(text, used);
  const auto lines = lines_of(value);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t length = lines[i].size() + (i == 0 ? used : 0);
    EXPECT_LE(length, kMaxLine) << "line " << i << " of " << value;
    if (i > 0) EXPECT_EQ(lines[i].substr(0, 1), " ") << "a fold begins with a space";
  }
  const auto words = encoded_words(value);
  if (words.empty()) {
    EXPECT_EQ(value, text);
    return;
  }
  std::string joined;
  for (const auto& word : words) {
    EXPECT_LE(word.size(), kMaxEncodedWord) << word;
    const std::string bytes = decode_word(word);
    EXPECT_TRUE(is_valid_utf8(bytes)) << "a word splits a character: " << word;
    EXPECT_FALSE(is_thai_combining(bytes, 0)) << "a word begins inside a Thai cluster: " << word;
    joined += bytes;
  }
  EXPECT_EQ(joined, text);
}

constexpr std::string_view kThaiSubject =
    "ร่างคำขอจดทะเบียนพาณิชย์ (ตั้งใหม่) ของท่านจะถูกลบหลังวันที่ 17 ธันวาคม 2569";

TEST(HeaderEncoder, LeavesShortPrintableAsciiAsItIs) {
  EXPECT_EQ(encode_header_text("Your draft will be deleted", 9), "Your draft will be deleted");
}

TEST(HeaderEncoder, EncodesAsciiThatLooksLikeAnEncodedWord) {
  const auto value = encode_header_text("=?UTF-8?B?eA==?=", 9);
  EXPECT_EQ(decode_header(value), "=?UTF-8?B?eA==?=");
}

TEST(HeaderEncoder, EncodesAThaiSubjectInGoldenWords) {
  // Word 1 fits after "Subject: " (at most 67 characters, 39 bytes); the others at most 75
  // (45 bytes). Each ends between clusters: "ตั้" stays whole at the end of word 2.
  EXPECT_EQ(encode_header_text(kThaiSubject, 9),
            "=?UTF-8?B?4Lij4LmI4Liy4LiH4LiE4Liz4LiC4Lit4LiI4LiU4LiX4Liw4LmA?=\r\n"
            " =?UTF-8?B?4Lia4Li14Lii4LiZ4Lie4Liy4LiT4Li04LiK4Lii4LmMICjguJXguLHguYk=?=\r\n"
            " =?UTF-8?B?4LiH4LmD4Lir4Lih4LmIKSDguILguK3guIfguJfguYjguLLguJnguIjguLA=?=\r\n"
            " =?UTF-8?B?4LiW4Li54LiB4Lil4Lia4Lir4Lil4Lix4LiH4Lin4Lix4LiZ4LiX4Li14LmI?=\r\n"
            " =?UTF-8?B?IDE3IOC4mOC4seC4meC4p+C4suC4hOC4oSAyNTY5?=");
  expect_well_encoded(kThaiSubject, 9);
}

TEST(HeaderEncoder, NeverSplitsACharacterOrAThaiClusterWhereverTheTextStarts) {
  // Clusters of one to four code points (น, นี, นี้, ...), at every offset a header may start at.
  const std::string pieces[] = {"น", "นี้", "ที่", "กำ", "ปู่", "a", " ", "ฐ", "ญ", "ฤๅ", "😀"};
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += pieces[(i * 7 + i / 3) % std::size(pieces)];
    for (std::size_t used : {0u, 4u, 6u, 9u, 40u, 60u, 70u, 75u}) {
      expect_well_encoded(text, used);
      if (HasFailure()) return;
    }
  }
}

TEST(HeaderEncoder, SplitsAClusterTooLongForOneWordBetweenItsCodePoints) {
  // A consonant with 30 tone marks: one cluster of 91 bytes, more than a word holds.
  std::string text = "ก";
  for (int i = 0; i < 30; ++i) text += "่";
  const auto value = encode_header_text(text, 9);
  EXPECT_EQ(decode_header(value), text);
  for (const auto& word : encoded_words(value)) {
    EXPECT_LE(word.size(), kMaxEncodedWord);
    EXPECT_TRUE(is_valid_utf8(decode_word(word)));
  }
}

TEST(HeaderEncoder, StartsOnTheNextLineWhenNothingFitsAfterTheFieldName) {
  const auto value = encode_header_text("ทดสอบ", 70);
  EXPECT_EQ(value.substr(0, 3), "\r\n ");
  expect_well_encoded("ทดสอบ", 70);
}

TEST(MailboxEncoder, QuotesAnAsciiNameAndEncodesAThaiOne) {
  EXPECT_EQ(encode_mailbox({"a@example.com", "Somchai \"Sam\" Jaidee"}, 4),
            "\"Somchai \\\"Sam\\\" Jaidee\" <a@example.com>");
  EXPECT_EQ(encode_mailbox({"no-reply@pratu.go.th", "ประตู"}, 6),
            "=?UTF-8?B?4Lib4Lij4Liw4LiV4Li5?= <no-reply@pratu.go.th>");
  EXPECT_EQ(encode_mailbox({"a@example.com", ""}, 4), "<a@example.com>");
}

TEST(MailboxEncoder, FoldsBeforeAnAddressThatWouldMakeTheLineTooLong) {
  const auto value = encode_mailbox({"someone.with.a.long.address@example.go.th", "ประตูบริการ"}, 6);
  EXPECT_NE(value.find("?=\r\n <someone.with.a.long.address@example.go.th>"), std::string::npos)
      << value;
}

TEST(MailMessage, WritesTheDateInThaiTime) {
  EXPECT_EQ(rfc5322_date(1'780'000'000), "Fri, 29 May 2026 03:26:40 +0700");
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 07:00:00 +0700");
}

TEST(MailMessage, WrapsBase64At76Characters) {
  const std::string bytes(200, 'x');
  const auto lines = lines_of(base64_lines(bytes));
  ASSERT_EQ(lines.size(), 5u);  // 268 characters: 76, 76, 76, 40, then the final CRLF
  EXPECT_EQ(lines[0].size(), 76u);
  EXPECT_EQ(lines[3].size(), 40u);
  EXPECT_EQ(lines[4], "");
  EXPECT_EQ(test::base64_decode(base64_lines(bytes)), bytes);
}

TEST(MailMessage, BodiesDecodeBackToTheTextWithCrlfLineEnds) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "ร่างคำขอนี้จะถูกลบหลังวันที่ 17 ธันวาคม 2569\n";
  MailMessage message{.from = {"no-reply@pratu.go.th", "ประตู"},
                      .to = {"a@example.com", ""},
                      .subject = "x",
                      .date = 0,
                      .message_id = "ob-1.x@pratu.go.th",
                      .text = text,
                      .html = "<p>" + text + "</p>"};
  auto bytes = build_message(message);
  ASSERT_TRUE(bytes);
  for (const auto& line : lines_of(*bytes)) EXPECT_LE(line.size(), kMaxLine) << line;
  const auto text_at = bytes->find("base64\r\n\r\n") + 10;
  const auto text_end = bytes->find("\r\n--", text_at);
  const auto html_at = bytes->find("base64\r\n\r\n", text_end) + 10;
  const auto html_end = bytes->find("\r\n--", html_at);
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(test::base64_decode(bytes->substr(text_at, text_end - text_at)), crlf);
  EXPECT_EQ(test::base64_decode(bytes->substr(html_at, html_end - html_at)), "<p>" + crlf + "</p>");
}

TEST(MailMessage, RefusesAnAddressThatCannotGoInAHeader) {
  MailMessage message{.from = {"no-reply@pratu.go.th", ""},
                      .to = {"a@example.com>\r\nBcc: b@example.com", ""},
                      .subject = "x",
                      .date = 0,
                      .message_id = "ob-1.x@pratu.go.th",
                      .text = "x",
                      .html = "x"};
  EXPECT_FALSE(build_message(message));
  message.to.address = "สมชาย@example.com";  // would need SMTPUTF8
  EXPECT_FALSE(build_message(message));
}

// The bytes below were checked with Python's email parser (email.policy.default): it reads
// back the Thai subject, both names, the date and both parts as written, LF as CRLF.
TEST(MailMessage, BuildsTheGoldenBytesOfAThaiMessage) {
  MailMessage message{.from = {"no-reply@pratu.go.th", "ประตู"},
                      .to = {"applicant@example.com", "สมชาย ใจดี"},
                      .subject = "ร่างคำขอของท่านจะถูกลบ",
                      .date = 1'780'000'000,
                      .message_id = "ob-42.0123456789abcdef0123@pratu.go.th",
                      .text = "เรียน ผู้ใช้บริการ\nร่างจะถูกลบ\n",
                      .html = "<p>ร่างจะถูกลบ</p>\n"};
  auto bytes = build_message(message);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes,
            "From: =?UTF-8?B?4Lib4Lij4Liw4LiV4Li5?= <no-reply@pratu.go.th>\r\n"
            "To: =?UTF-8?B?4Liq4Lih4LiK4Liy4LiiIOC5g+C4iOC4lOC4tQ==?=\r\n"
            " <applicant@example.com>\r\n"
            "Subject: =?UTF-8?B?4Lij4LmI4Liy4LiH4LiE4Liz4LiC4Lit4LiC4Lit4LiH4LiX4LmI?=\r\n"
            " =?UTF-8?B?4Liy4LiZ4LiI4Liw4LiW4Li54LiB4Lil4Lia?=\r\n"
            "Date: Fri, 29 May 2026 03:26:40 +0700\r\n"
            "Message-ID: <ob-42.0123456789abcdef0123@pratu.go.th>\r\n"
            "Auto-Submitted: auto-generated\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/alternative; boundary=\"=_b8d72fedb95bbcc90be6bca1\"\r\n"
            "\r\n"
            "--=_b8d72fedb95bbcc90be6bca1\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "\r\n"
            "4LmA4Lij4Li14Lii4LiZIOC4nOC4ueC5ieC5g+C4iuC5ieC4muC4o+C4tOC4geC4suC4ow0K4Lij\r\n"
            "4LmI4Liy4LiH4LiI4Liw4LiW4Li54LiB4Lil4LiaDQo=\r\n"
            "--=_b8d72fedb95bbcc90be6bca1\r\n"
            "Content-Type: text/html; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "\r\n"
            "PHA+4Lij4LmI4Liy4LiH4LiI4Liw4LiW4Li54LiB4Lil4LiaPC9wPg0K\r\n"
            "--=_b8d72fedb95bbcc90be6bca1--\r\n");
}

}  // namespace
}  // namespace pratu::notifications
