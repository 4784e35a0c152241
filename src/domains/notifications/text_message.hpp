#pragma once
/// The text messages of the notices that have one (outbox topics "sms." + the notice's topic,
/// written by platform::notify with Channels::sms): a step taken on an application and a
/// message from the agency. One short line in the person's language naming the service and,
/// for a step, the new status. No link: a government text message that never carries one
/// cannot be imitated by one that does (people are told to sign in to Pratu themselves).

#include <optional>
#include <string>

#include "common/result.hpp"
#include "domains/notifications/notifications.hpp"
#include "domains/notifications/sms.hpp"
#include "platform/profile_directory.hpp"
#include "platform/service_directory.hpp"
#include "web/render.hpp"

namespace pratu::notifications {

inline constexpr const char* kStepTakenTextTopic = "sms.applications.step_taken";
inline constexpr const char* kMessageTextTopic = "sms.applications.message";

class TextMessages {
 public:
  /// `services` may be null (then a service is named by its slug).
  TextMessages(platform::ProfileDirectory& profiles, const platform::ServiceDirectory* services,
               const web::Translations& translations)
      : profiles_(profiles), services_(services), translations_(translations) {}

  /// The text for a row of kStepTakenTextTopic or kMessageTextTopic; nullopt when the person
  /// has no mobile number (nothing to send); undeliverable() when the payload is unreadable.
  Result<std::optional<ShortMessage>> compose(const OutboxJob& job) const;

 private:
  platform::ProfileDirectory& profiles_;
  const platform::ServiceDirectory* services_;
  const web::Translations& translations_;
};

}  // namespace pratu::notifications
