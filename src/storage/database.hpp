#pragma once
/// One storage interface, two engines (SQLite and PostgreSQL). SQL is written once with
/// `$1, $2, ...` placeholders; the SQLite engine accepts them too.
///
/// Conventions both engines keep:
/// - Times are Unix seconds in INTEGER (SQLite) / BIGINT (PostgreSQL) columns.
/// - PostgreSQL parameters are sent as untyped text; cast (`$1::bigint`) where the server
///   cannot infer a type from context.
/// - After a failed statement the transaction is aborted on both engines (PostgreSQL's rule):
///   return the error from `work`; use `INSERT ... ON CONFLICT DO NOTHING` to tolerate duplicates.
/// - Unique violations are Error{ErrorCode::conflict} whose detail names the constraint
///   (PostgreSQL, e.g. `accounts_email_key`) or the columns (SQLite, e.g. `accounts.email`);
///   see is_unique_violation(). Error details never hold parameter values.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace pratu::storage {

enum class Dialect { sqlite, postgres };

/// A bound parameter or a column value.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

/// One row of a result; columns by index, in SELECT order.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool is_null(std::size_t i) const;
  std::int64_t int64(std::size_t i) const;  // 0 if NULL; text is parsed
  double real(std::size_t i) const;
  std::string text(std::size_t i) const;  // "" if NULL; numbers formatted
  std::optional<std::string> optional_text(std::size_t i) const;
  std::size_t size() const { return values_.size(); }
  const std::vector<Value>& values() const { return values_; }

 private:
  std::vector<Value> values_;
};

/// The rows of a query run with Connection::defer_query: `ready` once the engine has run it
/// (at once on SQLite; on PostgreSQL with the next statement or the commit).
struct DeferredRows {
  bool ready = false;
  std::vector<Row> rows;
};

/// A connection inside a transaction (or a read snapshot). Not thread-safe; never stored.
class Connection {
 public:
  virtual ~Connection() = default;
  /// Runs a statement returning rows.
  virtual Result<std::vector<Row>> query(std::string_view sql,
                                         std::span<const Value> params = {}) = 0;
  /// Runs a statement; returns the number of rows changed.
  virtual Result<std::int64_t> execute(std::string_view sql,
                                       std::span<const Value> params = {}) = 0;
  /// Runs several statements without parameters (migrations).
  virtual Result<void> execute_script(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;

  /// Runs a write whose outcome the caller does not wait for (a row added, nothing read
  /// back): the engine may send it together with the next statement or the commit
  /// (PostgreSQL's pipeline mode, one round trip for several), so an error it meets is
  /// reported by that statement or the commit instead, and fails the transaction either way.
  /// Never for a statement whose failure the caller would handle. SQLite runs it at once.
  virtual Result<void> defer(std::string_view sql, std::span<const Value> params = {});
  /// `defer` for a write whose rows (RETURNING) the caller reads once the transaction has
  /// committed: they are in the result when it is `ready`. A statement that must hold a lock
  /// only briefly goes this way: on PostgreSQL it runs in the commit's own round trip.
  virtual Result<std::shared_ptr<const DeferredRows>> defer_query(
      std::string_view sql, std::span<const Value> params = {});

  /// Convenience: the first row, or nullopt.
  Result<std::optional<Row>> query_one(std::string_view sql, std::span<const Value> params = {});

  /// Overloads taking a braced list: `c.query("... $1, $2", {id, "text"})`.
  Result<std::vector<Row>> query(std::string_view sql, std::initializer_list<Value> params) {
    return query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  /// Runs a statement with a braced parameter list; returns the number of rows changed.
  Result<std::int64_t> execute(std::string_view sql, std::initializer_list<Value> params) {
    return execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
  /// Defers a write with a braced parameter list.
  Result<void> defer(std::string_view sql, std::initializer_list<Value> params) {
    return defer(sql, std::span<const Value>(params.begin(), params.size()));
  }
  /// Defers a write returning rows, with a braced parameter list.
  Result<std::shared_ptr<const DeferredRows>> defer_query(std::string_view sql,
                                                          std::initializer_list<Value> params) {
    return defer_query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  /// The first row of a statement with a braced parameter list, or nullopt.
  Result<std::optional<Row>> query_one(std::string_view sql, std::initializer_list<Value> params) {
    return query_one(sql, std::span<const Value>(params.begin(), params.size()));
  }
};

/// How a write transaction's commit survives a power cut or an operating-system crash.
enum class Durability {
  full,     // on disk when the commit returns (SQLite: synchronous=FULL; PostgreSQL's default)
  relaxed,  // may be lost with the last moments before such a crash, never half applied, and
            // never by the program crashing alone (SQLite: synchronous=NORMAL in WAL mode;
            // PostgreSQL: synchronous_commit off); for writes whose loss is harmless, such as
            // login counters and sessions (docs/adr/0012)
};

/// A database: transactions run on a connection from the engine's pool.
class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  /// Runs `work` in a read-write transaction; commits if it succeeds, rolls back otherwise.
  /// SQLite: the single writer connection, BEGIN IMMEDIATE. PostgreSQL: a pooled connection.
  Result<void> write(const std::function<Result<void>(Connection&)>& work) {
    return write(work, Durability::full);
  }
  /// `write` with the commit's durability chosen.
  virtual Result<void> write(const std::function<Result<void>(Connection&)>& work,
                             Durability durability) = 0;
  /// Runs `work` in a write transaction in which foreign keys are not enforced as rows and
  /// tables come and go, and are all checked before the commit; for a migration that rebuilds
  /// a table others refer to. SQLite runs it alone on the writer with foreign_keys off, and
  /// creates again each index or trigger that is gone afterwards while its table is there (a
  /// rebuilt table's), so `work` must not drop one on purpose. PostgreSQL changes constraints
  /// in place: there it is `write`.
  virtual Result<void> rebuild(const std::function<Result<void>(Connection&)>& work) {
    return write(work);
  }
  /// Runs `work` in a read-only transaction (a consistent snapshot).
  virtual Result<void> read(const std::function<Result<void>(Connection&)>& work) = 0;
  /// Cheap liveness probe for /readyz.
  virtual Result<void> ping() = 0;

  /// Typed helpers over write/read.
  template <class T, class F>
  Result<T> write_value(F&& work, Durability durability = Durability::full) {
    std::optional<T> out;
    auto r = write(
        [&](Connection& c) -> Result<void> {
          auto v = work(c);
          if (!v) return v.error();
          out.emplace(std::move(*v));
          return {};
        },
        durability);
    if (!r) return r.error();
    return std::move(*out);
  }
  template <class T, class F>
  Result<T> read_value(F&& work) {
    std::optional<T> out;
    auto r = read([&](Connection& c) -> Result<void> {
      auto v = work(c);
      if (!v) return v.error();
      out.emplace(std::move(*v));
      return {};
    });
    if (!r) return r.error();
    return std::move(*out);
  }
};

/// Engine settings (from the `database` config section).
struct DatabaseSettings {
  std::string url = "sqlite:./data/pratu.db";  // "sqlite:PATH" or "postgresql://..."
  int pool_size = 8;                           // PostgreSQL connections / SQLite readers
  int busy_timeout_ms = 5000;  // SQLite busy timeout; also the wait for a free pooled connection
  int connect_timeout_seconds = 5;
};

/// Opens the engine the URL names. Fails with a message naming the URL's problem.
Result<std::unique_ptr<Database>> open_database(const DatabaseSettings& settings);

/// The migrations of one module: `directory` holds sqlite/ and postgres/, each with files
/// NNNN_name.sql numbered from 0001 without gaps. Numbers are the module's own: two modules
/// never collide.
struct MigrationSource {
  std::string module;     // "platform", "catalog", ...
  std::string directory;  // holds sqlite/ and postgres/
};

/// Applies every migration of `sources` not yet applied, module by module in the order given
/// (a module's tables may refer only to those of modules before it), each in its own
/// transaction, recording it in module_migrations (module, version, name). Refuses a history
/// that does not match the files: a renamed or missing file, or a migration or module this
/// build does not have. A database migrated before modules existed (one numbering in
/// schema_migrations) is carried forward first, without running anything again. Returns how
/// many ran.
///
/// A file whose first line is exactly `-- pratu:rebuild` runs through Database::rebuild: on
/// SQLite, a table others refer to is rebuilt the documented way (lang_altertable.html,
/// "Making Other Kinds Of Table Schema Changes"): CREATE TABLE new_x, copy the rows, DROP
/// TABLE x, ALTER TABLE new_x RENAME TO x; its indexes and triggers come back by themselves,
/// and a dangling reference fails the migration. Such a file must not drop an index or a
/// trigger whose table stays (a migration of its own does that).
Result<int> migrate(Database& db, const std::vector<MigrationSource>& sources);
/// `migrate` with one source, the module "platform".
Result<int> migrate(Database& db, const std::string& migrations_dir);

/// A callback told how long each statement took, for metrics (route-free).
using LatencyObserver = std::function<void(double seconds)>;
/// Sets the process-wide observer of statement latency (an empty function clears it).
void set_latency_observer(LatencyObserver observer);

/// True if `error` is a unique violation and, when `name` is given, its detail names it
/// (a column or a constraint, e.g. "email" matches both `accounts.email` and `accounts_email_key`).
bool is_unique_violation(const Error& error, std::string_view name = {});

}  // namespace pratu::storage
