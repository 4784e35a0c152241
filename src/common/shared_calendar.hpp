#pragma once
/// The working-day calendar every part of a node counts with, replaced as a whole when the
/// holidays change (an administrator's edit, or another node's seen at the next reload). A
/// reader takes the calendar as it is at that moment; a replacement never changes a calendar
/// someone holds.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "common/result.hpp"
#include "common/working_days.hpp"

namespace pratu {

class SharedCalendar {
 public:
  /// An empty calendar: nothing is counted until one replaces it.
  SharedCalendar();
  /// Starts with `calendar`.
  explicit SharedCalendar(WorkingDayCalendar calendar);
  SharedCalendar(const SharedCalendar&) = delete;
  SharedCalendar& operator=(const SharedCalendar&) = delete;

  /// An empty calendar nobody replaces, for a service built without one.
  static const SharedCalendar& none();

  /// The calendar now; it stays as it is for as long as the caller holds it.
  std::shared_ptr<const WorkingDayCalendar> current() const;
  /// Puts `calendar` in the place of the one there; later calls to current() see it.
  void replace(WorkingDayCalendar calendar);

  /// The same as current()->is_working_day(day).
  std::optional<bool> is_working_day(std::chrono::year_month_day day) const {
    return current()->is_working_day(day);
  }
  /// The same as current()->add_working_days(start, n).
  Result<DueDate> add_working_days(std::chrono::year_month_day start, int n) const {
    return current()->add_working_days(start, n);
  }
  /// The same as current()->working_days_between(after, through).
  std::optional<int> working_days_between(std::chrono::year_month_day after,
                                          std::chrono::year_month_day through) const {
    return current()->working_days_between(after, through);
  }

 private:
  mutable std::mutex mutex_;  // held only to copy or swap the pointer
  std::shared_ptr<const WorkingDayCalendar> calendar_;
};

}  // namespace pratu
