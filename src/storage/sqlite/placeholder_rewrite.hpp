#pragma once
/// SQL is written with PostgreSQL's `$N` placeholders; SQLite needs `?N` to bind by number.

#include <string>
#include <string_view>

namespace pratu::storage::sqlite {

/// Rewrites each `$N` outside string literals, quoted identifiers and comments to `?N`.
std::string rewrite_placeholders(std::string_view sql);

}  // namespace pratu::storage::sqlite
