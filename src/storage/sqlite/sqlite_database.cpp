#include "storage/sqlite/sqlite_database.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_connection.hpp"

namespace pratu::storage::sqlite {
namespace {

using Work = std::function<Result<void>(Connection&)>;

// What a queued unit asks for: a write batched with others, or a rebuild run alone.
enum class UnitKind { write, rebuild };

enum class ForeignKeys { off, on };

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
  // Group commit. SQLite has one writer, and each commit with synchronous=FULL costs an
  // fsync of the WAL: one writer at a time gives as many commits a second as the disk
  // gives fsyncs (a few hundred). Writers therefore queue their work; whoever finds no
  // batch running takes every queued unit (its own among them, unless the queue is long)
  // and runs them in one transaction, each in a savepoint of its own so that one unit's
  // failure undoes only that unit, and commits them with one fsync. Each writer gets its
  // own unit's result only after the commit: what is acknowledged is durable, exactly as
  // with a transaction of its own. The batch is made of whoever is waiting; nobody waits
  // for a batch to fill. Each writer sleeps on its own condition: a commit wakes the
  // writers it answered and the first one queued (who leads the next batch), not every
  // waiting thread only for most to sleep again.
  Result<void> write(const Work& work, Durability durability) override {
    return submit(work, durability, UnitKind::write);
  }

  // Never batched: foreign_keys can change only outside a transaction, and other writers'
  // work must not run without them.
  Result<void> rebuild(const Work& work) override {
    return submit(work, Durability::full, UnitKind::rebuild);
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
  // One writer's work, queued for the next batch.
  struct Unit {
    const Work* work;
    Durability durability;
    UnitKind kind;
    bool taken = false;                  // in the batch running now
    std::optional<Result<void>> result;  // set once that batch has committed or failed
    std::condition_variable wake;        // its writer's sleep, under writer_mutex_
  };

  // Queues `work` and waits for its result, leading batches while none is running.
  Result<void> submit(const Work& work, Durability durability, UnitKind kind) {
    if (writer_owner_.load(std::memory_order_relaxed) == std::this_thread::get_id()) {
      return Error::internal("write transaction started inside another on the same thread");
    }
    Unit unit{&work, durability, kind, false, std::nullopt, {}};
    std::unique_lock lock(writer_mutex_);
    queue_.push_back(&unit);
    const auto deadline = std::chrono::steady_clock::now() + wait_;
    while (!unit.result) {
      if (!batch_running_) {
        lead(lock);
        continue;
      }
      if (unit.taken) {
        unit.wake.wait(lock);  // in the batch running now: its result comes with the commit
        continue;
      }
      if (unit.wake.wait_until(lock, deadline) == std::cv_status::timeout && !unit.taken &&
          !unit.result && batch_running_) {
        std::erase(queue_, &unit);
        return Error::unavailable("sqlite writer busy for longer than " +
                                  std::to_string(wait_.count()) + " ms");
      }
    }
    return std::move(*unit.result);
  }

  // Takes the queue (up to kMaxBatch units) and runs it as one transaction; `lock` is held
  // on entry and on return, released while the batch runs. A rebuild is a batch of its own,
  // and a batch of writes stops before one.
  void lead(std::unique_lock<std::mutex>& lock) {
    std::vector<Unit*> batch;
    const std::size_t limit = std::min(queue_.size(), kMaxBatch);
    std::size_t n = 0;
    while (n < limit && queue_[n]->kind == UnitKind::write) ++n;
    if (n == 0 && limit > 0) n = 1;  // a rebuild first in the queue
    batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    for (Unit* unit : batch) unit->taken = true;
    batch_running_ = true;
    lock.unlock();
    writer_owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    auto results = run_batch(batch);
    writer_owner_.store(std::thread::id(), std::memory_order_relaxed);
    lock.lock();
    // Under the lock, so no writer can return and take its unit away while it is woken.
    for (std::size_t i = 0; i < batch.size(); ++i) {
      batch[i]->result = std::move(results[i]);
      batch[i]->wake.notify_one();
    }
    batch_running_ = false;
    if (!queue_.empty()) queue_.front()->wake.notify_one();  // the next batch's leader
  }

  // One unit's work, an exception turned into an error: it must not unwind the thread that
  // runs other writers' work.
  static Result<void> run_unit(const Work& work, Connection& connection) {
    try {
      return work(connection);
    } catch (const std::exception& e) {
      return Error::internal(std::string("write work threw: ") + e.what());
    }
  }

  std::vector<Result<void>> run_batch(const std::vector<Unit*>& batch) {
    if (batch.size() == 1 && batch[0]->kind == UnitKind::rebuild) {
      return {run_rebuild(*batch[0]->work)};
    }
    const bool full = std::any_of(batch.begin(), batch.end(),
                                  [](const Unit* u) { return u->durability == Durability::full; });
    std::vector<Result<void>> results(batch.size(), ok());
    auto fail_all = [&](const Error& error) {
      for (auto& r : results) {
        if (r) r = error;
      }
    };
    // A rebuild that could not turn foreign keys back on left them off: no write runs so.
    if (!foreign_keys_on_) {
      if (auto on = set_foreign_keys(ForeignKeys::on); !on) {
        fail_all(on.error());
        return results;
      }
    }
    // In WAL mode NORMAL leaves the WAL unsynced at commit (the next FULL commit or checkpoint
    // syncs it); the setting is the connection's, so it goes back to FULL straight after.
    if (!full) {
      if (auto relaxed = writer_->execute_script("PRAGMA synchronous=NORMAL"); !relaxed) {
        fail_all(relaxed.error());
        return results;
      }
    }
    if (batch.size() == 1) {
      const Work& work = *batch[0]->work;
      results[0] = run_transaction(*writer_, "BEGIN IMMEDIATE",
                                   [&work](Connection& c) { return run_unit(work, c); });
    } else if (auto begun = writer_->begin("BEGIN IMMEDIATE"); !begun) {
      fail_all(begun.error());
    } else {
      bool lost = false;
      for (std::size_t i = 0; i < batch.size() && !lost; ++i) {
        if (auto marked = writer_->savepoint(); !marked) {
          fail_all(marked.error());
          lost = true;
          break;
        }
        results[i] = run_unit(*batch[i]->work, *writer_);
        auto closed = results[i] ? writer_->release_savepoint() : writer_->rollback_to_savepoint();
        if (!closed && results[i]) {
          results[i] = closed.error();  // a statement failed inside work that said ok
          closed = writer_->rollback_to_savepoint();
        }
        if (!closed) {
          fail_all(closed.error());
          lost = true;
        }
      }
      if (lost) {
        writer_->rollback();
      } else if (auto committed = writer_->commit(); !committed) {
        fail_all(committed.error());
      }
    }
    if (!full) {
      if (auto restored = writer_->execute_script("PRAGMA synchronous=FULL"); !restored) {
        fail_all(restored.error());
      }
    }
    return results;
  }

  // Database::rebuild: SQLite's twelve steps for "Making Other Kinds Of Table Schema Changes"
  // (lang_altertable.html) around `work`, which does the middle ones (new table, copy, drop,
  // rename). Foreign keys are on again afterwards, whatever happened.
  Result<void> run_rebuild(const Work& work) {
    auto result = set_foreign_keys(ForeignKeys::off);
    if (result) {
      result = run_transaction(*writer_, "BEGIN IMMEDIATE",
                               [&work](Connection& c) { return rebuild_in_transaction(work, c); });
    }
    auto restored = set_foreign_keys(ForeignKeys::on);
    if (!restored && result) return restored.error();
    return result;
  }

  // The steps inside the transaction; foreign keys are off.
  static Result<void> rebuild_in_transaction(const Work& work, Connection& c) {
    // DROP TABLE takes a table's indexes and triggers with it, including those another
    // module's migration made: what is gone afterwards while its table is there is made again.
    PRATU_TRY(before, c.query("SELECT type, name, tbl_name, sql FROM sqlite_master"
                              " WHERE type IN ('index', 'trigger') AND sql IS NOT NULL",
                              {}));
    PRATU_CHECK(run_unit(work, c));
    for (const Row& object : before) {
      PRATU_TRY(now, c.query_one("SELECT"
                                 " EXISTS (SELECT 1 FROM sqlite_master"
                                 " WHERE type = $1 AND name = $2 COLLATE NOCASE),"
                                 " EXISTS (SELECT 1 FROM sqlite_master"
                                 " WHERE type = 'table' AND name = $3 COLLATE NOCASE)",
                                 {object.text(0), object.text(1), object.text(2)}));
      if (now->int64(0) != 0 || now->int64(1) == 0) continue;
      if (auto made = c.execute_script(object.text(3)); !made) {
        Error error = made.error();
        error.detail = "rebuild: cannot make " + object.text(0) + " " + object.text(1) +
                       " again on " + object.text(2) + ": " + error.detail;
        return error;
      }
    }
    PRATU_TRY(violations, c.query("PRAGMA foreign_key_check", {}));
    if (!violations.empty()) {
      const Row& first = violations.front();
      return Error::internal(
          "rebuild leaves " + std::to_string(violations.size()) +
          " row(s) referring to rows that are not there; the first: " + first.text(0) +
          (first.is_null(1) ? std::string() : " rowid " + first.text(1)) + " refers to " +
          first.text(2));
    }
    return ok();
  }

  // Turns the writer's foreign key enforcement on or off; SQLite ignores the pragma inside a
  // transaction, so the setting is read back.
  Result<void> set_foreign_keys(ForeignKeys wanted) {
    const bool on = wanted == ForeignKeys::on;
    foreign_keys_on_ = false;  // unknown until read back: the next batch tries again
    writer_->rollback();       // outside any transaction: only forgets an earlier failure
    auto set = writer_->execute_script(on ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF");
    if (set) {
      auto now = writer_->query_one("PRAGMA foreign_keys", {});
      if (!now) {
        set = now.error();
      } else {
        foreign_keys_on_ = *now && (*now)->int64(0) == 1;
        if (foreign_keys_on_ != on) {
          set = Error::internal(std::string("sqlite writer: foreign keys did not turn ") +
                                (on ? "on" : "off"));
        }
      }
    }
    return set;
  }

  static constexpr std::size_t kMaxBatch = 128;

  // Flags under a mutex rather than a timed_mutex: waits time out the same way as the
  // readers' and ThreadSanitizer understands them.
  std::mutex writer_mutex_;
  std::deque<Unit*> queue_;
  bool batch_running_ = false;
  std::atomic<std::thread::id> writer_owner_;
  std::unique_ptr<SqliteConnection> writer_;
  bool foreign_keys_on_ = true;  // the writer's; false only if a rebuild could not restore it

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
