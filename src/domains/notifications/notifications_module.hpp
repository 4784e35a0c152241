#pragma once
/// Notifications as a module: delivers outbox rows by e-mail, in the recipient's language.
/// A new kind of mail is a topic, a composer and its strings (docs/adr/0018).

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
class MessageMail;

class NotificationsModule final : public platform::Module {
 public:
  NotificationsModule();
  ~NotificationsModule() override;

  std::string_view name() const override { return "notifications"; }
  std::vector<platform::SettingsSection> settings() override;
  Result<void> start(platform::Shared& shared) override;
  std::vector<platform::PeriodicTask> housekeeping() override;

 private:
  NotificationSettings settings_;
  SmsSettings sms_settings_;
  std::unique_ptr<MailTransport> transport_;
  // The text-message channel, made at start; nothing sends through it yet (the dispatcher
  // delivers mail only).
  std::unique_ptr<SmsProvider> sms_;
  std::unique_ptr<DraftExpiryMail> draft_expiry_;
  std::unique_ptr<StepTakenMail> step_taken_;
  std::unique_ptr<OverdueMail> overdue_;
  std::unique_ptr<MessageMail> message_;
  std::unique_ptr<OutboxDispatcher> dispatcher_;
};

}  // namespace pratu::notifications
