#include "domains/payments/collections.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "common/civil_date.hpp"

namespace pratu::payments {

namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kThaiOffsetSeconds = 7 * 3600;  // UTC+7, no daylight saving

// The first second of `day` in Thailand.
std::int64_t thai_day_start(year_month_day day) {
  return static_cast<std::int64_t>(sys_days(day).time_since_epoch().count()) * kSecondsPerDay -
         kThaiOffsetSeconds;
}

Error range_error(std::string_view field, const std::string& key, std::string detail) {
  Error error = Error::invalid({FieldError{std::string(field), key}}, key);
  error.detail = std::move(detail);
  return error;
}

}  // namespace

int CollectionRange::days() const {
  return static_cast<int>((sys_days(to) - sys_days(from)).count()) + 1;
}

Result<CollectionRange> collection_range(std::string_view from, std::string_view to,
                                         year_month_day today) {
  year_month_day last = today;
  if (!to.empty()) {
    auto parsed = parse_iso_date(to);
    if (!parsed) return range_error("to", "payments.collections.bad_date", "to is not a date");
    last = *parsed;
  }
  year_month_day first = year_month_day(sys_days(last) - days(kDefaultCollectionDays - 1));
  if (!from.empty()) {
    auto parsed = parse_iso_date(from);
    if (!parsed) return range_error("from", "payments.collections.bad_date", "from is not a date");
    first = *parsed;
  }
  CollectionRange range{first, last};
  if (sys_days(last) < sys_days(first)) {
    return range_error("to", "payments.collections.reversed", "to is before from");
  }
  if (range.days() > kMaxCollectionDays) {
    return range_error("to", "payments.collections.too_long",
                       std::to_string(range.days()) + " days asked");
  }
  return range;
}

Collections summarise_collections(std::string agency, const CollectionRange& range,
                                  std::vector<CollectionDay> rows) {
  Collections out;
  out.agency = std::move(agency);
  out.range = range;
  std::sort(rows.begin(), rows.end(), [](const CollectionDay& a, const CollectionDay& b) {
    return std::tie(a.day, a.service) < std::tie(b.day, b.service);
  });
  const int count = range.days();
  out.days.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    out.days.push_back({iso_date(year_month_day(sys_days(range.from) + days(i))), 0, 0});
  }
  // Both lists are in day order: walk them together.
  auto day = out.days.begin();
  for (const CollectionDay& row : rows) {
    while (day != out.days.end() && day->day < row.day) ++day;
    if (day != out.days.end() && day->day == row.day) {
      day->payments += row.payments;
      day->satang += row.satang;
    }
    out.payments += row.payments;
    out.satang += row.satang;
  }
  out.rows = std::move(rows);
  return out;
}

Result<Collections> read_collections(storage::Database& db, std::string_view agency,
                                     const CollectionRange& range) {
  const std::int64_t start = thai_day_start(range.from);
  const std::int64_t end = thai_day_start(year_month_day(sys_days(range.to) + days(1)));
  std::vector<CollectionDay> rows;
  // The day is counted from the range's first second, never negative, so integer division
  // floors alike on both engines; the sum is cast so PostgreSQL gives a bigint, not a numeric.
  PRATU_CHECK(db.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(found, c.query("SELECT (p.paid_at - $2) / 86400, b.service, COUNT(*), "
                             "CAST(SUM(p.amount_satang) AS BIGINT) "
                             "FROM payments p JOIN bills b ON b.id = p.bill_id "
                             "WHERE b.agency = $1 AND p.paid_at >= $2 AND p.paid_at < $3 "
                             "GROUP BY 1, 2",
                             {std::string(agency), start, end}));
    rows.reserve(found.size());
    for (const storage::Row& r : found) {
      const std::int64_t offset = r.int64(0);
      if (offset < 0 || offset >= range.days()) {
        return Error::internal("collections: a payment outside the range's days");
      }
      rows.push_back({iso_date(year_month_day(sys_days(range.from) + days(offset))), r.text(1),
                      r.int64(2), r.int64(3)});
    }
    return ok();
  }));
  return summarise_collections(std::string(agency), range, std::move(rows));
}

year_month_day CollectionReports::today() const { return thai_date(clock_.now_seconds()); }

Result<Collections> CollectionReports::read(std::string_view agency, std::string_view from,
                                            std::string_view to) const {
  PRATU_TRY(range, collection_range(from, to, today()));
  return read_collections(db_, agency, range);
}

std::string decimal_baht(std::int64_t satang) {
  // Unsigned, so the most negative amount has a magnitude too.
  const std::uint64_t magnitude =
      satang < 0 ? 0 - static_cast<std::uint64_t>(satang) : static_cast<std::uint64_t>(satang);
  const std::uint64_t hundredths = magnitude % 100;
  std::string out = satang < 0 ? "-" : "";
  out += std::to_string(magnitude / 100);
  out += '.';
  out += static_cast<char>('0' + hundredths / 10);
  out += static_cast<char>('0' + hundredths % 10);
  return out;
}

std::string csv_text_field(std::string_view text) {
  std::string value;
  // A spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV injection).
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    value += '\'';
  }
  value += text;
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string collections_csv(const Collections& collections, const ServiceNameOf& name_th) {
  std::string out = "\xEF\xBB\xBF";  // the byte-order mark: Excel then reads UTF-8
  out += "day,service,service_name,payments,amount_baht\r\n";
  for (const CollectionDay& row : collections.rows) {
    out += csv_text_field(row.day);
    out += ',';
    out += csv_text_field(row.service);
    out += ',';
    out += csv_text_field(name_th ? name_th(row.service) : row.service);
    out += ',';
    out += std::to_string(row.payments);
    out += ',';
    out += decimal_baht(row.satang);
    out += "\r\n";
  }
  out += "total,,,";
  out += std::to_string(collections.payments);
  out += ',';
  out += decimal_baht(collections.satang);
  out += "\r\n";
  return out;
}

}  // namespace pratu::payments
