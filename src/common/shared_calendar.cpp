#include "common/shared_calendar.hpp"

namespace pratu {

SharedCalendar::SharedCalendar() : calendar_(std::make_shared<const WorkingDayCalendar>()) {}

SharedCalendar::SharedCalendar(WorkingDayCalendar calendar)
    : calendar_(std::make_shared<const WorkingDayCalendar>(std::move(calendar))) {}

const SharedCalendar& SharedCalendar::none() {
  static const SharedCalendar empty;
  return empty;
}

std::shared_ptr<const WorkingDayCalendar> SharedCalendar::current() const {
  std::lock_guard lock(mutex_);
  return calendar_;
}

void SharedCalendar::replace(WorkingDayCalendar calendar) {
  // Built outside the lock; the old calendar is released outside it too, by its last holder.
  auto next = std::make_shared<const WorkingDayCalendar>(std::move(calendar));
  std::lock_guard lock(mutex_);
  calendar_.swap(next);
}

}  // namespace pratu
