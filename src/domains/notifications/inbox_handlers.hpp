#pragma once
/// A person's notices in the portal and over the API (docs/adr/0022):
///
// clang-format off
///   GET  /notifications                anyone signed in: their notices, newest first; those shown are read
///   GET  /api/v1/notifications         the same as JSON, with the unread count; reads nothing
///   POST /api/v1/notifications/read    marks their notices up to {"upto": id} read
// clang-format on

#include "domains/notifications/inbox.hpp"
#include "platform/service_directory.hpp"
#include "web/render.hpp"
#include "web/route.hpp"

namespace pratu::notifications {

/// What a notice says to the person it is for, in `locale`, and where it leads.
struct NoticeText {
  std::string text;
  std::string link;  // a path on this site ("/applications/…"), or ""
};

/// The words of `notice` from the strings under notifications.inbox; `agency` when the reader
/// works for an agency (its links lead to the agency's side).
NoticeText describe(const Notice& notice, web::Locale locale, const web::Translations& t,
                    const platform::ServiceDirectory* services, bool agency);

class InboxHandlers {
 public:
  InboxHandlers(Inbox& inbox, const platform::ServiceDirectory* services,
                const web::Renderer& renderer)
      : inbox_(inbox), services_(services), renderer_(renderer) {}
  web::Routes routes();

 private:
  Result<web::Response> page(const web::Request& request, web::RequestContext& context);
  Result<web::Response> list(const web::Request& request, web::RequestContext& context);
  Result<web::Response> read(const web::Request& request, web::RequestContext& context);

  Inbox& inbox_;
  const platform::ServiceDirectory* services_;
  const web::Renderer& renderer_;
};

}  // namespace pratu::notifications
