#pragma once
/// What an issued document looks like and what data it carries (docs/documents.md): its
/// pages, laid out for the pdf layer from the application's content and the document's
/// number, dates and verification address, with every word from locales/<th|en>/documents.yaml;
/// and the XML embedded in it (schema: docs/schemas/document-1.xsd). No I/O.

#include <string>

#include "domains/documents/issued_document.hpp"
#include "pdf/layout.hpp"
#include "platform/document_source.hpp"
#include "web/render.hpp"

namespace pratu::documents {

/// The namespace of the embedded XML and of Pratu's XMP properties.
inline constexpr const char* kDocumentNamespace = "urn:pratu:document:1";
/// The embedded XML file's name.
inline constexpr const char* kDataFileName = "pratu-document.xml";

/// Everything one document shows.
struct DocumentFacts {
  const platform::DocumentContent& content;
  const IssuedDocument& document;
  std::string verify_url;          // where its QR code leads: .../verify/<number>?c=<code>
  platform::BilingualText agency;  // the issuing agency's name
};

/// A YYYY-MM-DD day in `locale`'s words ("5 ธันวาคม 2569"); `iso` itself when malformed.
std::string day_text(web::Locale locale, const std::string& iso);

/// The document's pages: Thai first, English beside it where the service writes in English.
pdf::Layout document_layout(const DocumentFacts& facts, const web::Translations& t);

/// The document's data as XML (UTF-8), the file embedded in the PDF.
std::string document_xml(const DocumentFacts& facts);

}  // namespace pratu::documents
