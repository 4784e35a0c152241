#include "domains/applications/tus.hpp"

#include <gtest/gtest.h>

namespace pratu::applications::tus {
namespace {

TEST(TusMetadata, DecodesPairsAndKeysWithoutValues) {
  auto pairs = parse_metadata("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential");
  ASSERT_TRUE(pairs);
  ASSERT_EQ(pairs->size(), 2u);
  EXPECT_EQ((*pairs)[0].key, "filename");
  EXPECT_EQ((*pairs)[0].value, "world_domination_plan.pdf");
  EXPECT_EQ((*pairs)[1].key, "is_confidential");
  EXPECT_EQ((*pairs)[1].value, "");
  EXPECT_TRUE(parse_metadata("")->empty());
}

TEST(TusMetadata, RefusesBadBase64AndBadKeys) {
  EXPECT_FALSE(parse_metadata("filename abc"));       // not a multiple of four
  EXPECT_FALSE(parse_metadata("filename ab!d"));      // not in the alphabet
  EXPECT_FALSE(parse_metadata("filename a==="));      // padding too early
  EXPECT_FALSE(parse_metadata("filename YQ==YQ=="));  // padding inside
  EXPECT_FALSE(parse_metadata(",filename YQ=="));     // empty key
  EXPECT_FALSE(parse_metadata("a YQ==,a YQ=="));      // repeated key
}

TEST(TusSize, TakesDigitsOnly) {
  EXPECT_EQ(*parse_size("0"), 0);
  EXPECT_EQ(*parse_size("1048576"), 1048576);
  EXPECT_EQ(*parse_size("9223372036854775807"), 9223372036854775807);
  EXPECT_FALSE(parse_size(""));
  EXPECT_FALSE(parse_size("-1"));
  EXPECT_FALSE(parse_size("+1"));
  EXPECT_FALSE(parse_size(" 1"));
  EXPECT_FALSE(parse_size("1.5"));
  EXPECT_FALSE(parse_size("9223372036854775808"));
  EXPECT_FALSE(parse_size("99999999999999999999"));
}

TEST(TusSniff, KnowsFilesByTheirContentNotTheirName) {
  EXPECT_EQ(sniff("%PDF-1.7\n"), Kind::pdf);
  EXPECT_EQ(sniff(std::string_view("\xFF\xD8\xFF\xE0\x00\x10JF", 8)), Kind::jpeg);
  EXPECT_EQ(sniff(std::string_view("\x89PNG\r\n\x1A\n", 8)), Kind::png);
  EXPECT_FALSE(sniff("GIF89a.."));
  EXPECT_FALSE(sniff("PK\x03\x04"));  // a zip, whatever it is called
  EXPECT_FALSE(sniff("%PD"));
  EXPECT_FALSE(sniff(""));
  EXPECT_EQ(media_type(Kind::png), "image/png");
}

}  // namespace
}  // namespace pratu::applications::tus
