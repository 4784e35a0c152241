#pragma once
/// The government's holiday calendar as an administrator edits it (docs/workflows.md, "Editing
/// the holidays"): the years it covers, each provisional until announced, their holidays with
/// both names, and every change with who made it and when. Plain types, no I/O.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pratu::applications {

/// The longest name of a holiday, in characters, in either language.
inline constexpr std::size_t kMaxHolidayNameCharacters = 100;

/// Who changed something and when; nobody (0) when it was copied from the holiday file.
struct ChangedBy {
  std::int64_t user_id = 0;
  std::string name;  // their name, or their e-mail when they have none; "" for the file
  std::int64_t at = 0;
};

/// One holiday of the calendar.
struct Holiday {
  std::chrono::year_month_day date;
  std::string name_th;
  std::string name_en;
  ChangedBy changed;
};

/// One year of the calendar.
struct CalendarYear {
  int year = 0;
  bool stored = false;            // false: not in the calendar, so no deadline is counted into it
  bool provisional = true;        // not yet announced
  ChangedBy changed;              // who last marked it, or copied it in
  std::vector<Holiday> holidays;  // by date
};

/// What a change did.
enum class HolidayChangeKind { seeded, added, removed, announced, provisional };

/// One recorded change.
struct HolidayChange {
  HolidayChangeKind kind = HolidayChangeKind::added;
  int year = 0;
  std::string day;  // YYYY-MM-DD: the holiday added or removed; "" for a year's change
  std::string name_th;
  std::string name_en;
  ChangedBy changed;
};

/// A holiday as an administrator typed it, before it is checked.
struct TypedHoliday {
  std::string date;  // YYYY-MM-DD from the date input; "" when it named no date
  std::string name_th;
  std::string name_en;
};

}  // namespace pratu::applications
