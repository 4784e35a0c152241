#include "domains/applications/holiday_handlers.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "common/civil_date.hpp"
#include "common/log.hpp"
#include "web/dates.hpp"
#include "web/form.hpp"

namespace pratu::applications {

namespace json = boost::json;
using web::Locale;

namespace {

constexpr std::string_view kPath = "/admin/holidays";
constexpr std::string_view kRemovePath = "/admin/holidays/remove";
constexpr std::string_view kYearPath = "/admin/holidays/year";
// Three short fields and the token: far less than this.
constexpr std::size_t kBodyLimit = 16 * 1024;
constexpr int kBuddhistEraOffset = 543;

// A year as people read it: the Buddhist era in Thai.
std::string year_text(Locale locale, int year) {
  return std::to_string(locale == Locale::th ? year + kBuddhistEraOffset : year);
}

// A date as people read it in `locale` (the Buddhist era in Thai).
std::string date_text(Locale locale, std::chrono::year_month_day day) {
  const auto since = std::chrono::sys_days(day).time_since_epoch();
  return web::format_date(locale, std::chrono::duration_cast<std::chrono::seconds>(since).count());
}

std::string_view change_key(HolidayChangeKind kind) {
  switch (kind) {
    case HolidayChangeKind::seeded: return "applications.holidays.changes.seeded";
    case HolidayChangeKind::added: return "applications.holidays.changes.added";
    case HolidayChangeKind::removed: return "applications.holidays.changes.removed";
    case HolidayChangeKind::announced: return "applications.holidays.changes.announced";
    case HolidayChangeKind::provisional: return "applications.holidays.changes.provisional";
  }
  return "applications.holidays.changes.added";
}

// The banner after a change, by the page's ?done=.
std::string_view done_key(std::string_view done) {
  if (done == "added") return "applications.holidays.done.added";
  if (done == "removed") return "applications.holidays.done.removed";
  if (done == "year") return "applications.holidays.done.year";
  return {};
}

}  // namespace

HolidayHandlers::HolidayHandlers(HolidayService& holidays, const web::Renderer& renderer)
    : holidays_(holidays), renderer_(renderer) {}

Result<web::Response> HolidayHandlers::render(const web::Request& request,
                                              web::RequestContext& context,
                                              const web::DateParts& date, const TypedHoliday& typed,
                                              const std::vector<FieldError>& errors, int status,
                                              const std::string& summary_only) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  PRATU_TRY(view, holidays_.view());
  const auto editable = holidays_.editable_years();
  const int this_year = editable.first;
  const int next_year = editable.second;
  auto text = [&](std::string_view key) { return t.text(locale, key); };
  auto say = [&](std::string_view key) {
    return t.format(locale, key,
                    {{"max", std::to_string(kMaxHolidayNameCharacters)},
                     {"this_year", year_text(locale, this_year)},
                     {"next_year", year_text(locale, next_year)}});
  };
  auto from_file = [](const ChangedBy& changed) {
    return changed.user_id == 0 && changed.name.empty();
  };
  auto who = [&](const ChangedBy& changed) {
    return from_file(changed)     ? text("applications.holidays.from_file")
           : changed.name.empty() ? text("applications.holidays.someone")
                                  : changed.name;
  };
  // A holiday's last change: the file's are all as old as the calendar, so only say so.
  auto changed_text = [&](const ChangedBy& changed, std::string_view key) {
    if (key.empty() && from_file(changed)) return who(changed);
    return t.format(locale, key.empty() ? "applications.holidays.changed" : key,
                    {{"who", who(changed)}, {"when", web::format_date_time(locale, changed.at)}});
  };

  json::array summary;
  json::object inline_errors;
  for (const auto& e : errors) {
    std::string message = say(e.message_key);
    summary.push_back(json::object{{"field", e.field}, {"message", message}});
    if (!inline_errors.contains(e.field)) inline_errors[e.field] = message;
  }
  if (!summary_only.empty()) {
    summary.push_back(json::object{{"field", "name_th"}, {"message", summary_only}});
  }
  auto inline_error = [&](std::string_view field) {
    const auto* e = inline_errors.if_contains(field);
    return e == nullptr ? std::string() : std::string(e->get_string());
  };

  json::array years;
  for (const CalendarYear& year : view.years) {
    const std::string shown_year = year_text(locale, year.year);
    json::array holidays;
    for (const Holiday& h : year.holidays) {
      const std::string when = date_text(locale, h.date);
      holidays.push_back(json::object{
          {"date", when},
          {"iso", iso_date(h.date)},
          {"name_th", h.name_th},
          {"name_en", h.name_en},
          {"changed", changed_text(h.changed, {})},
          {"remove_what",
           t.format(locale, "applications.holidays.remove_what",
                    {{"name", locale == Locale::th ? h.name_th : h.name_en}, {"date", when}})}});
    }
    const bool announced = year.stored && !year.provisional;
    json::object y{
        {"id", "year-" + std::to_string(year.year)},
        {"heading", t.format(locale, "applications.holidays.year_heading", {{"year", shown_year}})},
        {"caption", t.format(locale, "applications.holidays.caption", {{"year", shown_year}})},
        {"status", text(!year.stored ? "applications.holidays.status.absent"
                        : announced  ? "applications.holidays.status.announced"
                                     : "applications.holidays.status.provisional")},
        {"announced", announced},
        {"has_holidays", !holidays.empty()},
        {"holidays", std::move(holidays)},
        {"count", t.format(locale, "applications.holidays.count",
                           {{"count", std::to_string(year.holidays.size())}})},
        {"year", year.year},
        {"mark_provisional", announced ? "1" : "0"},
        {"mark_label", t.format(locale,
                                announced ? "applications.holidays.mark_provisional"
                                          : "applications.holidays.mark_announced",
                                {{"year", shown_year}})}};
    if (year.stored) {
      y["changed"] = changed_text(year.changed, from_file(year.changed)
                                                    ? "applications.holidays.year_from_file"
                                                    : "applications.holidays.year_changed");
    }
    years.push_back(std::move(y));
  }

  json::array changes;
  for (const HolidayChange& c : view.changes) {
    const auto day = parse_iso_date(c.day);
    changes.push_back(
        json::object{{"when", web::format_date_time(locale, c.changed.at)},
                     {"who", who(c.changed)},
                     {"what", t.format(locale, change_key(c.kind),
                                       {{"year", year_text(locale, c.year)},
                                        {"date", day ? date_text(locale, *day) : c.day},
                                        {"name", locale == Locale::th ? c.name_th : c.name_en}})}});
  }

  const web::DateLabels labels{text("components.date.day"), text("components.date.month"),
                               text("components.date.year")};
  json::object model{
      {"title", text("applications.holidays.title")},
      {"intro", say("applications.holidays.intro")},
      {"errors", std::move(summary)},
      {"years", std::move(years)},
      {"has_changes", !changes.empty()},
      {"changes", std::move(changes)},
      {"action", kPath},
      {"remove_action", kRemovePath},
      {"year_action", kYearPath},
      {"date", web::date_input({"date", text("applications.holidays.form.date"),
                                say("applications.holidays.form.date_hint"), inline_error("date")},
                               date, labels)},
      {"name_th", web::text_input({"name_th", text("applications.holidays.form.name_th"), "",
                                   inline_error("name_th")},
                                  typed.name_th)},
      {"name_en", web::text_input({"name_en", text("applications.holidays.form.name_en"), "",
                                   inline_error("name_en")},
                                  typed.name_en)}};
  if (status == 200) {
    if (auto key = done_key(request.query_param("done").value_or("")); !key.empty()) {
      model["banner"] = web::notification_banner(web::BannerKind::success,
                                                 text("components.banner.success"), text(key));
    }
  }
  return renderer_.page(request, context, "applications/holidays", std::move(model), status);
}

Result<web::Response> HolidayHandlers::show(const web::Request& request,
                                            web::RequestContext& context) {
  return render(request, context, {}, {}, {}, 200);
}

Result<web::Response> HolidayHandlers::add(const web::Request& request,
                                           web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const web::DateParts parts = web::date_parts(form->fields(), "date");
  auto date = web::parse_date(parts, context.locale, "date");
  const TypedHoliday typed{date ? *date : std::string(), form->value("name_th"),
                           form->value("name_en")};
  auto added = holidays_.add(context.user->user_id, typed);
  if (added) {
    log::info("holiday added", context.request_id);
    return web::Response::redirect(std::string(kPath) + "?done=added");
  }
  if (added.error().code != ErrorCode::invalid_input) return added.error();
  std::vector<FieldError> errors;
  // What the date input found wrong says more than the service's "no date".
  if (!date) errors = date.error().fields;
  for (const auto& e : added.error().fields) {
    if (date || e.field != "date") errors.push_back(e);
  }
  return render(request, context, parts, typed, errors, 422);
}

Result<web::Response> HolidayHandlers::add_again(const web::Request& request,
                                                 web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const TypedHoliday typed{{}, form->value("name_th"), form->value("name_en")};
  return render(
      request, context, web::date_parts(form->fields(), "date"), typed, {}, 403,
      renderer_.translations().text(context.locale, "applications.holidays.errors.expired"));
}

Result<web::Response> HolidayHandlers::remove(const web::Request& request,
                                              web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  auto removed = holidays_.remove(context.user->user_id, form->value("date"));
  if (removed) {
    log::info("holiday removed", context.request_id);
    return web::Response::redirect(std::string(kPath) + "?done=removed");
  }
  if (removed.error().code != ErrorCode::invalid_input) return removed.error();
  return render(request, context, {}, {}, removed.error().fields, 422);
}

Result<web::Response> HolidayHandlers::mark_year(const web::Request& request,
                                                 web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  const std::string year_typed = form->value("year");
  const std::string provisional = form->value("provisional");
  int year = 0;
  auto [end, ec] = std::from_chars(year_typed.data(), year_typed.data() + year_typed.size(), year);
  Result<void> marked = Error::invalid({{"calendar", "applications.holidays.errors.year_unknown"}});
  if (ec == std::errc() && end == year_typed.data() + year_typed.size() &&
      (provisional == "0" || provisional == "1")) {
    marked = holidays_.mark_year(context.user->user_id, year, provisional == "1");
  }
  if (marked) {
    log::info("holiday year marked", context.request_id);
    return web::Response::redirect(std::string(kPath) + "?done=year");
  }
  if (marked.error().code != ErrorCode::invalid_input) return marked.error();
  return render(request, context, {}, {}, marked.error().fields, 422);
}

web::Routes HolidayHandlers::routes() {
  using web::Access;
  web::Routes r;
  auto route =
      [&](std::string_view method, std::string_view pattern, std::string_view name, auto member) {
    r.push_back(web::route(std::string(method), std::string(pattern), Access::admin,
                           web::Surface::page, std::string(name), web::bound(this, member)));
    if (r.back().method == "POST") r.back().body_limit = kBodyLimit;
  };
  route("GET", kPath, "admin_holidays", &HolidayHandlers::show);
  route("POST", kPath, "admin_holidays_add", &HolidayHandlers::add);
  r.back().expired = web::bound(this, &HolidayHandlers::add_again);
  route("POST", kRemovePath, "admin_holidays_remove", &HolidayHandlers::remove);
  route("POST", kYearPath, "admin_holidays_year", &HolidayHandlers::mark_year);
  return r;
}

}  // namespace pratu::applications
