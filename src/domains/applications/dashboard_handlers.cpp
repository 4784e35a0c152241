#include "domains/applications/dashboard_handlers.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>

#include "common/civil_date.hpp"
#include "web/dates.hpp"
#include "web/svg_chart.hpp"

namespace pratu::applications {

namespace json = boost::json;
using web::ChartData;
using web::Locale;

namespace {

// A date as people read it in `locale` (the Buddhist era in Thai).
std::string date_text(Locale locale, std::chrono::year_month_day day) {
  const auto since = std::chrono::sys_days(day).time_since_epoch();
  return web::format_date(locale, std::chrono::duration_cast<std::chrono::seconds>(since).count());
}

// A due date ("YYYY-MM-DD") as people read it; as stored if it is not one.
std::string date_text(Locale locale, std::string_view iso) {
  auto day = parse_iso_date(iso);
  return day ? date_text(locale, *day) : std::string(iso);
}

// A median: whole days as they are, halves with one decimal ("2.5").
std::string days_text(double days) {
  if (days == std::floor(days)) return std::to_string(static_cast<long long>(days));
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, days, std::chars_format::fixed, 1);
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

std::string state_label(const StateCount& s, Locale locale) {
  return s.definition != nullptr ? s.definition->label.in(locale) : s.state;
}

}  // namespace

Result<web::Response> DashboardHandlers::show(const web::Request& request,
                                              web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  const web::Principal& who = *context.user;
  PRATU_TRY(f, dashboard_.figures(who.agency_code, applications_.today()));
  auto text = [&](std::string_view key) { return t.text(locale, key); };
  auto count_text = [&](std::string_view key, std::int64_t n) {
    return t.format(locale, key, {{"count", std::to_string(n)}});
  };
  auto service_name = [&](const std::string& slug) {
    const auto* info = services_.service(slug);
    return info == nullptr ? slug : (locale == Locale::en ? info->name_en : info->name_th);
  };
  const std::string chart_description = text("dashboard.chart_description");
  const std::string last_month_end = date_text(
      locale,
      std::chrono::year_month_day(std::chrono::sys_days(f.this_month) - std::chrono::days(1)));

  // 1. Applications by state now, and decided this month.
  ChartData states{"dashboard-states",
                   text("dashboard.states.chart_title"),
                   chart_description,
                   text("dashboard.states.none"),
                   {},
                   {}};
  json::array state_rows, decided_rows;
  std::int64_t open_total = 0, decided_total = 0;
  for (const StateCount& s : f.open) {
    const std::string label = state_label(s, locale);
    states.groups.push_back({label, {static_cast<double>(s.count)}, {std::to_string(s.count)}});
    state_rows.push_back(json::object{{"label", label}, {"count", s.count}});
    open_total += s.count;
  }
  // With nothing open, the chart says so rather than drawing empty bars.
  if (open_total == 0) states.groups.clear();
  for (const StateCount& s : f.decided_this_month) {
    decided_rows.push_back(json::object{{"label", state_label(s, locale)}, {"count", s.count}});
    decided_total += s.count;
  }

  // 2. The overdue applications, the most overdue first.
  json::array overdue_rows;
  for (const OverdueApplication& o : f.most_overdue) {
    const WorkflowState* state = nullptr;
    for (const StateCount& s : f.open) {
      if (s.state == o.state) state = s.definition;
    }
    overdue_rows.push_back(json::object{
        {"url", "/agency/applications/" + o.public_id},
        {"reference", o.reference},
        {"service", service_name(o.service)},
        {"status", state != nullptr ? state->label.in(locale) : o.state},
        {"due_date", date_text(locale, o.due_date)},
        {"officer", o.assigned_to != 0 ? o.assignee : text("dashboard.overdue.nobody")}});
  }

  // 3. Median working days from submission to decision, this month against last month.
  const std::string this_month = text("dashboard.this_month");
  const std::string last_month = text("dashboard.last_month");
  ChartData medians{"dashboard-medians",      text("dashboard.medians.chart_title"),
                    chart_description,        text("dashboard.medians.none"),
                    {this_month, last_month}, {}};
  json::array median_rows;
  const std::string no_decisions = text("dashboard.medians.no_decisions");
  auto median_text = [&](const MonthMedian& m) {
    return m.median ? days_text(*m.median) : no_decisions;
  };
  for (const ServiceMedian& m : f.medians) {
    const std::string name = service_name(m.service);
    medians.groups.push_back({name,
                              {m.this_month.median, m.last_month.median},
                              {median_text(m.this_month), median_text(m.last_month)}});
    median_rows.push_back(json::object{{"service", name},
                                       {"this_median", median_text(m.this_month)},
                                       {"this_decided", m.this_month.decided},
                                       {"last_median", median_text(m.last_month)},
                                       {"last_decided", m.last_month.decided}});
  }

  // 4. Applications received on each of the last 30 days.
  const std::string first_day =
      f.received.empty() ? std::string() : date_text(locale, f.received.front().day);
  const std::string today = date_text(locale, f.today);
  ChartData received{
      "dashboard-received",
      t.format(locale, "dashboard.received.chart_title", {{"from", first_day}, {"to", today}}),
      chart_description,
      text("dashboard.received.none"),
      {},
      {}};
  json::array received_rows;
  std::int64_t received_total = 0;
  for (const DayCount& d : f.received) {
    received.groups.push_back({std::to_string(static_cast<unsigned>(d.day.day())),
                               {static_cast<double>(d.count)},
                               {std::to_string(d.count)}});
    received_rows.push_back(json::object{{"date", date_text(locale, d.day)}, {"count", d.count}});
    received_total += d.count;
  }
  if (received_total == 0) received.groups.clear();

  json::object model{
      {"title", text("dashboard.title")},
      {"intro", t.format(locale, "dashboard.intro", {{"today", today}})},
      {"periods", t.format(locale, "dashboard.periods",
                           {{"this_from", date_text(locale, f.this_month)},
                            {"today", today},
                            {"last_from", date_text(locale, f.last_month)},
                            {"last_to", last_month_end}})},
      {"states", json::object{{"svg", web::bar_chart(states)},
                              {"rows", std::move(state_rows)},
                              {"total", count_text("dashboard.states.total", open_total)},
                              {"decided", std::move(decided_rows)},
                              {"decided_total",
                               count_text("dashboard.states.decided_total", decided_total)}}},
      {"overdue",
       json::object{{"count", f.overdue == 0 ? text("dashboard.overdue.none")
                                             : count_text("dashboard.overdue.count", f.overdue)},
                    {"any", f.overdue > 0},
                    {"caption", count_text("dashboard.overdue.caption",
                                           static_cast<std::int64_t>(overdue_rows.size()))},
                    {"rows", std::move(overdue_rows)}}},
      {"medians", json::object{{"svg", web::bar_chart(medians)},
                               {"this_month", this_month},
                               {"last_month", last_month},
                               {"rows", std::move(median_rows)}}},
      {"received", json::object{{"svg", web::column_chart(received)},
                                {"caption", received.title},
                                {"total", count_text("dashboard.received.total", received_total)},
                                {"rows", std::move(received_rows)}}}};
  return renderer_.page(request, context, "applications/dashboard", std::move(model));
}

web::Routes DashboardHandlers::routes() {
  web::Routes r;
  // Names no resource: the supervisor sees their own agency's figures.
  r.push_back(web::route("GET", "/agency/dashboard", web::Access::agency_supervisor,
                         web::Surface::page, "agency_dashboard",
                         web::bound(this, &DashboardHandlers::show)));
  return r;
}

}  // namespace pratu::applications
