#pragma once
/// Reading whole files: templates, locales, migrations, the OpenAPI document, the catalogue.

#include <filesystem>
#include <string>

#include "common/result.hpp"

namespace pratu {

/// The bytes of the file at `path`; fails (internal, naming the path) when it cannot be read.
Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace pratu
