#pragma once
/// A fixture for the applications tests: a fresh database per engine, a fake clock and two
/// applicants, alice and bob.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "common/clock.hpp"
#include "support/test_databases.hpp"

namespace pratu::applications::testing {

class ApplicantsTest : public pratu::test::DatabaseTest {
 protected:
  /// A subclass overriding SetUp calls this first and returns if IsSkipped() or on a failure.
  void SetUp() override {
    pratu::test::DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    alice_ = add_user("1234567890121");
    bob_ = add_user("1000000000009");
  }

  /// Adds an applicant with `national_id` straight to the database; their id.
  std::int64_t add_user(const std::string& national_id) {
    auto id =
        database().write_value<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
          PRATU_TRY(row,
                    c.query_one("INSERT INTO users (role, national_id, password_hash, created_at, "
                                "updated_at, password_changed_at) "
                                "VALUES ('applicant', $1, 'x', 0, 0, 0) RETURNING id",
                                {national_id}));
          return row->int64(0);
        });
    EXPECT_TRUE(id) << id.error().detail;
    return id ? *id : 0;
  }

  FakeClock clock_{1'796'186'400};  // Wednesday 2 December 2026, 11:40 in Bangkok
  std::int64_t alice_ = 0, bob_ = 0;
};

}  // namespace pratu::applications::testing
