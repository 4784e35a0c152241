#pragma once
/// The outbox: work to be done after a transaction commits (a mail to send, a document to
/// issue), queued in that transaction. A worker claims due rows of its topics with a lease,
/// then finishes them, each finish guarded by the lease (claimed_by and attempts) so a worker
/// whose lease lapsed and was taken over cannot overwrite the newer claim. Free functions on a
/// connection; the notifications module sends mail this way, the documents module issues.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::platform::outbox {

/// A claimed outbox row: its `attempts` count this claim, and with `claimed_by` they name
/// the lease that alone may finish it.
struct OutboxJob {
  std::int64_t id = 0;
  std::string topic;
  std::string payload;  // JSON
  int attempts = 0;
  std::int64_t claimed_until = 0;  // when the lease ends (epoch seconds)
};

/// A worker's name for claimed_by, unique among nodes and processes: host/pid/random.
std::string worker_name(Random& random);

/// Queues `payload` (JSON) under `topic`, available at `at`, in `c`'s transaction.
Result<void> enqueue(storage::Connection& c, std::string_view topic, std::string payload,
                     std::int64_t at);

/// Queues the same `payload` under each of `topics` (a notice's channels), in one statement.
Result<void> enqueue_each(storage::Connection& c, const std::vector<std::string>& topics,
                          const std::string& payload, std::int64_t at);

/// Runs the write `sql` (`params` as $1, $2, ...) and queues `payload` under each of `topics`,
/// both deferred (storage::Connection::defer): on PostgreSQL as one statement, the write a
/// `WITH` before the outbox's INSERT; on SQLite one after the other.
Result<void> defer_with_outbox(storage::Connection& c, std::string_view sql,
                               std::vector<storage::Value> params,
                               const std::vector<std::string>& topics, const std::string& payload,
                               std::int64_t at);

/// Claims at most `limit` rows of `topics` that are due at `now` (pending and available, or
/// claimed under a lease that ended before `now`), oldest first: counts an attempt and leases
/// each to `worker` until `lease_until`. PostgreSQL skips rows another transaction is
/// claiming (FOR UPDATE SKIP LOCKED behind a materialised CTE); SQLite has one writer.
Result<std::vector<OutboxJob>> claim_due(storage::Connection& c,
                                         const std::vector<std::string>& topics,
                                         const std::string& worker, std::int64_t now,
                                         std::int64_t lease_until, int limit);

/// Marks `job` done (sent). False when `worker` no longer holds its lease.
Result<bool> finish_sent(storage::Connection& c, const OutboxJob& job, const std::string& worker,
                         std::int64_t now);

/// Puts `job` back to wait until `available_at`, noting `error`. False without the lease.
Result<bool> finish_retry(storage::Connection& c, const OutboxJob& job, const std::string& worker,
                          std::int64_t available_at, const std::string& error);

/// Marks `job` done and dead: given up, `error` says why. False without the lease.
Result<bool> finish_dead(storage::Connection& c, const OutboxJob& job, const std::string& worker,
                         std::int64_t now, const std::string& error);

/// The rows of one topic not yet done (pending, claimed or waiting to retry), and when the
/// oldest of them was queued: the outbox's backlog, for /metrics.
struct PendingTopic {
  std::string topic;
  std::int64_t count = 0;
  std::int64_t oldest_created_at = 0;
};
Result<std::vector<PendingTopic>> pending_by_topic(storage::Connection& c);

}  // namespace pratu::platform::outbox
