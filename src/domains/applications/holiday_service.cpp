#include "domains/applications/holiday_service.hpp"

#include <string>

#include "common/civil_date.hpp"
#include "common/log.hpp"
#include "common/unicode_text.hpp"
#include "domains/applications/holiday_repository.hpp"

namespace pratu::applications {

namespace {

// Control characters (C0, DEL, C1) and direction marks: a name is plain text on one line.
bool is_plain_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
    char32_t c = length == 1 ? byte : byte & (0x3F >> (length - 1));
    for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || is_bidi_control(c)) return false;
    i += length;
  }
  return true;
}

// The name in NFC, or adds the field's problem to `problems`.
std::string checked_name(std::string_view typed, const std::string& field,
                         std::vector<FieldError>& problems) {
  const std::string prefix = "applications.holidays.errors." + field;
  auto name = nfc_trimmed(typed);
  if (!name || !is_plain_text(*name)) {
    problems.push_back({field, "applications.holidays.errors.name_invalid"});
  } else if (name->empty()) {
    problems.push_back({field, prefix + "_missing"});
  } else if (code_point_count(*name) > kMaxHolidayNameCharacters) {
    problems.push_back({field, prefix + "_too_long"});
  } else {
    return std::move(*name);
  }
  return {};
}

}  // namespace

HolidayService::HolidayService(storage::Database& db, const Clock& clock, SharedCalendar& calendar)
    : db_(db), clock_(clock), calendar_(calendar) {}

Result<int> HolidayService::seed(const std::vector<platform::HolidayListYear>& file) {
  const std::int64_t now = clock_.now_seconds();
  PRATU_TRY(copied, db_.write_value<int>([&](storage::Connection& c) -> Result<int> {
    int years = 0;
    for (const auto& year : file) {
      // A year already here is the administrators' from now on: never touched again.
      PRATU_TRY(added, repository::add_holiday_year(c, year.year, year.provisional, 0, now));
      if (!added) continue;
      ++years;
      for (const auto& h : year.holidays) {
        PRATU_CHECK(
            repository::add_holiday(c, Holiday{h.date, h.name_th, h.name_en, {0, "", now}}));
      }
      PRATU_CHECK(repository::record_holiday_change(
          c, {HolidayChangeKind::seeded, year.year, "", "", "", {0, "", now}}));
    }
    return years;
  }));
  PRATU_CHECK(reload());
  return copied;
}

Result<void> HolidayService::reload() {
  using Years = std::map<int, HolidayYear>;
  PRATU_TRY(years, db_.read_value<Years>(
                       [](storage::Connection& c) { return repository::working_day_years(c); }));
  calendar_.replace(WorkingDayCalendar(std::move(years)));
  return ok();
}

void HolidayService::reload_after_change() {
  if (auto reloaded = reload(); !reloaded) {
    log::warn("holidays: the calendar was not reloaded after a change", {},
              {{"detail", reloaded.error().detail}});
  }
}

std::pair<int, int> HolidayService::editable_years() const {
  const int year = static_cast<int>(thai_date(clock_.now_seconds()).year());
  return {year, year + 1};
}

Result<HolidayEditorView> HolidayService::view() {
  // Plain names: clang 14 lets no lambda capture a structured binding.
  const auto years = editable_years();
  const int first = years.first;
  const int last = years.second;
  return db_.read_value<HolidayEditorView>(
      [&](storage::Connection& c) -> Result<HolidayEditorView> {
        PRATU_TRY(stored, repository::holiday_years(c, first, last));
        PRATU_TRY(changes, repository::holiday_changes(c, first, last, kShownChanges));
        HolidayEditorView view;
        for (int year = first; year <= last; ++year) {
          CalendarYear shown;
          shown.year = year;
          for (auto& s : stored) {
            if (s.year == year) shown = std::move(s);
          }
          view.years.push_back(std::move(shown));
        }
        view.changes = std::move(changes);
        return view;
      });
}

Result<Holiday> HolidayService::add(std::int64_t by, const TypedHoliday& typed) {
  const auto [first, last] = editable_years();
  std::vector<FieldError> problems;
  const auto date = parse_iso_date(typed.date);
  if (typed.date.empty()) {
    problems.push_back({"date", "errors.date.missing"});
  } else if (!date) {
    problems.push_back({"date", "errors.date.not_a_date"});
  } else if (const int year = static_cast<int>(date->year()); year < first || year > last) {
    problems.push_back({"date", "applications.holidays.errors.date_outside"});
  }
  Holiday holiday;
  holiday.name_th = checked_name(typed.name_th, "name_th", problems);
  holiday.name_en = checked_name(typed.name_en, "name_en", problems);
  if (!problems.empty()) return Error::invalid(std::move(problems));
  holiday.date = *date;
  holiday.changed = {by, "", clock_.now_seconds()};
  const int year = static_cast<int>(date->year());
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    // A year new to the calendar is provisional until an administrator announces it.
    PRATU_CHECK(repository::add_holiday_year(c, year, true, by, holiday.changed.at));
    PRATU_TRY(added, repository::add_holiday(c, holiday));
    if (!added) {
      return Error::invalid({{"date", "applications.holidays.errors.date_taken"}});
    }
    return repository::record_holiday_change(
        c, {HolidayChangeKind::added, year, iso_date(holiday.date), holiday.name_th,
            holiday.name_en, holiday.changed});
  });
  if (!written) return written.error();
  reload_after_change();
  return holiday;
}

Result<Holiday> HolidayService::remove(std::int64_t by, std::string_view date) {
  const auto [first, last] = editable_years();
  const auto day = parse_iso_date(date);
  auto unknown = [] {
    return Error::invalid({{"calendar", "applications.holidays.errors.remove_unknown"}});
  };
  if (!day || static_cast<int>(day->year()) < first || static_cast<int>(day->year()) > last) {
    return unknown();
  }
  const std::int64_t now = clock_.now_seconds();
  PRATU_TRY(removed, db_.write_value<Holiday>([&](storage::Connection& c) -> Result<Holiday> {
    PRATU_TRY(gone, repository::remove_holiday(c, *day));
    if (!gone) return unknown();
    gone->changed = {by, "", now};
    PRATU_CHECK(repository::record_holiday_change(
        c, {HolidayChangeKind::removed, static_cast<int>(day->year()), iso_date(*day),
            gone->name_th, gone->name_en, gone->changed}));
    return std::move(*gone);
  }));
  reload_after_change();
  return removed;
}

Result<void> HolidayService::mark_year(std::int64_t by, int year, bool provisional) {
  const auto [first, last] = editable_years();
  if (year < first || year > last) {
    return Error::invalid({{"calendar", "applications.holidays.errors.year_unknown"}});
  }
  const ChangedBy changed{by, "", clock_.now_seconds()};
  auto written = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_CHECK(repository::mark_holiday_year(c, year, provisional, by, changed.at));
    return repository::record_holiday_change(
        c, {provisional ? HolidayChangeKind::provisional : HolidayChangeKind::announced, year, "",
            "", "", changed});
  });
  if (!written) return written.error();
  reload_after_change();
  return ok();
}

}  // namespace pratu::applications
