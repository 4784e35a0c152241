#include "domains/documents/signer_revocations.hpp"

namespace pratu::documents {

std::optional<int> crl_reason_of(std::string_view key) {
  if (key == "key_compromise") return 1;
  if (key == "superseded") return 4;
  if (key == "cessation_of_operation") return 5;
  return std::nullopt;
}

Result<crypto::RevokedCertificate> SignerRevocations::withdraw(std::string_view agency,
                                                               std::string_view serial_hex,
                                                               int reason, std::int64_t who) {
  const std::int64_t now = clock_.now_seconds();
  PRATU_CHECK(db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(changed,
              c.execute("INSERT INTO signer_revocations (serial, agency, reason, "
                        "revoked_at, revoked_by) VALUES ($1, $2, $3, $4, $5) "
                        "ON CONFLICT (serial) DO NOTHING",
                        {std::string(serial_hex), std::string(agency), std::int64_t{reason}, now,
                         who > 0 ? storage::Value(who) : storage::Value(nullptr)}));
    if (changed != 1) {
      return Error{ErrorCode::conflict, "documents.errors.signer_withdrawn_already", "", {}, 0};
    }
    return ok();
  }));
  return crypto::RevokedCertificate{std::string(serial_hex), now, reason};
}

Result<std::vector<crypto::RevokedCertificate>> SignerRevocations::all() {
  return db_.read_value<std::vector<crypto::RevokedCertificate>>(
      [&](storage::Connection& c) -> Result<std::vector<crypto::RevokedCertificate>> {
        PRATU_TRY(rows, c.query("SELECT serial, revoked_at, reason FROM signer_revocations "
                                "ORDER BY revoked_at, serial"));
        std::vector<crypto::RevokedCertificate> out;
        for (const auto& r : rows) {
          out.push_back({r.text(0), r.int64(1), static_cast<int>(r.int64(2))});
        }
        return out;
      });
}

Result<std::optional<std::int64_t>> SignerRevocations::withdrawn_at(std::string_view serial_hex) {
  return db_.read_value<std::optional<std::int64_t>>(
      [&](storage::Connection& c) -> Result<std::optional<std::int64_t>> {
        PRATU_TRY(row, c.query_one("SELECT revoked_at FROM signer_revocations WHERE serial = $1",
                                   {std::string(serial_hex)}));
        if (!row) return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(row->int64(0));
      });
}

}  // namespace pratu::documents
