#include "domains/notifications/step_taken_mail.hpp"

#include <boost/json.hpp>

#include "domains/notifications/draft_expiry_mail.hpp"

namespace pratu::notifications {

namespace json = boost::json;

// What a row says, read and checked, with the applicant's profile.
struct StepTakenMail::Step {
  platform::Profile profile;
  web::Locale locale = web::Locale::th;
  std::string service;        // its name in `locale`, or its slug
  std::string status;         // in `locale`
  std::string next;           // in `locale`; may be empty
  std::string link;           // to the application
  bool terminal = false;      // the application is decided
  bool by_applicant = false;  // the applicant took the step
};

namespace {

// A {"th", "en"} text in `locale`, else in the other language; empty when it has neither.
std::string text_in(const json::value* value, web::Locale locale) {
  const json::object* texts = value ? value->if_object() : nullptr;
  if (!texts) return {};
  auto in = [&](std::string_view code) -> std::string {
    const json::value* v = texts->if_contains(code);
    const json::string* s = v ? v->if_string() : nullptr;
    return s ? std::string(s->c_str()) : std::string();
  };
  std::string wanted = in(web::locale_code(locale));
  return wanted.empty() ? in(locale == web::Locale::en ? "th" : "en") : wanted;
}

}  // namespace

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
  boost::system::error_code ec;
  const json::value payload = json::parse(job.payload, ec);
  const json::object* fields = ec ? nullptr : payload.if_object();
  auto field = [&](std::string_view name) -> const json::value* {
    return fields ? fields->if_contains(name) : nullptr;
  };
  auto flag = [&](std::string_view name, bool& out) {
    const json::value* v = field(name);
    if (!v) return true;  // absent: false
    const bool* b = v->if_bool();
    if (b) out = *b;
    return b != nullptr;
  };
  const json::value* user_id = field("user_id");
  const json::value* application = field("application");
  const json::value* service = field("service");
  Step step;
  if (!user_id || !user_id->if_int64() || !application || !application->if_string() ||
      application->get_string().empty() || !service || !service->if_string() ||
      !flag("terminal", step.terminal) || !flag("by_applicant", step.by_applicant)) {
    return undeliverable("payload unreadable");
  }
  // Read before the profile: a row that can never be sent need not cost a look-up.
  if (text_in(field("status"), web::Locale::th).empty()) {
    return undeliverable("payload unreadable");
  }
  PRATU_TRY(profile, profiles_.profile(user_id->get_int64()));
  if (!profile) return undeliverable("no account");
  step.profile = std::move(*profile);
  step.locale = step.profile.locale == "en" ? web::Locale::en : web::Locale::th;
  const std::string slug(service->get_string().c_str());
  step.service = slug;
  if (const auto* info = services_ ? services_->service(slug) : nullptr) {
    const std::string& name = step.locale == web::Locale::en ? info->name_en : info->name_th;
    if (!name.empty()) step.service = name;
  }
  step.status = text_in(field("status"), step.locale);
  step.next = text_in(field("next"), step.locale);
  step.link = public_url_ + "/applications/" + std::string(application->get_string().c_str());
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
  const char* key = step.by_applicant ? "notifications.step_confirmed"
                    : step.terminal   ? "notifications.step_taken_decided"
                                      : "notifications.step_taken";
  fill_letter(letter, translations_, key,
              {{"service", step.service},
               {"status", step.status},
               {"next", std::move(next)},
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
