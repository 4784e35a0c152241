#include "crypto/password_hasher.hpp"

#include <argon2.h>
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

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

// Verification decodes the PHC string itself (to lend libargon2 memory it keeps): it must
// agree with libargon2's own argon2id_verify on every string, right, wrong or mangled.
TEST(PasswordHasher, AgreesWithLibargon2OnEveryStringRightWrongOrMangled) {
  SecureRandom random;
  PasswordHasher hasher(cheap(), random);
  std::mt19937 rng(20261203);
  auto library = [](const std::string& encoded, const std::string& password) {
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
  };
  for (int i = 0; i < 60; ++i) {
    const std::uint32_t m = 16 + rng() % 256, t = 1 + rng() % 3, p = 1 + rng() % 2;
    const std::size_t salt_bytes = 8 + rng() % 25, hash_bytes = 4 + rng() % 61;
    std::string salt = random.bytes(salt_bytes);
    std::string password = random.token(1 + rng() % 20);
    std::vector<char> encoded(argon2_encodedlen(t, m, p, static_cast<std::uint32_t>(salt_bytes),
                                                static_cast<std::uint32_t>(hash_bytes), Argon2_id));
    ASSERT_EQ(argon2id_hash_encoded(t, m, p, password.data(), password.size(), salt.data(),
                                    salt.size(), hash_bytes, encoded.data(), encoded.size()),
              ARGON2_OK);
    const std::string phc(encoded.data());
    EXPECT_TRUE(hasher.verify(phc, password)) << phc;
    EXPECT_FALSE(hasher.verify(phc, password + "x")) << phc;
    // One character changed, dropped or added anywhere.
    std::string changed = phc;
    const std::size_t at = rng() % changed.size();
    changed[at] = changed[at] == 'A' ? 'B' : 'A';
    std::string dropped = phc;
    dropped.erase(rng() % dropped.size(), 1);
    const std::string added = phc + "A";
    for (const auto& mangled : {changed, dropped, added}) {
      EXPECT_EQ(hasher.verify(mangled, password), library(mangled, password)) << mangled;
    }
  }
}

TEST(PasswordHasher, RefusesPhcStringsOutsideTheirGrammar) {
  SecureRandom random;
  PasswordHasher hasher(cheap(), random);
  const std::string good =
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
  ASSERT_TRUE(hasher.verify(good, "password"));
  for (
      const std::string bad : {
          "$argon2id$v=19$m=065536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
          "$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
          "$argon2id$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
          "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ=$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
          "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc$",
          "$argon2id$v=19$m=9999999,t=2,p=1$c29tZXNhbHQ$"
          "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
          "$argon2id$v=19$m=65536,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
          "$argon2id$v=19$m=65536,t=2,p=1$c29tZQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
          "$argon2id$v=19$m=65536,t=2,p=1,x=1$c29tZXNhbHQ$"
          "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
          "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHR$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      }) {
    EXPECT_FALSE(hasher.verify(bad, "password")) << bad;
  }
}

// The working memory a thread keeps is lent again for the next verification, on every
// thread, whatever the cost each hash asks.
TEST(PasswordHasher, VerifiesOverAndOverOnSeveralThreadsWithDifferentCosts) {
  SecureRandom random;
  auto small = cheap();
  auto large = cheap();
  large.memory_kib = small.memory_kib * 4;
  PasswordHasher small_hasher(small, random);
  PasswordHasher large_hasher(large, random);
  const auto a = small_hasher.hash("first password");
  const auto b = large_hasher.hash("second password");
  ASSERT_TRUE(a && b);
  std::atomic<int> right{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        right += small_hasher.verify(*a, "first password") ? 1 : 0;
        right += large_hasher.verify(*b, "second password") ? 1 : 0;
        right += small_hasher.verify(*b, "first password") ? 0 : 1;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(right.load(), 3 * 5 * 3);
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
