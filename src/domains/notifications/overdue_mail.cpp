#include "domains/notifications/overdue_mail.hpp"

#include "common/civil_date.hpp"
#include "domains/notifications/draft_expiry_mail.hpp"
#include "web/dates.hpp"

namespace pratu::notifications {

OverdueMail::OverdueMail(platform::ProfileDirectory& profiles,
                         const platform::ServiceDirectory* services,
                         const web::Translations& translations, std::string public_url)
    : MailComposer(profiles, services, translations, std::move(public_url)) {}

Result<Letter> OverdueMail::compose(const OutboxJob& job) const {
  const Payload payload = Payload::parse(job.payload);
  auto text = [&](std::string_view name) { return payload.text(name); };
  const auto user_id = payload.integer("user_id");
  const auto due = parse_iso_date(text("due_date"));
  if (!user_id || text("application").empty() || text("reference").empty() ||
      text("service").empty() || !due) {
    return undeliverable("payload unreadable");
  }
  PRATU_TRY(letter, letter_to(*user_id));
  const std::string service = service_name(text("service"), letter.locale);
  const std::string state = payload.localized("status", letter.locale);
  if (state.empty()) return undeliverable("payload unreadable");
  fill_letter(
      letter, translations_, "notifications.overdue",
      {{"reference", text("reference")},
       {"service", service},
       {"status", state},
       {"date", web::format_date(letter.locale, std::chrono::duration_cast<std::chrono::seconds>(
                                                    std::chrono::sys_days(*due).time_since_epoch())
                                                    .count())},
       {"link", public_url_ + "/agency/applications/" + text("application")}});
  return letter;
}

}  // namespace pratu::notifications
