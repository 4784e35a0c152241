// Implements migrate() from storage/database.hpp.
#include "common/files.hpp"
#include "storage/database.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

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

// The first line of a migration that runs through Database::rebuild.
constexpr std::string_view kRebuildMarker = "-- pratu:rebuild";

bool is_rebuild(std::string_view sql) {
  if (!sql.starts_with(kRebuildMarker)) return false;
  auto rest = sql.substr(kRebuildMarker.size());
  return rest.empty() || rest.starts_with('\n') || rest.starts_with("\r\n");
}

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

// Where each migration of the single numbering used before modules went: the same file,
// renamed into its module's folder with the module's own number.
struct LegacyMigration {
  std::string_view name;
  std::string_view module;
  int version;
};
constexpr LegacyMigration kLegacyMigrations[] = {
    {"core", "platform", 1},           {"catalog", "catalog", 1},
    {"accounts", "accounts", 1},       {"server_secrets", "platform", 2},
    {"catalog_digests", "catalog", 2}, {"supervisor_role", "accounts", 2},
};

Result<void> lock_and_create_table(Connection& c) {
  if (c.dialect() == Dialect::postgres) {
    PRATU_CHECK(c.query("SELECT pg_advisory_xact_lock($1::bigint)", {kMigrationLockKey}));
    PRATU_CHECK(
        c.execute_script("CREATE TABLE IF NOT EXISTS module_migrations ("
                         " module TEXT NOT NULL,"
                         " version INTEGER NOT NULL,"
                         " name TEXT NOT NULL,"
                         " applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                         " PRIMARY KEY (module, version))"));
  } else {
    PRATU_CHECK(c.execute_script(
        "CREATE TABLE IF NOT EXISTS module_migrations ("
        " module TEXT NOT NULL,"
        " version INTEGER NOT NULL,"
        " name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
        " PRIMARY KEY (module, version))"));
  }
  return ok();
}

// Moves the history of a database migrated before modules existed into module_migrations,
// keeping when each migration was applied, and drops the old table.
Result<void> carry_forward_legacy_history(Connection& c) {
  PRATU_TRY(exists, c.dialect() == Dialect::postgres
                        ? c.query("SELECT count(*) FROM information_schema.tables"
                                  " WHERE table_schema = current_schema()"
                                  " AND table_name = 'schema_migrations'",
                                  {})
                        : c.query("SELECT count(*) FROM sqlite_master"
                                  " WHERE type = 'table' AND name = 'schema_migrations'",
                                  {}));
  if (exists.empty() || exists[0].int64(0) == 0) return ok();
  PRATU_TRY(rows, c.query("SELECT version, name, applied_at FROM schema_migrations"
                          " ORDER BY version",
                          {}));
  for (const auto& row : rows) {
    const auto name = row.text(1);
    const auto* legacy = std::find_if(std::begin(kLegacyMigrations), std::end(kLegacyMigrations),
                                      [&](const LegacyMigration& m) { return m.name == name; });
    if (legacy == std::end(kLegacyMigrations)) {
      return migration_error("schema_migrations holds migration " + row.text(0) + " ('" + name +
                             "'), which this build cannot carry forward into modules");
    }
    PRATU_CHECK(
        c.execute(c.dialect() == Dialect::postgres
                      ? "INSERT INTO module_migrations (module, version, name, applied_at)"
                        " VALUES ($1, $2, $3, $4::timestamptz)"
                      : "INSERT INTO module_migrations (module, version, name, applied_at)"
                        " VALUES ($1, $2, $3, $4)",
                  {std::string(legacy->module), std::int64_t{legacy->version}, name, row.text(2)}));
  }
  PRATU_CHECK(c.execute_script("DROP TABLE schema_migrations"));
  return ok();
}

// The files of one module with what the database says was applied of it.
struct ModulePlan {
  const MigrationSource* source = nullptr;
  std::vector<Migration> files;
};

// Checks the module's applied history against its files; returns how many are applied.
Result<std::size_t> check_history(const ModulePlan& plan, const std::vector<const Row*>& applied) {
  const auto& module = plan.source->module;
  for (std::size_t i = 0; i < applied.size(); ++i) {
    const Row& row = *applied[i];
    auto version = row.int64(1);
    if (version > static_cast<std::int64_t>(plan.files.size())) {
      return migration_error("the database has migration " + std::to_string(version) + " (" +
                             row.text(2) + ") of module " + module +
                             ", which this build does not know");
    }
    if (version != static_cast<std::int64_t>(i + 1)) {
      return migration_error("module " + module + " lacks migration " + std::to_string(i + 1) +
                             " in the database");
    }
    const Migration& known = plan.files[static_cast<std::size_t>(version - 1)];
    if (row.text(2) != known.name) {
      return migration_error("migration " + std::to_string(version) + " of module " + module +
                             " was applied as '" + row.text(2) + "' but the file is now " +
                             known.path.filename().string());
    }
  }
  return applied.size();
}

}  // namespace

Result<int> migrate(Database& db, const std::vector<MigrationSource>& sources) {
  const char* dialect_dir = db.dialect() == Dialect::postgres ? "postgres" : "sqlite";
  std::vector<ModulePlan> plans;
  std::set<std::string> modules;
  for (const auto& source : sources) {
    if (!is_name(source.module)) return migration_error("bad module name '" + source.module + "'");
    if (!modules.insert(source.module).second) {
      return migration_error("module " + source.module + " is listed twice");
    }
    PRATU_TRY(files, list_migrations(std::filesystem::path(source.directory) / dialect_dir));
    plans.push_back({&source, std::move(files)});
  }

  int applied_here = 0;
  // One transaction per migration; each re-reads what is applied under the lock, so a
  // concurrent `migrate` in another process finds its work already done. A write step that
  // finds a rebuild next leaves it to a rebuild step, which reads everything again.
  bool rebuilding = false;
  while (true) {
    bool finished = false;
    bool rebuild_next = false;
    std::string ran;  // the migration the step ran, named if its commit fails
    auto body = [&](Connection& c) -> Result<void> {
      PRATU_CHECK(lock_and_create_table(c));
      PRATU_CHECK(carry_forward_legacy_history(c));
      PRATU_TRY(rows, c.query("SELECT module, version, name FROM module_migrations"
                              " ORDER BY module, version",
                              {}));
      std::map<std::string, std::vector<const Row*>> by_module;
      for (const auto& row : rows) {
        auto module = row.text(0);
        if (!modules.contains(module)) {
          return migration_error("the database has migrations of module " + module +
                                 ", which this build does not have");
        }
        by_module[module].push_back(&row);
      }
      for (const auto& plan : plans) {
        PRATU_TRY(done, check_history(plan, by_module[plan.source->module]));
        if (done == plan.files.size()) continue;
        const Migration& next = plan.files[done];
        PRATU_TRY(sql, read_file(next.path));
        if (is_rebuild(sql) && !rebuilding) {
          rebuild_next = true;
          return ok();
        }
        ran = plan.source->module + " " + next.path.filename().string();
        auto run = c.execute_script(sql);
        if (!run) {
          Error error = run.error();
          error.detail = "migrate: " + ran + " failed: " + error.detail;
          return error;
        }
        PRATU_CHECK(
            c.execute("INSERT INTO module_migrations (module, version, name) VALUES ($1, $2, $3)",
                      {plan.source->module, std::int64_t{next.version}, next.name}));
        return ok();
      }
      finished = true;
      return ok();
    };
    auto step = rebuilding ? db.rebuild(body) : db.write(body);
    if (!step) {
      Error error = step.error();
      if (!ran.empty() && !error.detail.starts_with("migrate: ")) {
        error.detail = "migrate: " + ran + " failed: " + error.detail;
      }
      return error;
    }
    if (finished) return applied_here;
    rebuilding = rebuild_next;
    if (!rebuild_next) ++applied_here;
  }
}

Result<int> migrate(Database& db, const std::string& migrations_dir) {
  return migrate(db, std::vector<MigrationSource>{{"platform", migrations_dir}});
}

}  // namespace pratu::storage
