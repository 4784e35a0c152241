#include "domains/notifications/notifications_module.hpp"

#include "crypto/digest.hpp"
#include "domains/notifications/document_mail.hpp"
#include "domains/notifications/draft_expiry_mail.hpp"
#include "domains/notifications/inbox.hpp"
#include "domains/notifications/inbox_handlers.hpp"
#include "domains/notifications/mail_message.hpp"
#include "domains/notifications/mail_transport.hpp"
#include "domains/notifications/message_mail.hpp"
#include "domains/notifications/outbox_dispatcher.hpp"
#include "domains/notifications/overdue_mail.hpp"
#include "domains/notifications/step_taken_mail.hpp"
#include "domains/notifications/text_message.hpp"
#include "storage/server_secrets.hpp"

namespace pratu::notifications {

namespace {

// Rounds of one batch each a poll may run, so a backlog drains without holding the
// housekeeping thread for long.
constexpr int kRoundsPerPoll = 10;

platform::Setting address(std::string key, std::string description, std::string& field) {
  return {std::move(key), std::move(description), [&field] { return field; },
          [&field](const std::string& v) -> std::optional<std::string> {
            if (!is_sendable_address(v)) return "must be an ASCII e-mail address (name@domain)";
            field = v;
            return std::nullopt;
          }};
}

// A bearer token: may be empty; goes into a header, so no spaces or control characters.
platform::Setting header_token(std::string key, std::string description, std::string& field) {
  return {std::move(key), std::move(description), [&field] { return field; },
          [&field](const std::string& v) -> std::optional<std::string> {
            // Never echo the value: it is a secret.
            for (char c : v) {
              if (c <= ' ' || c == 0x7f) return "must not contain spaces or control characters";
            }
            field = v;
            return std::nullopt;
          }};
}

}  // namespace

NotificationsModule::NotificationsModule() = default;
NotificationsModule::~NotificationsModule() = default;

std::vector<platform::SettingsSection> NotificationsModule::settings() {
  using platform::boolean;
  using platform::integer;
  using platform::text;
  auto& s = settings_;
  auto& sms = sms_settings_;
  return {
      {"notifications",
       {boolean("enabled", "Deliver notifications from the outbox (off: they wait there)",
                s.enabled),
        text("transport", "How mail leaves: spool (each message an .eml file in spool_dir) or smtp",
             s.transport, {"spool", "smtp"}),
        text("spool_dir", "Directory the spool transport writes messages to", s.spool_dir),
        text("smtp_url",
             "SMTP server: smtp://host:port (STARTTLS when offered) or smtps://host:port",
             s.smtp.url),
        text("smtp_tls", "STARTTLS on an smtp:// URL: try (when offered) or require", s.smtp.tls,
             {"try", "require"}),
        platform::optional_text("smtp_username", "SMTP login (empty: no AUTH)", s.smtp.username),
        platform::optional_text("smtp_password", "SMTP password", s.smtp.password),
        integer("smtp_connect_timeout_seconds", "Time allowed to connect to the SMTP server",
                s.smtp.connect_timeout_seconds, 1, 300),
        integer("smtp_timeout_seconds", "Time allowed for sending one message, all in all",
                s.smtp.timeout_seconds, 1, 600),
        address("from_address", "The address mail is sent from", s.from_address),
        text("from_name", "The sender's display name", s.from_name),
        text("message_id_domain", "Domain on the right of every Message-ID (the sending domain)",
             s.message_id_domain),
        integer("batch_size", "Outbox rows one node claims at once", s.batch_size, 1, 1000),
        integer("lease_seconds",
                "How long a claim holds before another node may take the rows over",
                s.lease_seconds, 10, 86400),
        integer("poll_seconds", "How often each node looks for mail to send", s.poll_seconds, 1,
                3600),
        integer("retry_seconds",
                "Wait before the first retry of a failed send; each retry waits twice as long, "
                "up to 6 hours",
                s.retry_seconds, 1, 3600),
        text("sms_provider",
             "How text messages leave: none, log (a log line without the number or the text) or "
             "http (sms_url)",
             sms.provider, {"none", "log", "http"}),
        platform::optional_text(
            "sms_url", "SMS gateway endpoint (http:// or https://) that is POSTed JSON {to, text}",
            sms.url),
        header_token("sms_token", "Bearer token for the SMS gateway (empty: none)", sms.token)},
       [&s, &sms]() -> std::optional<std::string> {
         // Each claimed row must be sent before its lease ends, or another node sends it too.
         if (s.lease_seconds <= s.batch_size * s.smtp.timeout_seconds) {
           return "notifications.lease_seconds must exceed batch_size x smtp_timeout_seconds";
         }
         if (s.message_id_domain.find_first_of("@<> \t\r\n") != std::string::npos) {
           return "notifications.message_id_domain must be a domain name";
         }
         if (sms.provider == "http" && sms.url.rfind("http://", 0) != 0 &&
             sms.url.rfind("https://", 0) != 0) {
           return "notifications.sms_url must be an http:// or https:// URL when sms_provider is "
                  "http";
         }
         return std::nullopt;
       }}};
}

Result<void> NotificationsModule::start(platform::Shared& shared) {
  PRATU_TRY(profiles, shared.services.need<platform::ProfileDirectory>(name()));
  const auto* services = shared.services.find<platform::ServiceDirectory>();
  // The Message-ID's key: random, made by the first node, the same for all.
  PRATU_TRY(key, storage::shared_secret(shared.db, "notifications_message_id", [&shared] {
              return crypto::to_hex(shared.random.bytes(32));
            }));
  if (settings_.transport == "smtp") {
    transport_ = make_smtp_transport(settings_.smtp);
  } else {
    transport_ = make_spool_transport(settings_.spool_dir);
  }
  sms_ = make_sms_provider(sms_settings_);
  draft_expiry_ = std::make_unique<DraftExpiryMail>(*profiles, services, shared.translations,
                                                    shared.settings.public_url);
  step_taken_ = std::make_unique<StepTakenMail>(*profiles, services, shared.translations,
                                                shared.settings.public_url);
  dispatcher_ =
      std::make_unique<OutboxDispatcher>(shared.db, shared.clock, shared.random, *transport_,
                                         settings_, std::move(key), worker_name(shared.random));
  dispatcher_->add_topic(kDraftExpiringTopic,
                         [this](const OutboxJob& job) { return draft_expiry_->compose(job); });
  dispatcher_->add_topic(kStepTakenTopic,
                         [this](const OutboxJob& job) { return step_taken_->compose(job); });
  overdue_ = std::make_unique<OverdueMail>(*profiles, services, shared.translations,
                                           shared.settings.public_url);
  dispatcher_->add_topic(kOverdueTopic,
                         [this](const OutboxJob& job) { return overdue_->compose(job); });
  message_ = std::make_unique<MessageMail>(*profiles, services, shared.translations,
                                           shared.settings.public_url);
  dispatcher_->add_topic(kMessageTopic,
                         [this](const OutboxJob& job) { return message_->compose(job); });
  documents_ = std::make_unique<DocumentMail>(*profiles, services, shared.translations,
                                              shared.settings.public_url);
  for (const char* topic :
       {kDocumentIssuedTopic, kDocumentStatusTopic, kDocumentDeliveredTopic, kReceiptIssuedTopic}) {
    dispatcher_->add_topic(topic,
                           [this](const OutboxJob& job) { return documents_->compose(job); });
  }
  // Text messages where the operator configured a provider (sms_ is null for "none").
  texts_ = std::make_unique<TextMessages>(*profiles, services, shared.translations);
  for (const char* topic : {kStepTakenTextTopic, kMessageTextTopic}) {
    dispatcher_->add_text_topic(
        topic, [this](const OutboxJob& job) { return texts_->compose(job); }, sms_.get());
  }
  inbox_ = std::make_unique<Inbox>(shared.db, shared.clock);
  if (shared.renderer != nullptr) {
    inbox_handlers_ = std::make_unique<InboxHandlers>(*inbox_, services, *shared.renderer);
  }
  return ok();
}

web::Routes NotificationsModule::routes() {
  return inbox_handlers_ ? inbox_handlers_->routes() : web::Routes{};
}

std::vector<platform::PeriodicTask> NotificationsModule::housekeeping() {
  std::vector<platform::PeriodicTask> tasks;
  // Old notices go whether or not mail is sent (several nodes deleting the same rows is harmless).
  tasks.push_back(
      {"notifications: forget old notices", std::chrono::hours(6), [this]() -> Result<void> {
         PRATU_TRY(gone, inbox_->sweep());
         (void)gone;
         return ok();
       }});
  if (!settings_.enabled) return tasks;
  // Several nodes at once are safe: each row is claimed by one of them under a lease.
  tasks.push_back({"notifications: deliver the outbox",
                   std::chrono::seconds(settings_.poll_seconds), [this]() -> Result<void> {
                     for (int round = 0; round < kRoundsPerPoll; ++round) {
                       PRATU_TRY(counts, dispatcher_->run_once());
                       if (counts.claimed < settings_.batch_size) break;
                     }
                     return ok();
                   }});
  return tasks;
}

}  // namespace pratu::notifications
