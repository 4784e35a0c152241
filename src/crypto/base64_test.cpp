#include "crypto/base64.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include <openssl/evp.h>

namespace pratu::crypto {
namespace {

TEST(Base64, DecodesEveryPaddingAndItsUnpaddedSpelling) {
  EXPECT_EQ(*decode_base64("YQ==", Base64Padding::required), "a");
  EXPECT_EQ(*decode_base64("YWI=", Base64Padding::required), "ab");
  EXPECT_EQ(*decode_base64("YWJj", Base64Padding::required), "abc");
  EXPECT_EQ(*decode_base64("4LiB4Liy4Lij", Base64Padding::required), "การ");
  EXPECT_EQ(*decode_base64("", Base64Padding::required), "");
  EXPECT_EQ(*decode_base64("YQ", Base64Padding::none), "a");
  EXPECT_EQ(*decode_base64("YWI", Base64Padding::none), "ab");
  EXPECT_EQ(*decode_base64("c29tZXNhbHQ", Base64Padding::none), "somesalt");
  EXPECT_EQ(*decode_base64("", Base64Padding::none), "");
}

TEST(Base64, RefusesEverythingButTheOneSpelling) {
  for (const char* bad :
       {"abc", "ab!d", "a===", "YQ==YQ==", "YQ=", "Y===", "YR==", "YQ==\n", " YQ==", "YQ", "YWI"}) {
    EXPECT_FALSE(decode_base64(bad, Base64Padding::required)) << bad;
  }
  for (const char* bad : {"YQ==", "YWI=", "Y", "YR", "YWJ", "c29tZXNhbHR", "YQ\r\n", "-_"}) {
    EXPECT_FALSE(decode_base64(bad, Base64Padding::none)) << bad;
  }
}

// Against OpenSSL's encoder: every byte string comes back from its padded spelling
// and from the same without its padding.
TEST(Base64, ReadsBackWhatOpenSslWritesForRandomBytes) {
  std::mt19937 rng(42);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes(rng() % 40, '\0');
    for (auto& b : bytes) b = static_cast<char>(rng() & 0xFF);
    std::string encoded(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    encoded.resize(static_cast<std::size_t>(EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(encoded.data()),
        reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()))));
    EXPECT_EQ(decode_base64(encoded, Base64Padding::required), bytes) << encoded;
    std::string bare = encoded;
    while (!bare.empty() && bare.back() == '=') bare.pop_back();
    EXPECT_EQ(decode_base64(bare, Base64Padding::none), bytes) << bare;
  }
}

}  // namespace
}  // namespace pratu::crypto
