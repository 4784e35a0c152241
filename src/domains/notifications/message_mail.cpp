#include "domains/notifications/message_mail.hpp"

#include <boost/json.hpp>

#include "domains/notifications/draft_expiry_mail.hpp"

namespace pratu::notifications {

namespace json = boost::json;

MessageMail::MessageMail(platform::ProfileDirectory& profiles,
                         const platform::ServiceDirectory* services,
                         const web::Translations& translations, std::string public_url)
    : profiles_(profiles),
      services_(services),
      translations_(translations),
      public_url_(std::move(public_url)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

Result<Letter> MessageMail::compose(const OutboxJob& job) const {
  boost::system::error_code ec;
  const json::value payload = json::parse(job.payload, ec);
  const json::object* fields = ec ? nullptr : payload.if_object();
  auto text = [&](std::string_view name) -> std::string {
    const json::value* v = fields ? fields->if_contains(name) : nullptr;
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  const json::value* user_id = fields ? fields->if_contains("user_id") : nullptr;
  if (!user_id || !user_id->is_int64() || text("application").empty() || text("service").empty()) {
    return undeliverable("payload unreadable");
  }
  PRATU_TRY(profile, profiles_.profile(user_id->get_int64()));
  if (!profile) return undeliverable("no account");
  if (profile->email.empty()) return undeliverable("no e-mail address");
  Letter letter;
  letter.to_address = profile->email;
  letter.to_name = profile->given_name;
  if (!profile->family_name.empty()) {
    letter.to_name += (letter.to_name.empty() ? "" : " ") + profile->family_name;
  }
  letter.locale = profile->locale == "en" ? web::Locale::en : web::Locale::th;
  std::string service = text("service");
  if (const auto* info = services_ ? services_->service(service) : nullptr) {
    service = letter.locale == web::Locale::en ? info->name_en : info->name_th;
  }
  fill_letter(letter, translations_, "notifications.message",
              {{"service", service},
               {"link", public_url_ + "/applications/" + text("application") + "#messages"}});
  return letter;
}

}  // namespace pratu::notifications
