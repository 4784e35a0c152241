#pragma once
/// Secrets shared by every node of one installation, kept in the database: the first node to
/// ask for a name creates it, and every node gets the same value from then on.

#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace pratu::storage {

/// The secret called `name`; when there is none yet, stores `generate()` (at least 32
/// characters), unless another node stored one first, whose value is then returned.
Result<std::string> shared_secret(Database& db, std::string_view name,
                                  const std::function<std::string()>& generate);

}  // namespace pratu::storage
