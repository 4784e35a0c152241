#include "platform/outbox.hpp"

#include <unistd.h>

#include <algorithm>

namespace pratu::platform::outbox {

namespace {

// "$first, $first+1, ..." for `count` parameters.
std::string placeholders(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out;
}

// Due: pending and available, or leased to someone whose lease has ended.
constexpr std::string_view kDue =
    "done_at IS NULL AND ((claimed_until IS NULL AND available_at <= $1) "
    "OR claimed_until < $1)";

}  // namespace

std::string worker_name(Random& random) {
  char host[256] = "";
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + "/" + std::to_string(getpid()) + "/" + random.token(4);
}

namespace {

// The outbox's INSERT of `payload` under each of `topics`, its parameters appended to `params`.
std::string outbox_insert(std::vector<storage::Value>& params,
                          const std::vector<std::string>& topics, const std::string& payload,
                          std::int64_t at) {
  params.emplace_back(payload);
  const std::string payload_at = "$" + std::to_string(params.size());
  params.emplace_back(at);
  const std::string at_at = "$" + std::to_string(params.size());
  std::string rows;
  for (const auto& topic : topics) {
    params.emplace_back(topic);
    if (!rows.empty()) rows += ", ";
    rows += "($" + std::to_string(params.size()) + ", " + payload_at + ", " + at_at + ", " + at_at +
            ")";
  }
  return "INSERT INTO outbox (topic, payload, created_at, available_at) VALUES " + rows;
}

}  // namespace

Result<void> enqueue_each(storage::Connection& c, const std::vector<std::string>& topics,
                          const std::string& payload, std::int64_t at) {
  if (topics.empty()) return ok();
  std::vector<storage::Value> params;
  const std::string sql = outbox_insert(params, topics, payload, at);
  return c.defer(sql, params);
}

Result<void> enqueue(storage::Connection& c, std::string_view topic, std::string payload,
                     std::int64_t at) {
  return enqueue_each(c, {std::string(topic)}, payload, at);
}

Result<void> defer_with_outbox(storage::Connection& c, std::string_view sql,
                               std::vector<storage::Value> params,
                               const std::vector<std::string>& topics, const std::string& payload,
                               std::int64_t at) {
  if (topics.empty() || c.dialect() != storage::Dialect::postgres) {
    PRATU_CHECK(c.defer(sql, params));
    return enqueue_each(c, topics, payload, at);
  }
  // A data-modifying WITH runs whether or not the statement reads it.
  const std::string outbox = outbox_insert(params, topics, payload, at);
  return c.defer("WITH written AS (" + std::string(sql) + ") " + outbox, params);
}

Result<std::vector<OutboxJob>> claim_due(storage::Connection& c,
                                         const std::vector<std::string>& topics,
                                         const std::string& worker, std::int64_t now,
                                         std::int64_t lease_until, int limit) {
  if (topics.empty() || limit <= 0) return std::vector<OutboxJob>{};
  std::vector<storage::Value> params{now, worker, lease_until, std::int64_t{limit}};
  for (const auto& topic : topics) params.emplace_back(topic);
  const std::string in_topics = "topic IN (" + placeholders(5, topics.size()) + ")";
  std::string sql;
  if (c.dialect() == storage::Dialect::postgres) {
    // The fence keeps the planner from running the LIMITed subquery more than once (which
    // could claim more rows than asked); SKIP LOCKED lets nodes claim side by side.
    sql = "WITH due AS MATERIALIZED (SELECT id FROM outbox WHERE " + std::string(kDue) + " AND " +
          in_topics +
          " ORDER BY available_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) "
          "UPDATE outbox o SET attempts = o.attempts + 1, claimed_by = $2, claimed_until = $3 "
          "FROM due WHERE o.id = due.id RETURNING o.id, o.topic, o.payload, o.attempts, "
          "o.claimed_until";
  } else {
    // One statement in the single writer's transaction (BEGIN IMMEDIATE): nobody claims beside it.
    sql =
        "UPDATE outbox SET attempts = attempts + 1, claimed_by = $2, claimed_until = $3 "
        "WHERE id IN (SELECT id FROM outbox WHERE " +
        std::string(kDue) + " AND " + in_topics +
        " ORDER BY available_at, id LIMIT $4) RETURNING id, topic, payload, attempts, "
        "claimed_until";
  }
  PRATU_TRY(rows, c.query(sql, std::span<const storage::Value>(params)));
  std::vector<OutboxJob> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back(
        {row.int64(0), row.text(1), row.text(2), static_cast<int>(row.int64(3)), row.int64(4)});
  }
  // RETURNING gives no order; the oldest go first.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

Result<bool> finish_sent(storage::Connection& c, const OutboxJob& job, const std::string& worker,
                         std::int64_t now) {
  PRATU_TRY(changed, c.execute("UPDATE outbox SET done_at = $1, claimed_until = NULL, "
                               "last_error = NULL WHERE id = $2 AND claimed_by = $3 "
                               "AND attempts = $4 AND done_at IS NULL",
                               {now, job.id, worker, std::int64_t{job.attempts}}));
  return changed == 1;
}

Result<bool> finish_retry(storage::Connection& c, const OutboxJob& job, const std::string& worker,
                          std::int64_t available_at, const std::string& error) {
  PRATU_TRY(changed, c.execute("UPDATE outbox SET available_at = $1, claimed_by = NULL, "
                               "claimed_until = NULL, last_error = $2 WHERE id = $3 "
                               "AND claimed_by = $4 AND attempts = $5 AND done_at IS NULL",
                               {available_at, error, job.id, worker, std::int64_t{job.attempts}}));
  return changed == 1;
}

Result<bool> finish_dead(storage::Connection& c, const OutboxJob& job, const std::string& worker,
                         std::int64_t now, const std::string& error) {
  PRATU_TRY(changed, c.execute("UPDATE outbox SET done_at = $1, claimed_until = NULL, "
                               "last_error = $2 WHERE id = $3 AND claimed_by = $4 "
                               "AND attempts = $5 AND done_at IS NULL",
                               {now, error, job.id, worker, std::int64_t{job.attempts}}));
  return changed == 1;
}

Result<std::vector<PendingTopic>> pending_by_topic(storage::Connection& c) {
  PRATU_TRY(rows, c.query("SELECT topic, COUNT(*), MIN(created_at) FROM outbox "
                          "WHERE done_at IS NULL GROUP BY topic ORDER BY topic"));
  std::vector<PendingTopic> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.int64(1), r.int64(2)});
  return out;
}

}  // namespace pratu::platform::outbox
