#include "domains/applications/dashboard.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "common/civil_date.hpp"

namespace pratu::applications {

namespace {

// Thailand is UTC+7 all year: its midnight is 17:00 UTC the day before.
constexpr std::int64_t kThaiOffset = 7 * 3600;
constexpr std::int64_t kDay = 24 * 3600;

// The Unix time of midnight in Thailand at the start of `day`.
std::int64_t thai_midnight(std::chrono::year_month_day day) {
  const auto days = std::chrono::sys_days(day).time_since_epoch().count();
  return static_cast<std::int64_t>(days) * kDay - kThaiOffset;
}

// The states of the agency's services' current workflows, open or final, in their order.
struct AgencyStates {
  std::vector<const WorkflowState*> open, final;
};

// SQL for `ids` as a list of parameters appended to `params`: "($2, $3)".
std::string in_list(const std::vector<std::string>& ids, std::vector<storage::Value>& params) {
  std::string sql = "(";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    params.emplace_back(ids[i]);
    sql += (i == 0 ? "$" : ", $") + std::to_string(params.size());
  }
  return sql + ")";
}

// ---- The queries (the same SQL on SQLite and PostgreSQL) ------------------------------------

Result<std::map<std::string, std::int64_t>> count_by_state(storage::Connection& c,
                                                           std::string_view agency) {
  PRATU_TRY(rows, c.query("SELECT state, COUNT(*) FROM applications "
                          "WHERE agency = $1 AND status = 'submitted' GROUP BY state",
                          {std::string(agency)}));
  std::map<std::string, std::int64_t> out;
  for (const auto& row : rows) out[row.text(0)] += row.int64(1);
  return out;
}

// The applications that entered one of `final_states` from `from` until `until`, by state.
Result<std::map<std::string, std::int64_t>> decided_by_state(
    storage::Connection& c, std::string_view agency, const std::vector<std::string>& final_states,
    std::int64_t from, std::int64_t until) {
  std::map<std::string, std::int64_t> out;
  if (final_states.empty()) return out;
  std::vector<storage::Value> params{std::string(agency), from, until};
  const std::string sql =
      "SELECT e.to_state, COUNT(DISTINCT a.id) FROM application_events e "
      "JOIN applications a ON a.id = e.application_id "
      "WHERE a.agency = $1 AND a.status = 'submitted' AND e.kind = 'transition' "
      "AND e.at >= $2 AND e.at < $3 AND e.to_state IN " +
      in_list(final_states, params) + " GROUP BY e.to_state";
  PRATU_TRY(rows, c.query(sql, params));
  for (const auto& row : rows) out[row.text(0)] += row.int64(1);
  return out;
}

// What the overdue applications have in common: submitted, not in a final state, due before
// `today`. Appends its parameters after the agency ($1).
std::string overdue_condition(const std::vector<std::string>& final_states, std::string_view today,
                              std::vector<storage::Value>& params) {
  params.emplace_back(std::string(today));
  std::string sql =
      "a.agency = $1 AND a.status = 'submitted' AND a.due_date IS NOT NULL "
      "AND a.due_date <> '' AND a.due_date < $" +
      std::to_string(params.size());
  if (!final_states.empty()) sql += " AND a.state NOT IN " + in_list(final_states, params);
  return sql;
}

Result<std::int64_t> count_overdue(storage::Connection& c, std::string_view agency,
                                   const std::vector<std::string>& final_states,
                                   std::string_view today) {
  std::vector<storage::Value> params{std::string(agency)};
  const std::string sql =
      "SELECT COUNT(*) FROM applications a WHERE " + overdue_condition(final_states, today, params);
  PRATU_TRY(row, c.query_one(sql, params));
  return row ? row->int64(0) : 0;
}

Result<std::vector<OverdueApplication>> most_overdue(storage::Connection& c,
                                                     std::string_view agency,
                                                     const std::vector<std::string>& final_states,
                                                     std::string_view today, int limit) {
  std::vector<storage::Value> params{std::string(agency)};
  const std::string sql =
      "SELECT a.public_id, a.reference, a.service, a.state, a.due_date, a.assigned_to, "
      "o.given_name, o.family_name FROM applications a "
      "LEFT JOIN users o ON o.id = a.assigned_to WHERE " +
      overdue_condition(final_states, today, params) +
      " ORDER BY a.due_date, a.submitted_at, a.id LIMIT " + std::to_string(limit);
  PRATU_TRY(rows, c.query(sql, params));
  std::vector<OverdueApplication> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    OverdueApplication o;
    o.public_id = row.text(0);
    o.reference = row.text(1);
    o.service = row.text(2);
    o.state = row.text(3);
    o.due_date = row.text(4);
    o.assigned_to = row.int64(5);
    o.assignee = row.text(6) + (row.text(7).empty() ? "" : " " + row.text(7));
    out.push_back(std::move(o));
  }
  return out;
}

// One decision: when its application was submitted and when it entered a final state.
struct Decision {
  std::string service;
  std::int64_t submitted_at = 0;
  std::int64_t decided_at = 0;
};

Result<std::vector<Decision>> decisions(storage::Connection& c, std::string_view agency,
                                        const std::vector<std::string>& final_states,
                                        std::int64_t from, std::int64_t until) {
  std::vector<Decision> out;
  if (final_states.empty()) return out;
  std::vector<storage::Value> params{std::string(agency), from, until};
  const std::string sql =
      "SELECT a.service, a.submitted_at, MIN(e.at) FROM application_events e "
      "JOIN applications a ON a.id = e.application_id "
      "WHERE a.agency = $1 AND a.status = 'submitted' AND e.kind = 'transition' "
      "AND e.at >= $2 AND e.at < $3 AND e.to_state IN " +
      in_list(final_states, params) + " GROUP BY a.id, a.service, a.submitted_at";
  PRATU_TRY(rows, c.query(sql, params));
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back({row.text(0), row.int64(1), row.int64(2)});
  return out;
}

// Submissions from `from` until `until`, by day in Thailand (days since 1970-01-01).
Result<std::map<std::int64_t, std::int64_t>> received_by_day(storage::Connection& c,
                                                             std::string_view agency,
                                                             std::int64_t from,
                                                             std::int64_t until) {
  // Integer division on both engines: the columns are integers.
  const std::string day =
      "(a.submitted_at + " + std::to_string(kThaiOffset) + ") / " + std::to_string(kDay);
  PRATU_TRY(rows, c.query("SELECT " + day +
                              ", COUNT(*) FROM applications a "
                              "WHERE a.agency = $1 AND a.status = 'submitted' "
                              "AND a.submitted_at >= $2 AND a.submitted_at < $3 GROUP BY " +
                              day,
                          {std::string(agency), from, until}));
  std::map<std::int64_t, std::int64_t> out;
  for (const auto& row : rows) out[row.int64(0)] += row.int64(1);
  return out;
}

}  // namespace

std::optional<double> median_of(std::vector<int> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) return static_cast<double>(values[middle]);
  return (static_cast<double>(values[middle - 1]) + static_cast<double>(values[middle])) / 2.0;
}

Dashboard::Dashboard(storage::Database& db, const WorkflowService& workflows,
                     const platform::ServiceDirectory& services, const SharedCalendar& calendar)
    : db_(db), workflows_(workflows), services_(services), calendar_(calendar) {}

Result<DashboardFigures> Dashboard::figures(std::string_view agency,
                                            std::chrono::year_month_day today) {
  using std::chrono::months;
  DashboardFigures f;
  f.today = today;
  f.this_month = today.year() / today.month() / std::chrono::day(1);
  f.last_month = f.this_month - months(1);
  const std::int64_t last_month_from = thai_midnight(f.last_month);
  const std::int64_t this_month_from = thai_midnight(f.this_month);
  const std::int64_t next_month_from = thai_midnight(f.this_month + months(1));
  const auto today_days = std::chrono::sys_days(today);
  const auto first_day = today_days - std::chrono::days(kReceivedDays - 1);
  const std::int64_t received_from = thai_midnight(first_day);
  const std::int64_t received_until = thai_midnight(today_days + std::chrono::days(1));

  // The agency's services with a workflow, and their states (each id once).
  std::vector<const platform::ServiceInfo*> agency_services;
  AgencyStates states;
  std::set<std::string, std::less<>> seen;
  for (const platform::ServiceInfo* info : services_.services()) {
    if (info->agency != agency) continue;
    const auto service_states = workflows_.states_of(info->slug);
    if (service_states.empty()) continue;
    agency_services.push_back(info);
    for (const WorkflowState* s : service_states) {
      if (!seen.insert(s->id).second) continue;
      (s->terminal ? states.final : states.open).push_back(s);
    }
  }
  std::vector<std::string> final_ids;
  for (const WorkflowState* s : states.final) final_ids.push_back(s->id);
  const std::string today_text = iso_date(today);

  struct Read {
    std::map<std::string, std::int64_t> by_state, decided;
    std::int64_t overdue = 0;
    std::vector<OverdueApplication> most_overdue;
    std::vector<Decision> decisions;
    std::map<std::int64_t, std::int64_t> received;
  };
  PRATU_TRY(got, db_.read_value<Read>([&](storage::Connection& c) -> Result<Read> {
    Read r;
    PRATU_TRY(by_state, count_by_state(c, agency));
    r.by_state = std::move(by_state);
    PRATU_TRY(decided, decided_by_state(c, agency, final_ids, this_month_from, next_month_from));
    r.decided = std::move(decided);
    PRATU_TRY(overdue, count_overdue(c, agency, final_ids, today_text));
    r.overdue = overdue;
    PRATU_TRY(listed, most_overdue(c, agency, final_ids, today_text, kMostOverdue));
    r.most_overdue = std::move(listed);
    PRATU_TRY(made, decisions(c, agency, final_ids, last_month_from, next_month_from));
    r.decisions = std::move(made);
    PRATU_TRY(received, received_by_day(c, agency, received_from, received_until));
    r.received = std::move(received);
    return r;
  }));

  for (const WorkflowState* s : states.open) {
    auto it = got.by_state.find(s->id);
    f.open.push_back({s->id, s, it == got.by_state.end() ? 0 : it->second});
  }
  // A state no current workflow knows (an older version's): shown by its id, as still open.
  for (const auto& [id, count] : got.by_state) {
    if (!seen.contains(id)) f.open.push_back({id, nullptr, count});
  }
  for (const WorkflowState* s : states.final) {
    auto it = got.decided.find(s->id);
    f.decided_this_month.push_back({s->id, s, it == got.decided.end() ? 0 : it->second});
  }
  f.overdue = got.overdue;
  f.most_overdue = std::move(got.most_overdue);

  // Working days from the day of submission to the day of decision, in Thailand.
  std::map<std::string, std::pair<std::vector<int>, std::vector<int>>, std::less<>> days;
  for (const Decision& d : got.decisions) {
    const auto counted =
        calendar_.working_days_between(thai_date(d.submitted_at), thai_date(d.decided_at));
    if (!counted) continue;
    auto& [now, before] = days[d.service];
    (d.decided_at >= this_month_from ? now : before).push_back(*counted);
  }
  for (const platform::ServiceInfo* info : agency_services) {
    ServiceMedian m;
    m.service = info->slug;
    if (auto it = days.find(info->slug); it != days.end()) {
      const auto& [now, before] = it->second;
      m.this_month = {median_of(now), static_cast<std::int64_t>(now.size())};
      m.last_month = {median_of(before), static_cast<std::int64_t>(before.size())};
    }
    f.medians.push_back(std::move(m));
  }

  for (auto day = first_day; day <= today_days; day += std::chrono::days(1)) {
    auto it = got.received.find(day.time_since_epoch().count());
    f.received.push_back(
        {std::chrono::year_month_day(day), it == got.received.end() ? 0 : it->second});
  }
  return f;
}

}  // namespace pratu::applications
