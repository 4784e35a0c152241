#include "pdf/raster_png.hpp"

#include <cairo.h>

#include <memory>

namespace pratu::pdf {

namespace {

using SurfacePtr = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;
using CairoPtr = std::unique_ptr<cairo_t, void (*)(cairo_t*)>;

// Appends what Cairo's PNG writer hands over to the std::string in `closure`.
cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<std::string> black_on_white_png(int width, int height, const std::vector<PixelRect>& dark,
                                       std::string_view what) {
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height),
                     cairo_surface_destroy);
  CairoPtr cr(cairo_create(surface.get()), cairo_destroy);
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
    return Error::internal(std::string(what) +
                           " not drawn: " + cairo_status_to_string(cairo_status(cr.get())));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_set_antialias(cr.get(), CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  for (const PixelRect& r : dark) cairo_rectangle(cr.get(), r.x, r.y, r.width, r.height);
  cairo_fill(cr.get());
  cairo_surface_flush(surface.get());
  std::string png;
  const auto status = cairo_surface_write_to_png_stream(surface.get(), append_png, &png);
  if (status != CAIRO_STATUS_SUCCESS)
    return Error::internal(std::string(what) + " not written: " + cairo_status_to_string(status));
  return png;
}

}  // namespace pratu::pdf
