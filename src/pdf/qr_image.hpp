#pragma once
/// A text as a QR code picture (libqrencode, error correction M, 8-bit mode): PNG bytes drawn
/// with Cairo, or an SVG element for an HTML page. Both keep a quiet zone of 4 modules.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace pratu::pdf {

/// The modules of a QR code, row by row, without the quiet zone.
struct QrMatrix {
  int width = 0;                    // modules per side
  std::vector<unsigned char> dark;  // width * width; 1 where a module is dark

  /// Whether the module at `row`, `col` is dark; false outside the code, in the quiet zone.
  bool is_dark(int row, int col) const {
    if (row < 0 || col < 0 || row >= width || col >= width) return false;
    return dark[static_cast<std::size_t>(row) * static_cast<std::size_t>(width) +
                static_cast<std::size_t>(col)] != 0;
  }
};

/// The QR code of `text`; fails when it is empty, holds a NUL byte or is too long for a code.
Result<QrMatrix> qr_matrix(std::string_view text);

/// A PNG of `text`'s QR code, black on white, `module_pixels` (1-100) pixels per module.
Result<std::string> qr_png(std::string_view text, int module_pixels = 8);

/// An `<svg>` of `text`'s QR code: one `<path>` of the dark modules on a white square, scaling
/// to its container, with role="img" and `aria_label` (escaped) as its accessible name.
Result<std::string> qr_svg(std::string_view text, std::string_view aria_label);

}  // namespace pratu::pdf
