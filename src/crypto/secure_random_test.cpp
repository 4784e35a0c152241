#include "crypto/secure_random.hpp"

#include <gtest/gtest.h>

#include <set>

namespace pratu::crypto {
namespace {

TEST(SecureRandom, ReturnsTheRequestedNumberOfBytes) {
  SecureRandom random;
  EXPECT_EQ(random.bytes(0).size(), 0u);
  EXPECT_EQ(random.bytes(32).size(), 32u);
}

TEST(SecureRandom, NeverRepeatsA32ByteToken) {
  SecureRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random.token(32));
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(seen.begin()->size(), 64u);
  EXPECT_EQ(seen.begin()->find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace pratu::crypto
