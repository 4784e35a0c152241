#include "storage/postgres/postgres_connection.hpp"

#include <charconv>
#include <cstring>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "common/text.hpp"
#include "storage/postgres/postgres_database.hpp"
#include "storage/statement_timer.hpp"

namespace pratu::storage::postgres {
namespace {

// Type OIDs from PostgreSQL's catalog (pg_type.dat); stable across versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

std::string abbreviate(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  if (sql.size() <= kMax) return std::string(sql);
  return std::string(sql.substr(0, kMax)) + "...";
}

std::string field(const PGresult* result, int code) {
  const char* value = result == nullptr ? nullptr : PQresultErrorField(result, code);
  return value == nullptr ? std::string() : std::string(value);
}

Value column_value(const char* text, int length, Oid type) {
  const char* end = text + length;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t n = 0;
      auto [last, ec] = std::from_chars(text, end, n);
      if (ec == std::errc() && last == end) return n;
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      double d = 0;
      auto [last, ec] = std::from_chars(text, end, d);
      if (ec == std::errc() && last == end) return d;
      break;
    }
    case kBoolOid: return std::int64_t{length > 0 && text[0] == 't' ? 1 : 0};
    default: break;
  }
  return std::string(text, static_cast<std::size_t>(length));
}

// Parameters as the text libpq sends; numbers are formatted into `formatted`, sized up front
// so the c_str() pointers in `values` stay valid.
struct Bound {
  explicit Bound(std::span<const Value> params)
      : formatted(params.size()), values(params.size(), nullptr) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& value = params[i];
      if (auto* n = std::get_if<std::int64_t>(&value)) {
        formatted[i] = std::to_string(*n);
        values[i] = formatted[i].c_str();
      } else if (auto* d = std::get_if<double>(&value)) {
        char buffer[64];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, *d);
        formatted[i].assign(buffer, ec == std::errc() ? end : buffer);
        values[i] = formatted[i].c_str();
      } else if (auto* s = std::get_if<std::string>(&value)) {
        values[i] = s->c_str();
      }
    }
  }
  std::vector<std::string> formatted;
  std::vector<const char*> values;
};

// The same statements run again and again: parse and plan each once per connection.
// Statements with nothing to bind (BEGIN, COMMIT, SET) gain nothing.
constexpr std::size_t kMaxPrepared = 512;
// Deferred writes sent before the pipeline is synced anyway: the server's answers to them
// wait in its socket until read, and must not fill it.
constexpr std::size_t kMaxPending = 64;

bool succeeded(ExecStatusType status) {
  return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
}

std::vector<Row> rows_of(const PGresult* r) {
  const int rows = PQntuples(r);
  const int columns = PQnfields(r);
  std::vector<Oid> types(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) types[static_cast<std::size_t>(c)] = PQftype(r, c);
  std::vector<Row> out;
  out.reserve(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    std::vector<Value> values;
    values.reserve(types.size());
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(r, i, c)) {
        values.emplace_back(nullptr);
      } else {
        values.push_back(column_value(PQgetvalue(r, i, c), PQgetlength(r, i, c),
                                      types[static_cast<std::size_t>(c)]));
      }
    }
    out.emplace_back(std::move(values));
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<PostgresConnection>> PostgresConnection::connect(
    const std::string& url, int connect_timeout_seconds) {
  std::string timeout = std::to_string(connect_timeout_seconds);
  // Keywords before "dbname" are defaults: the URL, expanded last, may override them.
  const char* keywords[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                            nullptr};
  const char* values[] = {timeout.c_str(), "pratu", "UTF8", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (conn == nullptr) return Error::unavailable("postgres: out of memory while connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = std::string(trim(PQerrorMessage(conn), kAsciiWhitespace));
    PQfinish(conn);
    return Error::unavailable("cannot connect to " + redact_url(url) + ": " + message);
  }
  // Server notices ("already exists, skipping") would go to stderr, bypassing the log.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PostgresConnection>(new PostgresConnection(conn));
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

Error PostgresConnection::failure(const PGresult* result, std::string_view sql) const {
  if (PQstatus(conn_) == CONNECTION_BAD) {
    return Error::unavailable("postgres connection lost: " +
                              std::string(trim(PQerrorMessage(conn_), kAsciiWhitespace)));
  }
  std::string sqlstate = field(result, PG_DIAG_SQLSTATE);
  std::string constraint = field(result, PG_DIAG_CONSTRAINT_NAME);
  std::string primary = field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (primary.empty()) primary = std::string(trim(PQerrorMessage(conn_), kAsciiWhitespace));
  if (sqlstate == "23505") {
    return Error{ErrorCode::conflict, "errors.conflict", "unique violation: " + constraint, {}, 0};
  }
  std::string error_class = sqlstate.substr(0, 2);
  if (error_class == "08" || error_class == "53" || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03" || sqlstate == "57014" || sqlstate == "40001" || sqlstate == "40P01" ||
      sqlstate == "55P03") {
    return Error::unavailable("postgres " + sqlstate + ": " + primary);
  }
  // Data exceptions quote the offending input, which may be personal data: keep the code only.
  if (error_class == "22") {
    return Error::internal("postgres " + sqlstate + " (data exception) in: " + abbreviate(sql));
  }
  std::string detail = "postgres " + sqlstate + ": " + primary;
  if (!constraint.empty()) detail += " [constraint " + constraint + "]";
  return Error::internal(detail + " in: " + abbreviate(sql));
}

Result<PostgresConnection::ResultPtr> PostgresConnection::run(std::string_view sql,
                                                              std::span<const Value> params) {
  StatementTimer timer;
  if (!pending_.empty()) {
    PRATU_CHECK(send(sql, params));
    return finish_pipeline();
  }
  std::string text(sql);
  Bound bound(params);
  PRATU_TRY(name, prepared(text, static_cast<int>(params.size())));
  ResultPtr result(name != nullptr
                       ? PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()),
                                        bound.values.data(), nullptr, nullptr, 0)
                       : PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                                      bound.values.data(), nullptr, nullptr, 0),
                   &PQclear);
  if (!succeeded(PQresultStatus(result.get()))) return failure(result.get(), sql);
  return result;
}

Result<const std::string*> PostgresConnection::prepared(const std::string& text, int parameters) {
  if (parameters == 0) return nullptr;
  if (auto it = prepared_.find(text); it != prepared_.end()) return &it->second;
  if (prepared_.size() >= kMaxPrepared) return nullptr;
  std::string name = "pratu_" + std::to_string(prepared_names_++);
  ResultPtr made(PQprepare(conn_, name.c_str(), text.c_str(), parameters, nullptr), &PQclear);
  if (PQresultStatus(made.get()) != PGRES_COMMAND_OK) return failure(made.get(), text);
  return &prepared_.emplace(text, std::move(name)).first->second;
}

Result<void> PostgresConnection::send(std::string_view sql, std::span<const Value> params,
                                      bool begin, std::shared_ptr<DeferredRows> rows) {
  auto lost = [&] {
    broken_ = true;
    return Error::unavailable("postgres: cannot send: " +
                              std::string(trim(PQerrorMessage(conn_), kAsciiWhitespace)));
  };
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1) return lost();
  std::string text(sql);
  Bound bound(params);
  const int count = static_cast<int>(params.size());
  const std::string* name = nullptr;
  if (count > 0) {
    if (auto it = prepared_.find(text); it != prepared_.end()) {
      name = &it->second;
    } else if (prepared_.size() < kMaxPrepared) {
      std::string made = "pratu_" + std::to_string(prepared_names_++);
      if (PQsendPrepare(conn_, made.c_str(), text.c_str(), count, nullptr) != 1) return lost();
      pending_.push_back(Pending{text, {}, true, false, nullptr});
      name = &prepared_.emplace(text, std::move(made)).first->second;
    }
  }
  int sent = name != nullptr ? PQsendQueryPrepared(conn_, name->c_str(), count, bound.values.data(),
                                                   nullptr, nullptr, 0)
                             : PQsendQueryParams(conn_, text.c_str(), count, nullptr,
                                                 bound.values.data(), nullptr, nullptr, 0);
  if (sent != 1) return lost();
  // The parameters are kept only while the BEGIN is unanswered: to send it all again.
  const bool keep = begin || (!pending_.empty() && pending_.front().begin);
  pending_.push_back(
      Pending{std::move(text),
              keep ? std::vector<Value>(params.begin(), params.end()) : std::vector<Value>{}, false,
              begin, std::move(rows)});
  return ok();
}

Result<PostgresConnection::ResultPtr> PostgresConnection::read_pipeline(
    const std::vector<Pending>& sent, bool& begin_answered) {
  begin_answered = false;
  auto lost = [&] {
    broken_ = true;
    return Error::unavailable("postgres connection lost: " +
                              std::string(trim(PQerrorMessage(conn_), kAsciiWhitespace)));
  };
  // A deferred query's rows stand only if every statement up to the sync succeeded.
  auto failed = [&](Error error) {
    for (const Pending& p : sent) {
      if (p.rows) p.rows->rows.clear();
    }
    return error;
  };
  if (PQpipelineSync(conn_) != 1) return lost();
  std::optional<Error> first_error;
  ResultPtr last(nullptr, &PQclear);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    ResultPtr result(PQgetResult(conn_), &PQclear);
    if (!result) {
      // No more answers: the connection is gone. What was prepared here is not.
      for (std::size_t j = i; j < sent.size(); ++j) {
        if (sent[j].prepare) prepared_.erase(sent[j].sql);
      }
      return failed(first_error ? *first_error : lost());
    }
    const ExecStatusType status = PQresultStatus(result.get());
    if (succeeded(status)) {
      if (sent[i].begin) begin_answered = true;
      if (sent[i].rows && !first_error) sent[i].rows->rows = rows_of(result.get());
    } else {
      if (sent[i].prepare) prepared_.erase(sent[i].sql);
      if (status != PGRES_PIPELINE_ABORTED && !first_error) {
        first_error = failure(result.get(), sent[i].sql);
      }
    }
    // Each statement's results end with a null.
    while (PGresult* more = PQgetResult(conn_)) PQclear(more);
    if (i + 1 == sent.size() && succeeded(status)) last = std::move(result);
  }
  ResultPtr sync(PQgetResult(conn_), &PQclear);
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC ||
      PQexitPipelineMode(conn_) != 1) {
    return failed(first_error ? *first_error : lost());
  }
  if (first_error) return failed(*first_error);
  for (const Pending& p : sent) {
    if (p.rows) p.rows->ready = true;
  }
  return last;
}

Result<PostgresConnection::ResultPtr> PostgresConnection::finish_pipeline() {
  std::vector<Pending> sent = std::exchange(pending_, {});
  bool begin_answered = false;
  auto result = read_pipeline(sent, begin_answered);
  const bool began_here = !sent.empty() && sent.front().begin;
  if (result || !began_here || begin_answered || PQstatus(conn_) != CONNECTION_BAD) {
    return result;
  }
  // Not even the BEGIN ran: the server restarted or dropped this idle connection, and
  // nothing sent was done. Connect again and send it all once more.
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return result;
  prepared_.clear();
  broken_ = false;
  for (const Pending& p : sent) {
    if (!p.prepare) PRATU_CHECK(send(p.sql, p.params, p.begin, p.rows));
  }
  return read_pipeline(std::exchange(pending_, {}), begin_answered);
}

void PostgresConnection::discard_pipeline() {
  std::vector<Pending> sent = std::exchange(pending_, {});
  bool begin_answered = false;
  (void)read_pipeline(sent, begin_answered);
}

Result<void> PostgresConnection::defer(std::string_view sql, std::span<const Value> params) {
  PRATU_CHECK(send(sql, params));
  if (pending_.size() >= kMaxPending) PRATU_CHECK(finish_pipeline());
  return ok();
}

Result<std::shared_ptr<const DeferredRows>> PostgresConnection::defer_query(
    std::string_view sql, std::span<const Value> params) {
  auto rows = std::make_shared<DeferredRows>();
  PRATU_CHECK(send(sql, params, false, rows));
  if (pending_.size() >= kMaxPending) PRATU_CHECK(finish_pipeline());
  return std::shared_ptr<const DeferredRows>(std::move(rows));
}

Result<std::vector<Row>> PostgresConnection::query(std::string_view sql,
                                                   std::span<const Value> params) {
  PRATU_TRY(result, run(sql, params));
  return rows_of(result.get());
}

Result<std::int64_t> PostgresConnection::execute(std::string_view sql,
                                                 std::span<const Value> params) {
  PRATU_TRY(result, run(sql, params));
  const char* count = PQcmdTuples(result.get());
  std::int64_t n = 0;
  std::from_chars(count, count + std::strlen(count), n);
  return n;
}

Result<void> PostgresConnection::execute_script(std::string_view sql) {
  StatementTimer timer;
  if (!pending_.empty()) PRATU_CHECK(finish_pipeline());
  std::string text(sql);
  ResultPtr result(PQexec(conn_, text.c_str()), &PQclear);
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return failure(result.get(), sql);
  return ok();
}

Result<void> PostgresConnection::begin(std::string_view begin_sql) {
  return send(begin_sql, {}, true);
}

Result<void> PostgresConnection::commit() {
  if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    rollback();
    return Error::internal("transaction rolled back: a statement in it failed");
  }
  auto committed = run("COMMIT", {});
  if (!committed) {
    Error error = committed.error();
    rollback();
    return error;
  }
  // COMMIT of an aborted transaction "succeeds" with the tag ROLLBACK.
  if (std::strcmp(PQcmdStatus(committed->get()), "ROLLBACK") == 0) {
    return Error::internal("transaction rolled back: a statement in it failed");
  }
  return ok();
}

void PostgresConnection::rollback() {
  if (!pending_.empty()) discard_pipeline();
  PGTransactionStatusType status = PQtransactionStatus(conn_);
  if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR) {
    PQclear(PQexec(conn_, "ROLLBACK"));
  }
}

bool PostgresConnection::reusable() const {
  return !broken_ && pending_.empty() && PQstatus(conn_) == CONNECTION_OK &&
         PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

}  // namespace pratu::storage::postgres
