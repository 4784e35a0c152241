#include "storage/sqlite/sqlite_connection.hpp"

#include "storage/sqlite/placeholder_rewrite.hpp"
#include "storage/statement_timer.hpp"

namespace pratu::storage::sqlite {
namespace {

// Beyond this many cached statements the cache is emptied: SQL built at run time (IN lists
// of varying length) must not grow it without bound.
constexpr std::size_t kMaxCachedStatements = 512;

// Enough of a statement to find it in the code; SQL text holds no parameter values.
std::string abbreviate(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  if (sql.size() <= kMax) return std::string(sql);
  return std::string(sql.substr(0, kMax)) + "...";
}

bool only_whitespace_or_semicolons(const char* tail) {
  for (; *tail != '\0'; ++tail) {
    char c = *tail;
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != ';') return false;
  }
  return true;
}

// Resets a statement for its next use whatever way the call leaves.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* statement) : statement_(statement) {}
  ~StatementReset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* statement_;
};

Value column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(statement, column));
    case SQLITE_FLOAT: return sqlite3_column_double(statement, column);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
    }
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, column));
      auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
      return bytes == nullptr ? std::string() : std::string(bytes, size);
    }
    default: return nullptr;
  }
}

// SQLite counts memory under one process-wide mutex unless told not to; every reader would
// queue on it. Must run before the library initialises, so once, before the first open.
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path,
                                                                 Access access,
                                                                 int busy_timeout_ms) {
  configure_sqlite_once();
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (access == Access::read_write) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error::unavailable("cannot open sqlite database " + path + ": " + message);
  }
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);

  if (access == Access::read_write) {
    PRATU_TRY(mode, connection->query("PRAGMA journal_mode=WAL", {}));
    if (mode.empty() || mode.front().text(0) != "wal") {
      return Error::unavailable("sqlite database " + path + " cannot use WAL journal mode");
    }
    // FULL: a commit acknowledged to a person survives a power cut.
    PRATU_CHECK(connection->execute_script("PRAGMA synchronous=FULL"));
  } else {
    PRATU_CHECK(connection->execute_script("PRAGMA query_only=ON"));
  }
  PRATU_CHECK(connection->execute_script("PRAGMA foreign_keys=ON"));
  connection->aborted_ = false;
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close_v2(db_);
}

Result<sqlite3_stmt*> SqliteConnection::prepare(std::string_view sql) {
  if (auto found = statements_.find(sql); found != statements_.end()) return found->second;

  std::string rewritten = rewrite_placeholders(sql);
  sqlite3_stmt* statement = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size() + 1),
                              SQLITE_PREPARE_PERSISTENT, &statement, &tail);
  if (rc != SQLITE_OK) return failure(rc, sql);
  if (statement == nullptr) {
    aborted_ = true;
    return Error::internal("empty SQL statement");
  }
  if (tail != nullptr && !only_whitespace_or_semicolons(tail)) {
    sqlite3_finalize(statement);
    aborted_ = true;
    return Error::internal("more than one SQL statement (use execute_script) in: " +
                           abbreviate(sql));
  }
  if (statements_.size() >= kMaxCachedStatements) {
    for (auto& [cached_sql, cached] : statements_) sqlite3_finalize(cached);
    statements_.clear();
  }
  statements_.emplace(std::string(sql), statement);
  return statement;
}

Error SqliteConnection::failure(int rc, std::string_view sql) {
  aborted_ = true;
  std::string message = sqlite3_errmsg(db_);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    // "UNIQUE constraint failed: accounts.email" names the columns, never the values.
    auto colon = message.find(": ");
    std::string names = colon == std::string::npos ? message : message.substr(colon + 2);
    return Error{ErrorCode::conflict, "errors.conflict", "unique violation: " + names, {}, 0};
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: return Error::unavailable("sqlite: " + message);
    default:
      return Error::internal("sqlite error " + std::to_string(rc) + " (" + message +
                             ") in: " + abbreviate(sql));
  }
}

Result<void> SqliteConnection::run(std::string_view sql, std::span<const Value> params,
                                   std::vector<Row>* rows) {
  if (aborted_) {
    return Error::internal("statement after a failed statement in the same transaction: " +
                           abbreviate(sql));
  }
  StatementTimer timer;
  PRATU_TRY(statement, prepare(sql));
  StatementReset reset(statement);

  int expected = sqlite3_bind_parameter_count(statement);
  if (static_cast<std::size_t>(expected) != params.size()) {
    aborted_ = true;
    return Error::internal("statement takes " + std::to_string(expected) + " parameters, " +
                           std::to_string(params.size()) + " given: " + abbreviate(sql));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i + 1);
    const Value& value = params[i];
    int rc = SQLITE_OK;
    if (auto* n = std::get_if<std::int64_t>(&value)) {
      rc = sqlite3_bind_int64(statement, index, *n);
    } else if (auto* d = std::get_if<double>(&value)) {
      rc = sqlite3_bind_double(statement, index, *d);
    } else if (auto* s = std::get_if<std::string>(&value)) {
      // STATIC: `params` outlives the statement's use; bindings are cleared on reset.
      rc = sqlite3_bind_text64(statement, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(statement, index);
    }
    if (rc != SQLITE_OK) return failure(rc, sql);
  }

  int columns = sqlite3_column_count(statement);
  while (true) {
    int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) return ok();
    if (rc != SQLITE_ROW) return failure(rc, sql);
    if (rows == nullptr) continue;
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) values.push_back(column_value(statement, c));
    rows->emplace_back(std::move(values));
  }
}

Result<std::vector<Row>> SqliteConnection::query(std::string_view sql,
                                                 std::span<const Value> params) {
  std::vector<Row> rows;
  PRATU_CHECK(run(sql, params, &rows));
  return rows;
}

Result<std::int64_t> SqliteConnection::execute(std::string_view sql,
                                               std::span<const Value> params) {
  // sqlite3_changes64 keeps the count of the last DML statement, so DDL must not report it.
  sqlite3_int64 before = sqlite3_total_changes64(db_);
  PRATU_CHECK(run(sql, params, nullptr));
  if (sqlite3_total_changes64(db_) == before) return std::int64_t{0};
  return static_cast<std::int64_t>(sqlite3_changes64(db_));
}

Result<void> SqliteConnection::execute_script(std::string_view sql) {
  if (aborted_) {
    return Error::internal("script after a failed statement in the same transaction: " +
                           abbreviate(sql));
  }
  StatementTimer timer;
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) return failure(rc, sql);
  return ok();
}

Result<void> SqliteConnection::run_plain(const char* sql) {
  StatementTimer timer;
  PRATU_TRY(statement, prepare(sql));
  StatementReset reset(statement);
  int rc = sqlite3_step(statement);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return failure(rc, sql);
  return ok();
}

Result<void> SqliteConnection::begin(std::string_view begin_sql) {
  aborted_ = false;
  std::string sql(begin_sql);
  auto started = run_plain(sql.c_str());
  aborted_ = false;
  return started;
}

Result<void> SqliteConnection::commit() {
  if (aborted_) {
    rollback();
    return Error::internal("transaction rolled back: a statement in it failed");
  }
  auto committed = run_plain("COMMIT");
  if (!committed) {
    Error error = committed.error();
    rollback();
    return error;
  }
  return ok();
}

void SqliteConnection::rollback() {
  if (sqlite3_get_autocommit(db_) == 0) (void)run_plain("ROLLBACK");
  aborted_ = false;
}

Result<void> SqliteConnection::savepoint() {
  if (aborted_) return Error::internal("savepoint after a failed statement");
  return run_plain("SAVEPOINT pratu_unit");
}

Result<void> SqliteConnection::release_savepoint() {
  if (aborted_) return Error::internal("work rolled back: a statement in it failed");
  return run_plain("RELEASE pratu_unit");
}

Result<void> SqliteConnection::rollback_to_savepoint() {
  aborted_ = false;
  // Some failures (a full disk, an I/O error) roll the whole transaction back on their own.
  if (sqlite3_get_autocommit(db_) != 0) {
    return Error::unavailable("sqlite rolled the shared transaction back");
  }
  auto undone = run_plain("ROLLBACK TO pratu_unit");
  if (undone) undone = run_plain("RELEASE pratu_unit");
  if (!undone) aborted_ = true;
  return undone;
}

}  // namespace pratu::storage::sqlite
