#include "domains/notifications/message_mail.hpp"

#include "domains/notifications/draft_expiry_mail.hpp"

namespace pratu::notifications {

MessageMail::MessageMail(platform::ProfileDirectory& profiles,
                         const platform::ServiceDirectory* services,
                         const web::Translations& translations, std::string public_url)
    : MailComposer(profiles, services, translations, std::move(public_url)) {}

Result<Letter> MessageMail::compose(const OutboxJob& job) const {
  const Payload payload = Payload::parse(job.payload);
  auto text = [&](std::string_view name) { return payload.text(name); };
  const auto user_id = payload.integer("user_id");
  if (!user_id || text("application").empty() || text("service").empty()) {
    return undeliverable("payload unreadable");
  }
  PRATU_TRY(letter, letter_to(*user_id));
  const std::string service = service_name(text("service"), letter.locale);
  fill_letter(letter, translations_, "notifications.message",
              {{"service", service},
               {"link", public_url_ + "/applications/" + text("application") + "#messages"}});
  return letter;
}

}  // namespace pratu::notifications
