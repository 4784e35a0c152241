#pragma once
/// Text put into XML or SVG that Pratu writes itself (XMP packets, a document's data file, a QR
/// code's SVG).

#include <string>
#include <string_view>

namespace pratu {

/// `text` safe as XML character data and as an attribute value in either quotes: & < > " '
/// escaped, and the control characters XML 1.0 does not allow (all below U+0020 but tab, line
/// feed and carriage return) dropped.
std::string xml_escaped(std::string_view text);

}  // namespace pratu
