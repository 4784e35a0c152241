#include "domains/documents/document_sheet.hpp"

#include <chrono>

#include "common/civil_date.hpp"
#include "common/xml_text.hpp"
#include "web/dates.hpp"

namespace pratu::documents {

using web::Locale;

namespace {

// "ไทย\nEnglish", or the Thai alone when there is no (different) English.
std::string both(const platform::BilingualText& text, bool english) {
  if (!english || text.en.empty() || text.en == text.th) return text.th;
  return text.th + "\n" + text.en;
}

// A label of locales/documents.yaml in Thai, and English under it where written in English.
std::string label(const web::Translations& t, std::string_view key, bool english) {
  const std::string full = "documents.sheet." + std::string(key);
  return both({t.text(Locale::th, full), t.text(Locale::en, full)}, english);
}

}  // namespace

std::string day_text(Locale locale, const std::string& iso) { return web::format_day(locale, iso); }

pdf::Layout document_layout(const DocumentFacts& facts, const web::Translations& t) {
  const auto& c = facts.content;
  const auto& d = facts.document;
  const bool en = c.english;
  pdf::Layout layout;
  layout.numerals = pdf::Numerals::thai;
  // One A4 page for a licence with a dozen particulars in both languages.
  layout.sizes.body_pt = 14;
  layout.sizes.heading_pt = 20;
  layout.sizes.subheading_pt = 16;
  layout.sizes.small_pt = 11;
  layout.sizes.running_pt = 10;
  layout.margins.top_mm = 16;
  layout.margins.bottom_mm = 16;
  layout.header.left = facts.agency.th;
  layout.header.right = d.number;
  layout.footer.left = t.text(Locale::th, "documents.sheet.footer_verify");
  layout.footer.right = t.text(Locale::th, "documents.sheet.page");

  layout.blocks.push_back(pdf::Heading{c.title.th});
  if (en && !c.title.en.empty()) layout.blocks.push_back(pdf::Subheading{c.title.en});
  layout.blocks.push_back(pdf::Space{4});

  pdf::Fields fields;
  fields.label_width_mm = 60;
  fields.rows.push_back({label(t, "number", en), d.number});
  fields.rows.push_back({label(t, "holder", en), c.holder_name});
  if (!c.holder_id.empty()) fields.rows.push_back({label(t, "holder_id", en), c.holder_id});
  for (const auto& line : c.lines) {
    fields.rows.push_back({both(line.label, en), both(line.value, en)});
  }
  fields.rows.push_back(
      {label(t, "issued_on", en),
       both({day_text(Locale::th, d.valid_from), day_text(Locale::en, d.valid_from)}, en)});
  if (!d.valid_until.empty()) {
    fields.rows.push_back(
        {label(t, "valid_until", en),
         both({day_text(Locale::th, d.valid_until), day_text(Locale::en, d.valid_until)}, en)});
  } else {
    fields.rows.push_back({label(t, "valid_until", en), label(t, "no_term", en)});
  }
  fields.rows.push_back({label(t, "application", en), c.reference});
  if (!c.replaces.empty()) fields.rows.push_back({label(t, "replaces", en), c.replaces});
  layout.blocks.push_back(std::move(fields));

  if (!c.conditions.empty()) {
    layout.blocks.push_back(pdf::Subheading{label(t, "conditions", en), pdf::Align::left});
    pdf::NumberedList list;
    for (const auto& condition : c.conditions) list.items.push_back(both(condition, en));
    layout.blocks.push_back(std::move(list));
  }

  // The QR code first, its caption beside it, then who signed: both fit under the particulars.
  layout.blocks.push_back(pdf::Space{4});
  pdf::QrCode qr;
  qr.payload = facts.verify_url;
  qr.size_mm = 26;
  qr.caption.push_back(t.text(Locale::th, "documents.sheet.verify"));
  if (en) qr.caption.push_back(t.text(Locale::en, "documents.sheet.verify"));
  qr.caption.push_back(facts.verify_url);
  layout.blocks.push_back(std::move(qr));

  pdf::SignatureBlock signature;
  signature.space_above_mm = 2;
  signature.lines.push_back(c.signatory.th);
  if (en && !c.signatory.en.empty()) signature.lines.push_back(c.signatory.en);
  signature.lines.push_back(t.text(Locale::th, "documents.sheet.signed"));
  if (en) signature.lines.push_back(t.text(Locale::en, "documents.sheet.signed"));
  layout.blocks.push_back(std::move(signature));
  return layout;
}

std::string document_xml(const DocumentFacts& facts) {
  const auto& c = facts.content;
  const auto& d = facts.document;
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<Document xmlns=\"" + std::string(kDocumentNamespace) + "\" version=\"1\">\n";
  auto element = [&](std::string_view name, std::string_view value, std::string_view lang = {},
                     std::string_view indent = "  ") {
    x += std::string(indent) + "<" + std::string(name);
    if (!lang.empty()) x += " xml:lang=\"" + std::string(lang) + "\"";
    x += ">" + xml_escaped(value) + "</" + std::string(name) + ">\n";
  };
  auto bilingual = [&](std::string_view name, const platform::BilingualText& text,
                       std::string_view indent = "  ") {
    element(name, text.th, "th", indent);
    if (c.english && !text.en.empty()) element(name, text.en, "en", indent);
  };
  element("Number", d.number);
  element("Kind", c.kind);
  bilingual("Title", c.title);
  element("Service", c.service);
  element("ApplicationReference", c.reference);
  if (!c.replaces.empty()) element("Replaces", c.replaces);
  x += "  <Issuer>\n";
  element("AgencyCode", c.agency, {}, "    ");
  bilingual("Name", facts.agency, "    ");
  bilingual("Signatory", c.signatory, "    ");
  x += "  </Issuer>\n";
  x += "  <Holder>\n";
  element("Name", c.holder_name, {}, "    ");
  if (!c.holder_id.empty()) element("Identifier", c.holder_id, {}, "    ");
  x += "  </Holder>\n";
  element("IssueDate", d.valid_from);
  if (!d.valid_until.empty()) element("ExpiryDate", d.valid_until);
  x += "  <Particulars>\n";
  for (const auto& line : c.lines) {
    x += "    <Item>\n";
    bilingual("Label", line.label, "      ");
    bilingual("Value", line.value, "      ");
    x += "    </Item>\n";
  }
  x += "  </Particulars>\n";
  if (!c.conditions.empty()) {
    x += "  <Conditions>\n";
    for (const auto& condition : c.conditions) {
      x += "    <Condition>\n";
      bilingual("Text", condition, "      ");
      x += "    </Condition>\n";
    }
    x += "  </Conditions>\n";
  }
  element("Verification", facts.verify_url);
  element("TemplateVersion", c.template_version);
  x += "</Document>\n";
  return x;
}

}  // namespace pratu::documents
