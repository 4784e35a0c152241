#include "domains/notifications/document_mail.hpp"

namespace pratu::notifications {

DocumentMail::DocumentMail(platform::ProfileDirectory& profiles,
                           const platform::ServiceDirectory* services,
                           const web::Translations& translations, std::string public_url)
    : MailComposer(profiles, services, translations, std::move(public_url)) {}

Result<Letter> DocumentMail::compose(const OutboxJob& job) const {
  const Payload payload = Payload::parse(job.payload);
  auto text = [&](std::string_view name) { return payload.text(name); };
  const auto user_id = payload.integer("user_id");
  if (!user_id || text("number").empty() || text("service").empty()) {
    return undeliverable("payload unreadable");
  }
  PRATU_TRY(letter, letter_to(*user_id));
  const std::string service = service_name(text("service"), letter.locale);
  if (job.topic == kDocumentIssuedTopic) {
    if (text("application").empty()) return undeliverable("payload unreadable");
    fill_letter(letter, translations_, "notifications.document_issued",
                {{"service", service},
                 {"number", text("number")},
                 {"link", public_url_ + "/applications/" + text("application")}});
  } else if (job.topic == kReceiptIssuedTopic) {
    if (text("application").empty()) return undeliverable("payload unreadable");
    fill_letter(letter, translations_, "notifications.receipt_issued",
                {{"service", service},
                 {"number", text("number")},
                 {"link", public_url_ + "/applications/" + text("application")}});
  } else if (job.topic == kDocumentStatusTopic) {
    const std::string status = text("status");
    if (status != "suspended" && status != "reinstated" && status != "revoked" &&
        status != "cancelled") {
      return undeliverable("payload unreadable");
    }
    fill_letter(
        letter, translations_, "notifications.document_" + status,
        {{"service", service}, {"number", text("number")}, {"link", public_url_ + "/documents"}});
  } else {
    const std::string delivery = text("delivery");
    if (delivery != "posted" && delivery != "handed_over") {
      return undeliverable("payload unreadable");
    }
    fill_letter(letter, translations_, "notifications.document_" + delivery,
                {{"service", service},
                 {"number", text("number")},
                 {"tracking", text("tracking_number")},
                 {"link", public_url_ + "/documents"}});
  }
  return letter;
}

}  // namespace pratu::notifications
