#include "domains/payments/statement_file.hpp"

#include <array>
#include <limits>
#include <stdexcept>
#include <utility>

#include "common/unicode_text.hpp"

namespace pratu::payments {

namespace {

using Code = StatementErrorCode;

// A field's place in a record, as payments.md §1.2 gives it: 1-based column and width.
struct Field {
  std::size_t column;
  std::size_t width;
  std::string_view name;
};

constexpr Field kRecordType{1, 1, "record_type"};
constexpr Field kSequence{2, 6, "sequence"};
constexpr Field kBankCode{8, 3, "bank_code"};
constexpr Field kCompanyAccount{11, 10, "company_account"};
// Header.
constexpr Field kCompanyName{21, 40, "company_name"};
constexpr Field kEffectiveDate{61, 8, "effective_date"};
constexpr Field kServiceCode{69, 8, "service_code"};
constexpr Field kHeaderSpare{77, 180, "header_spare"};
// Detail.
constexpr Field kPaymentDate{21, 8, "payment_date"};
constexpr Field kPaymentTime{29, 6, "payment_time"};
constexpr Field kCustomerName{35, 50, "customer_name"};
constexpr Field kRef1{85, 20, "ref1"};
constexpr Field kRef2{105, 20, "ref2"};
constexpr Field kRef3{125, 20, "ref3"};
constexpr Field kBranch{145, 4, "branch"};
constexpr Field kTeller{149, 4, "teller"};
constexpr Field kKind{153, 1, "kind"};
constexpr Field kTransactionCode{154, 3, "transaction_code"};
constexpr Field kChequeNumber{157, 7, "cheque_number"};
constexpr Field kAmount{164, 13, "amount"};
constexpr Field kChequeBankCode{177, 3, "cheque_bank_code"};
constexpr Field kBankTail{180, 77, "bank_tail"};
// Trailer.
constexpr Field kDebitTotal{21, 13, "debit_total"};
constexpr Field kDebitCount{34, 6, "debit_count"};
constexpr Field kCreditTotal{40, 13, "credit_total"};
constexpr Field kCreditCount{53, 6, "credit_count"};
constexpr Field kTrailerSpare{59, 198, "trailer_spare"};

constexpr Field kWholeRecord{1, kStatementRecordLength, "record"};

// Dates are Gregorian; a year above this is a Buddhist-era year (payments.md §1.4).
constexpr int kLatestGregorianYear = 2400;
constexpr int kEarliestYear = 1900;
constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::int64_t kBangkokOffsetSeconds = 7 * 3600;

StatementError make_error(Code code, std::size_t line, const Field& field, std::string detail) {
  return StatementError{code, line, field.column, std::string(field.name), std::move(detail)};
}

std::string_view without_trailing_spaces(std::string_view text) {
  const auto last = text.find_last_not_of(' ');
  return last == std::string_view::npos ? std::string_view{} : text.substr(0, last + 1);
}

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool printable_ascii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// Digits as a number; the caller checked they are digits and there are at most 18.
std::int64_t digits_value(std::string_view digits) {
  std::int64_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// a + b for amounts that are never negative, held just above the largest amount a trailer can
// state: a sum past it can only mismatch, and it never overflows.
std::int64_t add_capped(std::int64_t a, std::int64_t b) {
  return b > kMaxStatementAmount - a ? kMaxStatementAmount + 1 : a + b;
}

// --- TIS-620 --------------------------------------------------------------------------------

// The Windows-874 additions to TIS-620 in 0x80–0xA0 (zercle decodes files as Windows-874).
constexpr std::array<std::pair<unsigned char, char32_t>, 10> kWindows874Extras{{
    {0x80, U'\u20AC'},
    {0x85, U'\u2026'},
    {0x91, U'\u2018'},
    {0x92, U'\u2019'},
    {0x93, U'\u201C'},
    {0x94, U'\u201D'},
    {0x95, U'\u2022'},
    {0x96, U'\u2013'},
    {0x97, U'\u2014'},
    {0xA0, U'\u00A0'},
}};

// The code point of a TIS-620 byte; 0 for a byte no text field may hold.
char32_t tis620_code_point(unsigned char byte) {
  if (byte >= 0x20 && byte <= 0x7E) return byte;
  if (byte >= 0xA1 && byte <= 0xDA) return char32_t{0x0E01} + (byte - 0xA1);
  if (byte >= 0xDF && byte <= 0xFB) return char32_t{0x0E3F} + (byte - 0xDF);
  for (const auto& [extra, code_point] : kWindows874Extras) {
    if (extra == byte) return code_point;
  }
  return 0;
}

// The TIS-620 byte of a code point; 0 if it has none.
unsigned char tis620_byte(char32_t c) {
  if (c >= 0x20 && c <= 0x7E) return static_cast<unsigned char>(c);
  if (c >= 0x0E01 && c <= 0x0E3A) return static_cast<unsigned char>(0xA1 + (c - 0x0E01));
  if (c >= 0x0E3F && c <= 0x0E5B) return static_cast<unsigned char>(0xDF + (c - 0x0E3F));
  for (const auto& [extra, code_point] : kWindows874Extras) {
    if (code_point == c) return extra;
  }
  return 0;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    // Every TIS-620 character is below U+10000.
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// --- Reading --------------------------------------------------------------------------------

// One record and the checks of its fields, each naming the record's line on failure.
class RecordReader {
 public:
  RecordReader(std::string_view record, std::size_t line) : record_(record), line_(line) {}

  std::size_t line() const { return line_; }
  std::string_view raw(const Field& f) const { return record_.substr(f.column - 1, f.width); }

  StatementError error(Code code, const Field& f, std::string detail) const {
    return make_error(code, line_, f, std::move(detail));
  }

  StatementResult<std::int64_t> number(const Field& f, Code code = Code::bad_number) const {
    const auto digits = raw(f);
    if (!all_digits(digits)) {
      return error(code, f, std::to_string(f.width) + " digits expected");
    }
    return digits_value(digits);
  }

  StatementResult<std::chrono::year_month_day> date(const Field& f) const {
    const auto text = raw(f);
    if (!all_digits(text)) return error(Code::bad_date, f, "DDMMYYYY expected");
    const auto day = static_cast<unsigned>(digits_value(text.substr(0, 2)));
    const auto month = static_cast<unsigned>(digits_value(text.substr(2, 2)));
    const auto year = static_cast<int>(digits_value(text.substr(4, 4)));
    if (year > kLatestGregorianYear) {
      return error(Code::buddhist_era_date, f,
                   "year " + std::to_string(year) + " is Buddhist era; Gregorian expected");
    }
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                           std::chrono::day{day}};
    if (year < kEarliestYear || !date.ok()) {
      return error(Code::bad_date, f, "no such date: " + std::string(text));
    }
    return date;
  }

  StatementResult<std::chrono::seconds> time(const Field& f) const {
    const auto text = raw(f);
    if (!all_digits(text)) return error(Code::bad_time, f, "HHMMSS expected");
    const auto hours = digits_value(text.substr(0, 2));
    const auto minutes = digits_value(text.substr(2, 2));
    const auto seconds = digits_value(text.substr(4, 2));
    if (hours > 23 || minutes > 59 || seconds > 59) {
      return error(Code::bad_time, f, "no such time: " + std::string(text));
    }
    return std::chrono::seconds(hours * 3600 + minutes * 60 + seconds);
  }

  StatementResult<std::string> text(const Field& f) const {
    auto decoded = tis620_to_utf8(without_trailing_spaces(raw(f)));
    if (!decoded) return error(Code::bad_text, f, "a byte that is not TIS-620 text");
    return std::move(*decoded);
  }

  StatementResult<std::string> code(const Field& f) const {
    const auto value = without_trailing_spaces(raw(f));
    if (!printable_ascii(value)) return error(Code::bad_code, f, "printable ASCII expected");
    return std::string(value);
  }

  StatementResult<std::string> reference(const Field& f) const {
    const auto value = without_trailing_spaces(raw(f));
    if (!value.empty() && value.front() == ' ') {
      return error(Code::bad_reference, f, "not left-justified");
    }
    return text(f);
  }

  // Digits filling the field, or spaces only ("" then).
  StatementResult<std::string> digits_or_blank(const Field& f) const {
    const auto value = raw(f);
    if (without_trailing_spaces(value).empty()) return std::string();
    if (!all_digits(value)) {
      return error(Code::bad_number, f, std::to_string(f.width) + " digits or spaces expected");
    }
    return std::string(value);
  }

  std::string spare(const Field& f) const { return std::string(without_trailing_spaces(raw(f))); }

 private:
  std::string_view record_;
  std::size_t line_;
};

// A record that is not 256 bytes: UTF-8 Thai is the usual cause, said as such.
StatementError wrong_length(std::string_view record, std::size_t line) {
  if (is_valid_utf8(record) && code_point_count(record) == kStatementRecordLength) {
    return make_error(
        Code::bad_encoding, line, kWholeRecord,
        "256 characters in " + std::to_string(record.size()) + " bytes of UTF-8; TIS-620 expected");
  }
  return make_error(Code::bad_length, line, kWholeRecord,
                    std::to_string(record.size()) + " bytes; 256 expected");
}

StatementResult<void> check_record(std::string_view record, std::size_t line) {
  if (record.find_first_of("\r\n") != std::string_view::npos) {
    return make_error(Code::bad_line_end, line, kWholeRecord, "a line end inside the record");
  }
  if (record.size() != kStatementRecordLength) return wrong_length(record, line);
  return {};
}

struct Records {
  std::vector<std::string_view> records;
  LineEnd line_end = LineEnd::none;
  bool ends_with_line_end = false;
};

// Splits the file into records by its line ends (LF, CR LF, or none: payments.md §1.4).
StatementResult<Records> split_records(std::string_view bytes) {
  Records out;
  const auto first_lf = bytes.find('\n');
  if (first_lf == std::string_view::npos) {
    for (std::size_t at = 0, line = 1; at < bytes.size(); at += kStatementRecordLength, ++line) {
      const auto record = bytes.substr(at, kStatementRecordLength);
      if (record.size() != kStatementRecordLength && is_valid_utf8(bytes) &&
          code_point_count(bytes) % kStatementRecordLength == 0) {
        return make_error(Code::bad_encoding, 0, kWholeRecord,
                          "records of 256 characters in UTF-8; TIS-620 expected");
      }
      PRATU_CHECK(check_record(record, line));
      out.records.push_back(record);
    }
    return out;
  }
  out.line_end = first_lf > 0 && bytes[first_lf - 1] == '\r' ? LineEnd::crlf : LineEnd::lf;
  std::size_t at = 0;
  for (std::size_t line = 1; at < bytes.size(); ++line) {
    const auto lf = bytes.find('\n', at);
    auto record = bytes.substr(at, lf == std::string_view::npos ? std::string_view::npos : lf - at);
    if (lf != std::string_view::npos && out.line_end == LineEnd::crlf) {
      if (record.empty() || record.back() != '\r') {
        return make_error(Code::bad_line_end, line, kWholeRecord, "LF where CR LF expected");
      }
      record.remove_suffix(1);
    }
    PRATU_CHECK(check_record(record, line));
    out.records.push_back(record);
    if (lf == std::string_view::npos) return out;
    at = lf + 1;
  }
  out.ends_with_line_end = true;
  return out;
}

// What a block has added up to so far.
struct Sums {
  std::int64_t debit_total = 0;
  std::int64_t debit_count = 0;
  std::int64_t credit_total = 0;
  std::int64_t credit_count = 0;
};

StatementResult<StatementLine> read_detail(const RecordReader& r, std::int64_t sequence) {
  StatementLine line;
  line.sequence = sequence;
  PRATU_TRY(payment_date, r.date(kPaymentDate));
  line.payment_date = payment_date;
  PRATU_TRY(payment_time, r.time(kPaymentTime));
  line.payment_time = payment_time;
  PRATU_TRY(customer_name, r.text(kCustomerName));
  line.customer_name = std::move(customer_name);
  PRATU_TRY(ref1, r.reference(kRef1));
  line.ref1 = std::move(ref1);
  PRATU_TRY(ref2, r.reference(kRef2));
  line.ref2 = std::move(ref2);
  PRATU_TRY(ref3, r.reference(kRef3));
  line.ref3 = std::move(ref3);
  PRATU_TRY(branch, r.code(kBranch));
  line.branch = std::move(branch);
  PRATU_TRY(teller, r.code(kTeller));
  line.teller = std::move(teller);
  const char kind = r.raw(kKind)[0];
  if (kind != 'C' && kind != 'D') return r.error(Code::bad_kind, kKind, "C or D expected");
  line.kind = static_cast<TransactionKind>(kind);
  PRATU_TRY(transaction_code, r.code(kTransactionCode));
  line.transaction_code = std::move(transaction_code);
  PRATU_TRY(cheque_number, r.digits_or_blank(kChequeNumber));
  line.cheque_number = std::move(cheque_number);
  PRATU_TRY(amount, r.number(kAmount, Code::bad_amount));
  line.amount_satang = amount;
  PRATU_TRY(cheque_bank_code, r.digits_or_blank(kChequeBankCode));
  line.cheque_bank_code = std::move(cheque_bank_code);
  line.bank_tail = r.spare(kBankTail);
  return line;
}

// The trailer's four fields against what the block's lines add up to.
StatementResult<void> read_trailer(const RecordReader& r, const Sums& sums, StatementDay& day) {
  const auto total = [&](const Field& f, std::int64_t sum) -> StatementResult<std::int64_t> {
    PRATU_TRY(stated, r.number(f, Code::bad_amount));
    if (stated != sum) {
      return r.error(
          Code::trailer_total_mismatch, f,
          "trailer states " + std::to_string(stated) + " satang; the lines add up to " +
              (sum > kMaxStatementAmount ? "more than 13 digits hold" : std::to_string(sum)));
    }
    return stated;
  };
  const auto count = [&](const Field& f, std::int64_t lines) -> StatementResult<std::int64_t> {
    PRATU_TRY(stated, r.number(f));
    if (stated != lines) {
      return r.error(Code::trailer_count_mismatch, f,
                     "trailer states " + std::to_string(stated) + " lines; the block has " +
                         std::to_string(lines));
    }
    return stated;
  };
  PRATU_TRY(debit_total, total(kDebitTotal, sums.debit_total));
  PRATU_TRY(debit_count, count(kDebitCount, sums.debit_count));
  PRATU_TRY(credit_total, total(kCreditTotal, sums.credit_total));
  PRATU_TRY(credit_count, count(kCreditCount, sums.credit_count));
  day.debit_total_satang = debit_total;
  day.debit_count = debit_count;
  day.credit_total_satang = credit_total;
  day.credit_count = credit_count;
  day.trailer_spare = r.spare(kTrailerSpare);
  return {};
}

// --- Writing --------------------------------------------------------------------------------

// Builds one record field by field; the first field that cannot be written is the error.
class RecordWriter {
 public:
  RecordWriter(char type, std::size_t line) : line_(line) {
    record_.assign(kStatementRecordLength, ' ');
    record_[0] = type;
  }

  const std::string& record() const { return record_; }

  StatementResult<void> number(const Field& f, std::int64_t value, Code code = Code::bad_number) {
    std::int64_t limit = 1;
    for (std::size_t i = 0; i < f.width; ++i) limit *= 10;
    if (value < 0 || value >= limit) {
      return error(code, f,
                   std::to_string(value) + " does not fit " + std::to_string(f.width) + " digits");
    }
    put_digits(f.column - 1, f.width, value);
    return {};
  }

  StatementResult<void> digits(const Field& f, std::string_view value) {
    if (value.size() != f.width || !all_digits(value)) {
      return error(Code::bad_number, f, std::to_string(f.width) + " digits expected");
    }
    return put(f, value);
  }

  StatementResult<void> digits_or_blank(const Field& f, std::string_view value) {
    if (value.empty()) return {};
    return digits(f, value);
  }

  // Dates outside what four digits hold; other impossible dates are left for the reader.
  StatementResult<void> date(const Field& f, std::chrono::year_month_day date) {
    const int year = static_cast<int>(date.year());
    const auto month = static_cast<unsigned>(date.month());
    const auto day = static_cast<unsigned>(date.day());
    if (year < 0 || year > 9999 || month > 99 || day > 99) {
      return error(Code::bad_date, f, "not a DDMMYYYY date");
    }
    put_digits(f.column - 1, 2, day);
    put_digits(f.column + 1, 2, month);
    put_digits(f.column + 3, 4, year);
    return {};
  }

  StatementResult<void> time(const Field& f, std::chrono::seconds time) {
    const auto seconds = time.count();
    if (seconds < 0 || seconds >= kSecondsPerDay) return error(Code::bad_time, f, "not a time");
    put_digits(f.column - 1, 2, seconds / 3600);
    put_digits(f.column + 1, 2, seconds / 60 % 60);
    put_digits(f.column + 3, 2, seconds % 60);
    return {};
  }

  StatementResult<void> text(const Field& f, std::string_view value) {
    auto bytes = utf8_to_tis620(without_trailing_spaces(value));
    if (!bytes) return error(Code::bad_text, f, "a character TIS-620 does not have");
    return put(f, *bytes);
  }

  StatementResult<void> code(const Field& f, std::string_view value) {
    if (!printable_ascii(value)) return error(Code::bad_code, f, "printable ASCII expected");
    return put(f, without_trailing_spaces(value));
  }

  StatementResult<void> spare(const Field& f, std::string_view value) {
    if (value.find_first_of("\r\n") != std::string_view::npos) {
      return error(Code::bad_line_end, f, "a line end inside the field");
    }
    return put(f, without_trailing_spaces(value));
  }

 private:
  StatementError error(Code code, const Field& f, std::string detail) const {
    return make_error(code, line_, f, std::move(detail));
  }

  StatementResult<void> put(const Field& f, std::string_view bytes) {
    if (bytes.size() > f.width) {
      return error(
          Code::too_long, f,
          std::to_string(bytes.size()) + " bytes; the field holds " + std::to_string(f.width));
    }
    record_.replace(f.column - 1, bytes.size(), bytes);
    return {};
  }

  void put_digits(std::size_t at, std::size_t width, std::int64_t value) {
    for (std::size_t i = width; i-- > 0; value /= 10) {
      record_[at + i] = static_cast<char>('0' + value % 10);
    }
  }

  std::string record_;
  std::size_t line_;
};

StatementResult<void> write_key(RecordWriter& w, std::int64_t sequence, const StatementFile& f) {
  PRATU_CHECK(w.number(kSequence, sequence, Code::bad_sequence));
  PRATU_CHECK(w.digits(kBankCode, f.bank_code));
  return w.digits(kCompanyAccount, f.company_account);
}

StatementResult<std::string> write_header(const StatementFile& f, const StatementDay& day,
                                          std::size_t line) {
  RecordWriter w('H', line);
  PRATU_CHECK(write_key(w, day.header_sequence, f));
  PRATU_CHECK(w.text(kCompanyName, day.company_name));
  PRATU_CHECK(w.date(kEffectiveDate, day.effective_date));
  PRATU_CHECK(w.code(kServiceCode, day.service_code));
  PRATU_CHECK(w.spare(kHeaderSpare, day.header_spare));
  return w.record();
}

StatementResult<std::string> write_detail(const StatementFile& f, const StatementLine& l,
                                          std::size_t line) {
  RecordWriter w('D', line);
  PRATU_CHECK(write_key(w, l.sequence, f));
  PRATU_CHECK(w.date(kPaymentDate, l.payment_date));
  PRATU_CHECK(w.time(kPaymentTime, l.payment_time));
  PRATU_CHECK(w.text(kCustomerName, l.customer_name));
  PRATU_CHECK(w.text(kRef1, l.ref1));
  PRATU_CHECK(w.text(kRef2, l.ref2));
  PRATU_CHECK(w.text(kRef3, l.ref3));
  PRATU_CHECK(w.code(kBranch, l.branch));
  PRATU_CHECK(w.code(kTeller, l.teller));
  PRATU_CHECK(w.code(kKind, std::string(1, static_cast<char>(l.kind))));
  PRATU_CHECK(w.code(kTransactionCode, l.transaction_code));
  PRATU_CHECK(w.digits_or_blank(kChequeNumber, l.cheque_number));
  PRATU_CHECK(w.number(kAmount, l.amount_satang, Code::bad_amount));
  PRATU_CHECK(w.digits_or_blank(kChequeBankCode, l.cheque_bank_code));
  PRATU_CHECK(w.spare(kBankTail, l.bank_tail));
  return w.record();
}

StatementResult<std::string> write_trailer(const StatementFile& f, const StatementDay& day,
                                           std::int64_t sequence, std::size_t line) {
  RecordWriter w('T', line);
  PRATU_CHECK(write_key(w, sequence, f));
  PRATU_CHECK(w.number(kDebitTotal, day.debit_total_satang, Code::bad_amount));
  PRATU_CHECK(w.number(kDebitCount, day.debit_count));
  PRATU_CHECK(w.number(kCreditTotal, day.credit_total_satang, Code::bad_amount));
  PRATU_CHECK(w.number(kCreditCount, day.credit_count));
  PRATU_CHECK(w.spare(kTrailerSpare, day.trailer_spare));
  return w.record();
}

std::string_view line_end_bytes(LineEnd line_end) {
  switch (line_end) {
    case LineEnd::none: return "";
    case LineEnd::lf: return "\n";
    case LineEnd::crlf: return "\r\n";
  }
  return "";
}

}  // namespace

std::string_view statement_error_name(StatementErrorCode code) {
  switch (code) {
    case Code::empty_file: return "empty_file";
    case Code::bad_length: return "bad_length";
    case Code::bad_encoding: return "bad_encoding";
    case Code::bad_line_end: return "bad_line_end";
    case Code::bad_record_type: return "bad_record_type";
    case Code::missing_header: return "missing_header";
    case Code::missing_trailer: return "missing_trailer";
    case Code::bad_sequence: return "bad_sequence";
    case Code::bank_mismatch: return "bank_mismatch";
    case Code::account_mismatch: return "account_mismatch";
    case Code::bad_number: return "bad_number";
    case Code::bad_date: return "bad_date";
    case Code::buddhist_era_date: return "buddhist_era_date";
    case Code::bad_time: return "bad_time";
    case Code::bad_text: return "bad_text";
    case Code::bad_code: return "bad_code";
    case Code::bad_reference: return "bad_reference";
    case Code::bad_kind: return "bad_kind";
    case Code::bad_amount: return "bad_amount";
    case Code::too_long: return "too_long";
    case Code::trailer_count_mismatch: return "trailer_count_mismatch";
    case Code::trailer_total_mismatch: return "trailer_total_mismatch";
  }
  return "unknown";
}

Error StatementError::to_error() const {
  std::string key = "payments.statement." + std::string(statement_error_name(code));
  std::string where = "statement file line " + std::to_string(line);
  if (column != 0) where += ", column " + std::to_string(column) + " (" + field + ")";
  Error out = Error::invalid({FieldError{field, key}}, key);
  out.detail = where + ": " + detail;
  return out;
}

void throw_exception_from_error(const StatementError& e, const boost::source_location&) {
  throw std::logic_error("statement file result holds an error: " + e.to_error().detail);
}

std::optional<std::string> tis620_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 3);
  for (unsigned char byte : bytes) {
    const char32_t c = tis620_code_point(byte);
    if (c == 0) return std::nullopt;
    append_utf8(out, c);
  }
  return out;
}

std::optional<std::string> utf8_to_tis620(std::string_view text) {
  if (!is_valid_utf8(text)) return std::nullopt;
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t c = length == 1   ? lead
                 : length == 2 ? lead & 0x1F
                 : length == 3 ? lead & 0x0F
                               : lead & 0x07;
    for (std::size_t i = 1; i < length; ++i) {
      c = (c << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3F);
    }
    const unsigned char byte = tis620_byte(c);
    if (byte == 0) return std::nullopt;
    out.push_back(static_cast<char>(byte));
    at += length;
  }
  return out;
}

StatementResult<StatementFile> parse_statement_file(std::string_view bytes) {
  if (bytes.empty()) return make_error(Code::empty_file, 0, Field{0, 0, "file"}, "no records");
  PRATU_TRY(split, split_records(bytes));
  StatementFile file;
  file.line_end = split.line_end;
  file.ends_with_line_end = split.ends_with_line_end;

  bool in_block = false;
  std::int64_t previous_sequence = 0;
  Sums sums;
  StatementDay day;
  std::size_t line = 0;
  for (const auto record : split.records) {
    const RecordReader r(record, ++line);
    const char type = record[0];
    if (type != 'H' && type != 'D' && type != 'T') {
      return r.error(Code::bad_record_type, kRecordType, "H, D or T expected");
    }
    if (type == 'H' && in_block) {
      return r.error(Code::missing_trailer, kRecordType, "a header before the trailer");
    }
    if (type != 'H' && !in_block) {
      return r.error(Code::missing_header, kRecordType, "a record before any header");
    }

    PRATU_TRY(sequence, r.number(kSequence, Code::bad_sequence));
    // A file's first header is 1; a later one restarts at 1 or continues the numbering.
    const bool sequence_ok = type == 'H'
                                 ? sequence == 1 || (line > 1 && sequence == previous_sequence + 1)
                                 : sequence == previous_sequence + 1;
    if (!sequence_ok) {
      return r.error(
          Code::bad_sequence, kSequence,
          "found " + std::to_string(sequence) + " after " + std::to_string(previous_sequence));
    }
    previous_sequence = sequence;

    if (line == 1) {
      PRATU_TRY(bank_code, r.number(kBankCode));
      PRATU_TRY(account, r.number(kCompanyAccount));
      (void)bank_code;
      (void)account;
      file.bank_code = std::string(r.raw(kBankCode));
      file.company_account = std::string(r.raw(kCompanyAccount));
    } else if (r.raw(kBankCode) != file.bank_code) {
      return r.error(Code::bank_mismatch, kBankCode, "the first header's bank expected");
    } else if (r.raw(kCompanyAccount) != file.company_account) {
      return r.error(Code::account_mismatch, kCompanyAccount,
                     "the first header's account expected");
    }

    if (type == 'H') {
      day = StatementDay{};
      sums = Sums{};
      day.header_sequence = sequence;
      PRATU_TRY(company_name, r.text(kCompanyName));
      day.company_name = std::move(company_name);
      PRATU_TRY(effective_date, r.date(kEffectiveDate));
      day.effective_date = effective_date;
      PRATU_TRY(service_code, r.code(kServiceCode));
      day.service_code = std::move(service_code);
      day.header_spare = r.spare(kHeaderSpare);
      in_block = true;
    } else if (type == 'D') {
      PRATU_TRY(detail, read_detail(r, sequence));
      if (detail.kind == TransactionKind::debit) {
        sums.debit_total = add_capped(sums.debit_total, detail.amount_satang);
        ++sums.debit_count;
      } else {
        sums.credit_total = add_capped(sums.credit_total, detail.amount_satang);
        ++sums.credit_count;
      }
      day.lines.push_back(std::move(detail));
    } else {
      PRATU_CHECK(read_trailer(r, sums, day));
      file.days.push_back(std::move(day));
      in_block = false;
    }
  }
  if (in_block) {
    return make_error(Code::missing_trailer, line, kRecordType, "the file ends inside a block");
  }
  return file;
}

StatementResult<std::string> write_statement_file(const StatementFile& file) {
  if (file.days.empty()) {
    return make_error(Code::empty_file, 0, Field{0, 0, "file"}, "no days to write");
  }
  const auto end = line_end_bytes(file.line_end);
  std::string out;
  std::size_t line = 0;
  const auto append = [&](const std::string& record) {
    if (line > 1) out += end;
    out += record;
  };
  for (const auto& day : file.days) {
    PRATU_TRY(header, write_header(file, day, ++line));
    append(header);
    std::int64_t sequence = day.header_sequence;
    for (const auto& detail : day.lines) {
      PRATU_TRY(record, write_detail(file, detail, ++line));
      append(record);
      sequence = detail.sequence;
    }
    PRATU_TRY(trailer, write_trailer(file, day, sequence + 1, ++line));
    append(trailer);
  }
  if (file.ends_with_line_end) out += end;
  // The reader holds the rules on sequences, dates and totals: what it refuses is not written.
  PRATU_CHECK(parse_statement_file(out));
  return out;
}

void number_and_total(StatementFile& file) {
  const auto add = [](std::int64_t a, std::int64_t b) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
      return b > 0 ? std::numeric_limits<std::int64_t>::max()
                   : std::numeric_limits<std::int64_t>::min();
    return sum;
  };
  for (auto& day : file.days) {
    day.header_sequence = 1;
    day.debit_total_satang = day.credit_total_satang = 0;
    day.debit_count = day.credit_count = 0;
    std::int64_t sequence = 1;
    for (auto& line : day.lines) {
      line.sequence = ++sequence;
      if (line.kind == TransactionKind::debit) {
        day.debit_total_satang = add(day.debit_total_satang, line.amount_satang);
        ++day.debit_count;
      } else {
        day.credit_total_satang = add(day.credit_total_satang, line.amount_satang);
        ++day.credit_count;
      }
    }
  }
}

std::int64_t paid_at_epoch_seconds(const StatementLine& line) {
  const auto days = std::chrono::sys_days(line.payment_date).time_since_epoch().count();
  return days * kSecondsPerDay + line.payment_time.count() - kBangkokOffsetSeconds;
}

}  // namespace pratu::payments
