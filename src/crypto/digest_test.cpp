#include "crypto/digest.hpp"

#include <gtest/gtest.h>

namespace pratu::crypto {
namespace {

TEST(Sha256Hex, MatchesTheFips180Vectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HmacSha256Hex, MatchesRfc4231TestCase2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, MatchesTheOneShotHmacForShortAndLongKeys) {
  EXPECT_EQ(HmacSha256("Jefe").hex("what do ya want for nothing?"),
            hmac_sha256_hex("Jefe", "what do ya want for nothing?"));
  // RFC 4231 test case 6: a key longer than the block is hashed first.
  const std::string long_key(131, '\xaa');
  const std::string message = "Test Using Larger Than Block-Size Key - Hash Key First";
  EXPECT_EQ(HmacSha256(long_key).hex(message),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // The same key object gives the same answer again (its states are copied, not used up).
  HmacSha256 key(std::string(32, 'k'));
  EXPECT_EQ(key.hex("session:abc"), key.hex("session:abc"));
  EXPECT_EQ(key.hex("session:abc"), hmac_sha256_hex(std::string(32, 'k'), "session:abc"));
}

TEST(ToHex, EncodesEveryByteAsTwoLowerCaseDigits) {
  EXPECT_EQ(to_hex(std::string("\x00\x0f\xa0\xff", 4)), "000fa0ff");
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("token", "token"));
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_FALSE(constant_time_equal("token", "tokem"));
  EXPECT_FALSE(constant_time_equal("token", "token2"));
  EXPECT_FALSE(constant_time_equal("", "x"));
}

}  // namespace
}  // namespace pratu::crypto
