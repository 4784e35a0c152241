#include "storage/blob_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/sha256.hpp"
#include "support/temp_dir.hpp"

namespace pratu::storage {
namespace {

class BlobStoreTest : public ::testing::Test {
 protected:
  BlobStoreTest() : root_("pratu-blobs-"), store_(root_.path()) {}
  std::size_t file_count() const {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root_.path())) {
      if (entry.is_regular_file()) ++n;
    }
    return n;
  }
  test::TempDir root_;
  BlobStore store_;
};

TEST_F(BlobStoreTest, AddressesBytesBySha256) {
  auto ref = store_.put("abc", "text/plain");
  ASSERT_TRUE(ref) << ref.error().detail;
  // FIPS 180-2, appendix B.1.
  EXPECT_EQ(ref->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ref->size_bytes, 3);
  EXPECT_EQ(ref->media_type, "text/plain");
  EXPECT_TRUE(std::filesystem::is_regular_file(root_ / "ba" / "78" / ref->sha256));
}

TEST_F(BlobStoreTest, RoundTripsBinaryAndThaiContent) {
  std::string bytes = "ใบอนุญาต";
  bytes.push_back('\0');
  bytes += std::string("\xff\x00\x01", 3);
  auto ref = store_.put(bytes, "application/octet-stream");
  ASSERT_TRUE(ref) << ref.error().detail;
  EXPECT_TRUE(store_.exists(ref->sha256));
  auto back = store_.get(ref->sha256);
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(*back, bytes);
}

TEST_F(BlobStoreTest, StoresEmptyBlobs) {
  auto ref = store_.put("", "text/plain");
  ASSERT_TRUE(ref) << ref.error().detail;
  EXPECT_EQ(ref->sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  auto back = store_.get(ref->sha256);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, "");
}

TEST_F(BlobStoreTest, SameBytesAreStoredOnce) {
  auto first = store_.put("the same document", "application/pdf");
  auto second = store_.put("the same document", "application/pdf");
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->sha256, second->sha256);
  ASSERT_TRUE(store_.put("another document", "application/pdf"));
  EXPECT_EQ(file_count(), 2U) << "a duplicate or a temporary file was left behind";
}

TEST_F(BlobStoreTest, MissingBlobIsNotFound) {
  std::string absent(64, '0');
  EXPECT_FALSE(store_.exists(absent));
  auto r = store_.get(absent);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
}

TEST_F(BlobStoreTest, MalformedAddressesAreRejected) {
  ASSERT_TRUE(store_.put("abc", "text/plain"));
  for (std::string bad :
       {std::string("../../etc/passwd"), std::string(63, 'a'),
        std::string("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")}) {
    EXPECT_FALSE(store_.exists(bad)) << bad;
    auto r = store_.get(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input) << bad;
  }
}

TEST_F(BlobStoreTest, StoredBlobsAreReadOnly) {
  auto ref = store_.put("immutable", "text/plain");
  ASSERT_TRUE(ref);
  auto perms = std::filesystem::status(store_.path_of(ref->sha256)).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::owner_write, std::filesystem::perms::none);
}

// ---- BlobWriter -----------------------------------------------------------------------

// Bytes that differ from chunk to chunk, so a chunk written twice or lost changes the digest.
std::string pattern(std::size_t size, std::size_t seed) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>((i * 131 + seed * 7 + (i >> 8)) & 0xff);
  }
  return bytes;
}

constexpr std::int64_t kLimit = 4 * 1024 * 1024;

TEST_F(BlobStoreTest, WriterHashesAsItWritesLikeAOneShotDigest) {
  auto writer = BlobWriter::create(store_, kLimit);
  ASSERT_TRUE(writer) << writer.error().detail;
  std::string all;
  for (std::size_t i = 0; i < 40; ++i) {
    const std::string chunk = pattern(1000 + i * 997, i);  // odd sizes, across block boundaries
    all += chunk;
    ASSERT_TRUE(writer->append(chunk));
    EXPECT_EQ(writer->bytes_written(), static_cast<std::int64_t>(all.size()));
  }
  auto ref = writer->finish("application/pdf");
  ASSERT_TRUE(ref) << ref.error().detail;
  EXPECT_EQ(ref->sha256, pratu::test::reference_sha256(all));
  EXPECT_EQ(ref->size_bytes, static_cast<std::int64_t>(all.size()));
  EXPECT_EQ(ref->media_type, "application/pdf");
  auto back = store_.get(ref->sha256);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, all);
  EXPECT_FALSE(writer->open());
  EXPECT_EQ(file_count(), 1U) << "the partial upload was left behind";
}

TEST_F(BlobStoreTest, WriterStoresLikePutWithTheSameLayoutAndPermissions) {
  auto writer = BlobWriter::create(store_, kLimit);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->append("ab"));
  ASSERT_TRUE(writer->append("c"));
  auto ref = writer->finish("text/plain");
  ASSERT_TRUE(ref) << ref.error().detail;
  EXPECT_EQ(ref->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(std::filesystem::is_regular_file(root_ / "ba" / "78" / ref->sha256));
  auto perms = std::filesystem::status(store_.path_of(ref->sha256)).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::owner_write, std::filesystem::perms::none);
  // The same bytes again, by put and by a writer: still one file.
  ASSERT_TRUE(store_.put("abc", "text/plain"));
  auto again = BlobWriter::create(store_, kLimit);
  ASSERT_TRUE(again);
  ASSERT_TRUE(again->append("abc"));
  auto second = again->finish("text/plain");
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_EQ(second->sha256, ref->sha256);
  EXPECT_EQ(file_count(), 1U);
}

TEST_F(BlobStoreTest, WriterStoresAnEmptyBlob) {
  auto writer = BlobWriter::create(store_, kLimit);
  ASSERT_TRUE(writer);
  auto ref = writer->finish("text/plain");
  ASSERT_TRUE(ref) << ref.error().detail;
  EXPECT_EQ(ref->sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ref->size_bytes, 0);
}

TEST_F(BlobStoreTest, WriterRefusesBytesPastItsLimit) {
  auto writer = BlobWriter::create(store_, 10);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->append("12345678"));
  auto refused = writer->append("901");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(refused.error().message_key, "errors.upload_too_large");
  EXPECT_EQ(writer->bytes_written(), 8) << "part of a refused append was stored";
  ASSERT_TRUE(writer->append("90"));  // exactly the limit is allowed
  auto ref = writer->finish("text/plain");
  ASSERT_TRUE(ref) << ref.error().detail;
  EXPECT_EQ(ref->sha256, pratu::test::reference_sha256("1234567890"));
}

TEST_F(BlobStoreTest, WriterRefusesAnAppendAtTheWrongOffset) {
  auto writer = BlobWriter::create(store_, kLimit);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->append_at(0, "hello "));
  for (std::int64_t wrong : {0, 5, 7, -1}) {
    auto refused = writer->append_at(wrong, "world");
    ASSERT_FALSE(refused) << wrong;
    EXPECT_EQ(refused.error().code, ErrorCode::conflict) << wrong;
    EXPECT_EQ(refused.error().message_key, "errors.upload_offset_conflict");
  }
  EXPECT_EQ(writer->bytes_written(), 6);
  ASSERT_TRUE(writer->append_at(6, "world"));
  auto ref = writer->finish("text/plain");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->sha256, pratu::test::reference_sha256("hello world"));
}

// What a resumable upload does: one request writes part of the file and ends (its writer
// with it); a later one reopens the upload by id and appends the rest at the right offset.
TEST_F(BlobStoreTest, ResumedWriterContinuesAPartialUploadAcrossWriters) {
  const std::string first = pattern(300'000, 1);
  const std::string second = pattern(200'001, 2);
  std::string id;
  {
    auto writer = BlobWriter::create(store_, kLimit);
    ASSERT_TRUE(writer);
    id = writer->id();
    EXPECT_TRUE(BlobWriter::is_upload_id(id)) << id;
    ASSERT_TRUE(writer->append_at(0, first));
  }  // the request ends: the partial upload stays
  auto resumed = BlobWriter::resume(store_, id, kLimit);
  ASSERT_TRUE(resumed) << resumed.error().detail;
  EXPECT_EQ(resumed->id(), id);
  EXPECT_EQ(resumed->bytes_written(), static_cast<std::int64_t>(first.size()));
  auto stale = resumed->append_at(0, second);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::conflict);
  ASSERT_TRUE(resumed->append_at(static_cast<std::int64_t>(first.size()), second));
  auto ref = resumed->finish("application/octet-stream");
  ASSERT_TRUE(ref) << ref.error().detail;
  EXPECT_EQ(ref->sha256, pratu::test::reference_sha256(first + second));
  EXPECT_EQ(ref->size_bytes, static_cast<std::int64_t>(first.size() + second.size()));
  auto gone = BlobWriter::resume(store_, id, kLimit);
  ASSERT_FALSE(gone) << "a finished upload can be reopened";
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
}

TEST_F(BlobStoreTest, AnUploadCutManyTimesHashesLikeOneSentWhole) {
  std::string whole;
  std::string id;
  {
    auto writer = BlobWriter::create(store_, kLimit);
    ASSERT_TRUE(writer);
    id = writer->id();
  }
  // Pieces of uneven sizes, each by a writer of its own, one of them sending nothing.
  for (int piece = 0; piece < 7; ++piece) {
    const std::string bytes = piece == 3 ? std::string() : pattern(40'000 + piece * 9'973, piece);
    auto writer = BlobWriter::resume(store_, id, kLimit);
    ASSERT_TRUE(writer) << writer.error().detail;
    ASSERT_EQ(writer->bytes_written(), static_cast<std::int64_t>(whole.size()));
    ASSERT_TRUE(writer->append_at(static_cast<std::int64_t>(whole.size()), bytes));
    whole += bytes;
  }
  auto last = BlobWriter::resume(store_, id, kLimit);
  ASSERT_TRUE(last);
  auto ref = last->finish("application/octet-stream");
  ASSERT_TRUE(ref) << ref.error().detail;
  EXPECT_EQ(ref->sha256, pratu::test::reference_sha256(whole));
  EXPECT_EQ(ref->size_bytes, static_cast<std::int64_t>(whole.size()));
  auto stored = store_.get(ref->sha256);
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, whole);
}

TEST_F(BlobStoreTest, OnlyOneWriterAtATimePerUpload) {
  auto writer = BlobWriter::create(store_, kLimit);
  ASSERT_TRUE(writer);
  auto second = BlobWriter::resume(store_, writer->id(), kLimit);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::conflict);
}

// Between publish() and release() the blob is readable at its address while the partial
// upload is still there and still locked: another writer finds it busy, never gone.
TEST_F(BlobStoreTest, APublishedUploadStaysWholeAndBusyUntilReleased) {
  const std::string bytes = pattern(70'000, 5);
  auto writer = BlobWriter::create(store_, kLimit);
  ASSERT_TRUE(writer);
  const std::string id = writer->id();
  const auto partial = store_.uploads_dir() / id;
  ASSERT_TRUE(writer->append(bytes));
  auto ref = writer->publish("application/octet-stream");
  ASSERT_TRUE(ref) << ref.error().detail;
  EXPECT_EQ(*store_.get(ref->sha256), bytes);
  EXPECT_TRUE(std::filesystem::exists(partial));
  EXPECT_EQ(std::filesystem::file_size(partial), bytes.size());
  auto beside = BlobWriter::resume(store_, id, kLimit);
  ASSERT_FALSE(beside);
  EXPECT_EQ(beside.error().code, ErrorCode::conflict);
  EXPECT_FALSE(writer->append("more")) << "a published upload took more bytes";

  writer->release();
  EXPECT_FALSE(std::filesystem::exists(partial));
  EXPECT_EQ(BlobWriter::resume(store_, id, kLimit).error().code, ErrorCode::not_found);
  const auto perms = std::filesystem::status(store_.path_of(ref->sha256)).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_read |
                                                     std::filesystem::perms::group_read |
                                                     std::filesystem::perms::others_read);
  EXPECT_EQ(*store_.get(ref->sha256), bytes);
}

// A writer dropped after publish() without release() (the caller could not record the blob)
// leaves the partial upload for a later writer, which finishes it again to the same blob.
TEST_F(BlobStoreTest, AnUploadPublishedButNeverReleasedCanBeFinishedAgain) {
  const std::string bytes = pattern(50'000, 6);
  std::string id;
  std::string sha256;
  {
    auto writer = BlobWriter::create(store_, kLimit);
    ASSERT_TRUE(writer);
    id = writer->id();
    ASSERT_TRUE(writer->append(bytes));
    auto ref = writer->publish("application/octet-stream");
    ASSERT_TRUE(ref);
    sha256 = ref->sha256;
  }
  auto again = BlobWriter::resume(store_, id, kLimit);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again->bytes_written(), static_cast<std::int64_t>(bytes.size()));
  auto ref = again->finish("application/octet-stream");
  ASSERT_TRUE(ref) << ref.error().detail;
  EXPECT_EQ(ref->sha256, sha256);
  EXPECT_FALSE(std::filesystem::exists(store_.uploads_dir() / id));
  EXPECT_EQ(*store_.get(sha256), bytes);
}

TEST_F(BlobStoreTest, ResumingKeepsTheLimit) {
  std::string id;
  {
    auto writer = BlobWriter::create(store_, 10);
    ASSERT_TRUE(writer);
    id = writer->id();
    ASSERT_TRUE(writer->append("12345678"));
  }
  auto resumed = BlobWriter::resume(store_, id, 10);
  ASSERT_TRUE(resumed);
  auto refused = resumed->append("901");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message_key, "errors.upload_too_large");
}

TEST_F(BlobStoreTest, MalformedOrUnknownUploadIdsAreRefused) {
  for (std::string bad : {std::string("../../etc/passwd"), std::string(31, 'a'),
                          std::string(32, 'A'), std::string()}) {
    auto r = BlobWriter::resume(store_, bad, kLimit);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input) << bad;
  }
  auto missing = BlobWriter::resume(store_, std::string(32, 'a'), kLimit);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

TEST_F(BlobStoreTest, AbandonedWritesLeaveNothingBehind) {
  {
    auto writer = BlobWriter::create(store_, kLimit);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->append(pattern(100'000, 3)));
    writer->abandon();
    EXPECT_FALSE(writer->open());
    writer->abandon();  // idempotent
    auto after = writer->append("more");
    EXPECT_FALSE(after) << "a spent writer took more bytes";
  }
  {  // abandoned after being reopened
    std::string id;
    {
      auto writer = BlobWriter::create(store_, kLimit);
      ASSERT_TRUE(writer);
      id = writer->id();
      ASSERT_TRUE(writer->append("partial"));
    }
    auto resumed = BlobWriter::resume(store_, id, kLimit);
    ASSERT_TRUE(resumed);
    resumed->abandon();
  }
  {  // refused past its limit, then abandoned
    auto writer = BlobWriter::create(store_, 4);
    ASSERT_TRUE(writer);
    EXPECT_FALSE(writer->append("too long"));
    writer->abandon();
  }
  EXPECT_EQ(file_count(), 0U);
}

}  // namespace
}  // namespace pratu::storage
