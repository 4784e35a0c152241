#include "storage/sqlite/sqlite_database.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_connection.hpp"

namespace pratu::storage::sqlite {
namespace {

using Work = std::function<Result<void>(Connection&)>;

// Runs `work` between `begin_sql` and COMMIT; rolls back on failure, or if `work` throws.
Result<void> run_transaction(SqliteConnection& connection, std::string_view begin_sql,
                             const Work& work) {
  PRATU_CHECK(connection.begin(begin_sql));
  struct RollbackUnlessDone {
    SqliteConnection& connection;
    bool done = false;
    ~RollbackUnlessDone() {
      if (!done) connection.rollback();
    }
  } guard{connection};
  auto result = work(connection);
  guard.done = true;
  if (!result) {
    connection.rollback();
    return result.error();
  }
  return connection.commit();
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::unique_ptr<SqliteConnection> writer,
                 std::vector<std::unique_ptr<SqliteConnection>> readers,
                 std::chrono::milliseconds wait)
      : writer_(std::move(writer)), idle_readers_(std::move(readers)), wait_(wait) {}

  Dialect dialect() const override { return Dialect::sqlite; }

  using Database::write;
  Result<void> write(const Work& work, Durability durability) override {
    if (writer_owner_.load(std::memory_order_relaxed) == std::this_thread::get_id()) {
      return Error::internal("write transaction started inside another on the same thread");
    }
    {
      std::unique_lock lock(writer_mutex_);
      if (!writer_free_.wait_for(lock, wait_, [&] { return !writer_busy_; })) {
        return Error::unavailable("sqlite writer busy for longer than " +
                                  std::to_string(wait_.count()) + " ms");
      }
      writer_busy_ = true;
    }
    writer_owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    struct ReleaseWriter {
      SqliteDatabase& db;
      ~ReleaseWriter() {
        db.writer_owner_.store(std::thread::id(), std::memory_order_relaxed);
        {
          std::lock_guard lock(db.writer_mutex_);
          db.writer_busy_ = false;
        }
        db.writer_free_.notify_one();
      }
    } release{*this};
    if (durability == Durability::full) return run_transaction(*writer_, "BEGIN IMMEDIATE", work);
    // In WAL mode NORMAL leaves the WAL unsynced at commit (the next FULL commit or checkpoint
    // syncs it); the setting is the connection's, so it goes back to FULL straight after.
    PRATU_CHECK(writer_->execute_script("PRAGMA synchronous=NORMAL"));
    auto result = run_transaction(*writer_, "BEGIN IMMEDIATE", work);
    auto restored = writer_->execute_script("PRAGMA synchronous=FULL");
    if (!result) return result;
    return restored;
  }

  Result<void> read(const Work& work) override {
    std::unique_ptr<SqliteConnection> reader;
    {
      std::unique_lock lock(readers_mutex_);
      if (!readers_free_.wait_for(lock, wait_, [&] { return !idle_readers_.empty(); })) {
        return Error::unavailable("no sqlite reader free within " + std::to_string(wait_.count()) +
                                  " ms");
      }
      reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
    struct ReturnReader {
      SqliteDatabase& db;
      std::unique_ptr<SqliteConnection>& reader;
      ~ReturnReader() {
        {
          std::lock_guard lock(db.readers_mutex_);
          db.idle_readers_.push_back(std::move(reader));
        }
        db.readers_free_.notify_one();
      }
    } give_back{*this, reader};
    return run_transaction(*reader, "BEGIN", work);
  }

  Result<void> ping() override {
    return read([](Connection& c) -> Result<void> {
      PRATU_CHECK(c.query("SELECT 1", {}));
      return ok();
    });
  }

 private:
  // A flag under a mutex rather than a timed_mutex: waits time out the same way as the
  // readers' and ThreadSanitizer understands them.
  std::mutex writer_mutex_;
  std::condition_variable writer_free_;
  bool writer_busy_ = false;
  std::atomic<std::thread::id> writer_owner_;
  std::unique_ptr<SqliteConnection> writer_;

  std::mutex readers_mutex_;
  std::condition_variable readers_free_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;

  std::chrono::milliseconds wait_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite_database(const std::string& path,
                                                       const DatabaseSettings& settings) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Error::unavailable("cannot create directory " + parent.string() +
                                " for sqlite: " + ec.message());
    }
  }
  PRATU_TRY(writer, SqliteConnection::open(path, Access::read_write, settings.busy_timeout_ms));
  std::vector<std::unique_ptr<SqliteConnection>> readers;
  readers.reserve(static_cast<std::size_t>(settings.pool_size));
  for (int i = 0; i < settings.pool_size; ++i) {
    PRATU_TRY(reader, SqliteConnection::open(path, Access::read_only, settings.busy_timeout_ms));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(
      std::move(writer), std::move(readers), std::chrono::milliseconds(settings.busy_timeout_ms)));
}

}  // namespace pratu::storage::sqlite
