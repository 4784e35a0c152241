#pragma once
/// Delivers outbox rows of the topics it knows (reference/workflows.md §4): claims a batch
/// with a lease and commits, composes and sends each outside any transaction, then finishes
/// it under the lease: sent, back to pending with a jittered backoff, or dead after a
/// permanent failure or kMaxAttempts attempts. At least once: a send whose finish was lost
/// is sent again, with the same Message-ID.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "domains/notifications/mail_transport.hpp"
#include "domains/notifications/notifications.hpp"
#include "domains/notifications/sms.hpp"
#include "storage/database.hpp"

namespace pratu::notifications {

/// Turns a row of one topic into a letter; undeliverable() when it never can be.
using Composer = std::function<Result<Letter>(const OutboxJob&)>;
/// Turns a row into a text message; nullopt when there is nothing to send (no mobile number).
using TextComposer = std::function<Result<std::optional<ShortMessage>>(const OutboxJob&)>;

/// What one round did.
struct DispatchCounts {
  int claimed = 0;
  int sent = 0;
  int retried = 0;
  int dead = 0;
  int lost = 0;  // finished by nobody: the lease had passed to another sender
  int left = 0;  // not sent: too little of the lease was left (claimed again when it ends)
};

class OutboxDispatcher {
 public:
  /// `message_id_key` keys the Message-ID's token; `worker` names this sender in claimed_by.
  OutboxDispatcher(storage::Database& db, const Clock& clock, Random& random,
                   MailTransport& transport, const NotificationSettings& settings,
                   std::string message_id_key, std::string worker);

  /// Delivers rows of `topic` with `composer` (call before the first round).
  void add_topic(std::string topic, Composer composer);
  /// Delivers rows of `topic` as text messages through `provider`; with no provider (none
  /// configured) each row is finished unsent, as when the person has no mobile number.
  void add_text_topic(std::string topic, TextComposer composer, SmsProvider* provider);

  /// Claims up to batch_size due rows and commits the claim.
  Result<std::vector<OutboxJob>> claim();
  /// Sends each claimed job and finishes it under its lease.
  Result<DispatchCounts> deliver(const std::vector<OutboxJob>& jobs);
  /// claim() then deliver().
  Result<DispatchCounts> run_once();

  /// The Message-ID of row `outbox_id`: the same on every attempt, unguessable, and unique
  /// to this database ("ob-42.9c1e…@example.go.th").
  std::string message_id(std::int64_t outbox_id) const;
  /// Who this sender is in claimed_by.
  const std::string& worker() const { return worker_; }

 private:
  Result<void> finish(const OutboxJob& job, Delivery delivery, const std::string& detail,
                      DispatchCounts& counts);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  MailTransport& transport_;
  const NotificationSettings& settings_;
  std::string message_id_key_;
  std::string worker_;
  /// Sends the text message of `job`; what became of it.
  Result<SendResult> send_text(const OutboxJob& job);

  std::map<std::string, Composer, std::less<>> composers_;
  struct TextTopic {
    TextComposer composer;
    SmsProvider* provider = nullptr;
  };
  std::map<std::string, TextTopic, std::less<>> text_topics_;
};

using platform::outbox::worker_name;

}  // namespace pratu::notifications
