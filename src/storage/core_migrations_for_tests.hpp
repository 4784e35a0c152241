#pragma once
/// Storage tests migrate only the core migration: a domain's migration in progress must
/// fail that domain's tests, not the storage layer's.

#include <filesystem>
#include <string>

#include "support/test_databases.hpp"

namespace pratu::storage::testing_support {

/// A directory holding only migrations/{sqlite,postgres}/0001_core.sql, removed at exit.
inline const std::string& core_migrations_dir() {
  struct CoreDir {
    std::filesystem::path root =
        std::filesystem::temp_directory_path() / test::detail::unique_name("pratu-core-mig-");
    CoreDir() {
      for (const char* dialect : {"sqlite", "postgres"}) {
        std::filesystem::create_directories(root / dialect);
        std::filesystem::copy_file(
            std::filesystem::path(test::migrations_dir()) / dialect / "0001_core.sql",
            root / dialect / "0001_core.sql");
      }
    }
    ~CoreDir() {
      std::error_code ec;
      std::filesystem::remove_all(root, ec);
    }
    std::string text = root.string();
  };
  static const CoreDir dir;
  return dir.text;
}

/// Options for a fresh database with the core tables only.
inline test::TestDatabaseOptions core_options() {
  test::TestDatabaseOptions options;
  options.sources = {{"platform", core_migrations_dir()}};
  return options;
}

}  // namespace pratu::storage::testing_support
