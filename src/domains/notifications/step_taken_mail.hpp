#pragma once
/// The mail of topic `applications.step_taken`: a step was taken on an application. Tells the
/// applicant which service, its new status and what happens next, and links to the
/// application; the reason, the officer and the answers stay in the portal.

#include <string>

#include "common/result.hpp"
#include "domains/notifications/notifications.hpp"
#include "domains/notifications/sms.hpp"
#include "platform/profile_directory.hpp"
#include "platform/service_directory.hpp"
#include "web/render.hpp"

namespace pratu::notifications {

inline constexpr const char* kStepTakenTopic = "applications.step_taken";

class StepTakenMail {
 public:
  /// `services` may be null (then the service is named by its slug); `public_url` is where
  /// people reach Pratu ("https://pratu.go.th").
  StepTakenMail(platform::ProfileDirectory& profiles, const platform::ServiceDirectory* services,
                const web::Translations& translations, std::string public_url);

  /// The letter for a row's payload {"user_id", "application", "service", "status": {"th",
  /// "en"}, "next": {"th", "en"}, "terminal", "by_applicant"}: the agency's step, its decision
  /// (terminal), or a confirmation of the applicant's own step (by_applicant).
  Result<Letter> compose(const OutboxJob& job) const;

  /// The one-line text message for the same payload, to the account's mobile number;
  /// undeliverable() without one.
  Result<ShortMessage> compose_sms(const OutboxJob& job) const;

 private:
  struct Step;
  Result<Step> read(const OutboxJob& job) const;

  platform::ProfileDirectory& profiles_;
  const platform::ServiceDirectory* services_;
  const web::Translations& translations_;
  std::string public_url_;
};

}  // namespace pratu::notifications
