#include "crypto/password_hasher.hpp"

#include <gtest/gtest.h>

#include "crypto/secure_random.hpp"

namespace pratu::crypto {
namespace {

PasswordHashSettings cheap() {
  PasswordHashSettings s;
  s.memory_kib = 1024;
  s.iterations = 1;
  return s;
}

TEST(PasswordHashSettings, DefaultsAreOwaspMinimumForArgon2id) {
  PasswordHashSettings defaults;
  EXPECT_EQ(defaults.memory_kib, 19456u);
  EXPECT_EQ(defaults.iterations, 2u);
  EXPECT_EQ(defaults.parallelism, 1u);
  EXPECT_TRUE(validate(defaults));
}

TEST(PasswordHashSettings, RejectsValuesLibargon2WouldRefuse) {
  auto s = cheap();
  s.iterations = 0;
  EXPECT_FALSE(validate(s));
  s = cheap();
  s.memory_kib = 4;
  EXPECT_FALSE(validate(s));
  s = cheap();
  s.salt_bytes = 8;
  EXPECT_FALSE(validate(s));
  SecureRandom random;
  EXPECT_THROW(PasswordHasher(s, random), std::invalid_argument);
}

TEST(PasswordHasher, WritesAPhcStringWithTheDefaultParameters) {
  SecureRandom random;
  PasswordHasher hasher({}, random);
  auto encoded = hasher.hash("correct horse battery staple");
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *encoded;
  EXPECT_TRUE(hasher.verify(*encoded, "correct horse battery staple"));
  EXPECT_FALSE(hasher.needs_rehash(*encoded));
}

TEST(PasswordHasher, VerifiesTheReferenceImplementationsHash) {
  // phc-winner-argon2 src/test.c: "password", salt "somesalt", m=65536, t=2, p=1.
  SecureRandom random;
  PasswordHasher hasher(cheap(), random);
  const char* reference =
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
  EXPECT_TRUE(hasher.verify(reference, "password"));
  EXPECT_FALSE(hasher.verify(reference, "Password"));
  EXPECT_TRUE(hasher.needs_rehash(reference));
}

TEST(PasswordHasher, RejectsAWrongPassword) {
  SecureRandom random;
  PasswordHasher hasher(cheap(), random);
  auto encoded = hasher.hash("a long enough password");
  ASSERT_TRUE(encoded);
  EXPECT_FALSE(hasher.verify(*encoded, "a long enough passwore"));
  EXPECT_FALSE(hasher.verify(*encoded, ""));
}

TEST(PasswordHasher, SaltsEveryHashDifferently) {
  SecureRandom random;
  PasswordHasher hasher(cheap(), random);
  auto a = hasher.hash("same password here");
  auto b = hasher.hash("same password here");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(PasswordHasher, MatchesThaiTextWhateverTheKeyboardComposedSaraAm) {
  SecureRandom random;
  PasswordHasher hasher(cheap(), random);
  // "น้ำ" with SARA AM (U+0E33) and with NIKHAHIT + SARA AA (U+0E4D U+0E32).
  auto encoded = hasher.hash("รหัสผ่านน\u0E49\u0E33ตก2567");
  ASSERT_TRUE(encoded);
  EXPECT_TRUE(hasher.verify(*encoded, "รหัสผ่านน\u0E49\u0E4D\u0E32ตก2567"));
}

TEST(PasswordHasher, TreatsMalformedOrWeakerHashesAsMismatch) {
  SecureRandom random;
  PasswordHasher hasher(cheap(), random);
  EXPECT_FALSE(hasher.verify("", "password"));
  EXPECT_FALSE(hasher.verify("$argon2id$v=19$m=1024,t=1,p=1$broken", "password"));
  // An Argon2i hash of "password" (reference README) is not accepted as Argon2id.
  EXPECT_FALSE(hasher.verify(
      "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", "password"));
}

TEST(PasswordHasher, FlagsHashesMadeWithOtherParametersForRehash) {
  SecureRandom random;
  PasswordHasher cheap_hasher(cheap(), random);
  auto encoded = cheap_hasher.hash("rehash me when cost rises");
  ASSERT_TRUE(encoded);
  auto stronger = cheap();
  stronger.iterations = 3;
  PasswordHasher strong_hasher(stronger, random);
  EXPECT_TRUE(strong_hasher.needs_rehash(*encoded));
  EXPECT_FALSE(cheap_hasher.needs_rehash(*encoded));
  // Old hashes still verify under new settings.
  EXPECT_TRUE(strong_hasher.verify(*encoded, "rehash me when cost rises"));
}

TEST(PasswordHasher, DummyVerifyRunsWithoutAUser) {
  SecureRandom random;
  PasswordHasher hasher(cheap(), random);
  hasher.verify_dummy("anything");  // must neither throw nor crash
  SUCCEED();
}

TEST(NormalizePassword, LeavesInvalidUtf8Unchanged) {
  std::string bad = "\xff\xfe password";
  EXPECT_EQ(normalize_password(bad), bad);
  EXPECT_EQ(normalize_password("\uFF21"), "A");  // fullwidth A
}

}  // namespace
}  // namespace pratu::crypto
