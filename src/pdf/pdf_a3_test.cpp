/// PDF/A-3u documents checked by tools nobody here wrote: qpdf, poppler, zbarimg, xmllint,
/// and libqpdf reading the structure back.
#include "pdf/pdf_a3.hpp"

#define POINTERHOLDER_TRANSITION 4  // qpdf 11 with std::shared_ptr only

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include "common/files.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace pratu::pdf {
namespace {

namespace fs = std::filesystem;
using test::run_command;
using test::shell_quoted;
using test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::int64_t kIssuedAt = 1'780'000'000;  // 2026-05-29 03:26:40 in Bangkok
constexpr char kSentence[] = "ผู้ประกอบพาณิชยกิจต้องแสดงใบทะเบียนพาณิชย์นี้ไว้ในที่เปิดเผยและเห็นได้ง่าย";
constexpr char kMarks[] = "น้ำ ก่ำ ปั้น ที่นี่";
constexpr char kVerifyUrl[] = "https://pratu.example.go.th/verify/0105568001234-AB12CD34";
constexpr char kFooter[] = "หน้า {page} จาก {pages}";

// A commercial registration certificate, as the documents domain lays one out.
Layout licence_layout(std::string number = "0105568001234") {
  Layout layout;
  layout.header = {"กรมพัฒนาธุรกิจการค้า", "", "เลขที่ " + number};
  layout.footer = {"ตรวจสอบเอกสารนี้ได้ที่ pratu.example.go.th", "", kFooter};
  layout.blocks.push_back(Heading{"ใบทะเบียนพาณิชย์"});
  layout.blocks.push_back(Subheading{"Commercial Registration Certificate"});
  Fields fields;
  fields.label_width_mm = 60;
  fields.rows = {
      {"เลขทะเบียนพาณิชย์", number},
      {"ชื่อผู้ประกอบพาณิชยกิจ", "นางสาวสมใจ ใจดี (Miss Somjai Jaidee)"},
      {"ชื่อที่ใช้ในการประกอบพาณิชยกิจ", "ร้านน้ำใจก๋วยเตี๋ยวเรือ"},
      {"ที่ตั้งสำนักงานใหญ่", "เลขที่ 99/9 หมู่ที่ 4 ถนนพหลโยธิน ตำบลคลองหนึ่ง\nอำเภอคลองหลวง จังหวัดปทุมธานี 12120"},
      {"ชนิดแห่งพาณิชยกิจ", "ขายอาหารและเครื่องดื่ม"},
      {"วันที่ออก", "29 พฤษภาคม 2569"},
  };
  layout.blocks.push_back(std::move(fields));
  layout.blocks.push_back(Subheading{"เงื่อนไข", Align::left});
  layout.blocks.push_back(NumberedList{{
      kSentence,
      "หากมีการเปลี่ยนแปลงรายการที่ได้จดทะเบียนไว้ ต้องยื่นขอจดทะเบียนเปลี่ยนแปลงภายใน 30 วัน",
      "หากเลิกประกอบพาณิชยกิจ ต้องยื่นขอจดทะเบียนเลิกภายใน 30 วันนับแต่วันเลิก",
  }});
  layout.blocks.push_back(
      SignatureBlock{{"นายทะเบียนพาณิชย์", "กรมพัฒนาธุรกิจการค้า", "ลงลายมือชื่ออิเล็กทรอนิกส์"}});
  layout.blocks.push_back(Rule{});
  layout.blocks.push_back(QrCode{kVerifyUrl, 28, {"สแกนเพื่อตรวจสอบเอกสาร", kVerifyUrl}});
  layout.blocks.push_back(SmallPrint{"เอกสารนี้ลงลายมือชื่ออิเล็กทรอนิกส์ ไม่ต้องลงลายมือชื่อด้วยหมึก"});
  return layout;
}

DocumentInfo licence_info(std::string number = "0105568001234") {
  DocumentInfo info;
  info.title = "ใบทะเบียนพาณิชย์";
  info.title_en = "Commercial Registration Certificate";
  info.author = "กรมพัฒนาธุรกิจการค้า";
  info.subject = number;
  info.keywords = number + ", commercial-registration";
  info.creator_tool = "Pratu 0.1.0";
  info.created_at = kIssuedAt;
  info.properties = {{"documentNumber", number, "The number the agency gave the document"},
                     {"documentType", "licence", "licence, certificate or permit"},
                     {"version", "1", "The version of the embedded data's schema"}};
  return info;
}

std::string licence_xml(const std::string& number = "0105568001234") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document><Number>" + number +
         "</Number><Holder>นางสาวสมใจ ใจดี</Holder></Document>\n";
}

Attachment xml_attachment(std::string number = "0105568001234") {
  return {"pratu-document.xml",          "text/xml",          "The document's data",
          FileRelationship::alternative, licence_xml(number), kIssuedAt};
}

std::string render_licence(std::string number = "0105568001234") {
  auto pdf = render_pdf_a3(licence_layout(number), licence_info(number), {xml_attachment(number)});
  EXPECT_TRUE(pdf) << (pdf ? "" : pdf.error().detail);
  return pdf ? *pdf : std::string();
}

// Text without any whitespace: what a layout's line breaks cannot change.
std::string without_whitespace(const std::string& text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') out += c;
  return out;
}

// The page's pixels, from pdftoppm's grey PGM (P5, maxval 255).
struct Greymap {
  int width = 0;
  int height = 0;
  std::string pixels;
};
Greymap read_pgm(const std::string& bytes) {
  std::istringstream in(bytes);
  std::string magic;
  int maxval = 0;
  Greymap map;
  in >> magic >> map.width >> map.height >> maxval;
  in.get();
  if (magic != "P5" || maxval != 255) return {};
  map.pixels.assign(std::istreambuf_iterator<char>(in), {});
  if (map.pixels.size() != static_cast<std::size_t>(map.width) * map.height) return {};
  return map;
}

// pdfinfo's value for `key` ("Pages", "Title", ...).
std::string pdfinfo_value(const std::string& info, const std::string& key) {
  std::smatch match;
  if (std::regex_search(info, match, std::regex("(^|\n)" + key + ":\\s*([^\n]*)"))) return match[2];
  return {};
}

// One typical licence, rendered once and written to a file the tools read.
class RenderedLicence : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>("pratu-pdf-");
    bytes_ = render_licence();
    pdf_ = dir_->write("licence.pdf", bytes_);
  }
  static void TearDownTestSuite() { dir_.reset(); }
  static const std::string& bytes() { return bytes_; }
  static std::string file() { return shell_quoted(pdf_); }
  static const TempDir& dir() { return *dir_; }

 private:
  static inline std::unique_ptr<TempDir> dir_;
  static inline std::string bytes_;
  static inline fs::path pdf_;
};

TEST_F(RenderedLicence, PassesQpdfCheck) {
  auto checked = run_command("qpdf --check " + file());
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  EXPECT_THAT(checked.output, HasSubstr("No syntax or stream encoding errors found"));
  EXPECT_THAT(checked.output, HasSubstr("PDF Version: 1.7"));
  EXPECT_THAT(checked.output, Not(HasSubstr("WARNING")));
}

TEST_F(RenderedLicence, EmbedsEveryFontAsASubsetWithAUnicodeMap) {
  auto fonts = run_command("pdffonts " + file());
  ASSERT_EQ(fonts.exit_code, 0) << fonts.output;
  std::istringstream lines(fonts.output);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line.starts_with("name") || line.starts_with("---")) continue;
    // From the end: emb sub uni, then the object number and generation.
    std::vector<std::string> words;
    std::istringstream split(line);
    for (std::string word; split >> word;) words.push_back(word);
    ASSERT_GE(words.size(), 6u) << line;
    const auto n = words.size();
    EXPECT_EQ(words[n - 5], "yes") << "not embedded: " << line;
    EXPECT_EQ(words[n - 4], "yes") << "not a subset: " << line;
    EXPECT_EQ(words[n - 3], "yes") << "no ToUnicode: " << line;
    EXPECT_THAT(words[0], HasSubstr("+Laksaman")) << line;
    ++count;
  }
  EXPECT_GE(count, 2) << "regular and bold at least:\n" << fonts.output;
}

TEST_F(RenderedLicence, SaysItsTitleVersionAndPages) {
  auto info = run_command("pdfinfo " + file());
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_EQ(pdfinfo_value(info.output, "Title"), "ใบทะเบียนพาณิชย์");
  EXPECT_EQ(pdfinfo_value(info.output, "Author"), "กรมพัฒนาธุรกิจการค้า");
  EXPECT_EQ(pdfinfo_value(info.output, "Creator"), "Pratu 0.1.0");
  EXPECT_EQ(pdfinfo_value(info.output, "PDF version"), "1.7");
  EXPECT_EQ(pdfinfo_value(info.output, "Pages"), "1");
  EXPECT_EQ(pdfinfo_value(info.output, "Encrypted"), "no");
  EXPECT_THAT(pdfinfo_value(info.output, "Page size"), HasSubstr("(A4)"));
  EXPECT_EQ(pdfinfo_value(info.output, "Metadata Stream"), "yes");
}

TEST_F(RenderedLicence, GivesBackTheAttachedXmlByteForByte) {
  auto list = run_command("pdfdetach -list " + file());
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_THAT(list.output, HasSubstr("1 embedded files"));
  EXPECT_THAT(list.output, HasSubstr("1: pratu-document.xml"));

  const auto saved = dir() / "saved.xml";
  auto save = run_command("pdfdetach -save 1 -o " + shell_quoted(saved) + " " + file());
  ASSERT_EQ(save.exit_code, 0) << save.output;
  auto bytes = read_file(saved);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, licence_xml());
}

TEST_F(RenderedLicence, ThaiTextExtractsAsWritten) {
  // -raw keeps the content stream's order, which is the text's: poppler's reading-order mode
  // sorts Thai marks by their x position and moves them off their consonants.
  auto text = run_command("pdftotext -raw -enc UTF-8 " + file() + " -", test::Stderr::dropped);
  ASSERT_EQ(text.exit_code, 0);
  const auto extracted = without_whitespace(text.output);
  for (std::string expected :
       {std::string(kSentence), std::string("ร้านน้ำใจก๋วยเตี๋ยวเรือ"), std::string("ใบทะเบียนพาณิชย์"),
        std::string("นางสาวสมใจใจดี"), std::string("ลงลายมือชื่ออิเล็กทรอนิกส์")})
    EXPECT_THAT(extracted, HasSubstr(without_whitespace(expected))) << text.output;
  EXPECT_THAT(extracted, HasSubstr("เลขที่0105568001234")) << "the header";
  EXPECT_THAT(extracted, HasSubstr("หน้า1จาก1")) << "the footer";
}

TEST_F(RenderedLicence, PageOneIsNotBlank) {
  auto page = run_command("pdftoppm -r 50 -gray -f 1 -l 1 " + file(), test::Stderr::dropped);
  ASSERT_EQ(page.exit_code, 0);
  auto map = read_pgm(page.output);
  ASSERT_GT(map.width, 400);  // A4 at 50 dpi: 413 x 585
  ASSERT_GT(map.height, 550);
  const auto dark = std::count_if(map.pixels.begin(), map.pixels.end(),
                                  [](char p) { return static_cast<unsigned char>(p) < 128; });
  EXPECT_GT(dark, 2000) << "text, rule and QR code darken the page";
}

TEST_F(RenderedLicence, QrCodeScansToItsPayload) {
  const auto prefix = dir() / "page";
  auto page = run_command("pdftoppm -r 150 -png -f 1 -l 1 -singlefile " + file() + " " +
                          shell_quoted(prefix));
  ASSERT_EQ(page.exit_code, 0) << page.output;
  auto scanned = run_command(
      "zbarimg --quiet --raw -Sdisable -Sqrcode.enable " + shell_quoted(prefix.string() + ".png"),
      test::Stderr::dropped);
  EXPECT_EQ(scanned.exit_code, 0);
  EXPECT_EQ(scanned.output, std::string(kVerifyUrl) + "\n");
}

TEST_F(RenderedLicence, IsFramedWithAClassicCrossReferenceTable) {
  const auto& pdf = bytes();
  // ISO 19005-3 §6.1.2: the header, then a comment of at least four bytes above 127.
  ASSERT_THAT(pdf, StartsWith("%PDF-1.7\n%"));
  EXPECT_TRUE(std::all_of(pdf.begin() + 10, pdf.begin() + 14,
                          [](char c) { return static_cast<unsigned char>(c) > 127; }));
  // §6.1.3: nothing after the last %%EOF but one end of line; the trailer before it.
  std::smatch tail;
  ASSERT_TRUE(
      std::regex_search(pdf, tail, std::regex("trailer <<[^]*>>\nstartxref\n([0-9]+)\n%%EOF\n$")));
  const auto xref_at = std::stoul(tail[1]);
  ASSERT_LT(xref_at, pdf.size());
  EXPECT_EQ(pdf.substr(xref_at, 7), "xref\n0 ") << "startxref points at the classic table";
  EXPECT_EQ(pdf.find("/XRef"), std::string::npos) << "no cross-reference stream";
  EXPECT_EQ(pdf.find("/ObjStm"), std::string::npos) << "no object streams";
  EXPECT_EQ(pdf.find("/Encrypt"), std::string::npos);
  // §6.1.7.1: "endstream" always follows an end of line.
  for (auto at = pdf.find("endstream"); at != std::string::npos; at = pdf.find("endstream", at + 1))
    ASSERT_EQ(pdf[at - 1], '\n') << "at byte " << at;
}

TEST_F(RenderedLicence, IsTheSameBytesEachTime) {
  EXPECT_EQ(render_licence(), bytes()) << "deterministic, /ID included";
}

// What libqpdf reads back from the file: the PDF/A-3 structure itself.
class PdfA3Structure : public RenderedLicence {
 protected:
  void SetUp() override {
    pdf_.processMemoryFile("rendered", bytes().data(), bytes().size());
    root_ = pdf_.getRoot();
  }
  QPDF pdf_;
  QPDFObjectHandle root_;
};

TEST_F(PdfA3Structure, HasTheSrgbOutputIntent) {
  auto intents = root_.getKey("/OutputIntents");
  ASSERT_TRUE(intents.isArray());
  ASSERT_EQ(intents.getArrayNItems(), 1);
  auto intent = intents.getArrayItem(0);
  EXPECT_EQ(intent.getKey("/S").getName(), "/GTS_PDFA1");
  EXPECT_EQ(intent.getKey("/Type").getName(), "/OutputIntent");
  EXPECT_EQ(intent.getKey("/OutputConditionIdentifier").getUTF8Value(), "sRGB IEC61966-2.1");
  auto profile = intent.getKey("/DestOutputProfile");
  ASSERT_TRUE(profile.isStream());
  EXPECT_EQ(profile.getDict().getKey("/N").getIntValue(), 3);
  auto data = profile.getStreamData();
  ASSERT_GE(data->getSize(), 128u);
  const std::string header(reinterpret_cast<const char*>(data->getBuffer()), 40);
  std::size_t declared = 0;  // the header's first field: the profile's size, big-endian
  for (int i = 0; i < 4; ++i) declared = declared << 8 | static_cast<unsigned char>(header[i]);
  EXPECT_EQ(declared, data->getSize());
  EXPECT_EQ(header.substr(12, 4), "mntr");
  EXPECT_EQ(header.substr(16, 4), "RGB ");
  EXPECT_EQ(header.substr(36, 4), "acsp");
  EXPECT_LT(static_cast<unsigned char>(header[8]), 5) << "ICC version below 5";
  EXPECT_EQ(header.substr(24, 6), std::string("\x07\xEA\x00\x01\x00\x01", 6))
      << "created 2026-01-01, whatever the day it rendered";
  const std::string id(reinterpret_cast<const char*>(data->getBuffer()) + 84, 16);
  EXPECT_EQ(id, std::string(16, '\0')) << "no profile ID the fixed date would falsify";
}

TEST_F(PdfA3Structure, HasXmpMetadataThatSaysPdfA3u) {
  auto metadata = root_.getKey("/Metadata");
  ASSERT_TRUE(metadata.isStream());
  EXPECT_EQ(metadata.getDict().getKey("/Type").getName(), "/Metadata");
  EXPECT_EQ(metadata.getDict().getKey("/Subtype").getName(), "/XML");
  EXPECT_FALSE(metadata.getDict().hasKey("/Filter")) << "left uncompressed";
  auto raw = metadata.getRawStreamData();
  const std::string xmp(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize());
  EXPECT_THAT(xmp,
              StartsWith("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"));
  EXPECT_THAT(xmp, Not(HasSubstr("bytes=")));
  EXPECT_THAT(xmp, Not(HasSubstr("encoding=")));
  EXPECT_THAT(xmp, HasSubstr("<pdfaid:part>3</pdfaid:part>"));
  EXPECT_THAT(xmp, HasSubstr("<pdfaid:conformance>U</pdfaid:conformance>"));
  EXPECT_THAT(xmp, HasSubstr("<rdf:li xml:lang=\"x-default\">ใบทะเบียนพาณิชย์</rdf:li>"));
  EXPECT_THAT(xmp, HasSubstr("<rdf:li xml:lang=\"th-TH\">ใบทะเบียนพาณิชย์</rdf:li>"));
  EXPECT_THAT(xmp, HasSubstr("<xmp:CreateDate>2026-05-29T03:26:40+07:00</xmp:CreateDate>"));
  EXPECT_THAT(xmp, HasSubstr("<pratu:documentNumber>0105568001234</pratu:documentNumber>"));
  EXPECT_THAT(xmp, HasSubstr("<pdfaProperty:name>documentType</pdfaProperty:name>"));

  // xmllint, a real XML parser, finds it well-formed and reads the properties back.
  TempDir dir;
  const auto file = dir.write("xmp.xml", xmp);
  auto lint = run_command("xmllint --noout " + shell_quoted(file));
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  auto part = run_command(
      "xmllint --xpath \"string(//*[local-name()='part' and "
      "namespace-uri()='http://www.aiim.org/pdfa/ns/id/'])\" " +
      shell_quoted(file));
  EXPECT_EQ(part.output, "3\n");
  auto schema_names = run_command(
      "xmllint --xpath \"count(//*[namespace-uri()='http://www.aiim.org/pdfa/ns/property#' and "
      "local-name()='name'])\" " +
      shell_quoted(file));
  EXPECT_EQ(schema_names.output, "3\n") << "one pdfaProperty per custom property";
}

TEST_F(PdfA3Structure, InfoAgreesWithTheXmp) {
  auto info = pdf_.getTrailer().getKey("/Info");
  ASSERT_TRUE(info.isDictionary());
  // Non-ASCII text strings are UTF-16BE with a byte order mark.
  EXPECT_THAT(info.getKey("/Title").getStringValue(), StartsWith("\xFE\xFF"));
  EXPECT_EQ(info.getKey("/Title").getUTF8Value(), "ใบทะเบียนพาณิชย์");
  EXPECT_EQ(info.getKey("/Author").getUTF8Value(), "กรมพัฒนาธุรกิจการค้า");
  EXPECT_EQ(info.getKey("/Subject").getUTF8Value(), "0105568001234");
  EXPECT_EQ(info.getKey("/Keywords").getUTF8Value(), "0105568001234, commercial-registration");
  EXPECT_EQ(info.getKey("/Creator").getUTF8Value(), "Pratu 0.1.0");
  EXPECT_EQ(info.getKey("/CreationDate").getUTF8Value(), "D:20260529032640+07'00'");
  EXPECT_EQ(info.getKey("/ModDate").getUTF8Value(), "D:20260529032640+07'00'");
  auto raw = root_.getKey("/Metadata").getRawStreamData();
  const std::string xmp(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize());
  EXPECT_THAT(xmp, HasSubstr("<pdf:Producer>" + info.getKey("/Producer").getUTF8Value() +
                             "</pdf:Producer>"));
  EXPECT_THAT(xmp, HasSubstr("<xmp:CreatorTool>Pratu 0.1.0</xmp:CreatorTool>"));
}

TEST_F(PdfA3Structure, AssociatesTheAttachment) {
  auto associated = root_.getKey("/AF");
  ASSERT_TRUE(associated.isArray());
  ASSERT_EQ(associated.getArrayNItems(), 1);
  auto spec = associated.getArrayItem(0);
  EXPECT_EQ(spec.getKey("/Type").getName(), "/Filespec");
  EXPECT_EQ(spec.getKey("/F").getUTF8Value(), "pratu-document.xml");
  EXPECT_EQ(spec.getKey("/UF").getUTF8Value(), "pratu-document.xml");
  EXPECT_EQ(spec.getKey("/Desc").getUTF8Value(), "The document's data");
  EXPECT_EQ(spec.getKey("/AFRelationship").getName(), "/Alternative");
  auto file = spec.getKey("/EF").getKey("/F");
  ASSERT_TRUE(file.isStream());
  EXPECT_EQ(file.getDict().getKey("/Type").getName(), "/EmbeddedFile");
  EXPECT_EQ(file.getDict().getKey("/Subtype").getName(), "/text/xml");
  auto params = file.getDict().getKey("/Params");
  EXPECT_EQ(params.getKey("/Size").getIntValue(), static_cast<long long>(licence_xml().size()));
  EXPECT_EQ(params.getKey("/ModDate").getUTF8Value(), "D:20260529032640+07'00'");
  // Also in the name tree viewers list, the same file specification.
  auto names = root_.getKey("/Names").getKey("/EmbeddedFiles").getKey("/Names");
  ASSERT_EQ(names.getArrayNItems(), 2);
  EXPECT_EQ(names.getArrayItem(0).getUTF8Value(), "pratu-document.xml");
  EXPECT_EQ(names.getArrayItem(1).getObjGen(), spec.getObjGen());
  // In the file, the MIME type's slash is written #2F.
  EXPECT_THAT(bytes(), HasSubstr("/Subtype /text#2fxml"));
}

TEST_F(PdfA3Structure, HasTheCatalogEntriesAndTrailerId) {
  EXPECT_EQ(root_.getKey("/Lang").getUTF8Value(), "th-TH");
  EXPECT_TRUE(root_.getKey("/ViewerPreferences").getKey("/DisplayDocTitle").getBoolValue());
  auto trailer = pdf_.getTrailer();
  EXPECT_FALSE(trailer.hasKey("/Encrypt"));
  auto id = trailer.getKey("/ID");
  ASSERT_TRUE(id.isArray());
  ASSERT_EQ(id.getArrayNItems(), 2);
  EXPECT_TRUE(id.getArrayItem(0).isString());
  EXPECT_TRUE(id.getArrayItem(1).isString());
  EXPECT_EQ(id.getArrayItem(0).getStringValue().size(), 16u);
}

TEST_F(PdfA3Structure, FontsAndPagesMeetPdfA) {
  int cid_fonts = 0;
  for (auto& object : pdf_.getAllObjects()) {
    if (object.isDictionaryOfType("/Font", "/CIDFontType2")) {
      ++cid_fonts;
      EXPECT_EQ(object.getKey("/CIDToGIDMap").getName(), "/Identity");  // §6.2.11.3.2
    }
    if (object.isDictionary() || object.isStream()) {
      auto dict = object.isStream() ? object.getDict() : object;
      EXPECT_FALSE(dict.hasKey("/SMask")) << "no soft masks";
      EXPECT_FALSE(dict.hasKey("/JS") || dict.hasKey("/AA")) << "no scripts or actions";
    }
  }
  EXPECT_GE(cid_fonts, 2);
  for (auto page : pdf_.getAllPages()) {
    EXPECT_FALSE(page.hasKey("/Group")) << "no transparency group";
    auto box = page.getKey("/MediaBox");
    EXPECT_NEAR(box.getArrayItem(2).getNumericValue(), 595.28, 0.01);
    EXPECT_NEAR(box.getArrayItem(3).getNumericValue(), 841.89, 0.01);
  }
}

// A document of `count` short paragraphs, then one of several lines between "BEGIN" and "END".
Layout filler_then_long_paragraph(int count) {
  Layout layout;
  for (int i = 0; i < count; ++i)
    layout.blocks.push_back(Paragraph{"บรรทัดที่ " + std::to_string(i + 1)});
  std::string long_text = "BEGIN";
  for (int i = 0; i < 12; ++i) long_text += " " + std::string(kSentence);
  long_text += " END";
  layout.blocks.push_back(Paragraph{long_text});
  return layout;
}

std::string page_text(const fs::path& pdf, int page) {
  auto n = std::to_string(page);
  return run_command("pdftotext -raw -f " + n + " -l " + n + " " + shell_quoted(pdf) + " -",
                     test::Stderr::dropped)
      .output;
}

TEST(PdfA3Pagination, MovesABlockThatDoesNotFitToTheNextPage) {
  TempDir dir;
  // Whichever the line the short paragraphs end on, the long one is never cut in two.
  for (int count = 14; count <= 24; count += 2) {
    auto pdf = render_pdf_a3(filler_then_long_paragraph(count), licence_info(), {});
    ASSERT_TRUE(pdf) << pdf.error().detail;
    const auto file = dir.write("filler.pdf", *pdf);
    const auto first = page_text(file, 1);
    const auto second = page_text(file, 2);
    const bool begins_on_first = first.find("BEGIN") != std::string::npos;
    EXPECT_EQ(begins_on_first, first.find("END") != std::string::npos) << count;
    if (!begins_on_first) EXPECT_THAT(second, HasSubstr("END")) << count;
  }
}

TEST(PdfA3Pagination, SplitsWhatIsTallerThanAPageAndNumbersThePages) {
  Layout layout;
  layout.footer.centre = kFooter;
  layout.numerals = Numerals::thai;
  layout.blocks.push_back(Heading{"ใบอนุญาต"});
  std::string very_long;
  for (int i = 0; i < 120; ++i) very_long += std::string(kSentence) + " ";
  layout.blocks.push_back(Paragraph{very_long});
  auto pdf = render_pdf_a3(layout, licence_info(), {});
  ASSERT_TRUE(pdf) << pdf.error().detail;
  TempDir dir;
  const auto file = dir.write("long.pdf", *pdf);
  auto info = run_command("pdfinfo " + shell_quoted(file));
  const int pages = std::stoi(pdfinfo_value(info.output, "Pages"));
  EXPECT_GT(pages, 2);
  auto all = run_command("pdftotext -raw " + shell_quoted(file) + " -", test::Stderr::dropped);
  // Every line of the paragraph is somewhere, in order.
  std::string expected_body = "ใบอนุญาต" + without_whitespace(very_long);
  std::string extracted = without_whitespace(all.output);
  std::string body;
  for (std::size_t at = 0; at < extracted.size();) {
    // Drop the footers ("หน้า ๒ จาก ๓") that sit between the pages' text.
    auto footer = extracted.find("หน้า", at);
    if (footer == std::string::npos) {
      body += extracted.substr(at);
      break;
    }
    body += extracted.substr(at, footer - at);
    auto end = extracted.find("จาก", footer);
    at = end + std::string("จาก").size() + 3;  // one Thai digit, three bytes
  }
  EXPECT_EQ(body, expected_body);
  ASSERT_LT(pages, 10);  // the footers above are stripped as one digit
  const std::string thai_pages = "\xE0\xB9" + std::string(1, static_cast<char>(0x90 + pages));
  EXPECT_THAT(page_text(file, 2), HasSubstr("หน้า ๒ จาก " + thai_pages));
}

TEST(PdfA3, ThaiSentencesComeBackExactly) {
  Layout layout;
  layout.blocks.push_back(Paragraph{kSentence});
  layout.blocks.push_back(Paragraph{kMarks});
  auto pdf = render_pdf_a3(layout, licence_info(), {});
  ASSERT_TRUE(pdf) << pdf.error().detail;
  TempDir dir;
  const auto file = dir.write("thai.pdf", *pdf);
  auto text =
      run_command("pdftotext -raw -enc UTF-8 " + shell_quoted(file) + " -", test::Stderr::dropped);
  EXPECT_EQ(without_whitespace(text.output),
            without_whitespace(std::string(kSentence) + std::string(kMarks)));
  // The spaces between the words of the second sentence survive too.
  EXPECT_THAT(text.output, HasSubstr(kMarks));
}

TEST(PdfA3, RendersOnTwoThreadsAtOnceAsOnOne) {
  constexpr int kPerThread = 12;
  auto number = [](int thread, int i) {
    return "01055680" + std::to_string(10000 + thread * 1000 + i);
  };
  std::vector<std::string> results(2 * kPerThread);
  std::atomic<int> failures{0};
  auto work = [&](int thread) {
    for (int i = 0; i < kPerThread; ++i) {
      auto n = number(thread, i);
      auto pdf = render_pdf_a3(licence_layout(n), licence_info(n), {xml_attachment(n)});
      if (!pdf) {
        ++failures;
        continue;
      }
      results[thread * kPerThread + i] = std::move(*pdf);
    }
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
  ASSERT_EQ(failures.load(), 0);

  TempDir dir;
  for (int thread = 0; thread < 2; ++thread) {
    for (int i = 0; i < kPerThread; ++i) {
      const auto n = number(thread, i);
      const auto& concurrent = results[thread * kPerThread + i];
      // Byte for byte what one thread alone makes.
      auto alone = render_pdf_a3(licence_layout(n), licence_info(n), {xml_attachment(n)});
      ASSERT_TRUE(alone);
      EXPECT_EQ(concurrent, *alone) << n;
      if (i % 4 != 0) continue;
      const auto file = dir.write(n + ".pdf", concurrent);
      EXPECT_EQ(run_command("qpdf --check " + shell_quoted(file)).exit_code, 0) << n;
      auto text = run_command("pdftotext -raw " + shell_quoted(file) + " -", test::Stderr::dropped);
      EXPECT_THAT(without_whitespace(text.output), HasSubstr("เลขที่" + n)) << n;
    }
  }
}

TEST(PdfA3, TimePerTypicalLicence) {
  constexpr int kDocuments = 60;
  ASSERT_FALSE(render_licence().empty());  // fonts loaded, profile made
  std::size_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kDocuments; ++i) {
    auto pdf = render_pdf_a3(licence_layout(), licence_info(), {xml_attachment()});
    ASSERT_TRUE(pdf);
    bytes += pdf->size();
  }
  const std::chrono::duration<double, std::milli> elapsed =
      std::chrono::steady_clock::now() - start;
  std::printf("[ timing   ] one-page licence: %.2f ms per document, %zu bytes\n",
              elapsed.count() / kDocuments, bytes / kDocuments);
  EXPECT_GT(bytes, 0u);
}

TEST(PdfA3, RefusesTextThatIsNotUtf8) {
  Layout layout;
  layout.blocks.push_back(Paragraph{"\xC3\x28"});
  auto pdf = render_pdf_a3(layout, licence_info(), {});
  ASSERT_FALSE(pdf);
  EXPECT_THAT(pdf.error().detail, HasSubstr("UTF-8"));

  auto info = licence_info();
  info.title = "\xFF";
  EXPECT_FALSE(render_pdf_a3(licence_layout(), info, {}));
}

TEST(PdfA3, RefusesMalformedAttachments) {
  auto twice =
      render_pdf_a3(licence_layout(), licence_info(), {xml_attachment(), xml_attachment()});
  ASSERT_FALSE(twice);
  EXPECT_THAT(twice.error().detail, HasSubstr("two attachments"));

  for (const char* type : {"xml", "text/", "/xml", "text/xml/x", "text/x ml"}) {
    auto bad_type = xml_attachment();
    bad_type.mime_type = type;
    EXPECT_FALSE(render_pdf_a3(licence_layout(), licence_info(), {bad_type})) << type;
  }
  auto good_type = xml_attachment();
  good_type.mime_type = "application/vnd.pratu.document+xml";
  EXPECT_TRUE(render_pdf_a3(licence_layout(), licence_info(), {good_type}));

  auto path = xml_attachment();
  path.file_name = "../data.xml";
  EXPECT_FALSE(render_pdf_a3(licence_layout(), licence_info(), {path}));
}

TEST(PdfA3, RefusesQrCodesThatCannotBeDrawn) {
  Layout wide;
  wide.blocks.push_back(QrCode{kVerifyUrl, 400, {}});
  EXPECT_FALSE(render_pdf_a3(wide, licence_info(), {}));

  Layout too_much;
  too_much.blocks.push_back(QrCode{std::string(4000, 'x'), 40, {}});
  auto pdf = render_pdf_a3(too_much, licence_info(), {});
  ASSERT_FALSE(pdf);
  EXPECT_THAT(pdf.error().detail, HasSubstr("QR"));
}

TEST(PdfA3, NamesNonAsciiAttachmentsInUtf16) {
  Attachment thai{"ข้อมูล.xml", "application/xml", "ข้อมูลของเอกสาร", FileRelationship::data,
                  "<a/>",     kIssuedAt};
  auto pdf = render_pdf_a3(licence_layout(), licence_info(), {xml_attachment(), thai});
  ASSERT_TRUE(pdf) << pdf.error().detail;
  TempDir dir;
  const auto file = dir.write("two.pdf", *pdf);
  auto list = run_command("pdfdetach -list -enc UTF-8 " + shell_quoted(file));
  EXPECT_THAT(list.output, HasSubstr("2 embedded files"));
  EXPECT_THAT(list.output, HasSubstr("ข้อมูล.xml"));

  QPDF read;
  read.processMemoryFile("two", pdf->data(), pdf->size());
  auto associated = read.getRoot().getKey("/AF");
  ASSERT_EQ(associated.getArrayNItems(), 2);
  EXPECT_EQ(associated.getArrayItem(1).getKey("/UF").getUTF8Value(), "ข้อมูล.xml");
  EXPECT_EQ(associated.getArrayItem(1).getKey("/AFRelationship").getName(), "/Data");
  // The name tree's keys in byte order: the ASCII name before the UTF-16 one (FE FF ...).
  auto names = read.getRoot().getKey("/Names").getKey("/EmbeddedFiles").getKey("/Names");
  ASSERT_EQ(names.getArrayNItems(), 4);
  EXPECT_EQ(names.getArrayItem(0).getUTF8Value(), "pratu-document.xml");
  EXPECT_EQ(names.getArrayItem(2).getUTF8Value(), "ข้อมูล.xml");
}

}  // namespace
}  // namespace pratu::pdf
