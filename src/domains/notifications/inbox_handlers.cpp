#include "domains/notifications/inbox_handlers.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "common/civil_date.hpp"
#include "common/money.hpp"
#include "domains/notifications/notifications.hpp"
#include "web/access.hpp"
#include "web/dates.hpp"
#include "web/json_body.hpp"

namespace pratu::notifications {

namespace json = boost::json;
using web::Locale;

namespace {

constexpr std::size_t kMaxReadBody = 1024;

// A positive id from a query or body, or nullopt.
std::optional<std::int64_t> positive_id(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

Error invalid(std::string field) {
  return Error{ErrorCode::invalid_input,
               "errors.invalid_input",
               field,
               {{field, "notifications.inbox.errors." + field}},
               0};
}

}  // namespace

NoticeText describe(const Notice& notice, Locale locale, const web::Translations& t,
                    const platform::ServiceDirectory* services, bool agency) {
  const Payload p(notice.payload);
  std::string service = p.text("service");
  if (const auto* info = services != nullptr ? services->service(service) : nullptr) {
    service = locale == Locale::en ? info->name_en : info->name_th;
  }
  const std::string reference = p.text("reference");
  auto date = [&](std::string_view iso) {
    auto day = parse_iso_date(iso);
    if (!day) return std::string(iso);
    const auto since = std::chrono::sys_days(*day).time_since_epoch();
    return web::format_date(locale,
                            std::chrono::duration_cast<std::chrono::seconds>(since).count());
  };
  NoticeText out;
  if (!notice.application.empty()) {
    out.link = (agency ? "/agency/applications/" : "/applications/") + notice.application;
  }
  if (notice.topic == "applications.step_taken") {
    // A payment's step says what was received too (ADR 0034).
    const auto paid = p.integer("paid_satang");
    out.text = paid ? t.format(locale, "notifications.inbox.step_paid",
                               {{"service", service},
                                {"amount", format_baht(*paid)},
                                {"status", p.localized("status", locale)}})
                    : t.format(locale, "notifications.inbox.step_taken",
                               {{"service", service}, {"status", p.localized("status", locale)}});
    const std::string next = p.localized("next", locale);
    if (!next.empty()) {
      out.text += " " + t.format(locale, "notifications.inbox.next", {{"next", next}});
    }
  } else if (notice.topic == "applications.message") {
    const bool to_applicant = p.flag("from_agency").value_or(true);
    out.text = to_applicant ? t.format(locale, "notifications.inbox.message_from_agency",
                                       {{"service", service}})
                            : t.format(locale, "notifications.inbox.message_from_applicant",
                                       {{"service", service}, {"reference", reference}});
    if (!out.link.empty()) out.link += "#messages";
  } else if (notice.topic == "applications.applicant_step") {
    out.text = t.format(locale, "notifications.inbox.applicant_step",
                        {{"service", service},
                         {"reference", reference},
                         {"status", p.localized("status", locale)}});
  } else if (notice.topic == "applications.overdue") {
    out.text = t.format(
        locale, "notifications.inbox.overdue",
        {{"service", service}, {"reference", reference}, {"due", date(p.text("due_date"))}});
  } else if (notice.topic == "applications.draft_expiring") {
    const auto after = p.integer("deleted_after");
    out.text = t.format(
        locale, "notifications.inbox.draft_expiring",
        {{"service", service}, {"date", after ? web::format_date(locale, *after) : std::string()}});
  } else if (notice.topic == "documents.issued") {
    out.text = t.format(locale, "notifications.inbox.document_issued",
                        {{"service", service}, {"number", p.text("number")}});
  } else if (notice.topic == "documents.receipt_issued") {
    out.text = t.format(locale, "notifications.inbox.receipt_issued",
                        {{"service", service}, {"number", p.text("number")}});
  } else if (notice.topic == "documents.delivered") {
    out.text = p.text("delivery") == "posted"
                   ? t.format(locale, "notifications.inbox.document_posted",
                              {{"service", service},
                               {"number", p.text("number")},
                               {"tracking", p.text("tracking_number")}})
                   : t.format(locale, "notifications.inbox.document_handed_over",
                              {{"service", service}, {"number", p.text("number")}});
    out.link = agency ? "" : "/documents";
  } else if (notice.topic == "documents.status_changed") {
    const std::string state = p.text("status") == "reinstated" ? "valid" : p.text("status");
    out.text = t.format(locale, "notifications.inbox.document_status",
                        {{"service", service},
                         {"number", p.text("number")},
                         {"status", t.text(locale, "documents.state." + state)}});
    out.link = agency ? "" : "/documents";
  } else if (notice.topic == "accounts.duties_changed") {
    // "cashier,finance": the duties now held, each named in the reader's language.
    std::string duties;
    const std::string held = "," + p.text("duties") + ",";
    for (const char* duty : {"cashier", "finance"}) {
      if (held.find("," + std::string(duty) + ",") == std::string::npos) continue;
      if (!duties.empty()) duties += ", ";
      duties += t.text(locale, "accounts.staff.duty." + std::string(duty));
    }
    if (duties.empty()) duties = t.text(locale, "accounts.staff.none");
    // No colleague's name: the platform's operator changed them (`pratu user duties`).
    const std::string by = p.text("by");
    out.text =
        t.format(locale, "notifications.inbox.duties_changed",
                 {{"by", by.empty() ? t.text(locale, "notifications.inbox.by_operator") : by},
                  {"duties", duties}});
  } else if (notice.topic == "payments.paid") {
    out.text = t.format(locale, "notifications.inbox.bill_paid",
                        {{"service", service}, {"reference", reference}});
  } else {
    out.text = t.text(locale, "notifications.inbox.other");
  }
  return out;
}

Result<web::Response> InboxHandlers::page(const web::Request& request,
                                          web::RequestContext& context) {
  const web::Principal& who = *context.user;
  std::optional<std::int64_t> before;
  if (auto raw = request.query_param("before")) before = positive_id(*raw);
  PRATU_TRY(shown, inbox_.page(who.user_id, before));
  const Locale locale = context.locale;
  const auto& t = renderer_.translations();
  const bool agency = web::works_for_agency(who.role);
  json::array items;
  std::int64_t newest_unread = 0, oldest_unread = 0;
  for (const Notice& n : shown.notices) {
    NoticeText said = describe(n, locale, t, services_, agency);
    items.push_back(json::object{{"id", n.id},
                                 {"text", said.text},
                                 {"link", said.link},
                                 {"at", web::format_date_time(locale, n.created_at)},
                                 {"at_iso", web::iso_date_time(n.created_at)},
                                 {"unread", !n.read}});
    if (!n.read) {
      if (newest_unread == 0) newest_unread = n.id;
      oldest_unread = n.id;
    }
  }
  // What is shown is read: the notices on this page, not those on the pages after it.
  std::int64_t unread = shown.unread;
  if (newest_unread != 0) {
    PRATU_TRY(marked, inbox_.mark_read(who.user_id, newest_unread, oldest_unread));
    unread -= marked;
  }
  json::object model{{"notices", std::move(items)},
                     {"empty", shown.notices.empty()},
                     {"new_count", t.format(locale, "notifications.inbox.new_count",
                                            {{"count", std::to_string(shown.unread)}})},
                     {"has_new", shown.unread > 0},
                     {"unread_left", unread}};
  if (shown.older_than) {
    model["older"] = "/notifications?before=" + std::to_string(*shown.older_than);
  }
  if (before) model["newest"] = "/notifications";
  return renderer_.page(request, context, "notifications/index", std::move(model));
}

Result<web::Response> InboxHandlers::list(const web::Request& request,
                                          web::RequestContext& context) {
  const web::Principal& who = *context.user;
  std::optional<std::int64_t> before;
  if (auto raw = request.query_param("before")) {
    before = positive_id(*raw);
    if (!before) return invalid("before");
  }
  int limit = Inbox::kPageSize;
  if (auto raw = request.query_param("limit")) {
    auto n = positive_id(*raw);
    if (!n || *n > Inbox::kMaxPageSize) return invalid("limit");
    limit = static_cast<int>(*n);
  }
  PRATU_TRY(shown, inbox_.page(who.user_id, before, limit));
  const auto& t = renderer_.translations();
  const bool agency = web::works_for_agency(who.role);
  json::array items;
  for (const Notice& n : shown.notices) {
    NoticeText said = describe(n, context.locale, t, services_, agency);
    json::object item{{"id", n.id},
                      {"topic", n.topic},
                      {"text", said.text},
                      {"at", web::iso_date_time(n.created_at)},
                      {"read", n.read}};
    if (!n.application.empty()) item["application"] = n.application;
    if (!said.link.empty()) item["link"] = said.link;
    items.push_back(std::move(item));
  }
  json::object out{{"unread", shown.unread}, {"notifications", std::move(items)}};
  if (shown.older_than) {
    out["next"] = "/api/v1/notifications?before=" + std::to_string(*shown.older_than) +
                  "&limit=" + std::to_string(limit);
  }
  return web::Response::json(json::serialize(out));
}

Result<web::Response> InboxHandlers::read(const web::Request& request,
                                          web::RequestContext& context) {
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kMaxReadBody, 2}));
  const auto* upto = parsed.is_object() ? parsed.as_object().if_contains("upto") : nullptr;
  if (upto == nullptr || !upto->is_int64() || upto->as_int64() <= 0) return invalid("upto");
  PRATU_TRY(marked, inbox_.mark_read(context.user->user_id, upto->as_int64()));
  PRATU_TRY(unread, inbox_.unread(context.user->user_id));
  return web::Response::json(json::serialize(json::object{{"marked", marked}, {"unread", unread}}));
}

web::Routes InboxHandlers::routes() {
  web::Routes r;
  // Each person's own: the rows are chosen by who is signed in, never by an id in the path.
  r.push_back(web::route("GET", "/notifications", web::Access::signed_in, web::Surface::page,
                         "notifications", web::bound(this, &InboxHandlers::page)));
  r.push_back(web::route("GET", "/api/v1/notifications", web::Access::signed_in, web::Surface::api,
                         "api_notifications", web::bound(this, &InboxHandlers::list)));
  r.back().body_limit = 0;
  r.push_back(web::route("POST", "/api/v1/notifications/read", web::Access::signed_in,
                         web::Surface::api, "api_notifications_read",
                         web::bound(this, &InboxHandlers::read)));
  r.back().body_limit = kMaxReadBody;
  return r;
}

}  // namespace pratu::notifications
