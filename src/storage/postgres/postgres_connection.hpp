#pragma once
/// One libpq connection; used by one thread at a time.

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/database.hpp"

namespace pratu::storage::postgres {

class PostgresConnection final : public Connection {
 public:
  /// Connects to `url` within `connect_timeout_seconds`.
  static Result<std::unique_ptr<PostgresConnection>> connect(const std::string& url,
                                                             int connect_timeout_seconds);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  using Connection::execute;
  using Connection::query;
  /// Runs a statement returning rows.
  Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) override;
  /// Runs a statement; returns the number of rows it changed.
  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override;
  /// Runs several statements without parameters.
  Result<void> execute_script(std::string_view sql) override;
  /// Always Dialect::postgres.
  Dialect dialect() const override { return Dialect::postgres; }

  /// Starts a transaction with `begin_sql`.
  Result<void> begin(std::string_view begin_sql);
  /// Commits; fails (rolling back) if a statement failed inside the transaction.
  Result<void> commit();
  /// Rolls back whatever is open.
  void rollback();
  /// True if the connection can be given to the next transaction.
  bool reusable() const;

 private:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}

  using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;
  Result<ResultPtr> run(std::string_view sql, std::span<const Value> params);
  Error failure(const PGresult* result, std::string_view sql) const;
  /// The name under which this connection prepared `text` (parsed and planned once, then
  /// only bound and run), preparing it now if need be; null for a statement not worth
  /// preparing or past the cap.
  Result<const std::string*> prepared(const std::string& text, int parameters);

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // statement text -> its name
};

}  // namespace pratu::storage::postgres
