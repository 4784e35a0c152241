#pragma once
/// Black rectangles on white as a PNG image, drawn with Cairo in whole pixels and without
/// antialiasing, so every edge is sharp: what the machine-readable codes (QR, Code 128) are
/// checked with by zbarimg. No I/O.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace pratu::pdf {

/// A black rectangle, in pixels from the top left.
struct PixelRect {
  int x = 0, y = 0, width = 0, height = 0;
};

/// A `width` × `height` PNG, white with `dark` painted black; `what` names the picture in errors.
Result<std::string> black_on_white_png(int width, int height, const std::vector<PixelRect>& dark,
                                       std::string_view what);

}  // namespace pratu::pdf
