// Implements migrate() from storage/database.hpp.
#include "common/files.hpp"
#include "storage/database.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace pratu::storage {
namespace {

// Serialises `migrate` across processes on PostgreSQL ("pratu" in ASCII).
constexpr std::int64_t kMigrationLockKey = 0x7072617475;

struct Migration {
  int version = 0;
  std::string name;  // the part after "NNNN_", without ".sql"
  std::filesystem::path path;
};

Error migration_error(std::string detail) { return Error::internal("migrate: " + detail); }

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_name(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The migrations of one dialect, in order, checked for a contiguous 1..N numbering.
Result<std::vector<Migration>> list_migrations(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return migration_error("no migrations directory " + dir.string());
  }
  std::map<int, Migration> by_version;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
    std::string file = entry.path().filename().string();
    std::string stem = entry.path().stem().string();
    if (stem.size() < 6 || !is_digits(stem.substr(0, 4)) || stem[4] != '_' ||
        !is_name(stem.substr(5))) {
      return migration_error("file " + file + " is not named NNNN_name.sql");
    }
    Migration m{std::stoi(stem.substr(0, 4)), stem.substr(5), entry.path()};
    if (by_version.contains(m.version)) {
      return migration_error("two files for version " + std::to_string(m.version) + " in " +
                             dir.string());
    }
    by_version.emplace(m.version, std::move(m));
  }
  if (ec) return migration_error("cannot list " + dir.string() + ": " + ec.message());
  std::vector<Migration> out;
  int expected = 1;
  for (auto& [version, m] : by_version) {
    if (version != expected) {
      return migration_error("gap in " + dir.string() + ": version " + std::to_string(expected) +
                             " is missing before " + m.path.filename().string());
    }
    out.push_back(std::move(m));
    ++expected;
  }
  return out;
}

Result<void> lock_and_create_table(Connection& c) {
  if (c.dialect() == Dialect::postgres) {
    PRATU_CHECK(c.query("SELECT pg_advisory_xact_lock($1::bigint)", {kMigrationLockKey}));
    PRATU_CHECK(
        c.execute_script("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         " version INTEGER PRIMARY KEY,"
                         " name TEXT NOT NULL,"
                         " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"));
  } else {
    PRATU_CHECK(c.execute_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"));
  }
  return ok();
}

}  // namespace

Result<int> migrate(Database& db, const std::string& migrations_dir) {
  const char* dialect_dir = db.dialect() == Dialect::postgres ? "postgres" : "sqlite";
  PRATU_TRY(migrations, list_migrations(std::filesystem::path(migrations_dir) / dialect_dir));

  int applied_here = 0;
  // One transaction per migration; each re-reads what is applied under the lock, so a
  // concurrent `migrate` in another process finds its work already done.
  while (true) {
    bool finished = false;
    auto step = db.write([&](Connection& c) -> Result<void> {
      PRATU_CHECK(lock_and_create_table(c));
      PRATU_TRY(rows, c.query("SELECT version, name FROM schema_migrations ORDER BY version", {}));
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row& row = rows[i];
        auto version = row.int64(0);
        if (version > static_cast<std::int64_t>(migrations.size())) {
          return migration_error("the database has migration " + std::to_string(version) + " (" +
                                 row.text(1) + "), which this build does not know");
        }
        if (version != static_cast<std::int64_t>(i + 1)) {
          return migration_error("schema_migrations lacks version " + std::to_string(i + 1));
        }
        const Migration& known = migrations[static_cast<std::size_t>(version - 1)];
        if (row.text(1) != known.name) {
          return migration_error("migration " + std::to_string(version) + " was applied as '" +
                                 row.text(1) + "' but the file is now " +
                                 known.path.filename().string());
        }
      }
      if (rows.size() == migrations.size()) {
        finished = true;
        return ok();
      }
      // Versions are contiguous from 1 (checked above), so the next one is rows.size() + 1.
      const Migration& next = migrations[rows.size()];
      PRATU_TRY(sql, read_file(next.path));
      auto run = c.execute_script(sql);
      if (!run) {
        Error error = run.error();
        error.detail = "migrate: " + next.path.filename().string() + " failed: " + error.detail;
        return error;
      }
      PRATU_CHECK(c.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                            {std::int64_t{next.version}, next.name}));
      return ok();
    });
    if (!step) return step.error();
    if (finished) return applied_here;
    ++applied_here;
  }
}

}  // namespace pratu::storage
