#pragma once
/// The mail of topic `applications.overdue`: an application is past its due date while the
/// agency has it. Tells one of the agency's supervisors which application (its reference and
/// service), its status and the date it was due, and links to it in the agency's pages.
/// Nothing of the applicant's.

#include <string>

#include "common/result.hpp"
#include "domains/notifications/draft_expiry_mail.hpp"
#include "domains/notifications/notifications.hpp"
#include "platform/profile_directory.hpp"
#include "platform/service_directory.hpp"
#include "web/render.hpp"

namespace pratu::notifications {

inline constexpr const char* kOverdueTopic = "applications.overdue";

class OverdueMail : private MailComposer {
 public:
  /// As DraftExpiryMail: `services` may be null; `public_url` is where people reach Pratu.
  OverdueMail(platform::ProfileDirectory& profiles, const platform::ServiceDirectory* services,
              const web::Translations& translations, std::string public_url);

  /// The letter for a row's payload {"user_id" (the supervisor), "application", "reference",
  /// "service", "due_date" (YYYY-MM-DD), "status": {"th", "en"}}.
  Result<Letter> compose(const OutboxJob& job) const;
};

}  // namespace pratu::notifications
