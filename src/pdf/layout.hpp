#pragma once
/// What an official document says and in what order: A4 portrait pages filled with blocks
/// (headings, paragraphs, label and value rows, conditions, a signature block, a QR code),
/// with a running header and footer. Plain data; page_renderer paginates and draws it. Every
/// word a person reads comes from the caller: this library adds only numbers.

#include <string>
#include <variant>
#include <vector>

namespace pratu::pdf {

/// How lines of text sit between the margins.
enum class Align { left, centre, right };

/// The document's title: centred, large, bold; kept on the page of what follows it.
struct Heading {
  std::string text;
};

/// A section title: bold, a little larger than the body; kept with what follows it.
struct Subheading {
  std::string text;
  Align align = Align::centre;
};

/// Body text, wrapped at word boundaries (Thai words too); '\n' starts a new line.
struct Paragraph {
  std::string text;
  Align align = Align::left;
  double first_line_indent_mm = 0;
};

/// One row of a Fields block: the label on the left, the value wrapped on the right.
struct Field {
  std::string label;
  std::string value;  // '\n' separates its lines
};

/// Label and value rows, such as the holder's name and address on a licence.
struct Fields {
  std::vector<Field> rows;
  double label_width_mm = 50;
};

/// Numbered items, such as a licence's conditions: "1." ... in the layout's numerals.
struct NumberedList {
  std::vector<std::string> items;
};

/// A thin horizontal line across the text width.
struct Rule {};

/// The signatory's lines (name, title, agency, "signed electronically"), centred in a column
/// on the right half of the page, as Thai official letters place them.
struct SignatureBlock {
  std::vector<std::string> lines;
  double space_above_mm = 12;
};

/// Notes in a small size, such as how to verify the document.
struct SmallPrint {
  std::string text;
};

/// Where a QR code's caption goes.
enum class CaptionPlacement {
  beside,  // the code at the left margin, its caption to its right
  below,   // the code centred, its caption centred under it
};

/// A QR code (error correction level M) drawn as vector squares.
struct QrCode {
  std::string payload;  // the bytes the code holds, such as a verification URL
  double size_mm = 25;  // printed size, including the quiet zone of 4 modules on each side
  std::vector<std::string> caption;
  CaptionPlacement caption_placement = CaptionPlacement::beside;
};

/// Empty vertical space; dropped at the top of a page.
struct Space {
  double mm = 5;
};

/// One block of the document; blocks are laid out top to bottom in order.
using Block = std::variant<Heading, Subheading, Paragraph, Fields, NumberedList, Rule,
                           SignatureBlock, SmallPrint, QrCode, Space>;

/// A line repeated on every page, in three slots. In each, "{page}" becomes the page's number
/// and "{pages}" the number of pages, written in the layout's numerals.
struct RunningLine {
  std::string left;
  std::string centre;
  std::string right;
};

/// The page's margins; the running header and footer sit in the top and bottom ones.
struct Margins {
  double top_mm = 22;
  double right_mm = 20;
  double bottom_mm = 22;
  double left_mm = 25;
};

/// Font sizes in points. 16 pt is the body size Thai official documents use with fonts of the
/// Sarabun family, such as Laksaman.
struct TextSizes {
  double body_pt = 16;
  double heading_pt = 22;
  double subheading_pt = 18;
  double small_pt = 13;
  double running_pt = 12;
  // Baseline to baseline, in the font's own line heights: Laksaman's (1.655 em) leaves room
  // for two marks stacked over a consonant; 0.85 of it still does, and fits a licence on a page.
  double line_spacing = 0.85;
};

/// The digits numbers are written in: list numbers and page numbers.
enum class Numerals { arabic, thai };

/// A whole document, ready to render.
struct Layout {
  std::vector<Block> blocks;
  RunningLine header;
  RunningLine footer;
  Margins margins;
  TextSizes sizes;
  Numerals numerals = Numerals::arabic;
};

}  // namespace pratu::pdf
