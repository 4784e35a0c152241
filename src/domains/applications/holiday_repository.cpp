#include "domains/applications/holiday_repository.hpp"

#include <string>
#include <string_view>

#include "common/civil_date.hpp"

namespace pratu::applications::repository {

namespace chr = std::chrono;

namespace {

// Who, as stored: nobody (the holiday file) is NULL.
storage::Value who(std::int64_t user_id) {
  return user_id == 0 ? storage::Value(nullptr) : storage::Value(user_id);
}

// The name shown for the user joined as `u`: their name, else their e-mail.
constexpr std::string_view kChangerName =
    "COALESCE(NULLIF(TRIM(u.given_name || ' ' || u.family_name), ''), u.email, '')";

std::string_view kind_name(HolidayChangeKind kind) {
  switch (kind) {
    case HolidayChangeKind::seeded: return "seeded";
    case HolidayChangeKind::added: return "added";
    case HolidayChangeKind::removed: return "removed";
    case HolidayChangeKind::announced: return "announced";
    case HolidayChangeKind::provisional: return "provisional";
  }
  return "added";
}

HolidayChangeKind kind_of(std::string_view name) {
  if (name == "seeded") return HolidayChangeKind::seeded;
  if (name == "removed") return HolidayChangeKind::removed;
  if (name == "announced") return HolidayChangeKind::announced;
  if (name == "provisional") return HolidayChangeKind::provisional;
  return HolidayChangeKind::added;
}

}  // namespace

Result<bool> add_holiday_year(storage::Connection& c, int year, bool provisional, std::int64_t by,
                              std::int64_t at) {
  PRATU_TRY(added,
            c.execute("INSERT INTO holiday_years (year, provisional, changed_by, changed_at) "
                      "VALUES ($1, $2, $3, $4) ON CONFLICT (year) DO NOTHING",
                      {std::int64_t{year}, std::int64_t{provisional ? 1 : 0}, who(by), at}));
  return added == 1;
}

Result<void> mark_holiday_year(storage::Connection& c, int year, bool provisional, std::int64_t by,
                               std::int64_t at) {
  PRATU_CHECK(
      c.execute("INSERT INTO holiday_years (year, provisional, changed_by, changed_at) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT (year) DO UPDATE SET "
                "provisional = excluded.provisional, changed_by = excluded.changed_by, "
                "changed_at = excluded.changed_at",
                {std::int64_t{year}, std::int64_t{provisional ? 1 : 0}, who(by), at}));
  return ok();
}

Result<bool> add_holiday(storage::Connection& c, const Holiday& holiday) {
  PRATU_TRY(added,
            c.execute("INSERT INTO holidays (day, year, name_th, name_en, changed_by, changed_at) "
                      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (day) DO NOTHING",
                      {iso_date(holiday.date), std::int64_t{static_cast<int>(holiday.date.year())},
                       holiday.name_th, holiday.name_en, who(holiday.changed.user_id),
                       holiday.changed.at}));
  return added == 1;
}

Result<std::optional<Holiday>> remove_holiday(storage::Connection& c, chr::year_month_day day) {
  PRATU_TRY(row, c.query_one("DELETE FROM holidays WHERE day = $1 RETURNING name_th, name_en",
                             {iso_date(day)}));
  if (!row) return std::optional<Holiday>();
  return std::optional<Holiday>(Holiday{day, row->text(0), row->text(1), {}});
}

Result<void> record_holiday_change(storage::Connection& c, const HolidayChange& change) {
  auto text_or_null = [](const std::string& text) {
    return text.empty() ? storage::Value(nullptr) : storage::Value(text);
  };
  PRATU_CHECK(
      c.execute("INSERT INTO holiday_changes (at, changed_by, year, change, day, name_th, name_en) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {change.changed.at, who(change.changed.user_id), std::int64_t{change.year},
                 std::string(kind_name(change.kind)), text_or_null(change.day),
                 text_or_null(change.name_th), text_or_null(change.name_en)}));
  return ok();
}

Result<std::vector<CalendarYear>> holiday_years(storage::Connection& c, int first, int last) {
  PRATU_TRY(years,
            c.query("SELECT y.year, y.provisional, y.changed_by, " + std::string(kChangerName) +
                        ", y.changed_at FROM holiday_years y "
                        "LEFT JOIN users u ON u.id = y.changed_by "
                        "WHERE y.year BETWEEN $1 AND $2 ORDER BY y.year",
                    {std::int64_t{first}, std::int64_t{last}}));
  PRATU_TRY(days, c.query("SELECT h.day, h.name_th, h.name_en, h.changed_by, " +
                              std::string(kChangerName) +
                              ", h.changed_at FROM holidays h "
                              "LEFT JOIN users u ON u.id = h.changed_by "
                              "WHERE h.year BETWEEN $1 AND $2 ORDER BY h.day",
                          {std::int64_t{first}, std::int64_t{last}}));
  std::vector<CalendarYear> out;
  for (const auto& row : years) {
    CalendarYear year;
    year.year = static_cast<int>(row.int64(0));
    year.stored = true;
    year.provisional = row.int64(1) != 0;
    year.changed = {row.int64(2), row.text(3), row.int64(4)};
    out.push_back(std::move(year));
  }
  for (const auto& row : days) {
    const auto date = parse_iso_date(row.text(0));
    if (!date) return Error::internal("holidays: a stored day is not a date");
    for (auto& year : out) {
      if (year.year == static_cast<int>(date->year())) {
        year.holidays.push_back(
            {*date, row.text(1), row.text(2), {row.int64(3), row.text(4), row.int64(5)}});
      }
    }
  }
  return out;
}

Result<std::vector<HolidayChange>> holiday_changes(storage::Connection& c, int first, int last,
                                                   int limit) {
  PRATU_TRY(rows, c.query("SELECT h.change, h.year, h.day, h.name_th, h.name_en, h.changed_by, " +
                              std::string(kChangerName) +
                              ", h.at FROM holiday_changes h "
                              "LEFT JOIN users u ON u.id = h.changed_by "
                              "WHERE h.year BETWEEN $1 AND $2 ORDER BY h.at DESC, h.id DESC "
                              "LIMIT $3",
                          {std::int64_t{first}, std::int64_t{last}, std::int64_t{limit}}));
  std::vector<HolidayChange> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back({kind_of(row.text(0)),
                   static_cast<int>(row.int64(1)),
                   row.text(2),
                   row.text(3),
                   row.text(4),
                   {row.int64(5), row.text(6), row.int64(7)}});
  }
  return out;
}

Result<std::map<int, HolidayYear>> working_day_years(storage::Connection& c) {
  PRATU_TRY(years, c.query("SELECT year, provisional FROM holiday_years ORDER BY year"));
  PRATU_TRY(days, c.query("SELECT day FROM holidays ORDER BY day"));
  std::map<int, HolidayYear> out;
  for (const auto& row : years) {
    out[static_cast<int>(row.int64(0))].provisional = row.int64(1) != 0;
  }
  for (const auto& row : days) {
    const auto date = parse_iso_date(row.text(0));
    if (!date) return Error::internal("holidays: a stored day is not a date");
    auto year = out.find(static_cast<int>(date->year()));
    if (year != out.end()) year->second.holidays.insert(chr::sys_days(*date));
  }
  return out;
}

}  // namespace pratu::applications::repository
