// Uploads on both engines: expired ones are swept with their partial files, and an upload is
// reachable only by its owner.
#include "domains/applications/upload_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "crypto/secure_random.hpp"
#include "support/temp_dir.hpp"
#include "support/test_databases.hpp"

namespace pratu::applications {
namespace {

class UploadServiceTest : public pratu::test::DatabaseTest {
 protected:
  void SetUp() override {
    pratu::test::DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    service_ = std::make_unique<UploadService>(database(), clock_, random_, blobs_, settings_);
    alice_ = add_user("1234567890121");
    bob_ = add_user("1000000000009");
  }

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

  FakeClock clock_{1'796'186'400};
  crypto::SecureRandom random_;
  pratu::test::TempDir root_{"pratu-upload-service-"};
  storage::BlobStore blobs_{root_.path()};
  ApplicationsSettings settings_;
  std::unique_ptr<UploadService> service_;
  std::int64_t alice_ = 0, bob_ = 0;
};

TEST_P(UploadServiceTest, ExpiredUploadsAreSweptWithTheirPartialFiles) {
  auto upload = service_->create(alice_, {100, "a.png", "image/png"});
  ASSERT_TRUE(upload) << upload.error().detail;
  const auto partial = blobs_.uploads_dir() / upload->writer_id;
  EXPECT_TRUE(std::filesystem::exists(partial));

  clock_.advance(std::chrono::hours(settings_.upload_expiry_hours) - std::chrono::seconds(1));
  EXPECT_EQ(*service_->sweep_expired(), 0);
  EXPECT_TRUE(service_->status(alice_, upload->public_id));

  clock_.advance(std::chrono::seconds(1));
  // Past its expiry it is gone at once, swept or not.
  EXPECT_EQ(service_->status(alice_, upload->public_id).error().code, ErrorCode::not_found);
  EXPECT_EQ(*service_->sweep_expired(), 1);
  EXPECT_FALSE(std::filesystem::exists(partial));
}

TEST_P(UploadServiceTest, AnUploadIsReachableOnlyByItsOwner) {
  auto upload = service_->create(alice_, {100, "", ""});
  ASSERT_TRUE(upload) << upload.error().detail;
  EXPECT_EQ(service_->status(bob_, upload->public_id).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->append_target(bob_, upload->public_id, 0).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->terminate(bob_, upload->public_id).error().code, ErrorCode::not_found);
  auto target = service_->append_target(alice_, upload->public_id, 0);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->id, upload->writer_id);
  EXPECT_EQ(target->limit_bytes, 100);
  EXPECT_EQ(service_->append_target(alice_, upload->public_id, 5).error().code,
            ErrorCode::conflict);
}

PRATU_INSTANTIATE_ENGINE_TESTS(UploadServiceTest);

}  // namespace
}  // namespace pratu::applications
