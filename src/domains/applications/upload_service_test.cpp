// Uploads on both engines: expired ones are swept with their partial files, an upload is
// reachable only by its owner, and requests racing the last byte each get a sound answer.
#include "domains/applications/upload_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <utility>

#include "crypto/secure_random.hpp"
#include "domains/applications/applications_test_fixture.hpp"
#include "support/temp_dir.hpp"
#include "support/test_databases.hpp"

namespace pratu::applications {
namespace {

// The database as one request sees it while another runs between two of its steps: `then`
// runs once, right after the next read (or before the next write) returns.
class InterleavedDatabase final : public storage::Database {
 public:
  explicit InterleavedDatabase(storage::Database& db) : db_(db) {}
  void after_next_read(std::function<void()> then) { after_read_ = std::move(then); }
  void before_next_write(std::function<void()> then) { before_write_ = std::move(then); }
  void fail_next_write() { fail_write_ = true; }

  storage::Dialect dialect() const override { return db_.dialect(); }
  using storage::Database::write;
  Result<void> write(const std::function<Result<void>(storage::Connection&)>& work,
                     storage::Durability durability) override {
    if (auto then = std::exchange(before_write_, nullptr)) then();
    if (std::exchange(fail_write_, false)) return Error::unavailable("database away");
    return db_.write(work, durability);
  }
  Result<void> read(const std::function<Result<void>(storage::Connection&)>& work) override {
    auto done = db_.read(work);
    if (auto then = std::exchange(after_read_, nullptr)) then();
    return done;
  }
  Result<void> ping() override { return db_.ping(); }

 private:
  storage::Database& db_;
  std::function<void()> after_read_;
  std::function<void()> before_write_;
  bool fail_write_ = false;
};

class UploadServiceTest : public testing::ApplicantsTest {
 protected:
  void SetUp() override {
    testing::ApplicantsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    interleaved_ = std::make_unique<InterleavedDatabase>(database());
    service_ = std::make_unique<UploadService>(*interleaved_, clock_, random_, blobs_, settings_);
    other_ = std::make_unique<UploadService>(database(), clock_, random_, blobs_, settings_);
  }

  // An upload of alice's whose every byte has arrived (a PNG), as the PATCH leaves it before
  // its handler runs.
  UploadRecord arrived() {
    const std::string bytes = std::string("\x89PNG\r\n\x1A\n") + std::string(3000, '\x42');
    auto upload = service_->create(alice_, {static_cast<std::int64_t>(bytes.size()), "a.png", ""});
    EXPECT_TRUE(upload) << upload.error().detail;
    auto writer = storage::BlobWriter::resume(blobs_, upload->writer_id, upload->length);
    EXPECT_TRUE(writer) << writer.error().detail;
    EXPECT_TRUE(writer->append(bytes));
    return *upload;
  }

  std::size_t documents() { return service_->wallet(alice_)->size(); }

  crypto::SecureRandom random_;
  pratu::test::TempDir root_{"pratu-upload-service-"};
  storage::BlobStore blobs_{root_.path()};
  ApplicationsSettings settings_;
  std::unique_ptr<InterleavedDatabase> interleaved_;
  std::unique_ptr<UploadService> service_;
  std::unique_ptr<UploadService> other_;  // another request, on the same upload
};

TEST_P(UploadServiceTest, AHeadRacingTheLastPatchSeesTheUploadFinished) {
  const auto upload = arrived();
  // The HEAD reads the upload unfinished; the PATCH then stores the file and finishes it.
  interleaved_->after_next_read([&] { ASSERT_TRUE(other_->appended(alice_, upload.public_id)); });
  auto state = service_->status(alice_, upload.public_id);
  ASSERT_TRUE(state) << state.error().detail;
  EXPECT_EQ(state->offset, upload.length);
  EXPECT_FALSE(state->record.sha256.empty());
}

TEST_P(UploadServiceTest, TwoLastPatchesAtOnceAddOneDocument) {
  const auto upload = arrived();
  interleaved_->after_next_read([&] {
    auto first = other_->appended(alice_, upload.public_id);
    ASSERT_TRUE(first) << first.error().detail;
    EXPECT_TRUE(first->document);
  });
  auto second = service_->appended(alice_, upload.public_id);
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_EQ(second->offset, upload.length);
  EXPECT_FALSE(second->document);
  EXPECT_EQ(documents(), 1u);
  // And once more, long after: the same answer.
  auto again = service_->appended(alice_, upload.public_id);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again->offset, upload.length);
  EXPECT_EQ(documents(), 1u);
}

TEST_P(UploadServiceTest, AnUploadRemovedWhileItIsReadIsNotFound) {
  const auto upload = arrived();
  interleaved_->after_next_read([&] { ASSERT_TRUE(other_->terminate(alice_, upload.public_id)); });
  EXPECT_EQ(service_->status(alice_, upload.public_id).error().code, ErrorCode::not_found);
}

TEST_P(UploadServiceTest, TheLastPatchWhileAnotherWriterHoldsTheFileIsAConflict) {
  const auto upload = arrived();
  {
    auto holder = storage::BlobWriter::resume(blobs_, upload.writer_id, upload.length);
    ASSERT_TRUE(holder) << holder.error().detail;
    auto refused = service_->appended(alice_, upload.public_id);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::conflict);
    EXPECT_EQ(refused.error().message_key, "applications.uploads.busy");
    EXPECT_EQ(documents(), 0u);
  }
  // Nothing was lost: the next try finishes it.
  auto finished = service_->appended(alice_, upload.public_id);
  ASSERT_TRUE(finished) << finished.error().detail;
  EXPECT_TRUE(finished->document);
}

TEST_P(UploadServiceTest, AnUploadTerminatedAsItIsStoredAddsNoDocument) {
  const auto upload = arrived();
  // The file is at its content address; the DELETE lands before it is recorded.
  interleaved_->before_next_write(
      [&] { ASSERT_TRUE(other_->terminate(alice_, upload.public_id)); });
  auto state = service_->appended(alice_, upload.public_id);
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().code, ErrorCode::not_found);
  EXPECT_EQ(documents(), 0u);
}

// The file is at its content address and not yet recorded: a HEAD beside it finds the upload
// whole, and another last PATCH finds it busy. Neither may find it gone (a tus client told 404
// starts over).
TEST_P(UploadServiceTest, RequestsBesideAnUploadBeingRecordedFindItWholeAndBusy) {
  const auto upload = arrived();
  interleaved_->before_next_write([&] {
    auto head = other_->status(alice_, upload.public_id);
    ASSERT_TRUE(head) << head.error().detail;
    EXPECT_EQ(head->offset, upload.length);
    auto patch = other_->appended(alice_, upload.public_id);
    ASSERT_FALSE(patch);
    EXPECT_EQ(patch.error().code, ErrorCode::conflict);
    EXPECT_EQ(patch.error().message_key, "applications.uploads.busy");
  });
  auto state = service_->appended(alice_, upload.public_id);
  ASSERT_TRUE(state) << state.error().detail;
  EXPECT_TRUE(state->document);
  EXPECT_FALSE(std::filesystem::exists(blobs_.uploads_dir() / upload.writer_id));
  EXPECT_EQ(documents(), 1u);
}

// Recording the finished file fails (the database is away): the partial upload is kept, and
// the next try records it, once.
TEST_P(UploadServiceTest, AnUploadWhoseRecordFailedIsFinishedByTheNextTry) {
  const auto upload = arrived();
  interleaved_->fail_next_write();
  auto failed = service_->appended(alice_, upload.public_id);
  ASSERT_FALSE(failed);
  EXPECT_EQ(documents(), 0u);
  EXPECT_TRUE(std::filesystem::exists(blobs_.uploads_dir() / upload.writer_id));
  auto head = service_->status(alice_, upload.public_id);
  ASSERT_TRUE(head) << head.error().detail;
  EXPECT_EQ(head->offset, upload.length);
  auto retried = service_->appended(alice_, upload.public_id);
  ASSERT_TRUE(retried) << retried.error().detail;
  EXPECT_TRUE(retried->document);
  EXPECT_EQ(documents(), 1u);
  EXPECT_FALSE(std::filesystem::exists(blobs_.uploads_dir() / upload.writer_id));
}

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
