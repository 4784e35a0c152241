#include "pdf/qr_image.hpp"

#include <cairo.h>
#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "common/xml_text.hpp"

namespace pratu::pdf {

namespace {

// ISO/IEC 18004 asks for 4 light modules around the code; scanners miss codes without them.
constexpr int kQuietZoneModules = 4;
constexpr int kMaxModulePixels = 100;

using QrPtr = std::unique_ptr<QRcode, void (*)(QRcode*)>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;
using CairoPtr = std::unique_ptr<cairo_t, void (*)(cairo_t*)>;

// Appends what Cairo's PNG writer hands over to the std::string in `closure`.
cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

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
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side),
                     cairo_surface_destroy);
  CairoPtr cr(cairo_create(surface.get()), cairo_destroy);
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
    return Error::internal(std::string("QR image not drawn: ") +
                           cairo_status_to_string(cairo_status(cr.get())));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  // Whole pixels per module and no antialiasing: every module is a sharp square.
  cairo_set_antialias(cr.get(), CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  const double pixels = module_pixels;
  for (int row = 0; row < matrix.width; ++row) {
    for (int col = 0; col < matrix.width; ++col) {
      if (!matrix.is_dark(row, col)) continue;
      cairo_rectangle(cr.get(), (col + kQuietZoneModules) * pixels,
                      (row + kQuietZoneModules) * pixels, pixels, pixels);
    }
  }
  cairo_fill(cr.get());
  cairo_surface_flush(surface.get());
  std::string png;
  const auto status = cairo_surface_write_to_png_stream(surface.get(), append_png, &png);
  if (status != CAIRO_STATUS_SUCCESS)
    return Error::internal(std::string("QR image not written: ") + cairo_status_to_string(status));
  return png;
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
