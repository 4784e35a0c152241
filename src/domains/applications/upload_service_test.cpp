// Uploads on both engines: expired ones are swept with their partial files, and an upload is
// reachable only by its owner.
#include "domains/applications/upload_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "crypto/secure_random.hpp"
#include "domains/applications/applications_test_fixture.hpp"
#include "support/temp_dir.hpp"
#include "support/test_databases.hpp"

namespace pratu::applications {
namespace {

class UploadServiceTest : public testing::ApplicantsTest {
 protected:
  void SetUp() override {
    testing::ApplicantsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    service_ = std::make_unique<UploadService>(database(), clock_, random_, blobs_, settings_);
  }

  crypto::SecureRandom random_;
  pratu::test::TempDir root_{"pratu-upload-service-"};
  storage::BlobStore blobs_{root_.path()};
  ApplicationsSettings settings_;
  std::unique_ptr<UploadService> service_;
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
