#pragma once
/// The figures of an agency's supervisor's dashboard (docs/workflows.md, "The supervisor's
/// dashboard"): applications by state now and decided this month, the overdue ones, the median
/// working days from submission to decision per service this month and last, and the
/// applications received on each of the last 30 days. Plain figures, no words: the page's
/// handler labels them in the reader's language.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/shared_calendar.hpp"
#include "domains/applications/workflow.hpp"
#include "domains/applications/workflow_service.hpp"
#include "platform/service_directory.hpp"
#include "storage/database.hpp"

namespace pratu::applications {

/// How many applications are in one state.
struct StateCount {
  std::string state;                          // the state's id
  const WorkflowState* definition = nullptr;  // in a current workflow; nullptr: unknown there
  std::int64_t count = 0;
};

/// One application past its due date and not decided.
struct OverdueApplication {
  std::string public_id;
  std::string reference;
  std::string service;           // slug
  std::string state;             // the state's id
  std::string due_date;          // YYYY-MM-DD
  std::int64_t assigned_to = 0;  // the officer who has it; 0: nobody
  std::string assignee;          // their name
};

/// The median working days from submission to decision over the decisions of one month.
struct MonthMedian {
  std::optional<double> median;  // nullopt: nothing decided (that could be counted)
  std::int64_t decided = 0;      // the decisions the median is taken over
};

/// One service's medians, this month against last month.
struct ServiceMedian {
  std::string service;  // slug
  MonthMedian this_month, last_month;
};

/// Applications received (submitted) on one day, in Thailand.
struct DayCount {
  std::chrono::year_month_day day;
  std::int64_t count = 0;
};

/// Everything the dashboard shows for one agency on one day.
struct DashboardFigures {
  std::chrono::year_month_day today;
  std::chrono::year_month_day this_month;  // its first day
  std::chrono::year_month_day last_month;  // its first day
  /// The open (not final) states of the agency's services' current workflows, in their
  /// workflows' order, each with the applications in it now (zero included); states no current
  /// workflow knows come last.
  std::vector<StateCount> open;
  /// The final states, with the applications that entered them this month.
  std::vector<StateCount> decided_this_month;
  std::int64_t overdue = 0;
  /// The most overdue first (the earliest due date), at most kMostOverdue.
  std::vector<OverdueApplication> most_overdue;
  /// One per service of the agency with a workflow, in the directory's order.
  std::vector<ServiceMedian> medians;
  /// The last kReceivedDays days, the oldest first, today last.
  std::vector<DayCount> received;
};

class Dashboard {
 public:
  /// How many overdue applications are listed.
  static constexpr int kMostOverdue = 20;
  /// How many days of submissions are counted.
  static constexpr int kReceivedDays = 30;

  /// `calendar` counts working days between submission and decision (days outside the years
  /// it covers are not counted, and such a decision is left out of the medians).
  Dashboard(storage::Database& db, const WorkflowService& workflows,
            const platform::ServiceDirectory& services, const SharedCalendar& calendar);

  /// The figures of `agency` on `today` (the civil date in Thailand).
  Result<DashboardFigures> figures(std::string_view agency, std::chrono::year_month_day today);

 private:
  storage::Database& db_;
  const WorkflowService& workflows_;
  const platform::ServiceDirectory& services_;
  const SharedCalendar& calendar_;
};

/// The median of `values` (the mean of the middle two when there is an even number of them);
/// nullopt when there are none.
std::optional<double> median_of(std::vector<int> values);

}  // namespace pratu::applications
