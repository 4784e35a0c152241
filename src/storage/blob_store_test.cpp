#include "storage/blob_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_databases.hpp"

namespace pratu::storage {
namespace {

class BlobStoreTest : public ::testing::Test {
 protected:
  BlobStoreTest()
      : root_(std::filesystem::temp_directory_path() / test::detail::unique_name("pratu-blobs-")),
        store_(root_) {}
  ~BlobStoreTest() override {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  std::size_t file_count() const {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) {
      if (entry.is_regular_file()) ++n;
    }
    return n;
  }
  std::filesystem::path root_;
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
  for (std::string bad : {std::string("../../etc/passwd"), std::string(63, 'a'),
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

}  // namespace
}  // namespace pratu::storage
