#include "domains/notifications/text_message.hpp"

#include <boost/json.hpp>

namespace pratu::notifications {

namespace json = boost::json;

Result<std::optional<ShortMessage>> TextMessages::compose(const OutboxJob& job) const {
  boost::system::error_code ec;
  const json::value payload = json::parse(job.payload, ec);
  const json::object* fields = ec ? nullptr : payload.if_object();
  auto text = [&](const json::object* in, std::string_view name) -> std::string {
    const json::value* v = in ? in->if_contains(name) : nullptr;
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  const json::value* user_id = fields ? fields->if_contains("user_id") : nullptr;
  if (!user_id || !user_id->is_int64() || text(fields, "service").empty()) {
    return undeliverable("payload unreadable");
  }
  PRATU_TRY(profile, profiles_.profile(user_id->get_int64()));
  if (!profile || profile->mobile.empty()) return std::optional<ShortMessage>();
  auto phone = e164_mobile(profile->mobile);
  if (!phone) return std::optional<ShortMessage>();
  const web::Locale locale = profile->locale == "en" ? web::Locale::en : web::Locale::th;
  std::string service = text(fields, "service");
  if (const auto* info = services_ != nullptr ? services_->service(service) : nullptr) {
    service = locale == web::Locale::en ? info->name_en : info->name_th;
  }
  ShortMessage out;
  out.to_phone = *phone;
  if (job.topic == kStepTakenTextTopic) {
    const json::value* status = fields->if_contains("status");
    std::string said =
        text(status ? status->if_object() : nullptr, locale == web::Locale::en ? "en" : "th");
    if (said.empty()) said = text(status ? status->if_object() : nullptr, "th");
    out.text = translations_.format(locale, "notifications.sms.step_taken",
                                    {{"service", service}, {"status", said}});
  } else if (job.topic == kMessageTextTopic) {
    out.text = translations_.format(locale, "notifications.sms.message", {{"service", service}});
  } else {
    return undeliverable("no text for the topic");
  }
  return std::optional<ShortMessage>(std::move(out));
}

}  // namespace pratu::notifications
