#include "storage/postgres/postgres_database.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "storage/postgres/postgres_connection.hpp"

namespace pratu::storage::postgres {
namespace {

using Work = std::function<Result<void>(Connection&)>;

// REPEATABLE READ gives every statement of a read the same snapshot.
constexpr std::string_view kBeginRead =
    "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
constexpr std::string_view kBeginWrite = "BEGIN";

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(const DatabaseSettings& settings, std::unique_ptr<PostgresConnection> first)
      : url_(settings.url),
        connect_timeout_seconds_(settings.connect_timeout_seconds),
        max_connections_(settings.pool_size),
        wait_(settings.busy_timeout_ms),
        open_connections_(1) {
    idle_.push_back(std::move(first));
  }

  Dialect dialect() const override { return Dialect::postgres; }
  using Database::write;
  Result<void> write(const Work& work, Durability durability) override {
    if (durability == Durability::full) return transact(kBeginWrite, work);
    return transact(kBeginWrite, [&](Connection& c) -> Result<void> {
      // This transaction only: its commit returns before the WAL reaches the disk.
      PRATU_CHECK(c.defer("SET LOCAL synchronous_commit = off"));
      return work(c);
    });
  }
  Result<void> read(const Work& work) override { return transact(kBeginRead, work); }
  Result<void> ping() override {
    return read([](Connection& c) -> Result<void> {
      PRATU_CHECK(c.query("SELECT 1", {}));
      return ok();
    });
  }

 private:
  // Gives a connection back to the pool when the transaction is over.
  class Lease {
   public:
    Lease(PostgresDatabase& db, std::unique_ptr<PostgresConnection> connection)
        : db_(db), connection_(std::move(connection)) {}
    ~Lease() { db_.release(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PostgresConnection& operator*() { return *connection_; }
    PostgresConnection* operator->() { return connection_.get(); }

   private:
    PostgresDatabase& db_;
    std::unique_ptr<PostgresConnection> connection_;
  };

  Result<std::unique_ptr<PostgresConnection>> acquire() {
    std::unique_lock lock(mutex_);
    bool available = free_.wait_for(
        lock, wait_, [&] { return !idle_.empty() || open_connections_ < max_connections_; });
    if (!available) {
      return Error::unavailable("no postgres connection free within " +
                                std::to_string(wait_.count()) + " ms (pool_size " +
                                std::to_string(max_connections_) + ")");
    }
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_connections_;
    lock.unlock();
    auto connected = PostgresConnection::connect(url_, connect_timeout_seconds_);
    if (!connected) {
      lock.lock();
      --open_connections_;
      lock.unlock();
      free_.notify_one();
      return connected.error();
    }
    return std::move(*connected);
  }

  void release(std::unique_ptr<PostgresConnection> connection) {
    if (connection && !connection->reusable()) connection->rollback();
    {
      std::lock_guard lock(mutex_);
      if (connection && connection->reusable()) {
        idle_.push_back(std::move(connection));
      } else {
        --open_connections_;
      }
    }
    free_.notify_one();
    // A broken connection, if any, closes here, outside the lock.
  }

  Result<void> transact(std::string_view begin_sql, const Work& work) {
    // A server restart breaks every idle connection; each shows it at BEGIN, before any work.
    for (int attempt = 0;; ++attempt) {
      PRATU_TRY(connection, acquire());
      Lease lease(*this, std::move(connection));
      auto begun = lease->begin(begin_sql);
      if (!begun) {
        if (attempt <= max_connections_ && begun.error().code == ErrorCode::unavailable &&
            !lease->reusable()) {
          continue;
        }
        return begun.error();
      }
      struct RollbackUnlessDone {
        PostgresConnection& connection;
        bool done = false;
        ~RollbackUnlessDone() {
          if (!done) connection.rollback();
        }
      } guard{*lease};
      auto result = work(*lease);
      guard.done = true;
      if (!result) {
        lease->rollback();
        return result.error();
      }
      return lease->commit();
    }
  }

  const std::string url_;
  const int connect_timeout_seconds_;
  const int max_connections_;
  const std::chrono::milliseconds wait_;

  std::mutex mutex_;
  std::condition_variable free_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;
  int open_connections_;
};

}  // namespace

std::string redact_url(std::string_view url) {
  std::string out(url);
  auto scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    auto authority_start = scheme_end + 3;
    auto authority_end = out.find_first_of("/?#", authority_start);
    if (authority_end == std::string::npos) authority_end = out.size();
    auto at = out.rfind('@', authority_end);
    if (at != std::string::npos && at >= authority_start) {
      auto colon = out.find(':', authority_start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    auto value_start = pos + std::string_view("password=").size();
    auto value_end = out.find('&', value_start);
    if (value_end == std::string::npos) value_end = out.size();
    out.replace(value_start, value_end - value_start, "***");
  }
  return out;
}

Result<std::unique_ptr<Database>> open_postgres_database(const DatabaseSettings& settings) {
  PRATU_TRY(first, PostgresConnection::connect(settings.url, settings.connect_timeout_seconds));
  return std::unique_ptr<Database>(std::make_unique<PostgresDatabase>(settings, std::move(first)));
}

}  // namespace pratu::storage::postgres
