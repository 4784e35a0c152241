/// From Cairo's PDF to PDF/A-3u with qpdf: output intent, XMP, Info, associated files, and a
/// classic cross-reference table.
#include "pdf/pdf_a3.hpp"

// qpdf 11 without its old PointerHolder: std::shared_ptr everywhere.
#define POINTERHOLDER_TRANSITION 4

#include <cairo.h>
#include <lcms2.h>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>
#include <qpdf/QUtil.hh>

#include <algorithm>
#include <exception>
#include <iterator>
#include <set>
#include <utility>

#include "common/unicode_text.hpp"
#include "pdf/page_renderer.hpp"
#include "pdf/xmp_packet.hpp"

namespace pratu::pdf {

namespace {

using Object = QPDFObjectHandle;

constexpr char kOutputCondition[] = "sRGB IEC61966-2.1";

// The sRGB profile (ICC v4.3, display class), made by Little CMS once per process.
const std::string& srgb_profile() {
  static const std::string profile = [] {
    std::string bytes;
    cmsHPROFILE handle = cmsCreate_sRGBProfile();
    if (handle == nullptr) return bytes;
    cmsUInt32Number size = 0;
    if (cmsSaveProfileToMem(handle, nullptr, &size) && size > 0) {
      bytes.resize(size);
      if (!cmsSaveProfileToMem(handle, bytes.data(), &size)) bytes.clear();
    }
    cmsCloseProfile(handle);
    // Little CMS dates the header today; a fixed date (2026-01-01, six big-endian 16-bit
    // fields at offset 24, outside any checksum: the profile ID is left zero) makes the same
    // document the same bytes on any day.
    constexpr unsigned char kCreated[12] = {0x07, 0xEA, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
    if (bytes.size() >= 128)
      std::copy(std::begin(kCreated), std::end(kCreated), bytes.begin() + 24);
    return bytes;
  }();
  return profile;
}

const std::string& producer() {
  static const std::string name =
      std::string("Pratu (cairo ") + cairo_version_string() + ", qpdf " + QPDF::QPDFVersion() + ")";
  return name;
}

// A PDF text string: ASCII as it is, anything else UTF-16BE with a byte order mark.
Object text_string(const std::string& utf8) {
  const bool ascii = std::all_of(utf8.begin(), utf8.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  return Object::newString(ascii ? utf8 : QUtil::utf8_to_utf16(utf8));
}

Object name(const std::string& value) { return Object::newName("/" + value); }

const char* relationship_name(FileRelationship relationship) {
  switch (relationship) {
    case FileRelationship::data: return "/Data";
    case FileRelationship::alternative: return "/Alternative";
    case FileRelationship::source: return "/Source";
    case FileRelationship::supplement: return "/Supplement";
  }
  return "/Unspecified";
}

// RFC 6838 restricted names: type "/" subtype.
bool is_mime_type(std::string_view type) {
  const auto slash = type.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size()) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    const char c = type[i];
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') ||
                         std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
    if (!allowed && i != slash) return false;
  }
  return true;
}

// A BCP 47 tag's characters: letters, digits and hyphens.
bool is_language_tag(std::string_view tag) {
  return !tag.empty() && std::all_of(tag.begin(), tag.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

Result<void> check_input(const DocumentInfo& info, const std::vector<Attachment>& attachments) {
  if (!is_language_tag(info.language))
    return Error::internal("document language '" + info.language + "' is not a language tag");
  std::set<std::string> names;
  for (const auto& file : attachments) {
    if (file.file_name.empty() || !is_valid_utf8(file.file_name) ||
        file.file_name.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos)
      return Error::internal("an attachment's file name is empty, not UTF-8 or has a path");
    if (!names.insert(file.file_name).second)
      return Error::internal("two attachments are named '" + file.file_name + "'");
    if (!is_mime_type(file.mime_type))
      return Error::internal("attachment '" + file.file_name + "' has no valid MIME type");
    if (!is_valid_utf8(file.description))
      return Error::internal("attachment '" + file.file_name + "' has a description not UTF-8");
  }
  return ok();
}

// ISO 19005-3 §6.2.3: one output intent, the sRGB profile everything is drawn in.
Object output_intent(QPDF& pdf) {
  auto profile = Object::newStream(&pdf, srgb_profile());
  profile.getDict().replaceKey("/N", Object::newInteger(3));
  auto intent = Object::newDictionary();
  intent.replaceKey("/Type", name("OutputIntent"));
  intent.replaceKey("/S", name("GTS_PDFA1"));
  intent.replaceKey("/OutputConditionIdentifier", Object::newString(kOutputCondition));
  intent.replaceKey("/Info", Object::newString(kOutputCondition));
  intent.replaceKey("/RegistryName", Object::newString("http://www.color.org"));
  intent.replaceKey("/DestOutputProfile", profile);
  return pdf.makeIndirectObject(intent);
}

// ISO 19005-3 §6.8: an embedded file with its MIME type, associated with the document.
Object file_specification(QPDF& pdf, const Attachment& file) {
  auto params = Object::newDictionary();
  params.replaceKey("/Size", Object::newInteger(static_cast<long long>(file.bytes.size())));
  params.replaceKey("/ModDate", Object::newString(pdf_date_string(file.modified_at)));
  auto stream = Object::newStream(&pdf, file.bytes);
  auto dict = stream.getDict();
  dict.replaceKey("/Type", name("EmbeddedFile"));
  dict.replaceKey("/Subtype", name(file.mime_type));  // qpdf writes /text#2fxml
  dict.replaceKey("/Params", params);

  auto embedded = Object::newDictionary();
  embedded.replaceKey("/F", stream);
  embedded.replaceKey("/UF", stream);
  auto spec = Object::newDictionary();
  spec.replaceKey("/Type", name("Filespec"));
  spec.replaceKey("/F", text_string(file.file_name));
  spec.replaceKey("/UF", text_string(file.file_name));
  spec.replaceKey("/Desc", text_string(file.description));
  spec.replaceKey("/AFRelationship", Object::newName(relationship_name(file.relationship)));
  spec.replaceKey("/EF", embedded);
  return pdf.makeIndirectObject(spec);
}

// Catalog /AF, in the caller's order, and /Names /EmbeddedFiles, sorted by name as a name
// tree's keys must be.
void attach(QPDF& pdf, const std::vector<Attachment>& attachments) {
  if (attachments.empty()) return;
  auto associated = Object::newArray();
  std::vector<std::pair<std::string, Object>> entries;
  for (const auto& file : attachments) {
    auto spec = file_specification(pdf, file);
    associated.appendItem(spec);
    entries.emplace_back(text_string(file.file_name).getStringValue(), spec);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  auto names = Object::newArray();
  for (const auto& [key, spec] : entries) {
    names.appendItem(Object::newString(key));
    names.appendItem(spec);
  }
  auto tree = Object::newDictionary();
  tree.replaceKey("/Names", names);
  auto root = pdf.getRoot();
  if (!root.getKey("/Names").isDictionary()) root.replaceKey("/Names", Object::newDictionary());
  root.getKey("/Names").replaceKey("/EmbeddedFiles", tree);
  root.replaceKey("/AF", associated);
}

// The Info dictionary, saying what the XMP says: PDF/A-3 does not ask for it, readers show it.
void set_info(QPDF& pdf, const DocumentInfo& info) {
  auto dict = Object::newDictionary();
  dict.replaceKey("/Title", text_string(info.title));
  dict.replaceKey("/Author", text_string(info.author));
  if (!info.subject.empty()) dict.replaceKey("/Subject", text_string(info.subject));
  if (!info.keywords.empty()) dict.replaceKey("/Keywords", text_string(info.keywords));
  dict.replaceKey("/Creator", text_string(info.creator_tool));
  dict.replaceKey("/Producer", text_string(producer()));
  dict.replaceKey("/CreationDate", Object::newString(pdf_date_string(info.created_at)));
  dict.replaceKey("/ModDate", Object::newString(pdf_date_string(info.created_at)));
  pdf.getTrailer().replaceKey("/Info", pdf.makeIndirectObject(dict));
}

// What Cairo writes that PDF/A wants otherwise: Type 2 CIDFonts need an explicit
// /CIDToGIDMap (§6.2.11.3.2; Cairo's subsets number glyphs as CIDs), and a page with no
// transparency needs no transparency group.
void fix_cairo_output(QPDF& pdf) {
  for (auto& object : pdf.getAllObjects()) {
    if (object.isDictionaryOfType("/Font", "/CIDFontType2") && !object.hasKey("/CIDToGIDMap"))
      object.replaceKey("/CIDToGIDMap", name("Identity"));
  }
  for (auto page : pdf.getAllPages()) page.removeKey("/Group");
}

std::string warnings_of(QPDF& pdf) {
  std::string text;
  for (const auto& warning : pdf.getWarnings()) text += std::string(warning.what()) + "; ";
  return text;
}

}  // namespace

Result<std::string> render_pdf_a3(const Layout& layout, const DocumentInfo& info,
                                  const std::vector<Attachment>& attachments) {
  PRATU_CHECK(check_input(info, attachments));
  PRATU_TRY(xmp, xmp_packet(info, producer()));
  if (srgb_profile().empty()) return Error::internal("Little CMS made no sRGB profile");
  PRATU_TRY(drawn, draw_pages(layout, info.language));

  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.processMemoryFile("cairo output", drawn.pdf.data(), drawn.pdf.size());
    fix_cairo_output(pdf);

    auto root = pdf.getRoot();
    auto metadata = Object::newStream(&pdf, xmp);
    metadata.getDict().replaceKey("/Type", name("Metadata"));
    metadata.getDict().replaceKey("/Subtype", name("XML"));
    root.replaceKey("/Metadata", metadata);
    root.replaceKey("/OutputIntents", Object::newArray({output_intent(pdf)}));
    root.replaceKey("/Lang", Object::newString(info.language));
    auto preferences = Object::newDictionary();
    preferences.replaceKey("/DisplayDocTitle", Object::newBool(true));
    root.replaceKey("/ViewerPreferences", preferences);
    attach(pdf, attachments);
    set_info(pdf, info);

    QPDFWriter writer(pdf);
    writer.setOutputMemory();
    writer.forcePDFVersion("1.7");
    // A classic xref table and trailer: the PAdES signer appends its update in the same form.
    writer.setObjectStreamMode(qpdf_o_disable);
    writer.setCompressStreams(true);         // the XMP stream stays plain: qpdf never compresses it
    writer.setNewlineBeforeEndstream(true);  // §6.1.7.1: an EOL before every endstream
    // qpdf's other /ID hashes the time in seconds and the Info strings, so two documents with
    // the same title made in one second would share it; this one hashes the file.
    writer.setDeterministicID(true);
    writer.write();
    if (pdf.anyWarnings()) return Error::internal("qpdf warned: " + warnings_of(pdf));
    auto buffer = writer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  } catch (const std::exception& e) {
    return Error::internal(std::string("qpdf: ") + e.what());
  }
}

}  // namespace pratu::pdf
