#pragma once
/// The SQLite engine: one writer connection (BEGIN IMMEDIATE) and a pool of readers, in WAL mode.

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace pratu::storage::sqlite {

/// Opens (creating if missing, with its parent directory) the database file at `path`.
Result<std::unique_ptr<Database>> open_sqlite_database(const std::string& path,
                                                       const DatabaseSettings& settings);

}  // namespace pratu::storage::sqlite
