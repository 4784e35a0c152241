#pragma once
/// Notifications as a module: delivers outbox rows by e-mail, in the recipient's language, and
/// shows each person their notices in the portal (/notifications). A new kind of mail is a
/// topic, a composer and its strings (docs/adr/0018); a notice's words are in describe()
/// (docs/adr/0022).

#include <memory>

#include "domains/notifications/notifications.hpp"
#include "domains/notifications/sms.hpp"
#include "platform/module.hpp"

namespace pratu::notifications {

class MailTransport;
class OutboxDispatcher;
class DraftExpiryMail;
class StepTakenMail;
class OverdueMail;
class DocumentMail;
class MessageMail;
class Inbox;
class TextMessages;
class InboxHandlers;

class NotificationsModule final : public platform::Module {
 public:
  NotificationsModule();
  ~NotificationsModule() override;

  std::string_view name() const override { return "notifications"; }
  std::vector<platform::SettingsSection> settings() override;
  Result<void> start(platform::Shared& shared) override;
  web::Routes routes() override;
  std::vector<platform::PeriodicTask> housekeeping() override;

 private:
  NotificationSettings settings_;
  SmsSettings sms_settings_;
  std::unique_ptr<MailTransport> transport_;
  // The text-message channel, made at start; null when the operator chose "none".
  std::unique_ptr<SmsProvider> sms_;
  std::unique_ptr<TextMessages> texts_;
  std::unique_ptr<DraftExpiryMail> draft_expiry_;
  std::unique_ptr<StepTakenMail> step_taken_;
  std::unique_ptr<OverdueMail> overdue_;
  std::unique_ptr<DocumentMail> documents_;
  std::unique_ptr<MessageMail> message_;
  std::unique_ptr<OutboxDispatcher> dispatcher_;
  std::unique_ptr<Inbox> inbox_;
  std::unique_ptr<InboxHandlers> inbox_handlers_;
};

}  // namespace pratu::notifications
