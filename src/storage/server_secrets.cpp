#include "storage/server_secrets.hpp"

#include <array>

namespace pratu::storage {

Result<std::string> shared_secret(Database& db, std::string_view name,
                                  const std::function<std::string()>& generate) {
  const std::array<Value, 1> key = {std::string(name)};
  auto read = [&key](Connection& c) -> Result<std::string> {
    PRATU_TRY(row, c.query_one("SELECT secret FROM server_secrets WHERE name = $1", key));
    return row ? row->text(0) : std::string();
  };
  PRATU_TRY(existing, db.read_value<std::string>(read));
  if (!existing.empty()) return existing;
  const std::string candidate = generate();
  if (candidate.size() < 32) {
    return Error::internal("secret " + std::string(name) + " must be at least 32 characters");
  }
  return db.write_value<std::string>([&](Connection& c) -> Result<std::string> {
    const std::array<Value, 2> params = {std::string(name), candidate};
    // Several nodes starting at once: the first insert wins and every node reads it back.
    PRATU_CHECK(c.execute(
        "INSERT INTO server_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        params));
    return read(c);
  });
}

}  // namespace pratu::storage
