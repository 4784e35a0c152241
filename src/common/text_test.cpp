#include "common/text.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/files.hpp"
#include "support/temp_dir.hpp"

namespace pratu {
namespace {

static_assert(trim("  gzip\t") == "gzip", "trim works at compile time");

TEST(Trim, RemovesHttpOptionalWhitespaceByDefault) {
  EXPECT_EQ(trim(" \tth;q=0.8 \t"), "th;q=0.8");
  EXPECT_EQ(trim("a b"), "a b");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim(""), "");
  // Line ends are not HTTP whitespace: a header value keeps them (and is refused elsewhere).
  EXPECT_EQ(trim("x\r\n"), "x\r\n");
}

TEST(Trim, RemovesTheCharactersAsked) {
  EXPECT_EQ(trim("\r\n 0812345678 \n", kAsciiWhitespace), "0812345678");
  EXPECT_EQ(trim("--a-b--", "-"), "a-b");
  // Thai text is bytes above 0x7F: never taken for whitespace.
  EXPECT_EQ(trim(" สมชาย ", kAsciiWhitespace), "สมชาย");
}

TEST(ReadFile, ReadsEveryByteAndNamesAFileItCannotRead) {
  const test::TempDir dir("pratu-read-file-");
  const std::string bytes("a\0b\r\nค", 8);
  const auto path = dir.write("bytes.bin", bytes);
  auto read = read_file(path);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, bytes);
  std::filesystem::remove(path);
  auto missing = read_file(path);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find(path.string()), std::string::npos);
}

}  // namespace
}  // namespace pratu
