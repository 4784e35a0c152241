#include "platform/notices.hpp"

#include "platform/outbox.hpp"

#include <boost/json/serialize.hpp>

#include <string>
#include <vector>

namespace pratu::platform {

Result<void> notify(storage::Connection& c, std::string_view topic,
                    const boost::json::object& payload, std::int64_t at, Channels channels) {
  const auto* user = payload.if_contains("user_id");
  if (user == nullptr || !user->is_int64() || user->as_int64() <= 0) {
    return Error::internal("a notice of " + std::string(topic) + " names nobody");
  }
  std::string application;
  if (const auto* a = payload.if_contains("application"); a != nullptr && a->is_string()) {
    application = std::string(a->get_string());
  }
  const std::string body = boost::json::serialize(payload);
  // One outbox row per channel, so each is retried on its own and never sent again with the
  // other; written with the notice in one statement where the engine can.
  std::vector<std::string> topics;
  if (channels.mail) topics.emplace_back(topic);
  if (channels.sms) topics.push_back("sms." + std::string(topic));
  return outbox::defer_with_outbox(
      c,
      "INSERT INTO notices (user_id, topic, application, payload, created_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {user->as_int64(), std::string(topic), application, body, at}, topics, body, at);
}

}  // namespace pratu::platform
