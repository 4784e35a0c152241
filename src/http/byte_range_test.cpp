#include "http/byte_range.hpp"

#include <gtest/gtest.h>

namespace pratu::http {
namespace {

using Kind = ByteRange::Kind;

void expect_part(std::string_view header, std::uint64_t size, std::uint64_t first,
                 std::uint64_t last) {
  const auto r = parse_byte_range(header, size);
  EXPECT_EQ(r.kind, Kind::part) << header;
  EXPECT_EQ(r.first, first) << header;
  EXPECT_EQ(r.last, last) << header;
}

TEST(ByteRange, OneRangeOfBytesIsAPart) {
  expect_part("bytes=0-499", 10000, 0, 499);
  expect_part("bytes=500-999", 10000, 500, 999);
  expect_part("bytes=9500-", 10000, 9500, 9999);
  expect_part("bytes=-500", 10000, 9500, 9999);
  expect_part("Bytes=0-0", 10000, 0, 0);
  expect_part(" bytes= 10 - 20 ", 10000, 10, 20);
}

TEST(ByteRange, ARangePastTheEndIsCutToTheFile) {
  expect_part("bytes=9000-20000", 10000, 9000, 9999);
  expect_part("bytes=-20000", 10000, 0, 9999);
}

TEST(ByteRange, ARangeOutsideTheFileIsUnsatisfiable) {
  EXPECT_EQ(parse_byte_range("bytes=10000-", 10000).kind, Kind::unsatisfiable);
  EXPECT_EQ(parse_byte_range("bytes=10000-10005", 10000).kind, Kind::unsatisfiable);
  EXPECT_EQ(parse_byte_range("bytes=-0", 10000).kind, Kind::unsatisfiable);
  EXPECT_EQ(parse_byte_range("bytes=0-", 0).kind, Kind::unsatisfiable);
}

TEST(ByteRange, AnythingElseIsAnsweredWhole) {
  for (std::string_view header :
       {"", "bytes=", "bytes=5", "bytes=20-10", "bytes=0-1,5-6", "items=0-1", "bytes=a-b",
        "bytes=-", "bytes=+1-2", "bytes=0x10-20", "bytes=99999999999999999999-", "bytes=1-2-3"}) {
    EXPECT_EQ(parse_byte_range(header, 10000).kind, Kind::whole) << header;
  }
}

}  // namespace
}  // namespace pratu::http
