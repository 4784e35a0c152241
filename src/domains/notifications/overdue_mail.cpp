#include "domains/notifications/overdue_mail.hpp"

#include <boost/json.hpp>

#include "common/civil_date.hpp"
#include "domains/notifications/draft_expiry_mail.hpp"
#include "web/dates.hpp"

namespace pratu::notifications {

namespace json = boost::json;

OverdueMail::OverdueMail(platform::ProfileDirectory& profiles,
                         const platform::ServiceDirectory* services,
                         const web::Translations& translations, std::string public_url)
    : MailComposer(profiles, services, translations, std::move(public_url)) {}

Result<Letter> OverdueMail::compose(const OutboxJob& job) const {
  boost::system::error_code ec;
  const json::value payload = json::parse(job.payload, ec);
  const json::object* fields = ec ? nullptr : payload.if_object();
  auto text = [&](std::string_view name) -> std::string {
    const json::value* v = fields ? fields->if_contains(name) : nullptr;
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  const json::value* user_id = fields ? fields->if_contains("user_id") : nullptr;
  const json::value* status = fields ? fields->if_contains("status") : nullptr;
  const auto due = parse_iso_date(text("due_date"));
  if (!user_id || !user_id->is_int64() || text("application").empty() ||
      text("reference").empty() || text("service").empty() || !due || !status ||
      !status->is_object()) {
    return undeliverable("payload unreadable");
  }
  PRATU_TRY(letter, letter_to(user_id->get_int64()));
  const bool english = letter.locale == web::Locale::en;
  const std::string service = service_name(text("service"), letter.locale);
  std::string state;
  if (const auto* v = status->get_object().if_contains(english ? "en" : "th");
      v && v->is_string()) {
    state = v->get_string();
  }
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
