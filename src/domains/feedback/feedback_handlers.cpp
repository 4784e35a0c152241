#include "domains/feedback/feedback_handlers.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>

#include "common/log.hpp"
#include "web/components.hpp"
#include "web/dates.hpp"
#include "web/form.hpp"
#include "web/route.hpp"

namespace pratu::feedback {

namespace json = boost::json;
using web::Locale;

namespace {

constexpr std::string_view kFormPath = "/feedback";
constexpr std::string_view kThanksPath = "/feedback/thanks";
constexpr std::string_view kCommentsPath = "/feedback/comments";
// The highest comments page read; past the last comment a page is empty anyway.
constexpr int kMaxCommentsPage = 100000;

std::string rating_label(const web::Translations& t, Locale locale, int rating) {
  return t.text(locale, rating_key(rating));
}

// A mean to one decimal place, as people read it ("4.3").
std::string one_decimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

int retry_minutes(int retry_after_seconds) { return std::max(1, (retry_after_seconds + 59) / 60); }

// One period's totals as JSON. Written by hand: Boost.JSON writes 3.75 as 3.75E0, and the
// text holds only numbers, so nothing needs escaping.
std::string totals_json(const RatingTotals& totals, std::string_view since = {}) {
  std::string out = "{";
  if (!since.empty()) out += "\"since\":\"" + std::string(since) + "\",";
  out += "\"count\":" + std::to_string(totals.count()) + ",\"average\":";
  if (auto average = totals.average()) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", *average);
    out += text;
  } else {
    out += "null";
  }
  out += ",\"ratings\":[";
  for (int r = kMinRating; r <= kMaxRating; ++r) {
    if (r > kMinRating) out += ",";
    out += "{\"rating\":" + std::to_string(r) +
           ",\"count\":" + std::to_string(totals.per_rating[r - 1]) + "}";
  }
  return out + "]}";
}

}  // namespace

FeedbackHandlers::FeedbackHandlers(FeedbackService& service, const web::Renderer& renderer)
    : service_(service), renderer_(renderer) {}

web::Response FeedbackHandlers::render_form(const web::Request& request,
                                            web::RequestContext& context,
                                            const TypedFeedback& typed,
                                            const std::vector<FieldError>& errors, int status,
                                            const std::string& summary_only) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  const std::string max = std::to_string(service_.settings().comment_max_length);
  // Messages may name the longest comment; a message without {max} is left as it is.
  json::array summary;
  json::object inline_errors;
  for (const auto& e : errors) {
    std::string message = t.format(locale, e.message_key, {{"max", max}});
    summary.push_back(json::object{{"field", e.field}, {"message", message}});
    if (!inline_errors.contains(e.field)) inline_errors[e.field] = message;
  }
  if (!summary_only.empty()) {
    summary.push_back(json::object{{"field", "rating"}, {"message", summary_only}});
  }
  auto inline_error = [&](std::string_view field) {
    const auto* e = inline_errors.if_contains(field);
    return e == nullptr ? std::string() : std::string(e->get_string());
  };

  std::vector<web::Choice> choices;
  for (int r = kMinRating; r <= kMaxRating; ++r) {
    choices.push_back({std::to_string(r), rating_label(t, locale, r), ""});
  }
  json::object model{{"title", t.text(locale, "feedback.form.title")},
                     {"errors", std::move(summary)}};
  model["rating"] = web::radios(
      {"rating", t.text(locale, "feedback.form.rating_label"), "", inline_error("rating")}, choices,
      typed.rating);
  model["comment"] = web::textarea(
      {"comment", t.text(locale, "feedback.form.comment_label"),
       t.format(locale, "feedback.form.comment_hint", {{"max", max}}), inline_error("comment")},
      typed.comment, 6);
  return renderer_.page(request, context, "feedback/form", std::move(model), status);
}

Result<web::Response> FeedbackHandlers::form(const web::Request& request,
                                             web::RequestContext& context) {
  return render_form(request, context, {}, {}, 200);
}

Result<web::Response> FeedbackHandlers::submit(const web::Request& request,
                                               web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  TypedFeedback typed{form->value("rating"), form->value("comment")};
  auto submitted = service_.submit(typed, request.remote_address);
  if (!submitted) {
    const Error& e = submitted.error();
    if (e.code == ErrorCode::invalid_input) {
      return render_form(request, context, typed, e.fields, 422);
    }
    if (e.code == ErrorCode::rate_limited) {
      // No address in the log: the hour's limit is enough to follow a flood.
      log::warn("feedback throttled", context.request_id);
      const int minutes = retry_minutes(e.retry_after_seconds);
      const std::string key = e.message_key + (minutes == 1 ? "_one" : "");
      auto response = render_form(request, context, typed, {}, 429,
                                  renderer_.translations().format(
                                      context.locale, key, {{"minutes", std::to_string(minutes)}}));
      response.set_header("Retry-After", std::to_string(e.retry_after_seconds));
      return response;
    }
    return e;
  }
  return web::Response::redirect(std::string(kThanksPath));
}

Result<web::Response> FeedbackHandlers::form_again(const web::Request& request,
                                                   web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  TypedFeedback typed{form->value("rating"), form->value("comment")};
  return render_form(request, context, typed, {}, 403,
                     renderer_.translations().text(context.locale, "feedback.errors.expired"));
}

Result<web::Response> FeedbackHandlers::thanks(const web::Request& request,
                                               web::RequestContext& context) {
  json::object model{
      {"title", renderer_.translations().text(context.locale, "feedback.thanks.title")}};
  return renderer_.page(request, context, "feedback/thanks", std::move(model));
}

Result<web::Response> FeedbackHandlers::statistics(const web::Request& request,
                                                   web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  PRATU_TRY(stats, service_.statistics());
  json::array rows;
  for (int r = kMaxRating; r >= kMinRating; --r) {
    rows.push_back(json::object{{"label", rating_label(t, locale, r)},
                                {"rating", r},
                                {"this_month", stats.this_month.per_rating[r - 1]},
                                {"all_time", stats.all_time.per_rating[r - 1]}});
  }
  auto average = [&](const RatingTotals& totals) {
    auto mean = totals.average();
    return mean ? t.format(locale, "feedback.statistics.average_value",
                           {{"average", one_decimal(*mean)}})
                : t.text(locale, "feedback.statistics.no_ratings");
  };
  json::object model{{"title", t.text(locale, "feedback.statistics.title")},
                     {"since", t.format(locale, "feedback.statistics.this_month_since",
                                        {{"date", web::format_date(locale, stats.month_start)}})},
                     {"rows", std::move(rows)},
                     {"count_this_month", stats.this_month.count()},
                     {"count_all_time", stats.all_time.count()},
                     {"average_this_month", average(stats.this_month)},
                     {"average_all_time", average(stats.all_time)}};
  return renderer_.page(request, context, "feedback/statistics", std::move(model));
}

Result<web::Response> FeedbackHandlers::api_statistics(const web::Request&, web::RequestContext&) {
  PRATU_TRY(stats, service_.statistics());
  return web::Response::json(
      "{\"this_month\":" + totals_json(stats.this_month, web::iso_date_time(stats.month_start)) +
      ",\"all_time\":" + totals_json(stats.all_time) + "}");
}

Result<web::Response> FeedbackHandlers::comments(const web::Request& request,
                                                 web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  const auto page_number = web::page_param(request, kMaxCommentsPage);
  if (!page_number) return renderer_.error_page(request, context, 400);
  PRATU_TRY(page, service_.comments(*page_number));
  json::array items;
  for (const auto& c : page.comments) {
    items.push_back(json::object{{"date", web::format_date_time(locale, c.created_at)},
                                 {"rating", rating_label(t, locale, c.rating)},
                                 {"comment", c.comment}});
  }
  json::object model{{"title", t.text(locale, "feedback.comments.title")},
                     {"has_comments", !items.empty()},
                     {"comments", std::move(items)},
                     {"total", t.format(locale, "feedback.comments.total",
                                        {{"count", std::to_string(page.total)}})}};
  const int pages = page.page_count();
  if (pages > 1) {
    json::object pagination{{"status", t.format(locale, "feedback.comments.page_status",
                                                {{"page", std::to_string(page.page)},
                                                 {"pages", std::to_string(pages)}})}};
    auto url = [](int n) { return std::string(kCommentsPath) + "?page=" + std::to_string(n); };
    if (page.page > 1) pagination["previous_url"] = url(std::min(page.page - 1, pages));
    if (page.page < pages) pagination["next_url"] = url(page.page + 1);
    model["pagination"] = std::move(pagination);
  }
  return renderer_.page(request, context, "feedback/comments", std::move(model));
}

web::Routes FeedbackHandlers::routes() {
  using web::Access;
  auto bind = [this](auto method) { return web::bound(this, method); };
  using web::route;
  web::Routes r;
  auto form = route("GET", std::string(kFormPath), Access::anyone, web::Surface::page,
                    "feedback_form", bind(&FeedbackHandlers::form));
  form.forms = web::Forms::anonymous;
  r.push_back(std::move(form));
  auto submit = route("POST", std::string(kFormPath), Access::anyone, web::Surface::page,
                      "feedback_submit", bind(&FeedbackHandlers::submit));
  submit.forms = web::Forms::anonymous;
  // Room for the longest comment in 4-byte characters, each percent-encoded (12 bytes), and
  // the rest of the form. Set explicitly: the app takes 0 as no body at all.
  submit.body_limit = static_cast<std::size_t>(service_.settings().comment_max_length) * 12 + 4096;
  submit.expired = bind(&FeedbackHandlers::form_again);
  r.push_back(std::move(submit));
  r.push_back(route("GET", std::string(kThanksPath), Access::anyone, web::Surface::page,
                    "feedback_thanks", bind(&FeedbackHandlers::thanks)));
  r.push_back(route("GET", "/feedback/statistics", Access::anyone, web::Surface::page,
                    "feedback_statistics", bind(&FeedbackHandlers::statistics)));
  r.push_back(route("GET", "/api/v1/feedback/statistics", Access::anyone, web::Surface::api,
                    "api_feedback_statistics", bind(&FeedbackHandlers::api_statistics)));
  r.push_back(route("GET", std::string(kCommentsPath), Access::admin, web::Surface::page,
                    "feedback_comments", bind(&FeedbackHandlers::comments)));
  return r;
}

}  // namespace pratu::feedback
