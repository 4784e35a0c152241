#pragma once
/// What an agency collected, day by day and service by service (docs/payments.md): the
/// payments of its bills, each counted on the day in Thailand (UTC+7) it was paid, over a range
/// of at most 366 days; and the same figures as CSV for a spreadsheet. Amounts are whole
/// satang, never floating point.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::payments {

/// The most days one range may cover: a year, leap day included.
inline constexpr int kMaxCollectionDays = 366;
/// The days a range covers when the request names neither end: the last 30, today included.
inline constexpr int kDefaultCollectionDays = 30;

/// Days in Thailand, both ends included.
struct CollectionRange {
  std::chrono::year_month_day from;
  std::chrono::year_month_day to;
  /// How many days the range covers (1 when from is to).
  int days() const;
};

/// The range from `from` to `to` (each "YYYY-MM-DD", a day in Thailand). An empty `to` is
/// `today`, an empty `from` the 30th day up to `to`. Fails with invalid_input, the field named,
/// and the message key as the problem's code: payments.collections.bad_date (not a date),
/// payments.collections.reversed (to before from), payments.collections.too_long (more than
/// 366 days).
Result<CollectionRange> collection_range(std::string_view from, std::string_view to,
                                         std::chrono::year_month_day today);

/// What one service collected on one day.
struct CollectionDay {
  std::string day;      // YYYY-MM-DD, the day in Thailand
  std::string service;  // the service's slug
  std::int64_t payments = 0;
  std::int64_t satang = 0;
};

/// What all the agency's services collected on one day.
struct CollectionTotal {
  std::string day;  // YYYY-MM-DD, the day in Thailand
  std::int64_t payments = 0;
  std::int64_t satang = 0;
};

/// An agency's collections over a range.
struct Collections {
  std::string agency;
  CollectionRange range;
  std::vector<CollectionDay> rows;    // a day and service with payments: by day, then service
  std::vector<CollectionTotal> days;  // every day of the range; a day without payments at zero
  std::int64_t payments = 0;          // over the whole range
  std::int64_t satang = 0;
};

/// `rows` (by day, then service) with the totals per day of `range` and over it.
Collections summarise_collections(std::string agency, const CollectionRange& range,
                                  std::vector<CollectionDay> rows);

/// Reads `agency`'s collections over `range` in one read transaction: the payments of its
/// bills whose paid_at falls in the range's days in Thailand, grouped by day and service.
Result<Collections> read_collections(storage::Database& db, std::string_view agency,
                                     const CollectionRange& range);

/// Reads collections for the agencies' finance officers, with today taken from the clock.
class CollectionReports {
 public:
  CollectionReports(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  /// Today in Thailand.
  std::chrono::year_month_day today() const;
  /// `agency`'s collections from `from` to `to` as collection_range reads them.
  Result<Collections> read(std::string_view agency, std::string_view from,
                           std::string_view to) const;

 private:
  storage::Database& db_;
  const Clock& clock_;
};

/// Baht with two decimals and no separators, for machines: 150000 → "1500.00".
std::string decimal_baht(std::int64_t satang);

/// One CSV field (RFC 4180) that a spreadsheet shows as text and never runs: a leading
/// apostrophe when it starts with = + - @, a tab or a carriage return (formula injection);
/// quoted, with quotes doubled, when it holds a comma, a quote or a line break.
std::string csv_text_field(std::string_view text);

/// A service's name in Thai from its slug (the slug itself when the catalogue has none).
using ServiceNameOf = std::function<std::string(std::string_view slug)>;

/// `collections` as CSV (RFC 4180, CRLF line ends) in UTF-8 with a byte-order mark, so Excel
/// reads the Thai names: a header row (day, service, service_name, payments, amount_baht), a
/// row per day and service, and a last row "total" with the range's count and amount.
std::string collections_csv(const Collections& collections, const ServiceNameOf& name_th);

}  // namespace pratu::payments
