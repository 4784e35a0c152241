#include "domains/payments/statement_file.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace pratu::payments {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

// TIS-620 bytes of made-up names, and the same names in UTF-8.
const std::string kAgencyTis =  // กรมพัฒนาธุรกิจการค้า
    "\xA1\xC3\xC1\xBE\xD1\xB2\xB9\xD2\xB8\xD8\xC3\xA1\xD4\xA8\xA1\xD2\xC3\xA4\xE9\xD2";
const std::string kAgency = "กรมพัฒนาธุรกิจการค้า";
const std::string kSomchaiTis = "\xCA\xC1\xAA\xD2\xC2 \xE3\xA8\xB4\xD5";  // สมชาย ใจดี
const std::string kSomchai = "สมชาย ใจดี";
const std::string kSomyingTis =  // สมหญิง รักไทย
    "\xCA\xC1\xCB\xAD\xD4\xA7 \xC3\xD1\xA1\xE4\xB7\xC2";
const std::string kSomying = "สมหญิง รักไทย";

// The cross-bank tail of the SCB sample (payments.md §1.3): biller ID and payer's bank.
const std::string kScbTail =
    "                 099400241590400                                0040000000000";

std::string pad(std::string_view text, std::size_t width) {
  std::string out(text);
  out.resize(width, ' ');
  return out;
}

// Records built field by field as payments.md §1.2 lays them out, apart from the code under
// test; a test changes one field to break one rule.
struct Header {
  std::string sequence = "000001", bank = "014", account = "1772617529", name = kAgencyTis,
              date = "27092023", service = "", spare = "All";
  std::string str() const {
    return "H" + sequence + bank + account + pad(name, 40) + date + pad(service, 8) +
           pad(spare, 180);
  }
};

struct Detail {
  std::string sequence = "000002", bank = "014", account = "1772617529", date = "27092023",
              time = "145512", name = kSomchaiTis, ref1 = "5700625", ref2 = "6608000083", ref3 = "",
              branch = "0000", teller = "0000", kind = "C", code = "NET", cheque = "0000000",
              amount = "0000000050000", cheque_bank = "000", tail = kScbTail;
  std::string str() const {
    return "D" + sequence + bank + account + date + time + pad(name, 50) + pad(ref1, 20) +
           pad(ref2, 20) + pad(ref3, 20) + branch + teller + kind + code + cheque + amount +
           cheque_bank + pad(tail, 77);
  }
};

struct Trailer {
  std::string sequence = "000004", bank = "014", account = "1772617529",
              debit_total = "0000000000000", debit_count = "000000", credit_total = "0000000150000",
              credit_count = "000002", spare = "All";
  std::string str() const {
    return "T" + sequence + bank + account + debit_total + debit_count + credit_total +
           credit_count + pad(spare, 198);
  }
};

Detail second_detail() {
  Detail d;
  d.sequence = "000003";
  d.time = "080919";
  d.name = kSomyingTis;
  d.ref1 = "5700479";
  d.ref2 = "6604000597";
  d.amount = "0000000100000";
  return d;
}

// The SCB sample's shape with made-up payers: H, two credits (500.00 and 1,000.00), T.
std::vector<std::string> sample_records() {
  return {Header{}.str(), Detail{}.str(), second_detail().str(), Trailer{}.str()};
}

std::string join(const std::vector<std::string>& records, std::string_view end = "\r\n",
                 bool final_end = true) {
  std::string out;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i > 0) out += end;
    out += records[i];
  }
  if (final_end) out += end;
  return out;
}

// The file with record `index` (0-based) replaced.
std::string with_record(std::size_t index, const std::string& record) {
  auto records = sample_records();
  records[index] = record;
  return join(records);
}

void expect_error(std::string_view bytes, StatementErrorCode code, std::size_t line,
                  std::string_view field, std::size_t column = 0) {
  const auto result = parse_statement_file(bytes);
  ASSERT_FALSE(result) << "accepted; expected " << statement_error_name(code);
  const auto& error = result.error();
  EXPECT_EQ(statement_error_name(error.code), statement_error_name(code)) << error.detail;
  EXPECT_EQ(error.line, line) << error.detail;
  EXPECT_EQ(error.field, field) << error.detail;
  if (column != 0) EXPECT_EQ(error.column, column);
}

TEST(StatementFile, ReadsEveryFieldOfTheCommonLayout) {
  const auto file = parse_statement_file(join(sample_records()));
  ASSERT_TRUE(file) << file.error().detail;
  EXPECT_EQ(file->bank_code, "014");
  EXPECT_EQ(file->company_account, "1772617529");
  EXPECT_EQ(file->line_end, LineEnd::crlf);
  EXPECT_TRUE(file->ends_with_line_end);
  ASSERT_EQ(file->days.size(), 1u);
  const auto& day0 = file->days[0];
  EXPECT_EQ(day0.header_sequence, 1);
  EXPECT_EQ(day0.company_name, kAgency);
  EXPECT_EQ(day0.effective_date, year_month_day(year{2023}, month{9}, day{27}));
  EXPECT_EQ(day0.service_code, "");
  EXPECT_EQ(day0.header_spare, "All");
  EXPECT_EQ(day0.debit_total_satang, 0);
  EXPECT_EQ(day0.debit_count, 0);
  EXPECT_EQ(day0.credit_total_satang, 150000);
  EXPECT_EQ(day0.credit_count, 2);
  EXPECT_EQ(day0.trailer_spare, "All");
  ASSERT_EQ(day0.lines.size(), 2u);

  const auto& first = day0.lines[0];
  EXPECT_EQ(first.sequence, 2);
  EXPECT_EQ(first.payment_date, year_month_day(year{2023}, month{9}, day{27}));
  EXPECT_EQ(first.payment_time,
            std::chrono::hours(14) + std::chrono::minutes(55) + std::chrono::seconds(12));
  EXPECT_EQ(first.customer_name, kSomchai);
  EXPECT_EQ(first.ref1, "5700625");
  EXPECT_EQ(first.ref2, "6608000083");
  EXPECT_EQ(first.ref3, "");
  EXPECT_EQ(first.branch, "0000");
  EXPECT_EQ(first.teller, "0000");
  EXPECT_EQ(first.kind, TransactionKind::credit);
  EXPECT_EQ(first.transaction_code, "NET");
  EXPECT_EQ(first.cheque_number, "0000000");
  EXPECT_EQ(first.amount_satang, 50000);
  EXPECT_EQ(first.cheque_bank_code, "000");
  EXPECT_EQ(first.bank_tail, kScbTail);

  const auto& second = day0.lines[1];
  EXPECT_EQ(second.sequence, 3);
  EXPECT_EQ(second.customer_name, kSomying);
  EXPECT_EQ(second.amount_satang, 100000);
  // 14:55:12 in Bangkok is 07:55:12 UTC.
  EXPECT_EQ(paid_at_epoch_seconds(first), 1695801312);
}

TEST(StatementFile, TakesLfCrLfOrNoLineEndsWithOrWithoutAFinalOne) {
  const auto records = sample_records();
  const auto reference = parse_statement_file(join(records));
  ASSERT_TRUE(reference);
  struct Case {
    std::string_view end;
    bool final_end;
    LineEnd expected;
  };
  for (const auto& c : {Case{"\r\n", true, LineEnd::crlf}, Case{"\r\n", false, LineEnd::crlf},
                        Case{"\n", true, LineEnd::lf}, Case{"\n", false, LineEnd::lf},
                        Case{"", false, LineEnd::none}}) {
    const auto bytes = join(records, c.end, c.final_end);
    const auto file = parse_statement_file(bytes);
    ASSERT_TRUE(file) << file.error().detail;
    EXPECT_EQ(file->line_end, c.expected);
    EXPECT_EQ(file->ends_with_line_end, c.final_end);
    EXPECT_EQ(file->days, reference->days);
    // And it writes back the very bytes it read.
    const auto written = write_statement_file(*file);
    ASSERT_TRUE(written) << written.error().detail;
    EXPECT_EQ(*written, bytes);
  }
}

TEST(StatementFile, WritesWhatItReadsAndReadsWhatItWrites) {
  StatementFile file;
  file.bank_code = "006";
  file.company_account = "9866588564";
  file.line_end = LineEnd::lf;
  StatementDay one_day;
  one_day.company_name = kAgency;
  one_day.effective_date = year_month_day(year{2025}, month{10}, day{1});
  one_day.service_code = "6818";
  StatementLine line;
  line.payment_date = year_month_day(year{2025}, month{9}, day{30});
  line.payment_time = std::chrono::seconds(23 * 3600 + 59 * 60 + 59);
  line.customer_name = "นางสาว กนกพร ศรีสุข";
  line.ref1 = "DBD2569000123X";
  line.ref2 = "25690101";
  line.ref3 = "Q1";
  line.branch = "0292";
  line.teller = "MOBX";
  line.transaction_code = "CSH";
  line.cheque_number = "";
  line.amount_satang = kMaxStatementAmount;
  line.cheque_bank_code = "";
  line.bank_tail = std::string(64, ' ') + "0250000000000";
  one_day.lines.push_back(line);
  line.kind = TransactionKind::debit;
  line.amount_satang = 1;
  line.customer_name = "John Smith";
  one_day.lines.push_back(line);
  file.days.push_back(one_day);
  one_day.effective_date = year_month_day(year{2025}, month{10}, day{2});
  one_day.lines.resize(1);
  file.days.push_back(one_day);
  number_and_total(file);

  const auto bytes = write_statement_file(file);
  ASSERT_TRUE(bytes) << bytes.error().detail;
  EXPECT_EQ(bytes->size(), 7u * 257);
  const auto read = parse_statement_file(*bytes);
  ASSERT_TRUE(read) << read.error().detail;
  EXPECT_EQ(*read, file);
  EXPECT_EQ(read->days[0].credit_total_satang, kMaxStatementAmount);
  EXPECT_EQ(read->days[0].debit_total_satang, 1);
  EXPECT_EQ(read->days[1].header_sequence, 1);
  EXPECT_EQ(read->days[1].lines[0].sequence, 2);
}

TEST(StatementFile, MapsEveryTis620CharacterToItsThaiCodePoint) {
  std::string bytes;
  for (int b = 0xA1; b <= 0xDA; ++b) bytes.push_back(static_cast<char>(b));
  for (int b = 0xDF; b <= 0xFB; ++b) bytes.push_back(static_cast<char>(b));
  const auto text = tis620_to_utf8(bytes);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->substr(0, 3), "ก");              // U+0E01
  EXPECT_EQ(text->substr(text->size() - 3), "๛");  // U+0E5B
  EXPECT_EQ(text->size(), bytes.size() * 3);
  EXPECT_EQ(utf8_to_tis620(*text), bytes);
  // Windows-874's additions, as zercle decodes files.
  EXPECT_EQ(tis620_to_utf8("\x80\x85\x91\x92\x93\x94\x95\x96\x97\xA0"), "€…‘’“”•–—\u00A0");
  EXPECT_EQ(utf8_to_tis620("€…"), "\x80\x85");
}

TEST(StatementFile, RefusesBytesTis620DoesNotDefine) {
  for (const char* bad : {"\xDB", "\xDE", "\xFC", "\xFF", "\x81", "\x9F", "\t", "\x7F", "\x1A"}) {
    EXPECT_FALSE(tis620_to_utf8(std::string("A") + bad)) << static_cast<int>(bad[0]);
  }
  EXPECT_FALSE(utf8_to_tis620("日本"));
  EXPECT_FALSE(utf8_to_tis620("😀"));
  EXPECT_FALSE(utf8_to_tis620("\xE0\xB8"));  // cut UTF-8
  EXPECT_FALSE(utf8_to_tis620("a\nb"));
}

TEST(StatementFile, RefusesAnEmptyFile) {
  expect_error("", StatementErrorCode::empty_file, 0, "file");
}

TEST(StatementFile, RefusesARecordOfTheWrongLength) {
  auto records = sample_records();
  records[1].pop_back();
  expect_error(join(records), StatementErrorCode::bad_length, 2, "record");
  expect_error(join(records, "\n", false), StatementErrorCode::bad_length, 2, "record");
  records = sample_records();
  records[3] += " ";
  expect_error(join(records, "\n", false), StatementErrorCode::bad_length, 4, "record");
  // Without line ends the records are cut every 256 bytes: the last one is short.
  expect_error(join(records, ""), StatementErrorCode::bad_length, 5, "record");
  // A blank line is a record of no bytes.
  expect_error(join(sample_records()) + "\r\n", StatementErrorCode::bad_length, 5, "record");
}

TEST(StatementFile, SaysSoWhenTheFileIsUtf8) {
  auto records = sample_records();
  for (auto& record : records) {
    record = std::string(*tis620_to_utf8(record));
  }
  expect_error(join(records), StatementErrorCode::bad_encoding, 1, "record");
  const auto bare = parse_statement_file(join(records, ""));
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().code, StatementErrorCode::bad_encoding);
}

TEST(StatementFile, RefusesLineEndsOfTwoKindsOrInsideARecord) {
  auto records = sample_records();
  std::string mixed = records[0] + "\r\n" + records[1] + "\n" + records[2] + "\r\n" + records[3];
  expect_error(mixed, StatementErrorCode::bad_line_end, 2, "record");
  mixed = records[0] + "\n" + records[1] + "\r\n" + records[2] + "\n" + records[3];
  expect_error(mixed, StatementErrorCode::bad_line_end, 2, "record");
  // A bare CR between records (old Mac line ends).
  expect_error(join(records, "\r"), StatementErrorCode::bad_line_end, 2, "record");
  records[1][40] = '\r';
  expect_error(join(records, ""), StatementErrorCode::bad_line_end, 2, "record");
}

TEST(StatementFile, RefusesAnUnknownRecordType) {
  auto record = Detail{}.str();
  record[0] = 'X';
  expect_error(with_record(1, record), StatementErrorCode::bad_record_type, 2, "record_type", 1);
  record[0] = 'd';
  expect_error(with_record(1, record), StatementErrorCode::bad_record_type, 2, "record_type");
}

TEST(StatementFile, RefusesRecordsOutsideAHeaderAndTrailer) {
  const auto records = sample_records();
  expect_error(join({records[1], records[2]}), StatementErrorCode::missing_header, 1,
               "record_type");
  expect_error(join({records[0], records[1], records[2]}), StatementErrorCode::missing_trailer, 3,
               "record_type");
  Header second;
  second.sequence = "000004";
  expect_error(join({records[0], records[1], records[2], second.str()}),
               StatementErrorCode::missing_trailer, 4, "record_type");
  Detail after;
  after.sequence = "000005";
  expect_error(join({records[0], records[1], records[2], records[3], after.str()}),
               StatementErrorCode::missing_header, 5, "record_type");
}

TEST(StatementFile, RefusesSequenceNumbersThatAreNotContiguous) {
  Header header;
  header.sequence = "000002";
  expect_error(with_record(0, header.str()), StatementErrorCode::bad_sequence, 1, "sequence", 2);
  Detail detail = second_detail();
  detail.sequence = "000004";
  expect_error(with_record(2, detail.str()), StatementErrorCode::bad_sequence, 3, "sequence");
  detail.sequence = "00000A";
  expect_error(with_record(2, detail.str()), StatementErrorCode::bad_sequence, 3, "sequence");
  detail.sequence = "     3";
  expect_error(with_record(2, detail.str()), StatementErrorCode::bad_sequence, 3, "sequence");
  Trailer trailer;
  trailer.sequence = "000003";
  expect_error(with_record(3, trailer.str()), StatementErrorCode::bad_sequence, 4, "sequence");
}

TEST(StatementFile, ReadsSeveralDaysNumberedAfreshOrOnwards) {
  const auto records = sample_records();
  const auto fresh = parse_statement_file(join({records[0], records[1], records[2], records[3],
                                                records[0], records[1], records[2], records[3]}));
  ASSERT_TRUE(fresh) << fresh.error().detail;
  EXPECT_EQ(fresh->days.size(), 2u);

  Header header;
  header.sequence = "000005";
  header.date = "28092023";
  Detail first;
  first.sequence = "000006";
  Detail second = second_detail();
  second.sequence = "000007";
  Trailer trailer;
  trailer.sequence = "000008";
  const auto onwards =
      parse_statement_file(join({records[0], records[1], records[2], records[3], header.str(),
                                 first.str(), second.str(), trailer.str()}));
  ASSERT_TRUE(onwards) << onwards.error().detail;
  ASSERT_EQ(onwards->days.size(), 2u);
  EXPECT_EQ(onwards->days[1].header_sequence, 5);
  EXPECT_EQ(onwards->days[1].effective_date, year_month_day(year{2023}, month{9}, day{28}));
  EXPECT_EQ(onwards->days[1].lines[1].sequence, 7);
  const auto written = write_statement_file(*onwards);
  ASSERT_TRUE(written);
  EXPECT_EQ(*written, join({records[0], records[1], records[2], records[3], header.str(),
                            first.str(), second.str(), trailer.str()}));

  // Neither 1 nor the next number.
  header.sequence = "000009";
  expect_error(join({records[0], records[1], records[2], records[3], header.str()}),
               StatementErrorCode::bad_sequence, 5, "sequence");
}

TEST(StatementFile, RefusesAnotherBankOrAccountInTheFile) {
  Detail detail;
  detail.bank = "004";
  expect_error(with_record(1, detail.str()), StatementErrorCode::bank_mismatch, 2, "bank_code", 8);
  detail = Detail{};
  detail.account = "1772617528";
  expect_error(with_record(1, detail.str()), StatementErrorCode::account_mismatch, 2,
               "company_account", 11);
  Trailer trailer;
  trailer.bank = "006";
  expect_error(with_record(3, trailer.str()), StatementErrorCode::bank_mismatch, 4, "bank_code");
  // A second day of another account.
  const auto records = sample_records();
  Header header;
  header.account = "1111111111";
  expect_error(join({records[0], records[1], records[2], records[3], header.str()}),
               StatementErrorCode::account_mismatch, 5, "company_account");
  // The first header's own codes are digits.
  header = Header{};
  header.bank = "01A";
  expect_error(with_record(0, header.str()), StatementErrorCode::bad_number, 1, "bank_code");
  header = Header{};
  header.account = "17726175 9";
  expect_error(with_record(0, header.str()), StatementErrorCode::bad_number, 1, "company_account");
}

TEST(StatementFile, RefusesImpossibleAndBuddhistEraDates) {
  Detail detail;
  for (const char* bad :
       {"30022024", "31042023", "00012023", "01132023", "2709202A", "27 92023", "01011899"}) {
    detail.date = bad;
    expect_error(with_record(1, detail.str()), StatementErrorCode::bad_date, 2, "payment_date", 21);
  }
  detail.date = "27092566";
  expect_error(with_record(1, detail.str()), StatementErrorCode::buddhist_era_date, 2,
               "payment_date");
  detail.date = "29022024";  // a leap day
  EXPECT_TRUE(parse_statement_file(with_record(1, detail.str())));
  Header header;
  header.date = "27092566";
  expect_error(with_record(0, header.str()), StatementErrorCode::buddhist_era_date, 1,
               "effective_date", 61);
  header.date = "        ";
  expect_error(with_record(0, header.str()), StatementErrorCode::bad_date, 1, "effective_date");
}

TEST(StatementFile, TakesPaymentsDatedBeforeTheFile) {
  // The UOB sample: header Tue 10-10-2023, payments on Sat 07-10-2023 (payments.md §1.3).
  Header header;
  header.date = "10102023";
  Detail detail;
  detail.date = "07102023";
  EXPECT_TRUE(parse_statement_file(
      join({header.str(), detail.str(), second_detail().str(), Trailer{}.str()})));
}

TEST(StatementFile, RefusesImpossibleTimes) {
  Detail detail;
  for (const char* bad : {"240000", "236000", "235960", "1200a0", "      "}) {
    detail.time = bad;
    expect_error(with_record(1, detail.str()), StatementErrorCode::bad_time, 2, "payment_time", 29);
  }
  detail.time = "000000";
  EXPECT_TRUE(parse_statement_file(with_record(1, detail.str())));
  detail.time = "235959";
  EXPECT_TRUE(parse_statement_file(with_record(1, detail.str())));
}

TEST(StatementFile, RefusesTextTis620DoesNotHave) {
  Detail detail;
  detail.name = "\xCA\xC1\xFF";
  expect_error(with_record(1, detail.str()), StatementErrorCode::bad_text, 2, "customer_name", 35);
  detail.name = "A\tB";
  expect_error(with_record(1, detail.str()), StatementErrorCode::bad_text, 2, "customer_name");
  Header header;
  header.name = std::string("\0", 1);
  expect_error(with_record(0, header.str()), StatementErrorCode::bad_text, 1, "company_name");
  detail = Detail{};
  detail.ref2 = "66\xDB";
  expect_error(with_record(1, detail.str()), StatementErrorCode::bad_text, 2, "ref2", 105);
}

TEST(StatementFile, RefusesCodesThatAreNotPrintableAscii) {
  Detail detail;
  detail.branch =
      "00\xA1"
      "0";
  expect_error(with_record(1, detail.str()), StatementErrorCode::bad_code, 2, "branch", 145);
  detail = Detail{};
  detail.code = "N\x01T";
  expect_error(with_record(1, detail.str()), StatementErrorCode::bad_code, 2, "transaction_code",
               154);
  Header header;
  header.service = "66\x81";
  expect_error(with_record(0, header.str()), StatementErrorCode::bad_code, 1, "service_code");
}

TEST(StatementFile, KeepsReferencesAsGivenButLeftJustified) {
  Detail detail;
  detail.ref1 = "  5700625";
  expect_error(with_record(1, detail.str()), StatementErrorCode::bad_reference, 2, "ref1", 85);
  detail = Detail{};
  detail.ref3 = " X";
  expect_error(with_record(1, detail.str()), StatementErrorCode::bad_reference, 2, "ref3", 125);
  detail = Detail{};
  detail.ref1 = "000123";  // leading zeros are part of the reference
  detail.ref2 = "AB 12";
  detail.ref3 = "R3";
  const auto file = parse_statement_file(with_record(1, detail.str()));
  ASSERT_TRUE(file);
  EXPECT_EQ(file->days[0].lines[0].ref1, "000123");
  EXPECT_EQ(file->days[0].lines[0].ref2, "AB 12");
  EXPECT_EQ(file->days[0].lines[0].ref3, "R3");
}

TEST(StatementFile, CountsDebitLinesApartFromCredits) {
  Detail detail = second_detail();
  detail.kind = "D";
  Trailer trailer;
  trailer.debit_total = "0000000100000";
  trailer.debit_count = "000001";
  trailer.credit_total = "0000000050000";
  trailer.credit_count = "000001";
  const auto file =
      parse_statement_file(join({Header{}.str(), Detail{}.str(), detail.str(), trailer.str()}));
  ASSERT_TRUE(file) << file.error().detail;
  EXPECT_EQ(file->days[0].lines[1].kind, TransactionKind::debit);
  detail.kind = "X";
  expect_error(with_record(2, detail.str()), StatementErrorCode::bad_kind, 3, "kind", 153);
  detail.kind = " ";
  expect_error(with_record(2, detail.str()), StatementErrorCode::bad_kind, 3, "kind");
}

TEST(StatementFile, TakesBlankChequeFieldsButNotOtherText) {
  Detail detail;
  detail.cheque = "       ";
  detail.cheque_bank = "   ";
  const auto file = parse_statement_file(with_record(1, detail.str()));
  ASSERT_TRUE(file);
  EXPECT_EQ(file->days[0].lines[0].cheque_number, "");
  EXPECT_EQ(file->days[0].lines[0].cheque_bank_code, "");
  detail.cheque = "0012345";
  detail.cheque_bank = "002";
  const auto cheque = parse_statement_file(with_record(1, detail.str()));
  ASSERT_TRUE(cheque);
  EXPECT_EQ(cheque->days[0].lines[0].cheque_number, "0012345");
  detail.cheque = "12 4567";
  expect_error(with_record(1, detail.str()), StatementErrorCode::bad_number, 2, "cheque_number",
               157);
  detail.cheque = "0000000";
  detail.cheque_bank = "00 ";
  expect_error(with_record(1, detail.str()), StatementErrorCode::bad_number, 2, "cheque_bank_code",
               177);
}

TEST(StatementFile, RefusesAmountsThatAreNotThirteenDigits) {
  Detail detail;
  for (const char* bad : {"00000000500.0", "-000000050000", "+000000050000", "     00050000"}) {
    detail.amount = std::string(bad).substr(0, 13);
    expect_error(with_record(1, detail.str()), StatementErrorCode::bad_amount, 2, "amount", 164);
  }
  Trailer trailer;
  trailer.credit_total = "00000001500.0";
  expect_error(with_record(3, trailer.str()), StatementErrorCode::bad_amount, 4, "credit_total",
               40);
  trailer = Trailer{};
  trailer.credit_count = "00000X";
  expect_error(with_record(3, trailer.str()), StatementErrorCode::bad_number, 4, "credit_count",
               53);
}

TEST(StatementFile, RefusesATrailerThatDisagreesWithItsLines) {
  Trailer trailer;
  trailer.credit_count = "000003";
  expect_error(with_record(3, trailer.str()), StatementErrorCode::trailer_count_mismatch, 4,
               "credit_count", 53);
  trailer = Trailer{};
  trailer.credit_total = "0000000150001";
  expect_error(with_record(3, trailer.str()), StatementErrorCode::trailer_total_mismatch, 4,
               "credit_total", 40);
  trailer = Trailer{};
  trailer.debit_total = "0000000000001";
  expect_error(with_record(3, trailer.str()), StatementErrorCode::trailer_total_mismatch, 4,
               "debit_total", 21);
  trailer = Trailer{};
  trailer.debit_count = "000001";
  expect_error(with_record(3, trailer.str()), StatementErrorCode::trailer_count_mismatch, 4,
               "debit_count", 34);
}

// BBL's sample trailer states 22.50 of debits in 3 lines, but all its lines are credits
// (payments.md §1.3): the totals must equal the lines (§1.7), so such a file is refused.
TEST(StatementFile, RefusesDebitTotalsWithoutDebitLines) {
  Trailer trailer;
  trailer.debit_total = "0000000002250";
  trailer.debit_count = "000003";
  expect_error(with_record(3, trailer.str()), StatementErrorCode::trailer_total_mismatch, 4,
               "debit_total");
}

TEST(StatementFile, AddsTheLargestAmountsWithoutOverflow) {
  Detail first;
  first.amount = "9999999999999";
  Detail second = second_detail();
  second.amount = "9999999999999";
  Trailer trailer;
  trailer.credit_total = "9999999999999";
  expect_error(join({Header{}.str(), first.str(), second.str(), trailer.str()}),
               StatementErrorCode::trailer_total_mismatch, 4, "credit_total");
  // One line of the largest amount is fine.
  Trailer single;
  single.sequence = "000003";
  single.credit_total = "9999999999999";
  single.credit_count = "000001";
  const auto file = parse_statement_file(join({Header{}.str(), first.str(), single.str()}));
  ASSERT_TRUE(file) << file.error().detail;
  EXPECT_EQ(file->days[0].lines[0].amount_satang, kMaxStatementAmount);
  EXPECT_EQ(file->days[0].credit_total_satang, 9'999'999'999'999);
}

TEST(StatementFile, NamesTheProblemForThePerson) {
  Trailer trailer;
  trailer.credit_total = "0000000150001";
  const auto result = parse_statement_file(with_record(3, trailer.str()));
  ASSERT_FALSE(result);
  const Error error = result.error().to_error();
  EXPECT_EQ(error.code, ErrorCode::invalid_input);
  EXPECT_EQ(error.message_key, "payments.statement.trailer_total_mismatch");
  ASSERT_EQ(error.fields.size(), 1u);
  EXPECT_EQ(error.fields[0].field, "credit_total");
  EXPECT_NE(error.detail.find("line 4, column 40"), std::string::npos) << error.detail;
  // The log line never carries the payer's name.
  Detail detail;
  detail.name = kSomchaiTis + "\xFF";
  const auto bad_name = parse_statement_file(with_record(1, detail.str()));
  ASSERT_FALSE(bad_name);
  EXPECT_EQ(bad_name.error().to_error().detail.find(kSomchaiTis), std::string::npos);
}

// --- Writing --------------------------------------------------------------------------------

StatementFile small_file() {
  auto file = parse_statement_file(join(sample_records()));
  return *file;
}

void expect_write_error(const StatementFile& file, StatementErrorCode code, std::size_t line,
                        std::string_view field) {
  const auto result = write_statement_file(file);
  ASSERT_FALSE(result) << "written; expected " << statement_error_name(code);
  EXPECT_EQ(statement_error_name(result.error().code), statement_error_name(code))
      << result.error().detail;
  EXPECT_EQ(result.error().line, line);
  EXPECT_EQ(result.error().field, field);
}

TEST(StatementFileWriter, RefusesAmountsTheFieldCannotHold) {
  for (std::int64_t bad :
       {std::int64_t{-1}, kMaxStatementAmount + 1, std::numeric_limits<std::int64_t>::max(),
        std::numeric_limits<std::int64_t>::min()}) {
    auto file = small_file();
    file.days[0].lines[1].amount_satang = bad;
    expect_write_error(file, StatementErrorCode::bad_amount, 3, "amount");
    number_and_total(file);  // totals saturate rather than overflow
    expect_write_error(file, StatementErrorCode::bad_amount, 3, "amount");
  }
  auto file = small_file();
  file.days[0].lines[0].amount_satang = kMaxStatementAmount;
  file.days[0].lines[1].amount_satang = kMaxStatementAmount;
  number_and_total(file);
  EXPECT_EQ(file.days[0].credit_total_satang, 2 * kMaxStatementAmount);
  expect_write_error(file, StatementErrorCode::bad_amount, 4, "credit_total");
}

TEST(StatementFileWriter, RefusesTextThatDoesNotFitOrHasNoTis620Byte) {
  auto file = small_file();
  file.days[0].lines[0].customer_name = std::string(51, 'A');
  expect_write_error(file, StatementErrorCode::too_long, 2, "customer_name");
  file.days[0].lines[0].customer_name = std::string(50, 'A') + "   ";  // padding is fine
  EXPECT_TRUE(write_statement_file(file));
  file.days[0].lines[0].customer_name = "Zoë";
  expect_write_error(file, StatementErrorCode::bad_text, 2, "customer_name");
  file = small_file();
  file.days[0].company_name = kAgency + kAgency + "X";  // 41 TIS-620 bytes
  expect_write_error(file, StatementErrorCode::too_long, 1, "company_name");
  file = small_file();
  file.days[0].lines[1].ref1 = std::string(21, '9');
  expect_write_error(file, StatementErrorCode::too_long, 3, "ref1");
  file = small_file();
  file.days[0].lines[1].teller = "ครู";
  expect_write_error(file, StatementErrorCode::bad_code, 3, "teller");
  file = small_file();
  file.days[0].trailer_spare = "a\nb";
  expect_write_error(file, StatementErrorCode::bad_line_end, 4, "trailer_spare");
}

TEST(StatementFileWriter, RefusesWhatTheReaderWouldRefuse) {
  auto file = small_file();
  file.bank_code = "14";
  expect_write_error(file, StatementErrorCode::bad_number, 1, "bank_code");
  file = small_file();
  file.days[0].lines[1].sequence = 4;
  expect_write_error(file, StatementErrorCode::bad_sequence, 3, "sequence");
  file = small_file();
  file.days[0].lines[1].amount_satang += 1;  // the trailer no longer agrees
  expect_write_error(file, StatementErrorCode::trailer_total_mismatch, 4, "credit_total");
  file = small_file();
  file.days[0].lines[0].payment_date = year_month_day(year{2024}, month{2}, day{30});
  expect_write_error(file, StatementErrorCode::bad_date, 2, "payment_date");
  file.days[0].lines[0].payment_date = year_month_day(year{2566}, month{9}, day{27});
  expect_write_error(file, StatementErrorCode::buddhist_era_date, 2, "payment_date");
  file.days[0].lines[0].payment_date = year_month_day(year{-1}, month{9}, day{27});
  expect_write_error(file, StatementErrorCode::bad_date, 2, "payment_date");
  file = small_file();
  file.days[0].lines[0].payment_time = std::chrono::seconds(86400);
  expect_write_error(file, StatementErrorCode::bad_time, 2, "payment_time");
  file = small_file();
  file.days[0].lines[0].ref1 = " 5700625";
  expect_write_error(file, StatementErrorCode::bad_reference, 2, "ref1");
  file = small_file();
  file.days[0].lines[0].cheque_number = "123";
  expect_write_error(file, StatementErrorCode::bad_number, 2, "cheque_number");
  file.days.clear();
  expect_write_error(file, StatementErrorCode::empty_file, 0, "file");
}

}  // namespace
}  // namespace pratu::payments
