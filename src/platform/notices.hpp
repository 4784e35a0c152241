#pragma once
/// Telling a person of a change: a notice they read in the portal (/notifications) and, for
/// the topics that have one, an outbox row the notifications module turns into an e-mail.
/// Both are written in the caller's transaction, so a change is never made without its
/// notice and a notice never tells of a change that was rolled back (docs/adr/0022).

#include <boost/json/object.hpp>

#include <cstdint>
#include <string_view>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::platform {

/// Where a notice goes besides the portal: by e-mail (an outbox row of the same topic) and
/// by text message where the operator has an SMS provider and the person a mobile number (an
/// outbox row of topic "sms." + the topic).
struct Channels {
  bool mail = true;
  bool sms = false;
};
inline constexpr Channels kPortalOnly{false, false};
inline constexpr Channels kPortalAndMail{true, false};
inline constexpr Channels kEveryChannel{true, true};

/// Tells the person `payload["user_id"]` of `topic` at `at`, inside `c`'s transaction.
/// `payload` names what the text is made from (the application's public id under
/// "application", the service, the status), never the answers or a message's words: the
/// person reads those only once signed in. Internal error when payload names nobody.
Result<void> notify(storage::Connection& c, std::string_view topic,
                    const boost::json::object& payload, std::int64_t at,
                    Channels channels = kPortalAndMail);

}  // namespace pratu::platform
