#include "domains/accounts/staff_pages.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "web/access.hpp"
#include "web/components.hpp"
#include "web/dates.hpp"
#include "web/form.hpp"
#include "web/json_body.hpp"

namespace pratu::accounts {

namespace json = boost::json;
using web::Locale;

namespace {

constexpr int kChangesShown = 50;
// A form of two checkboxes and its token; a JSON body of two duty names.
constexpr std::size_t kBodyLimit = 4 * 1024;
constexpr web::Duty kDuties[] = {web::Duty::cashier, web::Duty::finance};

// The user id a path names; nullopt unless it is a positive integer.
std::optional<UserId> user_id_of(std::string_view text) {
  UserId id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

// The duties named in `names` as web::Duty bits; nullopt when one is not a duty.
std::optional<unsigned> duties_named(const std::vector<std::string>& names) {
  unsigned bits = 0;
  for (const auto& name : names) {
    auto duty = web::parse_duty(name);
    if (!duty) return std::nullopt;
    bits |= static_cast<unsigned>(*duty);
  }
  return bits;
}

json::array duty_names(unsigned bits) {
  json::array out;
  for (web::Duty duty : kDuties) {
    if ((bits & static_cast<unsigned>(duty)) != 0) out.emplace_back(web::duty_name(duty));
  }
  return out;
}

json::object member_json(const StaffMember& m) {
  return json::object{{"id", m.id},
                      {"name", m.name},
                      {"email", m.email},
                      {"role", web::role_name(m.role)},
                      {"disabled", m.disabled},
                      {"duties", duty_names(m.duties)}};
}

}  // namespace

web::Routes StaffPages::routes() {
  using web::Access;
  using web::route;
  using web::Surface;
  web::Routes r;
  // The supervisor's own agency: each handler shows and changes its staff only; another
  // agency's people are not found.
  r.push_back(route("GET", "/agency/duties", Access::agency_supervisor, Surface::page,
                    "agency_duties", web::bound(this, &StaffPages::page)));
  r.push_back(route("POST", "/agency/duties/{user}", Access::agency_supervisor, Surface::page,
                    "agency_duty_change", web::bound(this, &StaffPages::change)));
  r.back().body_limit = kBodyLimit;
  r.push_back(route("GET", "/api/v1/agency/duties", Access::agency_supervisor, Surface::api,
                    "api_agency_duties", web::bound(this, &StaffPages::api_list)));
  r.push_back(route("PUT", "/api/v1/agency/duties/{user}", Access::agency_supervisor, Surface::api,
                    "api_agency_duty_change", web::bound(this, &StaffPages::api_change)));
  r.back().body_limit = kBodyLimit;
  return r;
}

Result<web::Response> StaffPages::page(const web::Request& request, web::RequestContext& context) {
  const auto& t = renderer_.translations();
  const Locale locale = context.locale;
  const web::Principal& who = *context.user;
  PRATU_TRY(staff, duties_.staff(who));
  PRATU_TRY(changes, duties_.changes(who, kChangesShown));
  json::array members;
  for (const auto& m : staff) {
    json::array choices;
    for (web::Duty duty : kDuties) {
      const std::string name(web::duty_name(duty));
      choices.push_back(json::object{{"value", name},
                                     {"id", "duties-" + std::to_string(m.id) + "-" + name},
                                     {"label", t.text(locale, "accounts.staff.duty." + name)},
                                     {"checked", (m.duties & static_cast<unsigned>(duty)) != 0}});
    }
    json::array held;
    for (web::Duty duty : kDuties) {
      if ((m.duties & static_cast<unsigned>(duty)) != 0) {
        held.emplace_back(
            t.text(locale, "accounts.staff.duty." + std::string(web::duty_name(duty))));
      }
    }
    members.push_back(json::object{
        {"id", m.id},
        {"name", m.name},
        {"email", m.email},
        {"role", t.text(locale, "accounts.roles." + std::string(web::role_name(m.role)))},
        {"disabled", m.disabled},
        {"held", std::move(held)},
        {"own", m.id == who.user_id},
        {"action_path", "/agency/duties/" + std::to_string(m.id)},
        {"legend", t.format(locale, "accounts.staff.legend", {{"name", m.name}})},
        {"choices", std::move(choices)}});
  }
  json::array history;
  for (const auto& change : changes) {
    const std::string duty =
        t.text(locale, "accounts.staff.duty." + std::string(web::duty_name(change.duty)));
    const std::string by =
        change.by.empty() ? t.text(locale, "accounts.staff.by_operator") : change.by;
    history.push_back(json::object{
        {"at", web::format_date_time(locale, change.at)},
        {"at_iso", web::iso_date_time(change.at)},
        {"text",
         t.format(locale, change.granted ? "accounts.staff.granted" : "accounts.staff.withdrawn",
                  {{"by", by}, {"member", change.member}, {"duty", duty}})}});
  }
  json::object model{{"title", t.text(locale, "accounts.staff.title")},
                     {"members", std::move(members)},
                     {"any_changes", !history.empty()},
                     {"changes", std::move(history)}};
  if (request.query_param("done")) {
    model["banner"] = web::notification_banner(web::BannerKind::success,
                                               t.text(locale, "accounts.staff.done_title"),
                                               t.text(locale, "accounts.staff.done"));
  }
  return renderer_.page(request, context, "accounts/duties", std::move(model));
}

Result<web::Response> StaffPages::change(const web::Request& request,
                                         web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  auto user = user_id_of(request.path_param("user"));
  if (!user) return Error::not_found("staff member");
  // The checkboxes send only what is ticked: none ticked withdraws both.
  auto duties = duties_named(form->values("duties"));
  if (!duties) return renderer_.error_page(request, context, 400);
  PRATU_TRY(member, duties_.set(*context.user, *user, *duties));
  (void)member;
  return web::Response::redirect("/agency/duties?done=1#member-" + std::to_string(*user));
}

Result<web::Response> StaffPages::api_list(const web::Request& /*request*/,
                                           web::RequestContext& context) {
  PRATU_TRY(staff, duties_.staff(*context.user));
  PRATU_TRY(changes, duties_.changes(*context.user, kChangesShown));
  json::array members;
  for (const auto& m : staff) members.push_back(member_json(m));
  json::array history;
  for (const auto& c : changes) {
    json::object item{{"at", web::iso_date_time(c.at)},
                      {"member", c.member},
                      {"duty", web::duty_name(c.duty)},
                      {"action", c.granted ? "granted" : "withdrawn"}};
    if (!c.by.empty()) item["by"] = c.by;
    history.push_back(std::move(item));
  }
  return web::Response::json(json::serialize(
      json::object{{"staff", std::move(members)}, {"changes", std::move(history)}}));
}

Result<web::Response> StaffPages::api_change(const web::Request& request,
                                             web::RequestContext& context) {
  auto user = user_id_of(request.path_param("user"));
  if (!user) return Error::not_found("staff member");
  PRATU_TRY(parsed, web::parse_json_body(request.body, {kBodyLimit, 3}));
  const auto* body = parsed.if_object();
  const auto* list = body != nullptr ? body->if_contains("duties") : nullptr;
  std::vector<std::string> names;
  bool readable = list != nullptr && list->is_array() && list->as_array().size() <= 2;
  if (readable) {
    for (const auto& v : list->as_array()) {
      if (!v.is_string()) readable = false;
      else names.emplace_back(v.as_string());
    }
  }
  auto duties = readable ? duties_named(names) : std::nullopt;
  if (!duties) return Error::invalid({{"duties", "accounts.staff.duties_invalid"}});
  PRATU_TRY(member, duties_.set(*context.user, *user, *duties));
  return web::Response::json(json::serialize(member_json(member)));
}

}  // namespace pratu::accounts
