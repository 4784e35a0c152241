/// The XMP packet and its dates; xmllint checks it is well-formed.
#include "pdf/xmp_packet.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace pratu::pdf {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

DocumentInfo info() {
  DocumentInfo d;
  d.title = "ใบอนุญาตขายสุรา";
  d.author = "กรมสรรพสามิต";
  d.creator_tool = "Pratu";
  d.created_at = 1'780'000'000;
  return d;
}

// xmllint, which nobody here wrote, parses `xml`.
bool well_formed(const std::string& xml) {
  test::TempDir dir;
  const auto file = dir.write("packet.xml", xml);
  return test::run_command("xmllint --noout " + test::shell_quoted(file)).exit_code == 0;
}

TEST(XmpDates, AreWrittenInThaiTime) {
  EXPECT_EQ(xmp_date(1'780'000'000), "2026-05-29T03:26:40+07:00");
  EXPECT_EQ(pdf_date_string(1'780'000'000), "D:20260529032640+07'00'");
  EXPECT_EQ(xmp_date(0), "1970-01-01T07:00:00+07:00");
  // 17:30 UTC on New Year's Eve is already the new year in Bangkok.
  EXPECT_EQ(xmp_date(1'798'738'205), "2027-01-01T00:30:05+07:00");
  EXPECT_EQ(pdf_date_string(1'798'738'205), "D:20270101003005+07'00'");
}

TEST(XmpPacket, SaysPdfA3uInAWellFormedPacket) {
  auto packet = xmp_packet(info(), "Pratu (test)");
  ASSERT_TRUE(packet);
  EXPECT_THAT(*packet,
              StartsWith("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"));
  EXPECT_THAT(*packet, EndsWith("<?xpacket end=\"w\"?>"));
  EXPECT_THAT(*packet, HasSubstr("<pdfaid:part>3</pdfaid:part>"));
  EXPECT_THAT(*packet, HasSubstr("<pdfaid:conformance>U</pdfaid:conformance>"));
  EXPECT_THAT(*packet, HasSubstr("<dc:creator><rdf:Seq><rdf:li>กรมสรรพสามิต</rdf:li></rdf:Seq>"));
  EXPECT_THAT(*packet, HasSubstr("<xmp:ModifyDate>2026-05-29T03:26:40+07:00</xmp:ModifyDate>"));
  EXPECT_THAT(*packet, HasSubstr("<pdf:Producer>Pratu (test)</pdf:Producer>"));
  EXPECT_THAT(*packet, Not(HasSubstr("pdfaExtension"))) << "no custom properties, no schema";
  EXPECT_THAT(*packet, Not(HasSubstr("<dc:description>"))) << "no subject given";
  EXPECT_TRUE(well_formed(*packet));
}

TEST(XmpPacket, DescribesEveryCustomPropertyInTheExtensionSchema) {
  auto d = info();
  d.properties = {{"documentNumber", "สส-2569/0001", "The agency's number"},
                  {"documentType", "licence", "licence, certificate or permit"}};
  auto packet = xmp_packet(d, "Pratu");
  ASSERT_TRUE(packet);
  EXPECT_THAT(*packet, HasSubstr("xmlns:pratu=\"urn:pratu:ns:document:1#\""));
  EXPECT_THAT(*packet, HasSubstr("<pratu:documentNumber>สส-2569/0001</pratu:documentNumber>"));
  EXPECT_THAT(*packet, HasSubstr("<pdfaSchema:namespaceURI>urn:pratu:ns:document:1#"
                                 "</pdfaSchema:namespaceURI>"));
  EXPECT_THAT(*packet, HasSubstr("<pdfaSchema:prefix>pratu</pdfaSchema:prefix>"));
  for (const char* name : {"documentNumber", "documentType"}) {
    EXPECT_THAT(*packet, HasSubstr(std::string("<pdfaProperty:name>") + name +
                                   "</pdfaProperty:name><pdfaProperty:valueType>Text"
                                   "</pdfaProperty:valueType><pdfaProperty:category>external"
                                   "</pdfaProperty:category>"));
  }
  EXPECT_TRUE(well_formed(*packet));
}

TEST(XmpPacket, EscapesMarkupAndDropsControlCharacters) {
  auto d = info();
  d.title = "A & B <script> \"q\"\x01";
  d.title_en = "Licence </rdf:li>";
  d.properties = {{"note", "x<y", "a & b"}};
  auto packet = xmp_packet(d, "Pratu");
  ASSERT_TRUE(packet);
  EXPECT_THAT(*packet, HasSubstr("A &amp; B &lt;script&gt; &quot;q&quot;</rdf:li>"));
  EXPECT_THAT(*packet, HasSubstr("<rdf:li xml:lang=\"en\">Licence &lt;/rdf:li&gt;</rdf:li>"));
  EXPECT_THAT(*packet, HasSubstr("<pratu:note>x&lt;y</pratu:note>"));
  EXPECT_THAT(*packet, Not(HasSubstr("\x01")));
  EXPECT_TRUE(well_formed(*packet));
}

TEST(XmpPacket, RefusesPropertyNamesThatAreNotXmlNames) {
  for (const char* name : {"", "document number", "1st", "a:b", "ชื่อ"}) {
    auto d = info();
    d.properties = {{name, "x", "y"}};
    EXPECT_FALSE(xmp_packet(d, "Pratu")) << name;
  }
  auto twice = info();
  twice.properties = {{"version", "1", "v"}, {"version", "2", "v"}};
  EXPECT_FALSE(xmp_packet(twice, "Pratu"));
}

TEST(XmpPacket, RefusesTextThatIsNotUtf8) {
  auto d = info();
  d.author = "\xE0\xB8";
  EXPECT_FALSE(xmp_packet(d, "Pratu"));
}

}  // namespace
}  // namespace pratu::pdf
