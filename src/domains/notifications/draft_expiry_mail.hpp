#pragma once
/// The mail of topic `applications.draft_expiring`: an applicant's unfinished draft will be
/// deleted. Says which service, by what date, and links to the draft; nothing else personal.

#include <string>

#include "common/result.hpp"
#include "domains/notifications/notifications.hpp"
#include "platform/profile_directory.hpp"
#include "platform/service_directory.hpp"
#include "web/render.hpp"

namespace pratu::notifications {

inline constexpr const char* kDraftExpiringTopic = "applications.draft_expiring";

/// What the mails of one topic share: whom they are for and the names they use.
class MailComposer {
 protected:
  /// `services` may be null (then a service is named by its slug); `public_url` is where
  /// people reach Pratu ("https://pratu.go.th"), kept without a trailing slash.
  MailComposer(platform::ProfileDirectory& profiles, const platform::ServiceDirectory* services,
               const web::Translations& translations, std::string public_url);

  /// A letter to account `user_id`, in its language (Thai unless it chose English), with no
  /// words yet; undeliverable() when there is no such account or it has no e-mail address.
  Result<Letter> letter_to(std::int64_t user_id) const;
  /// Service `slug`'s name in `locale`, or the slug when the catalogue has no such service.
  std::string service_name(std::string_view slug, web::Locale locale) const;

  platform::ProfileDirectory& profiles_;
  const platform::ServiceDirectory* services_;
  const web::Translations& translations_;
  std::string public_url_;
};

class DraftExpiryMail : private MailComposer {
 public:
  /// `services` may be null (then the service is named by its slug); `public_url` is where
  /// people reach Pratu ("https://pratu.go.th").
  DraftExpiryMail(platform::ProfileDirectory& profiles, const platform::ServiceDirectory* services,
                  const web::Translations& translations, std::string public_url);

  /// The letter for a row's payload {"user_id", "application", "service", "deleted_after"}.
  Result<Letter> compose(const OutboxJob& job) const;
};

/// Subject, text and HTML of a letter from the locale keys `<key>.subject`, `<key>.text` and
/// `<key>.html`, with `{name}` placeholders filled in (escaped for the HTML part); the HTML
/// part is a whole document in the letter's language.
void fill_letter(Letter& letter, const web::Translations& translations, std::string_view key,
                 std::initializer_list<std::pair<std::string_view, std::string>> args);

}  // namespace pratu::notifications
