/// Pagination and drawing of a Layout with Cairo and Pango: blocks become units of slices
/// (lines, rows, a QR code), units are placed on pages, then each page is drawn.
#include "pdf/page_renderer.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "common/unicode_text.hpp"

namespace pratu::pdf {

namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kPageWidth = 210 * kPointsPerMm;  // A4 portrait
constexpr double kPageHeight = 297 * kPointsPerMm;
constexpr int kQuietZoneModules = 4;

// Vertical space before each kind of block, in points; none at the top of a page.
constexpr double kSpaceBeforeHeading = 4;
constexpr double kSpaceBeforeSubheading = 12;
constexpr double kSpaceBeforeParagraph = 6;
constexpr double kSpaceBeforeRow = 2;
constexpr double kSpaceBeforeFirstRow = 8;
constexpr double kSpaceBeforeSmallPrint = 6;
constexpr double kSpaceBeforeQrCode = 10;
constexpr double kRuleHeight = 10;  // the rule is drawn in the middle of this band
constexpr double kRuleThickness = 0.75;
constexpr double kColumnGapMm = 4;

double points(double mm) { return mm * kPointsPerMm; }

template <class T>
void unref_gobject(T* object) {
  if (object != nullptr) g_object_unref(object);
}

using TextLayout = std::shared_ptr<PangoLayout>;
using ContextPtr = std::unique_ptr<PangoContext, void (*)(PangoContext*)>;
using FontPtr = std::unique_ptr<PangoFontDescription, void (*)(PangoFontDescription*)>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;
using CairoPtr = std::unique_ptr<cairo_t, void (*)(cairo_t*)>;
using QrPtr = std::unique_ptr<QRcode, void (*)(QRcode*)>;

enum class TextStyle { body, heading, subheading, small, running };

// One line of a PangoLayout, in points relative to the layout's top left.
struct LineBox {
  PangoLayoutLine* line = nullptr;  // owned by the layout
  double x = 0;
  double top = 0;
  double height = 0;
  double baseline = 0;
};

// A layout placed at `x` across the body, with its lines measured.
struct Column {
  TextLayout layout;
  double x = 0;
  std::vector<LineBox> lines;
};

// The smallest piece pagination moves: a band of the page drawn at `top`.
struct Slice {
  double height = 0;
  std::function<void(cairo_t*, double top)> draw;
};

// A block measured: its slices stay on one page unless they are taller than a page.
struct Unit {
  std::vector<Slice> slices;
  double space_before = 0;
  bool keep_with_next = false;

  double height() const {
    double total = 0;
    for (const auto& slice : slices) total += slice.height;
    return total;
  }
};

struct Placed {
  const Slice* slice = nullptr;
  double top = 0;
};

// `spacing` scales each line's height, taking as much off above the baseline as below.
std::vector<LineBox> measure_lines(PangoLayout* layout, double spacing) {
  std::vector<LineBox> lines;
  PangoLayoutIter* iter = pango_layout_get_iter(layout);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(iter, nullptr, &logical);
    LineBox box;
    box.line = pango_layout_iter_get_line_readonly(iter);
    box.x = pango_units_to_double(logical.x);
    const double height = pango_units_to_double(logical.height);
    box.height = height * spacing;
    box.top = pango_units_to_double(logical.y) + (height - box.height) / 2;
    box.baseline = pango_units_to_double(pango_layout_iter_get_baseline(iter));
    lines.push_back(box);
  } while (pango_layout_iter_next_line(iter));
  pango_layout_iter_free(iter);
  return lines;
}

void draw_line(cairo_t* cr, const Column& column, std::size_t index, double top) {
  const auto& box = column.lines[index];
  cairo_move_to(cr, column.x + box.x, top + box.baseline - box.top);
  pango_cairo_show_layout_line(cr, box.line);
}

// Slices of columns side by side, line i of each in slice i: rows split between lines.
std::vector<Slice> line_slices(std::vector<Column> columns) {
  auto shared = std::make_shared<std::vector<Column>>(std::move(columns));
  std::size_t count = 0;
  for (const auto& column : *shared) count = std::max(count, column.lines.size());
  std::vector<Slice> slices;
  for (std::size_t i = 0; i < count; ++i) {
    double height = 0;
    for (const auto& column : *shared)
      if (i < column.lines.size()) height = std::max(height, column.lines[i].height);
    slices.push_back({height, [shared, i](cairo_t* cr, double top) {
                        for (const auto& column : *shared)
                          if (i < column.lines.size()) draw_line(cr, column, i, top);
                      }});
  }
  return slices;
}

std::string with_numerals(int number, Numerals numerals) {
  std::string digits = std::to_string(number);
  if (numerals == Numerals::arabic) return digits;
  std::string thai;
  for (char digit : digits) {
    // U+0E50 + d in UTF-8: E0 B9 90+d
    thai += "\xE0\xB9";
    thai += static_cast<char>(0x90 + (digit - '0'));
  }
  return thai;
}

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

Result<void> check_utf8(std::string_view text) {
  if (!is_valid_utf8(text)) return Error::internal("a document text is not UTF-8");
  return ok();
}

// Builds the pieces of one document with one Pango context.
class Typesetter {
 public:
  Typesetter(PangoContext* context, const Layout& layout)
      : context_(context),
        sizes_(layout.sizes),
        numerals_(layout.numerals),
        body_left_(points(layout.margins.left_mm)),
        body_width_(kPageWidth - points(layout.margins.left_mm + layout.margins.right_mm)),
        body_height_(kPageHeight - points(layout.margins.top_mm + layout.margins.bottom_mm)) {}

  double body_left() const { return body_left_; }
  double body_width() const { return body_width_; }
  double body_height() const { return body_height_; }

  Result<TextLayout> text(std::string_view content, TextStyle style, double width, Align align,
                          double indent = 0) const {
    PRATU_CHECK(check_utf8(content));
    TextLayout layout(pango_layout_new(context_), unref_gobject<PangoLayout>);
    FontPtr font(pango_font_description_new(), pango_font_description_free);
    pango_font_description_set_family_static(font.get(), kDocumentFontFamily.data());
    pango_font_description_set_weight(font.get(), weight(style));
    pango_font_description_set_size(font.get(), pango_units_from_double(size(style)));
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_width(layout.get(), pango_units_from_double(width));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), alignment(align));
    pango_layout_set_indent(layout.get(), pango_units_from_double(indent));
    pango_layout_set_text(layout.get(), content.data(), static_cast<int>(content.size()));
    return layout;
  }

  Result<Column> column(std::string_view content, TextStyle style, double x, double width,
                        Align align, double indent = 0) const {
    PRATU_TRY(layout, text(content, style, width, align, indent));
    auto lines = measure_lines(layout.get(), sizes_.line_spacing);
    return Column{std::move(layout), x, std::move(lines)};
  }

  Result<Unit> paragraph(std::string_view content, TextStyle style, Align align, double indent,
                         double space_before, bool keep_with_next = false) const {
    PRATU_TRY(column, this->column(content, style, body_left_, body_width_, align, indent));
    std::vector<Column> columns;
    columns.push_back(std::move(column));
    return Unit{line_slices(std::move(columns)), space_before, keep_with_next};
  }

  Result<std::vector<Unit>> units(const Block& block) const {
    return std::visit([this](const auto& b) { return units_of(b); }, block);
  }

  Result<std::vector<Unit>> units_of(const Heading& b) const {
    PRATU_TRY(unit,
              paragraph(b.text, TextStyle::heading, Align::centre, 0, kSpaceBeforeHeading, true));
    return std::vector<Unit>{std::move(unit)};
  }
  Result<std::vector<Unit>> units_of(const Subheading& b) const {
    PRATU_TRY(unit,
              paragraph(b.text, TextStyle::subheading, b.align, 0, kSpaceBeforeSubheading, true));
    return std::vector<Unit>{std::move(unit)};
  }
  Result<std::vector<Unit>> units_of(const Paragraph& b) const {
    PRATU_TRY(unit, paragraph(b.text, TextStyle::body, b.align, points(b.first_line_indent_mm),
                              kSpaceBeforeParagraph));
    return std::vector<Unit>{std::move(unit)};
  }
  Result<std::vector<Unit>> units_of(const SmallPrint& b) const {
    PRATU_TRY(unit, paragraph(b.text, TextStyle::small, Align::left, 0, kSpaceBeforeSmallPrint));
    return std::vector<Unit>{std::move(unit)};
  }

  Result<std::vector<Unit>> units_of(const Fields& b) const {
    const double label_width = std::min(points(b.label_width_mm), body_width_ / 2);
    const double value_x = body_left_ + label_width + points(kColumnGapMm);
    const double value_width = body_left_ + body_width_ - value_x;
    std::vector<Unit> units;
    for (const auto& row : b.rows) {
      std::vector<Column> columns;
      PRATU_TRY(label, column(row.label, TextStyle::body, body_left_, label_width, Align::left));
      PRATU_TRY(value, column(row.value, TextStyle::body, value_x, value_width, Align::left));
      columns.push_back(std::move(label));
      columns.push_back(std::move(value));
      units.push_back({line_slices(std::move(columns)),
                       units.empty() ? kSpaceBeforeFirstRow : kSpaceBeforeRow, false});
    }
    return units;
  }

  Result<std::vector<Unit>> units_of(const NumberedList& b) const {
    // The marker column is as wide as the widest number.
    std::vector<TextLayout> markers;
    double marker_width = 0;
    for (std::size_t i = 0; i < b.items.size(); ++i) {
      PRATU_TRY(marker, text(with_numerals(static_cast<int>(i + 1), numerals_) + ".",
                             TextStyle::body, body_width_, Align::left));
      PangoRectangle logical;
      pango_layout_get_extents(marker.get(), nullptr, &logical);
      marker_width = std::max(marker_width, pango_units_to_double(logical.width));
      markers.push_back(std::move(marker));
    }
    const double item_x = body_left_ + marker_width + points(kColumnGapMm / 2);
    const double item_width = body_left_ + body_width_ - item_x;
    std::vector<Unit> units;
    for (std::size_t i = 0; i < b.items.size(); ++i) {
      std::vector<Column> columns;
      auto marker_lines = measure_lines(markers[i].get(), sizes_.line_spacing);
      columns.push_back(Column{markers[i], body_left_, std::move(marker_lines)});
      PRATU_TRY(item, column(b.items[i], TextStyle::body, item_x, item_width, Align::left));
      columns.push_back(std::move(item));
      units.push_back({line_slices(std::move(columns)),
                       units.empty() ? kSpaceBeforeParagraph : kSpaceBeforeRow, false});
    }
    return units;
  }

  Result<std::vector<Unit>> units_of(const Rule&) const {
    auto draw = [x = body_left_, width = body_width_](cairo_t* cr, double top) {
      cairo_rectangle(cr, x, top + (kRuleHeight - kRuleThickness) / 2, width, kRuleThickness);
      cairo_fill(cr);
    };
    return std::vector<Unit>{Unit{{Slice{kRuleHeight, draw}}, kSpaceBeforeParagraph, false}};
  }

  Result<std::vector<Unit>> units_of(const SignatureBlock& b) const {
    if (b.lines.empty()) return std::vector<Unit>{};
    std::string joined;
    for (const auto& line : b.lines) joined += (joined.empty() ? "" : "\n") + line;
    const double width = body_width_ / 2;
    PRATU_TRY(column,
              this->column(joined, TextStyle::body, body_left_ + width, width, Align::centre));
    std::vector<Column> columns;
    columns.push_back(std::move(column));
    return std::vector<Unit>{Unit{line_slices(std::move(columns)), points(b.space_above_mm)}};
  }

  Result<std::vector<Unit>> units_of(const QrCode& b) const {
    const double size = points(b.size_mm);
    if (!(size > 0) || size > body_width_ || size > body_height_)
      return Error::internal("a QR code's size does not fit the page");
    PRATU_TRY(modules, qr_modules(b.payload));
    std::string caption;
    for (const auto& line : b.caption) caption += (caption.empty() ? "" : "\n") + line;

    const bool beside = b.caption_placement == CaptionPlacement::beside;
    const double gap = points(kColumnGapMm);
    const double qr_x = beside ? body_left_ : body_left_ + (body_width_ - size) / 2;
    const double caption_x = beside ? body_left_ + size + gap : body_left_;
    const double caption_width = beside ? body_width_ - size - gap : body_width_;
    auto caption_column = std::make_shared<Column>();
    double caption_height = 0;
    if (!caption.empty()) {
      PRATU_TRY(column, this->column(caption, TextStyle::small, caption_x, caption_width,
                                     beside ? Align::left : Align::centre));
      for (const auto& line : column.lines) caption_height += line.height;
      *caption_column = std::move(column);
    }
    const double height = beside ? std::max(size, caption_height)
                                 : size + (caption.empty() ? 0 : gap) + caption_height;
    if (height > body_height_) return Error::internal("a QR code and its caption exceed a page");
    Slice slice{height, [=, modules = std::move(modules)](cairo_t* cr, double top) {
                  draw_qr(cr, modules, qr_x, beside ? top + (height - size) / 2 : top, size);
                  double y = beside ? top + (height - caption_height) / 2 : top + size + gap;
                  for (std::size_t i = 0; i < caption_column->lines.size(); ++i) {
                    draw_line(cr, *caption_column, i, y);
                    y += caption_column->lines[i].height;
                  }
                }};
    return std::vector<Unit>{Unit{{std::move(slice)}, kSpaceBeforeQrCode, false}};
  }

  Result<std::vector<Unit>> units_of(const Space& b) const {
    return std::vector<Unit>{Unit{{}, points(b.mm), false}};
  }

  // The running line's three slots for one page, drawn with their top at `top`.
  Result<void> draw_running(cairo_t* cr, const RunningLine& line, double top, int page,
                            int pages) const {
    const std::pair<const std::string*, Align> slots[] = {
        {&line.left, Align::left}, {&line.centre, Align::centre}, {&line.right, Align::right}};
    for (const auto& [format, align] : slots) {
      if (format->empty()) continue;
      auto content = replace_all(replace_all(*format, "{page}", with_numerals(page, numerals_)),
                                 "{pages}", with_numerals(pages, numerals_));
      PRATU_TRY(layout, text(content, TextStyle::running, body_width_, align));
      cairo_move_to(cr, body_left_, top);
      pango_cairo_show_layout(cr, layout.get());
    }
    return ok();
  }

  // The height of one line of the running text.
  Result<double> running_height() const {
    PRATU_TRY(layout, text("0", TextStyle::running, body_width_, Align::left));
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    return pango_units_to_double(logical.height);
  }

 private:
  // Dark modules of the code, row by row, without the quiet zone.
  struct QrModules {
    int width = 0;
    std::vector<unsigned char> dark;
  };

  static Result<QrModules> qr_modules(const std::string& payload) {
    if (payload.empty() || payload.find('\0') != std::string::npos)
      return Error::internal("a QR code's payload is empty or holds a NUL byte");
    errno = 0;
    QrPtr code(QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    if (!code)
      return Error::internal(std::string("QR code not made: ") +
                             (errno == ERANGE ? "payload too long" : std::strerror(errno)));
    QrModules modules;
    modules.width = code->width;
    modules.dark.resize(static_cast<std::size_t>(code->width) * code->width);
    for (std::size_t i = 0; i < modules.dark.size(); ++i) modules.dark[i] = code->data[i] & 1;
    return modules;
  }

  // Each row's runs of dark modules as one rectangle, filled at once: no alpha, no seams
  // between neighbours in a row.
  static void draw_qr(cairo_t* cr, const QrModules& modules, double x, double y, double size) {
    const double module = size / (modules.width + 2 * kQuietZoneModules);
    const double left = x + kQuietZoneModules * module;
    const double top = y + kQuietZoneModules * module;
    const auto width = static_cast<std::size_t>(modules.width);
    for (std::size_t row = 0; row < width; ++row) {
      std::size_t col = 0;
      while (col < width) {
        if (!modules.dark[row * width + col]) {
          ++col;
          continue;
        }
        const std::size_t start = col;
        while (col < width && modules.dark[row * width + col]) ++col;
        cairo_rectangle(cr, left + static_cast<double>(start) * module,
                        top + static_cast<double>(row) * module,
                        static_cast<double>(col - start) * module, module);
      }
    }
    cairo_fill(cr);
  }

  double size(TextStyle style) const {
    switch (style) {
      case TextStyle::body: return sizes_.body_pt;
      case TextStyle::heading: return sizes_.heading_pt;
      case TextStyle::subheading: return sizes_.subheading_pt;
      case TextStyle::small: return sizes_.small_pt;
      case TextStyle::running: return sizes_.running_pt;
    }
    return sizes_.body_pt;
  }
  static PangoWeight weight(TextStyle style) {
    return style == TextStyle::heading || style == TextStyle::subheading ? PANGO_WEIGHT_BOLD
                                                                         : PANGO_WEIGHT_NORMAL;
  }
  static PangoAlignment alignment(Align align) {
    switch (align) {
      case Align::left: return PANGO_ALIGN_LEFT;
      case Align::centre: return PANGO_ALIGN_CENTER;
      case Align::right: return PANGO_ALIGN_RIGHT;
    }
    return PANGO_ALIGN_LEFT;
  }

  PangoContext* context_;
  TextSizes sizes_;
  Numerals numerals_;
  double body_left_;
  double body_width_;
  double body_height_;
};

// Assigns slices to pages. A unit that does not fit in what is left of a page starts the next
// one; only a unit taller than a whole page is split, between its slices.
std::vector<std::vector<Placed>> paginate(const std::vector<Unit>& units, double body_top,
                                          double body_bottom) {
  std::vector<std::vector<Placed>> pages(1);
  double y = body_top;
  auto new_page = [&] {
    pages.emplace_back();
    y = body_top;
  };
  for (std::size_t i = 0; i < units.size(); ++i) {
    const auto& unit = units[i];
    const bool page_empty = pages.back().empty();
    const double gap = page_empty ? 0 : unit.space_before;
    if (unit.slices.empty()) {
      y += gap;
      continue;
    }
    double needed = unit.height();
    // A heading needs the first line of what follows on its page.
    if (unit.keep_with_next && i + 1 < units.size() && !units[i + 1].slices.empty())
      needed += units[i + 1].space_before + units[i + 1].slices.front().height;
    if (!page_empty && y + gap + needed > body_bottom) new_page();
    else y += gap;
    for (const auto& slice : unit.slices) {
      if (!pages.back().empty() && y + slice.height > body_bottom) new_page();
      pages.back().push_back({&slice, y});
      y += slice.height;
    }
  }
  return pages;
}

FontPtr font_description(PangoWeight weight) {
  FontPtr font(pango_font_description_new(), pango_font_description_free);
  pango_font_description_set_family_static(font.get(), kDocumentFontFamily.data());
  pango_font_description_set_weight(font.get(), weight);
  pango_font_description_set_size(font.get(), 16 * PANGO_SCALE);
  return font;
}

// A context on this thread's font map (Pango keeps one per thread), in points, unhinted: the
// metrics are the font's own, as a PDF needs.
ContextPtr make_context(std::string_view language) {
  PangoFontMap* map = pango_cairo_font_map_get_default();
  ContextPtr context(pango_font_map_create_context(map), unref_gobject<PangoContext>);
  pango_cairo_context_set_resolution(context.get(), 72);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context.get(), options);
  cairo_font_options_destroy(options);
  pango_context_set_round_glyph_positions(context.get(), FALSE);
  const std::string tag(language);
  pango_context_set_language(context.get(), pango_language_from_string(tag.c_str()));
  return context;
}

// Fontconfig falls back to another family silently; this says whether Laksaman was found.
Result<void> check_fonts(PangoContext* context) {
  for (PangoWeight weight : {PANGO_WEIGHT_NORMAL, PANGO_WEIGHT_BOLD}) {
    auto wanted = font_description(weight);
    PangoFont* font = pango_context_load_font(context, wanted.get());
    if (font == nullptr) return Error::internal("no font for documents could be loaded");
    FontPtr found(pango_font_describe(font), pango_font_description_free);
    g_object_unref(font);
    const char* family = pango_font_description_get_family(found.get());
    if (family == nullptr || g_ascii_strcasecmp(family, kDocumentFontFamily.data()) != 0 ||
        pango_font_description_get_weight(found.get()) != weight)
      return Error::internal("the document font " + std::string(kDocumentFontFamily) +
                             (weight == PANGO_WEIGHT_BOLD ? " Bold" : "") +
                             " is not installed (fonts-tlwg-laksaman)");
  }
  return ok();
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<void> check_document_fonts() {
  auto context = make_context("th");
  return check_fonts(context.get());
}

Result<DrawnPages> draw_pages(const Layout& layout, std::string_view language) {
  auto context = make_context(language);
  PRATU_CHECK(check_fonts(context.get()));
  const Typesetter typesetter(context.get(), layout);
  if (!(typesetter.body_width() > 0) || !(typesetter.body_height() > 0))
    return Error::internal("the page's margins leave no room for text");

  std::vector<Unit> units;
  for (const auto& block : layout.blocks) {
    PRATU_TRY(block_units, typesetter.units(block));
    for (auto& unit : block_units) units.push_back(std::move(unit));
  }
  const double body_top = points(layout.margins.top_mm);
  const double body_bottom = kPageHeight - points(layout.margins.bottom_mm);
  const auto pages = paginate(units, body_top, body_bottom);
  PRATU_TRY(running_height, typesetter.running_height());

  DrawnPages drawn;
  drawn.page_count = static_cast<int>(pages.size());
  SurfacePtr surface(
      cairo_pdf_surface_create_for_stream(append_to_string, &drawn.pdf, kPageWidth, kPageHeight),
      cairo_surface_destroy);
  cairo_pdf_surface_restrict_to_version(surface.get(), CAIRO_PDF_VERSION_1_5);
  CairoPtr cr(cairo_create(surface.get()), cairo_destroy);
  cairo_set_source_rgb(cr.get(), 0, 0, 0);  // opaque black only: no transparency in PDF/A
  for (std::size_t page = 0; page < pages.size(); ++page) {
    const int number = static_cast<int>(page) + 1;
    PRATU_CHECK(typesetter.draw_running(cr.get(), layout.header, (body_top - running_height) / 2,
                                        number, drawn.page_count));
    PRATU_CHECK(typesetter.draw_running(
        cr.get(), layout.footer,
        body_bottom + (points(layout.margins.bottom_mm) - running_height) / 2, number,
        drawn.page_count));
    for (const auto& placed : pages[page]) placed.slice->draw(cr.get(), placed.top);
    cairo_show_page(cr.get());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return Error::internal(std::string("cairo: ") +
                           cairo_status_to_string(cairo_surface_status(surface.get())));
  return drawn;
}

}  // namespace pratu::pdf
