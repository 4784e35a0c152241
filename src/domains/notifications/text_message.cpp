#include "domains/notifications/text_message.hpp"

namespace pratu::notifications {

Result<std::optional<ShortMessage>> TextMessages::compose(const OutboxJob& job) const {
  const Payload payload = Payload::parse(job.payload);
  const auto user_id = payload.integer("user_id");
  if (!user_id || payload.text("service").empty()) return undeliverable("payload unreadable");
  PRATU_TRY(profile, profiles_.profile(*user_id));
  if (!profile || profile->mobile.empty()) return std::optional<ShortMessage>();
  auto phone = e164_mobile(profile->mobile);
  if (!phone) return std::optional<ShortMessage>();
  const web::Locale locale = profile->locale == "en" ? web::Locale::en : web::Locale::th;
  std::string service = payload.text("service");
  if (const auto* info = services_ != nullptr ? services_->service(service) : nullptr) {
    service = locale == web::Locale::en ? info->name_en : info->name_th;
  }
  ShortMessage out;
  out.to_phone = *phone;
  if (job.topic == kStepTakenTextTopic) {
    out.text = translations_.format(
        locale, "notifications.sms.step_taken",
        {{"service", service}, {"status", payload.localized("status", locale)}});
  } else if (job.topic == kMessageTextTopic) {
    out.text = translations_.format(locale, "notifications.sms.message", {{"service", service}});
  } else {
    return undeliverable("no text for the topic");
  }
  return std::optional<ShortMessage>(std::move(out));
}

}  // namespace pratu::notifications
