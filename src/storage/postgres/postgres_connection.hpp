#pragma once
/// One libpq connection; used by one thread at a time.

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

  using Connection::defer;
  using Connection::execute;
  using Connection::query;
  /// Runs a statement returning rows.
  Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) override;
  /// Runs a statement; returns the number of rows it changed.
  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override;
  /// Queues a write in the pipeline; it is sent with the next statement or the commit.
  Result<void> defer(std::string_view sql, std::span<const Value> params) override;
  /// Queues a write returning rows; they are delivered when the pipeline is read.
  Result<std::shared_ptr<const DeferredRows>> defer_query(std::string_view sql,
                                                          std::span<const Value> params) override;
  /// Runs several statements without parameters.
  Result<void> execute_script(std::string_view sql) override;
  /// Always Dialect::postgres.
  Dialect dialect() const override { return Dialect::postgres; }

  /// Starts a transaction with `begin_sql`, sent with the transaction's first statement: if
  /// that finds the connection broken before the server answered the BEGIN (a restart), the
  /// connection is made again and both are sent once more, as nothing of them ran.
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
  // A statement sent in pipeline mode whose result has not been read yet.
  struct Pending {
    std::string sql;
    std::vector<Value> params;  // kept to send it again after a reconnection
    bool prepare = false;       // the result of preparing `sql`, not of running it
    bool begin = false;
    std::shared_ptr<DeferredRows> rows;  // where its rows go (defer_query), else null
  };
  Result<ResultPtr> run(std::string_view sql, std::span<const Value> params);
  /// Sends `sql` into the pipeline (entering pipeline mode first), preparing it if need be.
  Result<void> send(std::string_view sql, std::span<const Value> params, bool begin = false,
                    std::shared_ptr<DeferredRows> rows = nullptr);
  /// Ends the pipeline with a sync point and reads every result: the first error met, or
  /// the last statement's result.
  Result<ResultPtr> finish_pipeline();
  /// Reads the results of `sent` up to the sync point; `begin_answered` tells whether the
  /// server ran a BEGIN among them.
  Result<ResultPtr> read_pipeline(const std::vector<Pending>& sent, bool& begin_answered);
  /// Reads and drops whatever the pipeline holds (after a failure, before a rollback).
  void discard_pipeline();
  Error failure(const PGresult* result, std::string_view sql) const;
  /// The name under which this connection prepared `text` (parsed and planned once, then
  /// only bound and run), preparing it now if need be; null for a statement not worth
  /// preparing or past the cap.
  Result<const std::string*> prepared(const std::string& text, int parameters);

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // statement text -> its name
  std::vector<Pending> pending_;                           // in the order sent
  int prepared_names_ = 0;  // names given so far: pratu_0, pratu_1, ...
  bool broken_ = false;     // a pipeline ended in a state not understood: never reused
};

}  // namespace pratu::storage::postgres
