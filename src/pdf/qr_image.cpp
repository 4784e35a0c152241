#include "pdf/qr_image.hpp"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "common/xml_text.hpp"
#include "pdf/raster_png.hpp"

namespace pratu::pdf {

namespace {

// ISO/IEC 18004 asks for 4 light modules around the code; scanners miss codes without them.
constexpr int kQuietZoneModules = 4;
constexpr int kMaxModulePixels = 100;

using QrPtr = std::unique_ptr<QRcode, void (*)(QRcode*)>;

}  // namespace

Result<QrMatrix> qr_matrix(std::string_view text) {
  if (text.empty() || text.find('\0') != std::string_view::npos)
    return Error::internal("a QR code's text is empty or holds a NUL byte");
  const std::string terminated(text);
  errno = 0;
  // Version 0: the smallest that holds the text; case-sensitive, as payloads are.
  QrPtr code(QRcode_encodeString(terminated.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!code)
    return Error::internal(std::string("QR code not made: ") +
                           (errno == ERANGE ? "text too long" : std::strerror(errno)));
  QrMatrix matrix;
  matrix.width = code->width;
  matrix.dark.resize(static_cast<std::size_t>(code->width) * code->width);
  // Bit 0 of each byte is the module's colour; the others say what the module is for.
  for (std::size_t i = 0; i < matrix.dark.size(); ++i) matrix.dark[i] = code->data[i] & 1;
  return matrix;
}

Result<std::string> qr_png(std::string_view text, int module_pixels) {
  if (module_pixels < 1 || module_pixels > kMaxModulePixels)
    return Error::internal("a QR code's module size is out of range");
  PRATU_TRY(matrix, qr_matrix(text));
  const int side = (matrix.width + 2 * kQuietZoneModules) * module_pixels;
  // Whole pixels per module: every module is a sharp square.
  std::vector<PixelRect> dark;
  for (int row = 0; row < matrix.width; ++row) {
    for (int col = 0; col < matrix.width; ++col) {
      if (!matrix.is_dark(row, col)) continue;
      dark.push_back({(col + kQuietZoneModules) * module_pixels,
                      (row + kQuietZoneModules) * module_pixels, module_pixels, module_pixels});
    }
  }
  return black_on_white_png(side, side, dark, "QR image");
}

Result<std::string> qr_svg(std::string_view text, std::string_view aria_label) {
  PRATU_TRY(matrix, qr_matrix(text));
  const auto side = std::to_string(matrix.width + 2 * kQuietZoneModules);
  // Each row's runs of dark modules as one rectangle, in module units: no seams in a row.
  std::string path;
  const auto width = static_cast<std::size_t>(matrix.width);
  for (std::size_t row = 0; row < width; ++row) {
    std::size_t col = 0;
    while (col < width) {
      if (!matrix.dark[row * width + col]) {
        ++col;
        continue;
      }
      const std::size_t start = col;
      while (col < width && matrix.dark[row * width + col]) ++col;
      const auto run = std::to_string(col - start);
      path += "M" + std::to_string(start + kQuietZoneModules) + " " +
              std::to_string(row + kQuietZoneModules) + "h" + run + "v1h-" + run + "z";
    }
  }
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side +
         "\" role=\"img\" aria-label=\"" + xml_escaped(aria_label) + "\"><rect width=\"" + side +
         "\" height=\"" + side + "\" fill=\"#fff\"/><path fill=\"#000\" " +
         "shape-rendering=\"crispEdges\" d=\"" + path + "\"/></svg>";
}

}  // namespace pratu::pdf
