#pragma once
/// Daily bill-payment statement files from banks in the common 256-character layout (header H,
/// detail D lines, trailer T; shared/reference/payments.md §1.2–1.4), read and written. Pure:
/// no I/O. The supported format and every check are in docs/statement-files.md.

#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace pratu::payments {

/// Every record is this many bytes, line end not counted.
inline constexpr std::size_t kStatementRecordLength = 256;
/// The largest amount the 13-digit fields hold: 99,999,999,999.99 baht in satang.
inline constexpr std::int64_t kMaxStatementAmount = 9'999'999'999'999;

/// How the records of a file end: banks send all three (payments.md §1.4).
enum class LineEnd { none, lf, crlf };

/// A detail line's kind of transaction (position 153).
enum class TransactionKind : char { credit = 'C', debit = 'D' };

/// One detail (D) record. Text is UTF-8 decoded from TIS-620 (Windows-874); bank-specific parts
/// are the bank's bytes, not decoded. Neither keeps the trailing spaces that pad it.
struct StatementLine {
  std::int64_t sequence = 0;                       // 2–7: the record's number in the file
  std::chrono::year_month_day payment_date{};      // 21–28, Gregorian, Bangkok local date
  std::chrono::seconds payment_time{0};            // 29–34: since local midnight
  std::string customer_name;                       // 35–84: the payer, as the bank wrote it
  std::string ref1;                                // 85–104
  std::string ref2;                                // 105–124
  std::string ref3;                                // 125–144: usually empty
  std::string branch;                              // 145–148
  std::string teller;                              // 149–152
  TransactionKind kind = TransactionKind::credit;  // 153
  std::string transaction_code;                    // 154–156: channel, per bank (§1.5)
  std::string cheque_number;       // 157–163: 7 digits (zeros if no cheque) or empty
  std::int64_t amount_satang = 0;  // 164–176
  std::string cheque_bank_code;    // 177–179: 3 digits or empty
  std::string bank_tail;           // 180–256: bank-specific (§1.3), raw bytes

  bool operator==(const StatementLine&) const = default;
};

/// One H…T block: the payments of one effective date.
struct StatementDay {
  std::int64_t header_sequence = 1;              // H 2–7: 1, or the previous block's T + 1
  std::string company_name;                      // H 21–60
  std::chrono::year_month_day effective_date{};  // H 61–68
  std::string service_code;                      // H 69–76
  std::string header_spare;                      // H 77–256, raw bytes
  std::vector<StatementLine> lines;
  std::int64_t debit_total_satang = 0;   // T 21–33
  std::int64_t debit_count = 0;          // T 34–39
  std::int64_t credit_total_satang = 0;  // T 40–52
  std::int64_t credit_count = 0;         // T 53–58
  std::string trailer_spare;             // T 59–256, raw bytes

  bool operator==(const StatementDay&) const = default;
};

/// A whole file: one or more days of one bank and one biller account.
struct StatementFile {
  std::string bank_code;        // 8–10 of every record: BOT code (§1.5)
  std::string company_account;  // 11–20 of every record: the biller's account
  std::vector<StatementDay> days;
  LineEnd line_end = LineEnd::crlf;
  bool ends_with_line_end = true;  // the last record's line end (not with LineEnd::none)

  bool operator==(const StatementFile&) const = default;
};

/// What was wrong, for the person importing the file (the UI translates the code).
enum class StatementErrorCode {
  empty_file,
  bad_length,         // a record is not 256 bytes
  bad_encoding,       // the file is UTF-8, not TIS-620: 256 characters, more bytes
  bad_line_end,       // CR or LF inside a record, or line ends of two kinds
  bad_record_type,    // not H, D or T
  missing_header,     // a D or T record outside an H…T block
  missing_trailer,    // an H inside a block, or the file ends inside one
  bad_sequence,       // not 6 digits, or not one more than the record before
  bank_mismatch,      // bank code differs from the first header's
  account_mismatch,   // company account differs from the first header's
  bad_number,         // a numeric field holds something other than digits
  bad_date,           // not a real DDMMYYYY date
  buddhist_era_date,  // a year above 2400: B.E. where the layout wants Gregorian
  bad_time,           // not a real HHMMSS time
  bad_text,           // a byte TIS-620 does not define, or a control character
  bad_code,           // a code field holds more than printable ASCII
  bad_reference,      // a reference that is not left-justified
  bad_kind,           // kind of transaction not C or D
  bad_amount,         // an amount that is not 13 digits (or, writing, out of range)
  too_long,           // writing: text longer than its field
  trailer_count_mismatch,
  trailer_total_mismatch,
};

/// The machine name of `code`, as written in this header ("bad_length").
std::string_view statement_error_name(StatementErrorCode code);

/// The first problem found in a file: where it is and what it is. `detail` names what was
/// found for the log; it never holds a name or a reference.
struct StatementError {
  StatementErrorCode code = StatementErrorCode::empty_file;
  std::size_t line = 0;    // 1-based record (line) number; 0 for the file as a whole
  std::size_t column = 0;  // 1-based position of the field in the record; 0 if none
  std::string field;       // the field's name as in StatementLine, StatementDay ("amount")
  std::string detail;

  /// As a pratu::Error: invalid_input with key "payments.statement.<code>" and the field.
  Error to_error() const;
};

/// Called by boost::system::result::value() holding a StatementError: a broken invariant.
[[noreturn]] void throw_exception_from_error(const StatementError& e,
                                             const boost::source_location& loc);

template <class T>
using StatementResult = boost::system::result<T, StatementError>;

/// Reads a statement file's bytes. The file is accepted whole or refused at its first problem.
StatementResult<StatementFile> parse_statement_file(std::string_view bytes);

/// The file's bytes in the same layout, text padded with spaces. Refuses (with the same errors)
/// what parse_statement_file would refuse, so parsing the output gives `file` back, less any
/// trailing spaces of its text; writing what parse_statement_file read gives the bytes read.
StatementResult<std::string> write_statement_file(const StatementFile& file);

/// Numbers each day's records from 1 (H, then its lines) and sets each trailer's counts and
/// totals from its lines, as a bank does before writing a file.
void number_and_total(StatementFile& file);

/// A line's payment time as UTC seconds since the epoch (the file's time is Bangkok, UTC+7).
std::int64_t paid_at_epoch_seconds(const StatementLine& line);

/// UTF-8 of TIS-620 text (with Windows-874's additions); nullopt at a byte neither defines or a
/// control character.
std::optional<std::string> tis620_to_utf8(std::string_view bytes);

/// TIS-620 (Windows-874) bytes of UTF-8 text; nullopt if a character has no TIS-620 byte.
std::optional<std::string> utf8_to_tis620(std::string_view text);

}  // namespace pratu::payments
