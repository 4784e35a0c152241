#pragma once
/// One SQLite connection with its prepared-statement cache; used by one thread at a time.

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/database.hpp"

namespace pratu::storage::sqlite {

enum class Access { read_write, read_only };

class SqliteConnection final : public Connection {
 public:
  /// Opens `path` (created if missing when `access` is read_write) with Pratu's pragmas.
  static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path, Access access,
                                                        int busy_timeout_ms);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  using Connection::execute;
  using Connection::query;
  /// Runs a statement returning rows.
  Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) override;
  /// Runs a statement; returns the number of rows it changed.
  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override;
  /// Runs several statements without parameters.
  Result<void> execute_script(std::string_view sql) override;
  /// Always Dialect::sqlite.
  Dialect dialect() const override { return Dialect::sqlite; }

  /// Starts a transaction with `begin_sql` ("BEGIN" or "BEGIN IMMEDIATE").
  Result<void> begin(std::string_view begin_sql);
  /// Commits; fails (after rolling back) if a statement failed inside the transaction.
  Result<void> commit();
  /// Rolls back whatever is open; never fails (a failure leaves nothing to undo).
  void rollback();

  /// Inside a transaction, marks where one unit of work begins (several writers' work shares
  /// one transaction and one commit: see sqlite_database.cpp).
  Result<void> savepoint();
  /// Keeps the unit's work; fails when a statement in it failed (roll back to the savepoint
  /// then).
  Result<void> release_savepoint();
  /// Undoes the unit's work and forgets its failure; the transaction goes on. An error means
  /// the transaction itself is lost (SQLite rolled it back) and must be rolled back whole.
  Result<void> rollback_to_savepoint();

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  // Runs `sql`, appending rows to `rows` if given.
  Result<void> run(std::string_view sql, std::span<const Value> params, std::vector<Row>* rows);
  Result<sqlite3_stmt*> prepare(std::string_view sql);
  Error failure(int rc, std::string_view sql);
  Result<void> run_plain(const char* sql);

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, StringHash, std::equal_to<>> statements_;
  bool aborted_ = false;  // a statement failed inside the open transaction
};

}  // namespace pratu::storage::sqlite
