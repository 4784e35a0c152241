#include "domains/notifications/step_taken_mail.hpp"

#include <optional>

#include "common/money.hpp"
#include "domains/notifications/draft_expiry_mail.hpp"

namespace pratu::notifications {

// What a row says, read and checked, with the applicant's profile.
struct StepTakenMail::Step {
  platform::Profile profile;
  web::Locale locale = web::Locale::th;
  std::string service;                      // its name in `locale`, or its slug
  std::string status;                       // in `locale`
  std::string next;                         // in `locale`; may be empty
  std::string link;                         // to the application
  bool terminal = false;                    // the application is decided
  bool by_applicant = false;                // the applicant took the step
  std::optional<std::int64_t> paid_satang;  // the payment that took it (ADR 0034)
};

namespace {}  // namespace

StepTakenMail::StepTakenMail(platform::ProfileDirectory& profiles,
                             const platform::ServiceDirectory* services,
                             const web::Translations& translations, std::string public_url)
    : profiles_(profiles),
      services_(services),
      translations_(translations),
      public_url_(std::move(public_url)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

Result<StepTakenMail::Step> StepTakenMail::read(const OutboxJob& job) const {
  const Payload payload = Payload::parse(job.payload);
  const auto user_id = payload.integer("user_id");
  const std::string application = payload.text("application");
  const std::string slug = payload.text("service");
  // A flag is false when absent, and the row unreadable when it is there but no flag.
  auto flag = [&](std::string_view name, bool& out) {
    if (!payload.has(name)) return true;
    const auto value = payload.flag(name);
    if (value) out = *value;
    return value.has_value();
  };
  Step step;
  if (!user_id || application.empty() || slug.empty() || !flag("terminal", step.terminal) ||
      !flag("by_applicant", step.by_applicant)) {
    return undeliverable("payload unreadable");
  }
  // Read before the profile: a row that can never be sent need not cost a look-up.
  if (payload.localized("status", web::Locale::th).empty()) {
    return undeliverable("payload unreadable");
  }
  PRATU_TRY(profile, profiles_.profile(*user_id));
  if (!profile) return undeliverable("no account");
  step.profile = std::move(*profile);
  step.locale = step.profile.locale == "en" ? web::Locale::en : web::Locale::th;
  step.service = slug;
  if (const auto* info = services_ ? services_->service(slug) : nullptr) {
    const std::string& name = step.locale == web::Locale::en ? info->name_en : info->name_th;
    if (!name.empty()) step.service = name;
  }
  step.status = payload.localized("status", step.locale);
  step.next = payload.localized("next", step.locale);
  step.link = public_url_ + "/applications/" + application;
  step.paid_satang = payload.integer("paid_satang");
  return step;
}

Result<Letter> StepTakenMail::compose(const OutboxJob& job) const {
  PRATU_TRY(step, read(job));
  if (step.profile.email.empty()) return undeliverable("no e-mail address");

  Letter letter;
  letter.to_address = step.profile.email;
  letter.to_name = step.profile.given_name;
  if (!step.profile.family_name.empty()) {
    letter.to_name += (letter.to_name.empty() ? "" : " ") + step.profile.family_name;
  }
  letter.locale = step.locale;
  // A line of its own, or nothing: the letter never holds an empty sentence.
  std::string next = step.next.empty()
                         ? std::string()
                         : translations_.format(letter.locale, "notifications.step_taken_next",
                                                {{"next", step.next}});
  const char* key = step.paid_satang    ? "notifications.step_paid"
                    : step.by_applicant ? "notifications.step_confirmed"
                    : step.terminal     ? "notifications.step_taken_decided"
                                        : "notifications.step_taken";
  fill_letter(letter, translations_, key,
              {{"service", step.service},
               {"status", step.status},
               {"next", std::move(next)},
               {"amount", step.paid_satang ? format_baht(*step.paid_satang) : std::string()},
               {"link", step.link}});
  return letter;
}

Result<ShortMessage> StepTakenMail::compose_sms(const OutboxJob& job) const {
  PRATU_TRY(step, read(job));
  auto phone = e164_mobile(step.profile.mobile);
  if (!phone) return undeliverable("no mobile number");
  return ShortMessage{
      std::move(*phone),
      translations_.format(
          step.locale, "notifications.step_taken.sms",
          {{"service", step.service}, {"status", step.status}, {"link", step.link}})};
}

}  // namespace pratu::notifications
