#include "domains/payments/collection_handlers.hpp"

#include <boost/json.hpp>

#include "common/civil_date.hpp"
#include "common/money.hpp"
#include "web/components.hpp"
#include "web/dates.hpp"
#include "web/svg_chart.hpp"

namespace pratu::payments {

namespace json = boost::json;
using web::Access;
using web::Locale;

namespace {

// Columns this many or fewer have room for their amount above them; more keep it in the
// column's tooltip (the tables have every figure).
constexpr int kLabelledColumns = 7;
// Up to a month of columns, each is labelled with its day of the month; beyond, only the
// range's first day and the first of each month, as day/month.
constexpr int kDayLabelledColumns = 31;

std::string service_name(const platform::ServiceDirectory& services, std::string_view slug,
                         Locale locale) {
  const platform::ServiceInfo* s = services.service(slug);
  if (s == nullptr) return std::string(slug);
  return locale == Locale::th ? s->name_th : s->name_en;
}

std::string query(const web::Request& request, std::string_view name) {
  return request.query_param(name).value_or("");
}

// The label under the column of `iso` (a day of a range `days` long starting on `first`).
std::string column_label(std::string_view iso, bool first, int days) {
  const auto day = parse_iso_date(iso);
  if (!day) return std::string(iso);
  const unsigned d = static_cast<unsigned>(day->day());
  if (days <= kDayLabelledColumns) return std::to_string(d);
  if (!first && d != 1) return {};
  return std::to_string(d) + "/" + std::to_string(static_cast<unsigned>(day->month()));
}

json::object amount_json(std::int64_t payments, std::int64_t satang) {
  return {{"payments", payments}, {"amount_satang", satang}, {"amount_baht", decimal_baht(satang)}};
}

// The agency's code as it may stand in a file name: letters, digits and hyphens.
std::string file_name_part(std::string_view code) {
  std::string out;
  for (char c : code) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
    out += safe ? c : '_';
  }
  return out;
}

}  // namespace

web::Routes CollectionHandlers::routes() {
  using web::route;
  using web::Surface;
  web::Routes r;
  // The agency's finance side: its finance officers, each their own agency's figures (no resource
  // is named, so no owner lookup: the agency is their own).
  r.push_back(route("GET", "/agency/collections", Access::agency_finance, Surface::page,
                    "agency_collections", web::bound(this, &CollectionHandlers::page)));
  r.push_back(route("GET", "/api/v1/agency/collections", Access::agency_finance, Surface::api,
                    "api_agency_collections", web::bound(this, &CollectionHandlers::api_json)));
  r.push_back(route("GET", "/api/v1/agency/collections.csv", Access::agency_finance, Surface::api,
                    "api_agency_collections_csv", web::bound(this, &CollectionHandlers::api_csv)));
  return r;
}

Result<Collections> CollectionHandlers::read(const web::Request& request,
                                             const web::RequestContext& context) const {
  return reports_.read(context.user->agency_code, query(request, "from"), query(request, "to"));
}

Result<web::Response> CollectionHandlers::page(const web::Request& request,
                                               web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  auto text = [&](std::string_view key) { return t.text(locale, key); };
  auto found = read(request, context);
  if (!found && found.error().code != ErrorCode::invalid_input) return found.error();

  // The form: the range shown, or what was typed when it cannot be read.
  std::string from = query(request, "from"), to = query(request, "to");
  json::array summary;
  std::string from_error, to_error;
  if (!found) {
    for (const FieldError& e : found.error().fields) {
      const std::string message = text(e.message_key);
      summary.push_back(json::object{{"field", e.field}, {"message", message}});
      (e.field == "from" ? from_error : to_error) = message;
    }
  } else {
    from = iso_date(found->range.from);
    to = iso_date(found->range.to);
  }
  const std::string hint = text("payments.collections.date_hint");
  web::TextInputOptions date_options;
  date_options.type = "date";
  date_options.spellcheck = false;
  json::object model{
      {"title", text("payments.collections.title")},
      {"errors", std::move(summary)},
      {"from_input", web::text_input({"from", text("payments.collections.from"), hint, from_error},
                                     from, date_options)},
      {"to_input",
       web::text_input({"to", text("payments.collections.to"), hint, to_error}, to, date_options)}};
  if (!found) {
    return renderer_.page(request, context, "payments/collections", std::move(model), 422);
  }

  const Collections& c = *found;
  const std::string first_day = web::format_day(locale, from);
  const std::string last_day = web::format_day(locale, to);
  const int days = c.range.days();
  web::ChartData chart;
  chart.id = "collections-days";
  chart.title =
      t.format(locale, "payments.collections.chart_title", {{"from", first_day}, {"to", last_day}});
  chart.description = text("payments.collections.chart_description");
  chart.no_data = text("payments.collections.none");
  chart.value_labels = days <= kLabelledColumns;
  json::array day_rows;
  for (std::size_t i = 0; i < c.days.size(); ++i) {
    const CollectionTotal& d = c.days[i];
    const std::string amount = format_baht(d.satang);
    // Heights only: the figures themselves stay whole satang.
    chart.groups.push_back(
        {column_label(d.day, i == 0, days), {static_cast<double>(d.satang) / 100.0}, {amount}});
    day_rows.push_back(json::object{{"date", web::format_day(locale, d.day)},
                                    {"iso", d.day},
                                    {"payments", d.payments},
                                    {"amount", amount}});
  }
  // With no payment at all, the chart says so rather than drawing empty columns.
  if (c.payments == 0) chart.groups.clear();
  json::array service_rows;
  for (const CollectionDay& row : c.rows) {
    service_rows.push_back(json::object{{"date", web::format_day(locale, row.day)},
                                        {"iso", row.day},
                                        {"service", service_name(services_, row.service, locale)},
                                        {"slug", row.service},
                                        {"payments", row.payments},
                                        {"amount", format_baht(row.satang)}});
  }
  const std::string total_amount = format_baht(c.satang);
  model["result"] =
      json::object{{"summary", t.format(locale, "payments.collections.summary",
                                        {{"count", std::to_string(c.payments)},
                                         {"amount", total_amount},
                                         {"from", first_day},
                                         {"to", last_day}})},
                   {"svg", web::column_chart(chart)},
                   {"days_caption", chart.title},
                   {"days", std::move(day_rows)},
                   {"any", !service_rows.empty()},
                   {"services_caption", t.format(locale, "payments.collections.services_caption",
                                                 {{"from", first_day}, {"to", last_day}})},
                   {"services", std::move(service_rows)},
                   {"total_payments", c.payments},
                   {"total_amount", total_amount},
                   {"csv_url", "/api/v1/agency/collections.csv?from=" + from + "&to=" + to}};
  return renderer_.page(request, context, "payments/collections", std::move(model));
}

Result<web::Response> CollectionHandlers::api_json(const web::Request& request,
                                                   web::RequestContext& context) {
  PRATU_TRY(c, read(request, context));
  json::array days, rows;
  for (const CollectionTotal& d : c.days) {
    json::object day = amount_json(d.payments, d.satang);
    day["day"] = d.day;
    days.push_back(std::move(day));
  }
  for (const CollectionDay& r : c.rows) {
    json::object row = amount_json(r.payments, r.satang);
    row["day"] = r.day;
    row["service"] = r.service;
    rows.push_back(std::move(row));
  }
  json::object out{{"agency", c.agency},         {"from", iso_date(c.range.from)},
                   {"to", iso_date(c.range.to)}, {"total", amount_json(c.payments, c.satang)},
                   {"days", std::move(days)},    {"rows", std::move(rows)}};
  return web::Response::json(json::serialize(out));
}

Result<web::Response> CollectionHandlers::api_csv(const web::Request& request,
                                                  web::RequestContext& context) {
  PRATU_TRY(c, read(request, context));
  // The file is for the agency's records: service names in Thai, whatever the page's language.
  web::Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = collections_csv(
      c, [&](std::string_view slug) { return service_name(services_, slug, Locale::th); });
  response.set_header("Content-Disposition",
                      "attachment; filename=\"collections-" + file_name_part(c.agency) + "-" +
                          iso_date(c.range.from) + "-" + iso_date(c.range.to) + ".csv\"");
  return response;
}

}  // namespace pratu::payments
