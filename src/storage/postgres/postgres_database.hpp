#pragma once
/// The PostgreSQL engine: libpq connections in a bounded pool.

#include <memory>

#include "storage/database.hpp"

namespace pratu::storage::postgres {

/// Connects to `settings.url` (postgresql://...); fails with unavailable if the server is down.
Result<std::unique_ptr<Database>> open_postgres_database(const DatabaseSettings& settings);

/// The URL with any password replaced by "***", for logs and error details.
std::string redact_url(std::string_view url);

}  // namespace pratu::storage::postgres
