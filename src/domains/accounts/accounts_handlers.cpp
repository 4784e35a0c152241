#include "domains/accounts/accounts_handlers.hpp"

#include <boost/json.hpp>
#include <optional>

#include "common/log.hpp"
#include "common/thai_id.hpp"
#include "domains/accounts/accounts_validation.hpp"
#include "web/components.hpp"
#include "web/dates.hpp"
#include "web/form.hpp"
#include "web/json_body.hpp"
#include "web/problem.hpp"

namespace pratu::accounts {

namespace json = boost::json;

namespace {

constexpr std::string_view kLoginPath = "/login";
constexpr std::string_view kAccountPath = "/account";
constexpr std::string_view kPasswordPath = "/account/password";
// Shown on the password field of a form whose CSRF token failed.
constexpr const char* kFormExpiredKey = "errors.csrf";

// How one input of an account form is drawn (the shared text input, partials/text_input).
struct FieldSpec {
  std::string_view id;
  std::string_view key = {};  // locale key under accounts.fields; defaults to `id`
  std::string_view type = "text";
  std::string_view autocomplete = {};
  std::string_view inputmode = {};
  std::string_view width = {};  // "short": input--short
  bool hint = false;            // accounts.fields.<key>.hint exists
  bool no_spellcheck = false;   // IDs, emails and codes are not words
};

// The inline error of field `id` in a form_errors_model, if any.
std::optional<std::string> field_error(const json::object& model, std::string_view id) {
  const auto* errors = model.if_contains("field_errors");
  if (errors == nullptr || !errors->is_object()) return std::nullopt;
  const auto* e = errors->get_object().if_contains(id);
  if (e == nullptr || !e->is_string()) return std::nullopt;
  return std::string(e->get_string());
}

// The model of one field for the shared text input: label, hint and inline error from the
// locale and the errors model.
json::object field(const web::Translations& t, web::Locale locale, const json::object& model,
                   const FieldSpec& spec, std::string_view value) {
  std::string base = "accounts.fields." + std::string(spec.key.empty() ? spec.id : spec.key);
  web::Control control{std::string(spec.id), t.text(locale, base + ".label"),
                       spec.hint ? t.text(locale, base + ".hint") : std::string(),
                       field_error(model, spec.id).value_or("")};
  return web::text_input(control, value,
                         {.type = spec.type,
                          .autocomplete = spec.autocomplete,
                          .inputmode = spec.inputmode,
                          .width = spec.width,
                          .spellcheck = !spec.no_spellcheck});
}

// The errors model for a rate-limited form: one message, on `field`.
json::object locked_model(const std::string& field_name, const std::string& message) {
  return json::object{
      {"errors", json::array{json::object{{"field", field_name}, {"message", message}}}},
      {"field_errors", json::object{{field_name, message}}}};
}

std::string login_redirect(std::string_view next) {
  return std::string(kLoginPath) + "?next=" + web::percent_encode(next);
}

bool has_query(const web::Request& request, std::string_view name, std::string_view value) {
  auto v = request.query_param(name);
  return v && *v == value;
}

}  // namespace

std::string safe_next(std::string_view next, std::string_view fallback) {
  bool safe = next.size() >= 1 && next.size() <= 2048 && next.front() == '/' &&
              (next.size() == 1 || (next[1] != '/' && next[1] != '\\'));
  for (char c : next) {
    // Backslashes are read as slashes by some browsers; control characters split headers.
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) safe = false;
  }
  return safe ? std::string(next) : std::string(fallback);
}

AccountsHandlers::AccountsHandlers(AccountService& accounts, SessionService& sessions,
                                   const web::Renderer& renderer, AccountsPageSettings settings)
    : accounts_(accounts),
      sessions_(sessions),
      renderer_(renderer),
      settings_(std::move(settings)) {}

std::string AccountsHandlers::locked_text(web::Locale locale, std::string_view key,
                                          const Error& error) const {
  if (key == kLoginSlowedKey) {
    int seconds = std::max(1, error.retry_after_seconds);
    return renderer_.translations().format(locale, std::string(key) + (seconds == 1 ? "_one" : ""),
                                           {{"seconds", std::to_string(seconds)}});
  }
  int minutes = retry_minutes(error.retry_after_seconds);
  std::string k(key);
  if (minutes == 1) k += "_one";
  return renderer_.translations().format(locale, k, {{"minutes", std::to_string(minutes)}});
}

// ---- register

web::Response AccountsHandlers::render_register(const web::Request& request,
                                                web::RequestContext& context,
                                                const Registration& typed,
                                                const std::vector<FieldError>& errors, int status,
                                                const std::string& locked_message) {
  const auto& t = renderer_.translations();
  auto locale = context.locale;
  json::object model = locked_message.empty() ? web::form_errors_model(t, locale, errors)
                                              : locked_model("national_id", locked_message);
  model["title"] = t.text(locale, "accounts.register.title");

  std::vector<web::Choice> titles;
  for (auto code : kTitleCodes) {
    titles.push_back(
        {std::string(code), t.text(locale, "accounts.titles." + std::string(code)), ""});
  }
  json::object title =
      web::select({"title", t.text(locale, "accounts.fields.title.label"), "",
                   field_error(model, "title").value_or("")},
                  titles, typed.title, t.text(locale, "accounts.fields.title.choose"), "short",
                  "honorific-prefix");

  json::object fields;
  fields["national_id"] = field(t, locale, model,
                                {.id = "national_id",
                                 .inputmode = "numeric",
                                 .width = "short",
                                 .hint = true,
                                 .no_spellcheck = true},
                                typed.national_id);
  fields["given_name"] =
      field(t, locale, model, {.id = "given_name", .autocomplete = "given-name"}, typed.given_name);
  fields["family_name"] = field(
      t, locale, model, {.id = "family_name", .autocomplete = "family-name"}, typed.family_name);
  fields["email"] = field(t, locale, model,
                          {.id = "email",
                           .type = "email",
                           .autocomplete = "email",
                           .hint = true,
                           .no_spellcheck = true},
                          typed.email);
  fields["mobile"] =
      field(t, locale, model,
            {.id = "mobile", .type = "tel", .autocomplete = "tel", .width = "short", .hint = true},
            typed.mobile);
  // Passwords are never sent back into the page.
  fields["password"] = field(
      t, locale, model,
      {.id = "password", .type = "password", .autocomplete = "new-password", .hint = true}, "");
  fields["password_confirmation"] = field(
      t, locale, model,
      {.id = "password_confirmation", .type = "password", .autocomplete = "new-password"}, "");
  model["fields"] = std::move(fields);
  model["title_select"] = std::move(title);
  return renderer_.page(request, context, "accounts/register", std::move(model), status);
}

Result<web::Response> AccountsHandlers::register_form(const web::Request& request,
                                                      web::RequestContext& context) {
  if (context.user) return web::Response::redirect(std::string(kAccountPath));
  return render_register(request, context, Registration{}, {}, 200);
}

Registration AccountsHandlers::typed_registration(const web::Form& form) {
  Registration r;
  r.national_id = form.value("national_id");
  r.title = form.value("title");
  r.given_name = form.value("given_name");
  r.family_name = form.value("family_name");
  r.email = form.value("email");
  r.mobile = form.value("mobile");
  r.password = form.raw("password");
  r.password_confirmation = form.raw("password_confirmation");
  return r;
}

Result<web::Response> AccountsHandlers::register_expired(const web::Request& request,
                                                         web::RequestContext& context) {
  if (context.user) return web::Response::redirect(std::string(kAccountPath));
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  Registration typed = typed_registration(*form);
  typed.password.clear();
  typed.password_confirmation.clear();
  return render_register(request, context, typed, {{"password", kFormExpiredKey}}, 403);
}

Result<web::Response> AccountsHandlers::register_submit(const web::Request& request,
                                                        web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  Registration r = typed_registration(*form);
  r.client_address = request.remote_address;
  r.locale = web::locale_code(context.locale);
  auto registered = accounts_.register_citizen(r);
  if (!registered) {
    if (registered.error().code == ErrorCode::rate_limited) {
      const Error& e = registered.error();
      log::warn("registration throttled", context.request_id,
                {{"address", address_key(request.remote_address)}});
      auto response = render_register(request, context, r, {}, 429,
                                      locked_text(context.locale, e.message_key, e));
      response.set_header("Retry-After", std::to_string(e.retry_after_seconds));
      return response;
    }
    if (registered.error().code == ErrorCode::invalid_input) {
      return render_register(request, context, r, registered.error().fields, 422);
    }
    return registered.error();
  }
  auto started = sessions_.start(*registered, context.session_id, request.secure);
  if (!started) return started.error();
  context.set_cookies.push_back(started->set_cookie);
  log::info("account registered", context.request_id);
  return web::Response::redirect(std::string(kAccountPath) + "?registered=1");
}

// ---- login

web::Response AccountsHandlers::render_login(const web::Request& request,
                                             web::RequestContext& context, const std::string& login,
                                             const std::string& next,
                                             const std::vector<FieldError>& errors, int status,
                                             const std::string& locked_message) {
  const auto& t = renderer_.translations();
  auto locale = context.locale;
  json::object model = locked_message.empty() ? web::form_errors_model(t, locale, errors)
                                              : locked_model("login", locked_message);
  model["title"] = t.text(locale, "accounts.login.title");
  model["next"] = next;
  json::object fields;
  fields["login"] = field(
      t, locale, model,
      {.id = "login", .autocomplete = "username", .hint = true, .no_spellcheck = true}, login);
  fields["password"] = field(t, locale, model,
                             {.id = "password",
                              .key = "login_password",
                              .type = "password",
                              .autocomplete = "current-password"},
                             "");
  model["fields"] = std::move(fields);
  auto response = renderer_.page(request, context, "accounts/login", std::move(model), status);
  return response;
}

std::string AccountsHandlers::landing(Role role, unsigned duties) const {
  // A clerk has nothing to do on their account page: their desk is the counter or the books
  // (docs/adr/0032). Everyone else goes to their account, which leads on.
  if (role == Role::clerk) {
    if ((duties & static_cast<unsigned>(web::Duty::cashier)) != 0) return "/agency/counter";
    if ((duties & static_cast<unsigned>(web::Duty::finance)) != 0) return "/agency/statements";
  }
  return settings_.after_login_path;
}

Result<web::Response> AccountsHandlers::login_form(const web::Request& request,
                                                   web::RequestContext& context) {
  std::string next = safe_next(request.query_param("next").value_or(""), "");
  if (context.user) {
    return web::Response::redirect(next.empty() ? landing(context.user->role, context.user->duties)
                                                : next);
  }
  return render_login(request, context, "", next, {}, 200);
}

Result<web::Response> AccountsHandlers::login_submit(const web::Request& request,
                                                     web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  std::string login = form->value("login");
  std::string next = safe_next(form->value("next"), "");
  auto logged_in = accounts_.log_in(
      Credentials{login, form->raw("password"), request.remote_address, context.request_id},
      sessions_, context.session_id, request.secure);
  if (!logged_in) {
    const Error& e = logged_in.error();
    if (e.code == ErrorCode::rate_limited) {
      // The service has logged it.
      auto response = render_login(request, context, login, next, {}, 429,
                                   locked_text(context.locale, e.message_key, e));
      response.set_header("Retry-After", std::to_string(e.retry_after_seconds));
      return response;
    }
    if (e.code == ErrorCode::invalid_input) {
      return render_login(request, context, login, next, e.fields, 422);
    }
    return e;
  }
  context.set_cookies.push_back(logged_in->session.set_cookie);
  return web::Response::redirect(
      next.empty() ? landing(logged_in->user.role, logged_in->user.duties) : next);
}

Result<web::Response> AccountsHandlers::login_expired(const web::Request& request,
                                                      web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  return render_login(request, context, form->value("login"), safe_next(form->value("next"), ""),
                      {{"password", kFormExpiredKey}}, 403);
}

Result<web::Response> AccountsHandlers::logout(const web::Request& request,
                                               web::RequestContext& context) {
  if (!context.session_id.empty()) {
    if (auto ended = sessions_.end(context.session_id); !ended) {
      return ended.error();
    }
  }
  context.set_cookies.push_back(sessions_.clear_session_cookie(request.secure));
  context.user.reset();
  context.session_id.clear();
  context.session_expires_at = 0;
  return web::Response::redirect("/");
}

// ---- account page

Result<web::Response> AccountsHandlers::account(const web::Request& request,
                                                web::RequestContext& context) {
  auto found = accounts_.find_user(context.user->user_id);
  if (!found) return found.error();
  if (!*found) return web::Response::redirect(login_redirect(kAccountPath));
  const User& u = **found;
  const auto& t = renderer_.translations();
  auto locale = context.locale;

  std::string name = u.given_name + (u.family_name.empty() ? "" : " " + u.family_name);
  if (!u.title.empty() && is_title_code(u.title)) {
    // Thai writes the title against the name (นายสมชาย); English puts a space (Mr Somchai).
    name = t.text(locale, "accounts.titles." + u.title) + (locale == web::Locale::en ? " " : "") +
           name;
  }
  std::string agency = u.agency_code;
  if (!agency.empty() && settings_.agency_name) {
    auto display = settings_.agency_name(u.agency_code, locale);
    if (!display.empty()) agency = display;
  }
  auto say = [&](std::string_view key) {
    return t.text(locale, "accounts.account." + std::string(key));
  };
  std::vector<web::SummaryRow> rows;
  auto row = [&](std::string_view key, std::string value) {
    rows.push_back({say(key), value.empty() ? say("not_given") : std::move(value), "", "", ""});
  };
  if (!name.empty()) row("name", name);
  if (u.national_id) row("national_id", mask_citizen_id(*u.national_id));
  row("email", u.email.value_or(""));
  row("mobile", format_mobile(u.mobile));
  row("role", t.text(locale, "accounts.roles." + std::string(role_name(u.role))));
  if (!agency.empty()) row("agency", agency);
  row("member_since", web::format_date(locale, u.created_at));
  json::object model{
      {"title", say("title")},
      {"details", web::summary_list(rows)},
      {"security",
       web::summary_list({{say("password_changed_at"),
                           web::format_date(locale, u.password_changed_at), "", "", ""}})}};
  const bool registered = has_query(request, "registered", "1");
  const bool changed = has_query(request, "changed", "password");
  if (registered || changed) {
    model["banner"] = web::notification_banner(
        web::BannerKind::success, t.text(locale, "components.banner.success"),
        say(registered ? "registered_notice" : "password_changed_notice"));
  }
  return renderer_.page(request, context, "accounts/account", std::move(model));
}

// ---- change password

web::Response AccountsHandlers::render_password(const web::Request& request,
                                                web::RequestContext& context,
                                                const std::vector<FieldError>& errors, int status,
                                                const std::string& locked_message) {
  const auto& t = renderer_.translations();
  auto locale = context.locale;
  json::object model = locked_message.empty() ? web::form_errors_model(t, locale, errors)
                                              : locked_model("current_password", locked_message);
  model["title"] = t.text(locale, "accounts.password.title");
  json::object fields;
  fields["current_password"] =
      field(t, locale, model,
            {.id = "current_password", .type = "password", .autocomplete = "current-password"}, "");
  fields["new_password"] = field(
      t, locale, model,
      {.id = "new_password", .type = "password", .autocomplete = "new-password", .hint = true}, "");
  fields["new_password_confirmation"] = field(
      t, locale, model,
      {.id = "new_password_confirmation", .type = "password", .autocomplete = "new-password"}, "");
  model["fields"] = std::move(fields);
  return renderer_.page(request, context, "accounts/password", std::move(model), status);
}

Result<web::Response> AccountsHandlers::password_form(const web::Request& request,
                                                      web::RequestContext& context) {
  return render_password(request, context, {}, 200);
}

Result<web::Response> AccountsHandlers::password_submit(const web::Request& request,
                                                        web::RequestContext& context) {
  auto form = web::Form::parse(request);
  if (!form) return renderer_.error_page(request, context, 400);
  PasswordChange change{form->raw("current_password"), form->raw("new_password"),
                        form->raw("new_password_confirmation"), request.remote_address};
  auto changed =
      accounts_.change_password(context.user->user_id, context.session_id, change, sessions_);
  if (!changed) {
    const Error& e = changed.error();
    if (e.code == ErrorCode::rate_limited) {
      auto response =
          render_password(request, context, {}, 429,
                          locked_text(context.locale, "accounts.errors.password_change_locked", e));
      response.set_header("Retry-After", std::to_string(e.retry_after_seconds));
      return response;
    }
    if (e.code == ErrorCode::invalid_input) return render_password(request, context, e.fields, 422);
    if (e.code == ErrorCode::not_found)
      return web::Response::redirect(login_redirect(kPasswordPath));
    return e;
  }
  log::info("password changed", context.request_id);
  return web::Response::redirect(std::string(kAccountPath) + "?changed=password");
}

Result<web::Response> AccountsHandlers::password_expired(const web::Request& request,
                                                         web::RequestContext& context) {
  return render_password(request, context, {{"current_password", kFormExpiredKey}}, 403);
}

Result<web::Response> AccountsHandlers::extend_session(const web::Request& request,
                                                       web::RequestContext& context) {
  PRATU_TRY(expires_at, sessions_.extend(context.session_id));
  if (request.header("Accept").find("application/json") != std::string_view::npos) {
    return web::Response::json(json::serialize(json::object{{"expires_at", expires_at}}));
  }
  return web::Response::redirect(std::string(kAccountPath));
}

// ---- API tokens

Result<web::Response> AccountsHandlers::api_create_token(const web::Request& request,
                                                         web::RequestContext& context) {
  PRATU_TRY(body, web::parse_json_body(request.body, {4096, 4}));
  const auto* object = body.if_object();
  auto text = [&](std::string_view key) -> std::optional<std::string> {
    const auto* value = object != nullptr ? object->if_contains(key) : nullptr;
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return std::string(value->get_string());
  };
  auto login = text("login");
  auto password = text("password");
  if (!login || !password) {
    std::vector<FieldError> fields;
    if (!login) fields.push_back({"login", "accounts.errors.login_required"});
    if (!password) fields.push_back({"password", "accounts.errors.password_required"});
    return Error{ErrorCode::invalid_input, "errors.invalid_input", "token request", fields, 0};
  }
  // The same checks and throttle as the login page: a client is no way around them.
  auto logged_in =
      accounts_.log_in(Credentials{*login, *password, request.remote_address, context.request_id},
                       sessions_, "", request.secure);
  if (!logged_in && logged_in.error().code == ErrorCode::rate_limited) {
    // The login page's words with the wait filled in; the service has logged it.
    const Error& e = logged_in.error();
    return web::problem(renderer_.translations(), context, e,
                        locked_text(context.locale, e.message_key, e));
  }
  if (!logged_in) return logged_in.error();
  boost::json::object out{
      {"token", logged_in->session.token},
      {"token_type", "Bearer"},
      {"expires_at", web::iso_date_time(logged_in->session.session.idle_expires_at)}};
  auto response = web::Response::json(boost::json::serialize(out), 201);
  response.set_header("Cache-Control", "no-store");
  return response;
}

Result<web::Response> AccountsHandlers::api_revoke_token(const web::Request&,
                                                         web::RequestContext& context) {
  if (!context.bearer) {
    return Error{ErrorCode::invalid_input, "accounts.errors.not_a_token", "revoke", {}, 0};
  }
  PRATU_CHECK(sessions_.end(context.session_id));
  web::Response response;
  response.status = 204;
  return response;
}

web::Routes AccountsHandlers::routes() {
  using web::Access;
  auto bind = [this](auto method) {
    return [this, method](const web::Request& request, web::RequestContext& context) {
      return (this->*method)(request, context);
    };
  };
  // Forms are small; a password form is three fields.
  constexpr std::size_t kFormLimit = 16 * 1024;
  web::Routes r;
  r.reserve(16);  // `add` hands out references into it
  auto add = [&](std::string method, std::string pattern, Access access, std::string name,
                 web::Handler handler) -> web::RouteSpec& {
    web::RouteSpec spec;
    spec.method = std::move(method);
    spec.pattern = std::move(pattern);
    spec.access = access;
    spec.name = std::move(name);
    spec.handler = std::move(handler);
    if (spec.method == "POST") spec.body_limit = kFormLimit;
    return r.emplace_back(std::move(spec));
  };
  add("GET", "/register", Access::anyone, "register", bind(&AccountsHandlers::register_form))
      .forms = web::Forms::anonymous;
  auto& register_post = add("POST", "/register", Access::anyone, "register",
                            bind(&AccountsHandlers::register_submit));
  register_post.forms = web::Forms::anonymous;
  register_post.work = web::Work::password_hashing;
  register_post.expired = bind(&AccountsHandlers::register_expired);
  add("GET", "/login", Access::anyone, "login", bind(&AccountsHandlers::login_form)).forms =
      web::Forms::anonymous;
  auto& login_post =
      add("POST", "/login", Access::anyone, "login", bind(&AccountsHandlers::login_submit));
  login_post.forms = web::Forms::anonymous;
  login_post.work = web::Work::password_hashing;
  login_post.expired = bind(&AccountsHandlers::login_expired);
  // Logging out needs no login: a visitor whose session already ended is simply sent home.
  add("POST", "/logout", Access::anyone, "logout", bind(&AccountsHandlers::logout));
  add("GET", "/account", Access::signed_in, "account", bind(&AccountsHandlers::account));
  add("GET", "/account/password", Access::signed_in, "password",
      bind(&AccountsHandlers::password_form));
  auto& password_post = add("POST", "/account/password", Access::signed_in, "password",
                            bind(&AccountsHandlers::password_submit));
  password_post.expired = bind(&AccountsHandlers::password_expired);
  password_post.work = web::Work::password_hashing;
  add("POST", "/session/extend", Access::signed_in, "session_extend",
      bind(&AccountsHandlers::extend_session));
  auto& token = add("POST", "/api/v1/tokens", Access::anyone, "api_tokens",
                    bind(&AccountsHandlers::api_create_token));
  token.surface = web::Surface::api;
  token.work = web::Work::password_hashing;
  auto& revoke = add("DELETE", "/api/v1/tokens/current", Access::signed_in, "api_token_revoke",
                     bind(&AccountsHandlers::api_revoke_token));
  revoke.surface = web::Surface::api;
  return r;
}

}  // namespace pratu::accounts
