#pragma once
/// The account pages: register, log in, log out, the account page and changing the password.
/// CSRF tokens are checked by the app's middleware before these run; every form here embeds
/// context.csrf_token.

#include <functional>
#include <string>
#include <string_view>

#include "domains/accounts/accounts_service.hpp"
#include "domains/accounts/session_service.hpp"
#include "web/context.hpp"
#include "web/form.hpp"
#include "web/message.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::accounts {

/// What the pages need from outside the accounts domain.
struct AccountsPageSettings {
  /// Where a successful login goes when no safe `next` was given.
  std::string after_login_path = "/account";
  /// The display name of an agency in a locale (from the catalogue), or "" if unknown; when
  /// unset, the account page shows the agency code.
  std::function<std::string(std::string_view agency_code, web::Locale locale)> agency_name;
};

/// `next` if it is a same-site path ("/x", not "//x", "/\x" or anything with a scheme or
/// control characters), else `fallback`. Stops a login link from sending people elsewhere.
std::string safe_next(std::string_view next, std::string_view fallback);

/// One method per route, each a web::Handler.
class AccountsHandlers {
 public:
  AccountsHandlers(AccountService& accounts, SessionService& sessions,
                   const web::Renderer& renderer, AccountsPageSettings settings = {});

  /// GET /register
  Result<web::Response> register_form(const web::Request& request, web::RequestContext& context);
  /// POST /register: creates the account, logs in, 303 to /account; 422 with errors.
  Result<web::Response> register_submit(const web::Request& request, web::RequestContext& context);
  /// GET /login[?next=/path]
  Result<web::Response> login_form(const web::Request& request, web::RequestContext& context);
  /// POST /login: 303 to a safe `next` or /account; 422 on a wrong login, 429 when locked.
  Result<web::Response> login_submit(const web::Request& request, web::RequestContext& context);
  /// POST /logout: ends the session, deletes the cookie, 303 to /.
  Result<web::Response> logout(const web::Request& request, web::RequestContext& context);
  /// GET /account (login required: 303 to /login?next=/account).
  Result<web::Response> account(const web::Request& request, web::RequestContext& context);
  /// GET /account/password (login required).
  Result<web::Response> password_form(const web::Request& request, web::RequestContext& context);
  /// POST /account/password: 303 to /account on success; 422 with errors; 429 when locked.
  Result<web::Response> password_submit(const web::Request& request, web::RequestContext& context);

  /// The same three POSTs when their CSRF token failed (the form outlived its session, or the
  /// cookies were cleared): the form again, 403, with what was typed (never a password) and a
  /// message on the password field. Nothing is registered, checked or changed.
  Result<web::Response> register_expired(const web::Request& request, web::RequestContext& context);
  Result<web::Response> login_expired(const web::Request& request, web::RequestContext& context);
  Result<web::Response> password_expired(const web::Request& request, web::RequestContext& context);
  /// POST /session/extend — "stay logged in" before the idle timeout: JSON for the page's
  /// script, a redirect without it.
  Result<web::Response> extend_session(const web::Request& request, web::RequestContext& context);
  // The API's sign-in: POST /api/v1/tokens, DELETE /api/v1/tokens/current.
  Result<web::Response> api_create_token(const web::Request& request, web::RequestContext& context);
  Result<web::Response> api_revoke_token(const web::Request& request, web::RequestContext& context);

  /// The domain's routes, each with its access rule.
  web::Routes routes();

 private:
  // Where a person goes after logging in when no page asked for them.
  std::string landing(Role role, unsigned duties) const;

  // What was typed into the registration form, passwords included (for the caller to drop).
  static Registration typed_registration(const web::Form& form);

  web::Response render_register(const web::Request& request, web::RequestContext& context,
                                const Registration& typed, const std::vector<FieldError>& errors,
                                int status, const std::string& locked_message = {});
  web::Response render_login(const web::Request& request, web::RequestContext& context,
                             const std::string& login, const std::string& next,
                             const std::vector<FieldError>& errors, int status,
                             const std::string& locked_message = {});
  web::Response render_password(const web::Request& request, web::RequestContext& context,
                                const std::vector<FieldError>& errors, int status,
                                const std::string& locked_message = {});
  // The "try again in N minutes" text for a rate_limited error.
  std::string locked_text(web::Locale locale, std::string_view key, const Error& error) const;

  AccountService& accounts_;
  SessionService& sessions_;
  const web::Renderer& renderer_;
  AccountsPageSettings settings_;
};

}  // namespace pratu::accounts
