/// The XMP packet, written as text: one rdf:Description per schema, values escaped.
#include "pdf/xmp_packet.hpp"

#include <chrono>
#include <cstdio>
#include <set>

#include "common/unicode_text.hpp"
#include "common/xml_text.hpp"

namespace pratu::pdf {

namespace {

constexpr std::int64_t kThaiOffsetSeconds = 7 * 3600;  // UTC+7 all year: no daylight saving

struct LocalTime {
  int year, month, day, hour, minute, second;
};

LocalTime thai_time(std::int64_t epoch_seconds) {
  using namespace std::chrono;
  const sys_seconds local{seconds{epoch_seconds + kThaiOffsetSeconds}};
  const auto day = floor<days>(local);
  const year_month_day date{day};
  const hh_mm_ss time{local - day};
  return {static_cast<int>(date.year()),
          static_cast<int>(static_cast<unsigned>(date.month())),
          static_cast<int>(static_cast<unsigned>(date.day())),
          static_cast<int>(time.hours().count()),
          static_cast<int>(time.minutes().count()),
          static_cast<int>(time.seconds().count())};
}

bool is_xml_name(std::string_view name) {
  if (name.empty()) return false;
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!letter(name.front())) return false;
  for (char c : name)
    if (!letter(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

Result<void> check_utf8(std::string_view text) {
  if (!is_valid_utf8(text)) return Error::internal("a document's metadata text is not UTF-8");
  return ok();
}

}  // namespace

std::string xmp_date(std::int64_t epoch_seconds) {
  const auto t = thai_time(epoch_seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", t.year, t.month, t.day,
                t.hour, t.minute, t.second);
  return text;
}

std::string pdf_date_string(std::int64_t epoch_seconds) {
  const auto t = thai_time(epoch_seconds);
  char text[32];
  std::snprintf(text, sizeof text, "D:%04d%02d%02d%02d%02d%02d+07'00'", t.year, t.month, t.day,
                t.hour, t.minute, t.second);
  return text;
}

Result<std::string> xmp_packet(const DocumentInfo& info, std::string_view producer) {
  for (auto text : {info.title, info.title_en, info.author, info.subject, info.keywords,
                    info.creator_tool, info.language})
    PRATU_CHECK(check_utf8(text));
  std::set<std::string> names;
  for (const auto& property : info.properties) {
    if (!is_xml_name(property.name) || !names.insert(property.name).second)
      return Error::internal("XMP property name '" + property.name + "' is not an XML name or " +
                             "appears twice");
    PRATU_CHECK(check_utf8(property.value));
    PRATU_CHECK(check_utf8(property.description));
  }

  const std::string prefix(kPratuXmpPrefix);
  const auto date = xmp_date(info.created_at);
  std::string x;
  x += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
  x += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
  x += " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";

  x += "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n";
  x += "   <dc:format>application/pdf</dc:format>\n";
  x += "   <dc:title><rdf:Alt>";
  x += "<rdf:li xml:lang=\"x-default\">" + xml_escaped(info.title) + "</rdf:li>";
  x += "<rdf:li xml:lang=\"" + xml_escaped(info.language) + "\">" + xml_escaped(info.title) +
       "</rdf:li>";
  if (!info.title_en.empty())
    x += "<rdf:li xml:lang=\"en\">" + xml_escaped(info.title_en) + "</rdf:li>";
  x += "</rdf:Alt></dc:title>\n";
  x += "   <dc:creator><rdf:Seq><rdf:li>" + xml_escaped(info.author) + "</rdf:li></rdf:Seq>";
  x += "</dc:creator>\n";
  if (!info.subject.empty()) {
    x += "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escaped(info.subject);
    x += "</rdf:li></rdf:Alt></dc:description>\n";
  }
  x += "   <dc:language><rdf:Bag><rdf:li>" + xml_escaped(info.language) + "</rdf:li></rdf:Bag>";
  x += "</dc:language>\n";
  x += "  </rdf:Description>\n";

  x += "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n";
  x += "   <xmp:CreateDate>" + date + "</xmp:CreateDate>\n";
  x += "   <xmp:ModifyDate>" + date + "</xmp:ModifyDate>\n";
  x += "   <xmp:MetadataDate>" + date + "</xmp:MetadataDate>\n";
  x += "   <xmp:CreatorTool>" + xml_escaped(info.creator_tool) + "</xmp:CreatorTool>\n";
  x += "  </rdf:Description>\n";

  x += "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n";
  x += "   <pdf:Producer>" + xml_escaped(producer) + "</pdf:Producer>\n";
  if (!info.keywords.empty())
    x += "   <pdf:Keywords>" + xml_escaped(info.keywords) + "</pdf:Keywords>\n";
  x += "  </rdf:Description>\n";

  x += "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n";
  x += "   <pdfaid:part>3</pdfaid:part>\n";
  x += "   <pdfaid:conformance>U</pdfaid:conformance>\n";
  x += "  </rdf:Description>\n";

  if (!info.properties.empty()) {
    x += "  <rdf:Description rdf:about=\"\" xmlns:" + prefix + "=\"" +
         std::string(kPratuXmpNamespace) + "\">\n";
    for (const auto& property : info.properties) {
      x += "   <" + prefix + ":" + property.name + ">" + xml_escaped(property.value) + "</" +
           prefix + ":" + property.name + ">\n";
    }
    x += "  </rdf:Description>\n";

    // ISO 19005-3 §6.6.2.3: every property outside the predefined schemas is described.
    x += "  <rdf:Description rdf:about=\"\"";
    x += " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"";
    x += " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"";
    x += " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n";
    x += "   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n";
    x += "    <pdfaSchema:schema>Pratu document properties</pdfaSchema:schema>\n";
    x += "    <pdfaSchema:namespaceURI>" + std::string(kPratuXmpNamespace) +
         "</pdfaSchema:namespaceURI>\n";
    x += "    <pdfaSchema:prefix>" + prefix + "</pdfaSchema:prefix>\n";
    x += "    <pdfaSchema:property><rdf:Seq>\n";
    for (const auto& property : info.properties) {
      x += "     <rdf:li rdf:parseType=\"Resource\">";
      x += "<pdfaProperty:name>" + property.name + "</pdfaProperty:name>";
      x += "<pdfaProperty:valueType>Text</pdfaProperty:valueType>";
      x += "<pdfaProperty:category>external</pdfaProperty:category>";
      x += "<pdfaProperty:description>" + xml_escaped(property.description) +
           "</pdfaProperty:description></rdf:li>\n";
    }
    x += "    </rdf:Seq></pdfaSchema:property>\n";
    x += "   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n";
    x += "  </rdf:Description>\n";
  }

  x += " </rdf:RDF>\n";
  x += "</x:xmpmeta>\n";
  x += "<?xpacket end=\"w\"?>";
  return x;
}

}  // namespace pratu::pdf
