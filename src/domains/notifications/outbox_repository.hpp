#pragma once
/// The outbox as the dispatcher uses it: claim due rows with a lease, then finish them, each
/// finish guarded by the lease (claimed_by and attempts) so a sender whose lease lapsed and
/// was taken over cannot overwrite the newer claim. Free functions on a connection.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domains/notifications/notifications.hpp"
#include "storage/database.hpp"

namespace pratu::notifications::repository {

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

}  // namespace pratu::notifications::repository
