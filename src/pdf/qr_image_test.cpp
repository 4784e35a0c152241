#include "pdf/qr_image.hpp"

#include <cairo.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace pratu::pdf {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::string_view kPayload =
    "00020101021130550016A0000006770101120115099999999999990021211122233344453037645802TH"
    "63043EE7";

// Hands out a PNG held in a string to Cairo's reader.
struct PngSource {
  std::string_view bytes;
  std::size_t at = 0;
};

cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
  auto* source = static_cast<PngSource*>(closure);
  if (source->bytes.size() - source->at < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, source->bytes.data() + source->at, length);
  source->at += length;
  return CAIRO_STATUS_SUCCESS;
}

using SurfacePtr = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;

// The PNG read back by Cairo.
SurfacePtr decoded(std::string_view png) {
  PngSource source{png};
  return SurfacePtr(cairo_image_surface_create_from_png_stream(read_png, &source),
                    cairo_surface_destroy);
}

// Whether the pixel at `x`, `y` of an RGB24 or ARGB32 surface is black (else white).
bool black_at(cairo_surface_t* surface, int x, int y) {
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  std::uint32_t pixel = 0;
  std::memcpy(&pixel, data + y * stride + x * 4, sizeof pixel);
  return (pixel & 0xFFFFFF) == 0;
}

// The dark modules an SVG path of "Mx yhNv1h-Nz" runs marks, quiet zone included.
std::vector<unsigned char> modules_of_path(const std::string& d, int side) {
  const auto dark_side = static_cast<std::size_t>(side);
  std::vector<unsigned char> dark(dark_side * dark_side);
  std::size_t at = 0;
  while (at < d.size()) {
    int x = 0, y = 0, run = 0, back = 0, consumed = 0;
    if (std::sscanf(d.c_str() + at, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &back, &consumed) != 4 ||
        run != back || consumed == 0)
      return {};
    if (x < 0 || y < 0 || run < 1 || x + run > side || y >= side) return {};
    for (int i = x; i < x + run; ++i)
      dark[static_cast<std::size_t>(y) * dark_side + static_cast<std::size_t>(i)] = 1;
    at += static_cast<std::size_t>(consumed);
  }
  return dark;
}

TEST(QrMatrix, EncodesAtLevelMInTheSmallestVersion) {
  auto matrix = qr_matrix(kPayload);
  ASSERT_TRUE(matrix);
  // 92 characters, mostly digits, fit version 4 at level M: 33 modules.
  EXPECT_EQ(matrix->width, 33);
  EXPECT_EQ(matrix->dark.size(), 33u * 33u);
  // The finder pattern's corner modules are dark.
  EXPECT_EQ(matrix->dark[0], 1);
  EXPECT_EQ(matrix->dark[32], 1);
}

TEST(QrMatrix, RefusesEmptyTextAndNulBytes) {
  EXPECT_FALSE(qr_matrix(""));
  EXPECT_FALSE(qr_matrix(std::string_view("A\0B", 3)));
  EXPECT_FALSE(qr_matrix(std::string(8000, 'x')));  // more than version 40 holds
}

TEST(QrPng, IsAPngOfTheModulesWithAQuietZone) {
  auto png = qr_png(kPayload, 4);
  ASSERT_TRUE(png) << png.error().detail;
  EXPECT_THAT(*png, StartsWith(std::string("\x89PNG\r\n\x1a\n", 8)));
  auto matrix = qr_matrix(kPayload);
  ASSERT_TRUE(matrix);

  auto surface = decoded(*png);
  ASSERT_EQ(cairo_surface_status(surface.get()), CAIRO_STATUS_SUCCESS);
  const int side = (matrix->width + 8) * 4;
  ASSERT_EQ(cairo_image_surface_get_width(surface.get()), side);
  ASSERT_EQ(cairo_image_surface_get_height(surface.get()), side);
  int mismatches = 0;
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      if (black_at(surface.get(), x, y) != matrix->is_dark(y / 4 - 4, x / 4 - 4)) ++mismatches;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(QrPng, RefusesAModuleSizeOutOfRange) {
  EXPECT_FALSE(qr_png(kPayload, 0));
  EXPECT_FALSE(qr_png(kPayload, 101));
  EXPECT_FALSE(qr_png("", 8));
}

TEST(QrSvg, IsOneLabelledPathOfTheModules) {
  auto svg = qr_svg(kPayload, "QR code to pay bill <INV-1> \"now\" & then");
  ASSERT_TRUE(svg);
  auto matrix = qr_matrix(kPayload);
  ASSERT_TRUE(matrix);
  const int side = matrix->width + 8;
  const std::string s = std::to_string(side);
  EXPECT_THAT(*svg,
              StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s +
                         "\" role=\"img\" aria-label=\"QR code to pay bill "
                         "&lt;INV-1&gt; &quot;now&quot; &amp; then\">"));
  EXPECT_THAT(*svg, HasSubstr("shape-rendering=\"crispEdges\""));
  EXPECT_THAT(*svg, HasSubstr("<rect width=\"" + s + "\" height=\"" + s + "\" fill=\"#fff\"/>"));
  EXPECT_THAT(*svg, Not(HasSubstr("<INV")));

  const auto first = svg->find("<path");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(svg->find("<path", first + 1), std::string::npos);
  const auto d = svg->find(" d=\"", first) + 4;
  const auto path = svg->substr(d, svg->find('"', d) - d);
  auto drawn = modules_of_path(path, side);
  ASSERT_EQ(drawn.size(), static_cast<std::size_t>(side) * side);
  std::size_t at = 0;
  for (int row = 0; row < side; ++row) {
    for (int col = 0; col < side; ++col, ++at)
      EXPECT_EQ(drawn[at] != 0, matrix->is_dark(row - 4, col - 4)) << row << "," << col;
  }
}

TEST(QrSvg, IsWellFormedXml) {
  auto svg = qr_svg(kPayload, "คิวอาร์โค้ดชำระเงิน 'ค่าธรรมเนียม' <1> & \"2\"");
  ASSERT_TRUE(svg);
  test::TempDir dir;
  const auto file = dir.write("qr.svg", *svg);
  auto lint = test::run_command("xmllint --noout " + test::shell_quoted(file));
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
}

}  // namespace
}  // namespace pratu::pdf
