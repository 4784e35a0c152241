#pragma once
/// A text as a Code 128 barcode (ISO/IEC 15417), as the Bank of Thailand's bill-payment barcode
/// on a bill paid at a bank counter: its symbols, an SVG for an HTML page, or PNG bytes drawn
/// with Cairo. Both pictures keep a quiet zone of 10 modules each side and carry no text.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace pratu::pdf {

/// The symbol values of `text`'s barcode: start, data, check value, stop (106). Code sets are
/// chosen for the fewest symbols, then the fewest changes of set: C for runs of digits where it
/// saves symbols, B for other text, A for control characters (a switch, or a shift for a lone
/// one). Fails when `text` is empty or holds a byte above 127.
Result<std::vector<int>> code128_symbols(std::string_view text);

/// The check value of `symbols`, a start symbol and the data symbols after it: their weighted
/// sum modulo 103.
int code128_check_value(std::span<const int> symbols);

/// An `<svg>` of `text`'s barcode, `module_pixels` (1-100) wide per module and `height_pixels`
/// (1-1000) high: one `<rect>` per bar on a white background, with role="img" and `aria_label`
/// (escaped) as its accessible name.
Result<std::string> code128_svg(std::string_view text, std::string_view aria_label,
                                int module_pixels = 2, int height_pixels = 60);

/// A PNG of `text`'s barcode, black on white, sized as code128_svg() draws it.
Result<std::string> code128_png(std::string_view text, int module_pixels = 2,
                                int height_pixels = 60);

}  // namespace pratu::pdf
