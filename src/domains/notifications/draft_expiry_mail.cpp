#include "domains/notifications/draft_expiry_mail.hpp"

#include "web/dates.hpp"
#include "web/template_engine.hpp"

namespace pratu::notifications {

namespace {

std::string escaped(std::string_view text) {
  std::string out;
  web::append_html_escaped(text, out);
  return out;
}

}  // namespace

void fill_letter(Letter& letter, const web::Translations& translations, std::string_view key,
                 std::initializer_list<std::pair<std::string_view, std::string>> args) {
  const std::string k(key);
  letter.subject = translations.format(letter.locale, k + ".subject", args);
  letter.text = translations.format(letter.locale, k + ".text", args);
  std::string html = translations.text(letter.locale, k + ".html");
  for (const auto& [name, value] : args) {
    const std::string placeholder = "{" + std::string(name) + "}";
    const std::string safe = escaped(value);
    for (auto pos = html.find(placeholder); pos != std::string::npos;
         pos = html.find(placeholder, pos + safe.size())) {
      html.replace(pos, placeholder.size(), safe);
    }
  }
  // Markup only; every word is the locale file's.
  letter.html = "<!DOCTYPE html>\n<html lang=\"" + std::string(web::locale_code(letter.locale)) +
                "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escaped(letter.subject) +
                "</title>\n</head>\n<body>\n" + html + "</body>\n</html>\n";
}

MailComposer::MailComposer(platform::ProfileDirectory& profiles,
                           const platform::ServiceDirectory* services,
                           const web::Translations& translations, std::string public_url)
    : profiles_(profiles),
      services_(services),
      translations_(translations),
      public_url_(std::move(public_url)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

Result<Letter> MailComposer::letter_to(std::int64_t user_id) const {
  PRATU_TRY(profile, profiles_.profile(user_id));
  if (!profile) return undeliverable("no account");
  if (profile->email.empty()) return undeliverable("no e-mail address");
  Letter letter;
  letter.to_address = profile->email;
  letter.to_name = profile->given_name;
  if (!profile->family_name.empty()) {
    letter.to_name += (letter.to_name.empty() ? "" : " ") + profile->family_name;
  }
  letter.locale = profile->locale == "en" ? web::Locale::en : web::Locale::th;
  return letter;
}

std::string MailComposer::service_name(std::string_view slug, web::Locale locale) const {
  if (const auto* info = services_ ? services_->service(slug) : nullptr) {
    return locale == web::Locale::en ? info->name_en : info->name_th;
  }
  return std::string(slug);
}

DraftExpiryMail::DraftExpiryMail(platform::ProfileDirectory& profiles,
                                 const platform::ServiceDirectory* services,
                                 const web::Translations& translations, std::string public_url)
    : MailComposer(profiles, services, translations, std::move(public_url)) {}

Result<Letter> DraftExpiryMail::compose(const OutboxJob& job) const {
  const Payload payload = Payload::parse(job.payload);
  const auto user_id = payload.integer("user_id");
  const auto deleted_after = payload.integer("deleted_after");
  const std::string application = payload.text("application");
  const std::string service = payload.text("service");
  if (!user_id || !deleted_after || application.empty() || service.empty()) {
    return undeliverable("payload unreadable");
  }
  PRATU_TRY(letter, letter_to(*user_id));
  fill_letter(letter, translations_, "notifications.draft_expiring",
              {{"service", service_name(service, letter.locale)},
               {"date", web::format_date(letter.locale, *deleted_after)},
               {"link", public_url_ + "/applications/" + application}});
  return letter;
}

}  // namespace pratu::notifications
