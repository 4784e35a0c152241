#include "domains/notifications/message_mail.hpp"

#include <boost/json.hpp>

#include "domains/notifications/draft_expiry_mail.hpp"

namespace pratu::notifications {

namespace json = boost::json;

MessageMail::MessageMail(platform::ProfileDirectory& profiles,
                         const platform::ServiceDirectory* services,
                         const web::Translations& translations, std::string public_url)
    : MailComposer(profiles, services, translations, std::move(public_url)) {}

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
  PRATU_TRY(letter, letter_to(user_id->get_int64()));
  const std::string service = service_name(text("service"), letter.locale);
  fill_letter(letter, translations_, "notifications.message",
              {{"service", service},
               {"link", public_url_ + "/applications/" + text("application") + "#messages"}});
  return letter;
}

}  // namespace pratu::notifications
