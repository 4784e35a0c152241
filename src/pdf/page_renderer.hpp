#pragma once
/// Draws a Layout on A4 pages with Cairo's PDF surface and Pango (HarfBuzz shapes Thai, Pango
/// breaks its lines): blocks are measured, paginated, then drawn, and Cairo embeds subsets of
/// the font with ToUnicode maps. The result is Cairo's plain PDF, which pdf_a3 makes PDF/A-3u.

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "pdf/layout.hpp"

namespace pratu::pdf {

/// The font family documents are set in (fonts-tlwg-laksaman): regular, and bold for titles.
inline constexpr std::string_view kDocumentFontFamily = "Laksaman";

/// Cairo's PDF of a layout, and how many pages it took.
struct DrawnPages {
  std::string pdf;
  int page_count = 0;
};

/// Paginates and draws `layout`; `language` (a BCP 47 tag such as "th-TH") guides shaping and
/// line breaking. Fails when a text is not UTF-8, a QR code cannot hold its payload or does
/// not fit the page, or the font is missing. Safe to call from several threads at once.
Result<DrawnPages> draw_pages(const Layout& layout, std::string_view language);

/// Fails, naming the family, unless Laksaman regular and bold are installed; for startup.
Result<void> check_document_fonts();

}  // namespace pratu::pdf
