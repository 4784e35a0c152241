#pragma once
/// The mail of topic `applications.message`: the agency wrote on an application's thread.
/// Tells the applicant which service and links to the application; what was written stays in
/// the portal.

#include <string>

#include "common/result.hpp"
#include "domains/notifications/draft_expiry_mail.hpp"
#include "domains/notifications/notifications.hpp"
#include "platform/profile_directory.hpp"
#include "platform/service_directory.hpp"
#include "web/render.hpp"

namespace pratu::notifications {

inline constexpr const char* kMessageTopic = "applications.message";

class MessageMail : private MailComposer {
 public:
  /// As DraftExpiryMail: `services` may be null; `public_url` is where people reach Pratu.
  MessageMail(platform::ProfileDirectory& profiles, const platform::ServiceDirectory* services,
              const web::Translations& translations, std::string public_url);

  /// The letter for a row's payload {"user_id", "application", "service"}.
  Result<Letter> compose(const OutboxJob& job) const;
};

}  // namespace pratu::notifications
