#include "http/compression.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include "support/http_client.hpp"

namespace pratu::http {
namespace {

TEST(AcceptsGzip, ReadsCodingsAndQValues) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, gzip;q=0.5, br"));
  EXPECT_TRUE(accepts_gzip("GZIP"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("*, gzip;q=0"));
  EXPECT_TRUE(accepts_gzip("gzip;q=0.001"));
}

TEST(IsCompressible, TextLikeTypesOnly) {
  EXPECT_TRUE(is_compressible("text/html; charset=utf-8"));
  EXPECT_TRUE(is_compressible("application/json"));
  EXPECT_TRUE(is_compressible("application/problem+json"));
  EXPECT_TRUE(is_compressible("text/javascript; charset=utf-8"));
  EXPECT_TRUE(is_compressible("image/svg+xml"));
  EXPECT_FALSE(is_compressible("image/png"));
  EXPECT_FALSE(is_compressible("application/pdf"));
  EXPECT_FALSE(is_compressible(""));
}

TEST(GzipCompress, RoundTripsThroughZlib) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร ";
  const std::string compressed = gzip_compress(text, 6);
  EXPECT_LT(compressed.size(), text.size() / 4);
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b);
  EXPECT_EQ(test::gunzip(compressed), text);
}

}  // namespace
}  // namespace pratu::http
