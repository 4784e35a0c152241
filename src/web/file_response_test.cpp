#include "web/file_response.hpp"

#include <gtest/gtest.h>

namespace pratu::web {
namespace {

TEST(FileResponse, NamesTheFileInUtf8AndEscapesWhatCouldBreakTheHeader) {
  auto response = file_response("/blobs/ab/cd/abcd", "application/pdf", "บัตร \"x\";\r\n.pdf");
  EXPECT_EQ(response.header("Content-Disposition"),
            "inline; filename*=UTF-8''%E0%B8%9A%E0%B8%B1%E0%B8%95%E0%B8%A3%20%22x%22%3B%0D%0A.pdf");
  EXPECT_EQ(response.content_type, "application/pdf");
  EXPECT_EQ(response.body_file, "/blobs/ab/cd/abcd");  // streamed by the transport
  EXPECT_TRUE(response.body.empty());
}

TEST(FileResponse, IsSandboxedUnsniffedAndNeverCached) {
  auto response = file_response("/blobs/x", "image/png", "");
  EXPECT_EQ(response.header("Content-Disposition"), "inline");
  EXPECT_EQ(response.header("Content-Security-Policy"), kFileCsp);
  EXPECT_TRUE(
      response.header("Content-Security-Policy").starts_with("sandbox; default-src 'none'"));
  EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response.header("Cache-Control"), "private, no-store");
  EXPECT_EQ(response.header("Cross-Origin-Resource-Policy"), "same-origin");
}

}  // namespace
}  // namespace pratu::web
