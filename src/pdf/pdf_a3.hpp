#pragma once
/// Official documents as PDF/A-3u (ISO 19005-3, shared/reference/standards.md §2): a Layout
/// drawn by page_renderer, then given its PDF/A structure with qpdf: the sRGB output intent,
/// XMP metadata with a PDF/A extension schema for Pratu's own properties, an Info dictionary
/// that agrees with it, and associated files such as the document's XML. Written with a
/// classic cross-reference table, so a PAdES signature can be appended as an update.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "pdf/layout.hpp"

namespace pratu::pdf {

/// The namespace of Pratu's own XMP properties, and the prefix it is written with.
inline constexpr std::string_view kPratuXmpNamespace = "urn:pratu:ns:document:1#";
inline constexpr std::string_view kPratuXmpPrefix = "pratu";

/// One of Pratu's own XMP properties (a Text), described in the PDF/A extension schema.
struct XmpProperty {
  std::string name;         // an XML name: a letter or '_', then letters, digits or '_'
  std::string value;        // UTF-8
  std::string description;  // what it means, for the schema; for machines and archivists
};

/// What the document is, for its metadata (XMP and the Info dictionary).
struct DocumentInfo {
  std::string title;            // in the document's language
  std::string title_en;         // the English title; empty for none
  std::string author;           // the issuing agency
  std::string subject;          // empty for none
  std::string keywords;         // empty for none
  std::string creator_tool;     // what made the content, such as "Pratu 0.1.0"
  std::int64_t created_at = 0;  // seconds since the epoch; written in Thai time (+07:00)
  std::string language = "th-TH";
  std::vector<XmpProperty> properties;  // e.g. documentNumber, documentType, version
};

/// How an attached file relates to the document (PDF/A-3's AFRelationship).
enum class FileRelationship {
  data,         // data the document shows, such as its XML
  alternative,  // the same content in another format
  source,       // what the document was made from
  supplement,   // more than the document shows
};

/// A file embedded in the document and associated with it (Catalog /AF).
struct Attachment {
  std::string file_name;  // UTF-8, no '/'; unique within the document
  std::string mime_type;  // such as "text/xml"
  std::string description;
  FileRelationship relationship = FileRelationship::data;
  std::string bytes;
  std::int64_t modified_at = 0;  // seconds since the epoch
};

/// The PDF/A-3u bytes of `layout` with `info` and `attachments`. Fails (internal) when a text
/// is not UTF-8, an XMP property name or attachment is malformed, or a library fails. Safe to
/// call from several threads at once.
Result<std::string> render_pdf_a3(const Layout& layout, const DocumentInfo& info,
                                  const std::vector<Attachment>& attachments);

}  // namespace pratu::pdf
