#include "domains/notifications/outbox_dispatcher.hpp"

#include <unistd.h>

#include <cstring>

#include "common/log.hpp"
#include "crypto/digest.hpp"
#include "domains/notifications/mail_message.hpp"
#include "platform/outbox.hpp"

namespace pratu::notifications {

namespace {

// A uniform number in [0, 1) from eight random bytes.
double unit_interval(Random& random) {
  const std::string bytes = random.bytes(8);
  std::uint64_t v = 0;
  std::memcpy(&v, bytes.data(), std::min<std::size_t>(bytes.size(), sizeof v));
  return static_cast<double>(v >> 11) / static_cast<double>(std::uint64_t{1} << 53);
}

}  // namespace

OutboxDispatcher::OutboxDispatcher(storage::Database& db, const Clock& clock, Random& random,
                                   MailTransport& transport, const NotificationSettings& settings,
                                   std::string message_id_key, std::string worker)
    : db_(db),
      clock_(clock),
      random_(random),
      transport_(transport),
      settings_(settings),
      message_id_key_(std::move(message_id_key)),
      worker_(std::move(worker)) {}

void OutboxDispatcher::add_topic(std::string topic, Composer composer) {
  composers_[std::move(topic)] = std::move(composer);
}

std::string OutboxDispatcher::message_id(std::int64_t outbox_id) const {
  const std::string id = std::to_string(outbox_id);
  // Keyed by a secret made once per database: fixed per row, yet not guessable from its id.
  const std::string token = crypto::hmac_sha256_hex(message_id_key_, "outbox:" + id).substr(0, 20);
  return "ob-" + id + "." + token + "@" + settings_.message_id_domain;
}

Result<std::vector<OutboxJob>> OutboxDispatcher::claim() {
  std::vector<std::string> topics;
  for (const auto& [topic, composer] : composers_) topics.push_back(topic);
  for (const auto& [topic, text] : text_topics_) topics.push_back(topic);
  const std::int64_t now = clock_.now_seconds();
  return db_.write_value<std::vector<OutboxJob>>([&](storage::Connection& c) {
    return platform::outbox::claim_due(c, topics, worker_, now, now + settings_.lease_seconds,
                                       settings_.batch_size);
  });
}

Result<DispatchCounts> OutboxDispatcher::deliver(const std::vector<OutboxJob>& jobs) {
  DispatchCounts counts;
  counts.claimed = static_cast<int>(jobs.size());
  for (const auto& job : jobs) {
    // A lease that could end while sending would let another node send it too: leave the
    // row to be claimed again.
    if (clock_.now_seconds() + settings_.smtp.timeout_seconds >= job.claimed_until) {
      ++counts.left;
      continue;
    }
    if (job.attempts > kMaxAttempts) {
      // Its last attempt's lease ran out without a finish (a crash mid-send).
      PRATU_CHECK(finish(job, Delivery::permanent, "attempts exhausted", counts));
      continue;
    }
    if (text_topics_.contains(job.topic)) {
      auto sent = send_text(job);
      if (!sent) {
        if (is_undeliverable(sent.error())) {
          PRATU_CHECK(finish(job, Delivery::permanent, sent.error().detail, counts));
        } else {
          log::warn("notifications: could not compose a text message", {},
                    {{"outbox_id", std::to_string(job.id)}, {"error", sent.error().detail}});
          PRATU_CHECK(finish(job, Delivery::retryable, "could not compose", counts));
        }
        continue;
      }
      PRATU_CHECK(finish(job, sent->delivery, sent->detail, counts));
      continue;
    }
    auto composer = composers_.find(job.topic);
    if (composer == composers_.end()) {
      PRATU_CHECK(finish(job, Delivery::retryable, "no composer for the topic", counts));
      continue;
    }
    auto letter = composer->second(job);
    if (!letter) {
      if (is_undeliverable(letter.error())) {
        PRATU_CHECK(finish(job, Delivery::permanent, letter.error().detail, counts));
      } else {
        log::warn("notifications: could not compose a message", {},
                  {{"outbox_id", std::to_string(job.id)}, {"error", letter.error().detail}});
        PRATU_CHECK(finish(job, Delivery::retryable, "could not compose", counts));
      }
      continue;
    }
    MailMessage message{.from = {settings_.from_address, settings_.from_name},
                        .to = {letter->to_address, letter->to_name},
                        .subject = letter->subject,
                        .date = clock_.now_seconds(),
                        .message_id = message_id(job.id),
                        .text = letter->text,
                        .html = letter->html};
    auto bytes = build_message(message);
    if (!bytes) {
      PRATU_CHECK(finish(job, Delivery::permanent, "address cannot be sent", counts));
      continue;
    }
    const auto result =
        transport_.send({settings_.from_address, letter->to_address, message.message_id}, *bytes);
    PRATU_CHECK(finish(job, result.delivery, result.detail, counts));
  }
  return counts;
}

void OutboxDispatcher::add_text_topic(std::string topic, TextComposer composer,
                                      SmsProvider* provider) {
  text_topics_.insert_or_assign(std::move(topic), TextTopic{std::move(composer), provider});
}

Result<SendResult> OutboxDispatcher::send_text(const OutboxJob& job) {
  const TextTopic& topic = text_topics_.find(job.topic)->second;
  // Nothing to send is done: no provider configured, or nobody's number to send to.
  if (topic.provider == nullptr) return SendResult{Delivery::sent, "no text-message provider"};
  PRATU_TRY(message, topic.composer(job));
  if (!message) return SendResult{Delivery::sent, "no mobile number"};
  return topic.provider->send(message->to_phone, message->text);
}

Result<DispatchCounts> OutboxDispatcher::run_once() {
  PRATU_TRY(jobs, claim());
  return deliver(jobs);
}

Result<void> OutboxDispatcher::finish(const OutboxJob& job, Delivery delivery,
                                      const std::string& detail, DispatchCounts& counts) {
  const std::int64_t now = clock_.now_seconds();
  if (delivery == Delivery::retryable && job.attempts >= kMaxAttempts) {
    delivery = Delivery::permanent;
  }
  PRATU_TRY(held, db_.write_value<bool>([&](storage::Connection& c) -> Result<bool> {
    switch (delivery) {
      case Delivery::sent: return platform::outbox::finish_sent(c, job, worker_, now);
      case Delivery::retryable: {
        const auto delay =
            retry_delay(job.attempts, unit_interval(random_), settings_.retry_seconds);
        return platform::outbox::finish_retry(c, job, worker_, now + delay.count(), detail);
      }
      case Delivery::permanent: break;
    }
    return platform::outbox::finish_dead(c, job, worker_, now, detail);
  }));
  if (!held) {
    ++counts.lost;
    log::info("notifications: an outbox row's lease had passed to another sender", {},
              {{"outbox_id", std::to_string(job.id)}});
    return ok();
  }
  switch (delivery) {
    case Delivery::sent: ++counts.sent; break;
    case Delivery::retryable: ++counts.retried; break;
    case Delivery::permanent:
      ++counts.dead;
      // Ids and our own words only: never the address, the name or the server's reply.
      log::warn("notifications: gave up on an outbox row", {},
                {{"outbox_id", std::to_string(job.id)},
                 {"topic", job.topic},
                 {"attempts", std::to_string(job.attempts)},
                 {"reason", detail}});
      break;
  }
  return ok();
}

}  // namespace pratu::notifications
