#pragma once
/// The government's holiday calendar kept in the database (docs/workflows.md, "Editing the
/// holidays"). The holiday file seeds it: at start, each year of the file the database lacks is
/// copied in, so an administrator's later changes win and survive restarts. An administrator
/// adds and removes holidays of this year and next (in Thailand) and marks either year
/// announced or provisional; each change is one transaction with its record of who and when,
/// and the node that made it replaces the shared calendar at once. Other nodes see it at their
/// next reload (housekeeping, every minute).

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "common/shared_calendar.hpp"
#include "domains/applications/holidays.hpp"
#include "platform/holiday_file.hpp"
#include "storage/database.hpp"

namespace pratu::applications {

/// What the holidays page shows: this year and next, and their latest changes.
struct HolidayEditorView {
  std::vector<CalendarYear> years;     // this year, then next (stored or not)
  std::vector<HolidayChange> changes;  // the latest first, at most kShownChanges
};

class HolidayService {
 public:
  /// How many changes the page lists.
  static constexpr int kShownChanges = 20;

  /// Edits the calendar in `db` and keeps `calendar` (read by the services that count working
  /// days) in step with it.
  HolidayService(storage::Database& db, const Clock& clock, SharedCalendar& calendar);

  /// Copies in each year of `file` the database lacks, with its holidays, then loads the
  /// calendar. Safe on several nodes at once. Returns how many years were copied.
  Result<int> seed(const std::vector<platform::HolidayListYear>& file);
  /// Reads the calendar from the database into the shared one.
  Result<void> reload();

  /// This year and next in Thailand, the years an administrator may edit.
  std::pair<int, int> editable_years() const;
  /// This year and next with their holidays, and the latest changes to them.
  Result<HolidayEditorView> view();

  /// Adds `typed` as user `by` (adding its year, provisional, when the calendar lacks it).
  /// invalid_input with the fields at fault: date (missing, outside this year and next, a
  /// holiday already), name_th and name_en (missing, too long, not plain text on one line).
  Result<Holiday> add(std::int64_t by, const TypedHoliday& typed);
  /// Removes the holiday on `date` (YYYY-MM-DD) as user `by`; invalid_input (field "calendar")
  /// when it is no holiday of this year or next.
  Result<Holiday> remove(std::int64_t by, std::string_view date);
  /// Marks `year` provisional or announced as user `by` (adding it when the calendar lacks
  /// it); invalid_input (field "calendar") unless it is this year or next.
  Result<void> mark_year(std::int64_t by, int year, bool provisional);

 private:
  // Replaces the shared calendar after a change; a failure is logged and left to the next
  // reload, since the change itself is stored.
  void reload_after_change();

  storage::Database& db_;
  const Clock& clock_;
  SharedCalendar& calendar_;
};

}  // namespace pratu::applications
