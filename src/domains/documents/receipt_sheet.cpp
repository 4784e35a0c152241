#include "domains/documents/receipt_sheet.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "common/baht_words.hpp"
#include "common/civil_date.hpp"
#include "common/money.hpp"
#include "common/xml_text.hpp"
#include "web/dates.hpp"

namespace pratu::documents {

using web::Locale;

namespace {

using Args = std::initializer_list<std::pair<std::string_view, std::string>>;

constexpr std::string_view kKeys = "documents.receipt.";
// ETDA's name for type T01, as its e-Tax Receipt writes it: data for machines, not a label.
constexpr std::string_view kEtdaReceiptName = "ใบเสร็จรับเงิน";
// The ETDA guideline the document follows: e-Receipt, ขมธอ. 3-2560.
constexpr std::string_view kEtdaGuideline = "ER3-2560";

std::string full_key(std::string_view key) { return std::string(kKeys) + std::string(key); }

// "ไทย\nEnglish", or the Thai alone when there is no (different) English.
std::string both(const platform::BilingualText& text) {
  if (text.en.empty() || text.en == text.th) return text.th;
  return text.th + "\n" + text.en;
}

// A label of documents.receipt in Thai, and in English under it.
std::string label(const web::Translations& t, std::string_view key) {
  return both({t.text(Locale::th, full_key(key)), t.text(Locale::en, full_key(key))});
}

// A text of documents.receipt with its placeholders filled, in Thai and in English under it.
std::string both_formatted(const web::Translations& t, std::string_view key, Args args) {
  return both(
      {t.format(Locale::th, full_key(key), args), t.format(Locale::en, full_key(key), args)});
}

// Whether `code` can be part of a locale key: letters, digits and '_' only.
bool key_safe(std::string_view code) {
  return !code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The locale's words for `code` under `group` (a payment source, a channel), or nullptr.
const std::string* words_for(const web::Translations& t, Locale locale, std::string_view group,
                             std::string_view code) {
  if (!key_safe(code)) return nullptr;
  return t.find(locale, full_key(group) + "." + lower(code));
}

// `text` with runs of spaces made one and none at either end: a placeholder left empty.
std::string tidy_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// How the money came, in `locale`: "ชำระผ่านธนาคาร KTB ทางคิวอาร์โค้ด".
std::string payment_method(const web::Translations& t, Locale locale,
                           const platform::ReceiptContent& r) {
  const std::string* source = words_for(t, locale, "source", r.source);
  std::string text = source != nullptr ? *source : r.source;
  const std::string placeholder = "{bank}";
  if (auto at = text.find(placeholder); at != std::string::npos)
    text.replace(at, placeholder.size(), r.bank);
  if (!r.channel.empty()) {
    const std::string* channel = words_for(t, locale, "channel", r.channel);
    std::string how = channel != nullptr
                          ? *channel
                          : t.format(locale, full_key("channel_code"), {{"code", r.channel}});
    text = t.format(locale, full_key("method_text"), {{"source", text}, {"channel", how}});
  }
  return tidy_spaces(text);
}

// One bill line as the receipt describes it, Thai over English: its label with what it
// counts, and whether it is stamp duty.
std::string line_description(const web::Translations& t, const platform::BillLineSpec& line) {
  const std::string quantity = std::to_string(line.quantity);
  const std::string rate = format_baht(line.unit_satang);
  auto in = [&](Locale locale, const std::string& text, const std::string& unit) {
    if (!unit.empty()) {
      return t.format(locale, full_key("counted_unit"),
                      {{"label", text}, {"quantity", quantity}, {"unit", unit}, {"rate", rate}});
    }
    if (line.quantity > 1) {
      return t.format(locale, full_key("counted"),
                      {{"label", text}, {"quantity", quantity}, {"rate", rate}});
    }
    return text;
  };
  // A line without an English label is described in Thai only.
  std::string out =
      both({in(Locale::th, line.label_th, line.unit_th),
            line.label_en.empty() ? std::string()
                                  : in(Locale::en, line.label_en,
                                       line.unit_en.empty() ? line.unit_th : line.unit_en)});
  if (line.item > 0) out += "\n" + both_formatted(t, "item", {{"item", std::to_string(line.item)}});
  if (line.stamp_duty) out += "\n" + label(t, "stamp_duty");
  return out;
}

// Satang as an XML decimal, "1500.00": format_baht's integer figures without the separators.
std::string decimal(std::int64_t satang) {
  std::string out = format_baht(satang);
  std::erase(out, ',');
  return out;
}

bool is_citizen_id(std::string_view id) {
  return id.size() == 13 && std::all_of(id.begin(), id.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) != 0;
         });
}

}  // namespace

pdf::Layout receipt_layout(const ReceiptFacts& facts, const web::Translations& t) {
  const auto& r = facts.receipt;
  pdf::Layout layout;
  layout.numerals = pdf::Numerals::thai;
  // One A4 page for a receipt of a few lines with every label in both languages.
  layout.sizes.body_pt = 13;
  layout.sizes.heading_pt = 18;
  layout.sizes.subheading_pt = 14;
  layout.sizes.small_pt = 10;
  layout.sizes.running_pt = 9;
  layout.margins.top_mm = 12;
  layout.margins.bottom_mm = 12;
  layout.margins.left_mm = 20;
  layout.margins.right_mm = 15;
  // The letterhead: the receiving agency and its tax ID.
  layout.header.left = facts.agency.th;
  if (!r.agency_tax_id.empty()) {
    layout.header.left +=
        "  " + t.format(Locale::th, full_key("agency_tax_id"), {{"id", r.agency_tax_id}});
  }
  layout.header.right = r.number;
  layout.footer.left = t.text(Locale::th, full_key("footer"));
  layout.footer.right = t.text(Locale::th, full_key("page"));

  layout.blocks.push_back(pdf::Heading{t.text(Locale::th, full_key("title"))});
  layout.blocks.push_back(pdf::Subheading{t.text(Locale::en, full_key("title"))});
  layout.blocks.push_back(pdf::Space{1});

  // Each row costs the two lines of its label: related values share a row.
  pdf::Fields fields;
  fields.label_width_mm = 60;
  fields.rows.push_back(
      {label(t, "number"),
       r.number + "\n" +
           both_formatted(t, "book_year",
                          {{"book", r.book}, {"year", std::to_string(r.fiscal_year)}})});
  const std::string paid_on = iso_date(thai_date(r.paid_at));
  fields.rows.push_back({label(t, "date"), both({web::format_day(Locale::th, paid_on),
                                                 web::format_day(Locale::en, paid_on)})});
  std::string payer = r.payer_name.empty() ? label(t, "not_named") : r.payer_name;
  if (!r.payer_id.empty()) payer += "\n" + both_formatted(t, "payer_id", {{"id", r.payer_id}});
  fields.rows.push_back({label(t, "received_from"), payer});
  fields.rows.push_back(
      {label(t, "for"), facts.service.th.empty() ? r.service : both(facts.service)});
  fields.rows.push_back({label(t, "application"), r.reference});
  if (!r.replaces.empty()) {
    // What it replaces and why, as the finance officer recorded it.
    const std::string purpose =
        "purpose." + (key_safe(r.purpose_key) ? r.purpose_key : std::string("other"));
    std::string why = label(t, purpose);
    const std::string made_on = iso_date(thai_date(r.issued_at));
    fields.rows.push_back({label(t, "replaces"),
                           r.replaces + "\n" +
                               both_formatted(t, "replaced_on",
                                              {{"date_th", web::format_day(Locale::th, made_on)},
                                               {"date_en", web::format_day(Locale::en, made_on)}}) +
                               "\n" + why + (r.purpose.empty() ? "" : "\n" + r.purpose)});
  }
  // How it was paid, against which bill references, under which bank transaction.
  std::string how = both({payment_method(t, Locale::th, r), payment_method(t, Locale::en, r)});
  how += "\n" + (r.ref2.empty() ? both_formatted(t, "ref1", {{"ref1", r.ref1}})
                                : both_formatted(t, "refs", {{"ref1", r.ref1}, {"ref2", r.ref2}}));
  if (!r.transaction_id.empty()) {
    const bool cheque = lower(r.channel) == "cheque";
    how += "\n" +
           both_formatted(t, cheque ? "cheque_number" : "transaction", {{"id", r.transaction_id}});
  }
  fields.rows.push_back({label(t, "method"), how});
  layout.blocks.push_back(std::move(fields));

  // The lines as a table of two columns under their headings: what was paid for, and its
  // amount in baht; then the total in figures and, as Thai receipts write it, in words in
  // brackets under them.
  constexpr double kDescriptionWidthMm = 85;  // the renderer keeps a label to half the width
  pdf::Fields items;
  items.label_width_mm = kDescriptionWidthMm;
  items.rows.push_back({label(t, "lines"), label(t, "amount")});
  for (const auto& line : r.lines) {
    items.rows.push_back({line_description(t, line), format_baht(line.amount_satang)});
  }
  layout.blocks.push_back(std::move(items));
  layout.blocks.push_back(pdf::Rule{});
  pdf::Fields total;
  total.label_width_mm = kDescriptionWidthMm;
  total.rows.push_back({label(t, "total"), format_baht(r.total_satang) + "\n(" +
                                               baht_words(r.total_satang) + ")\n(" +
                                               baht_words_en(r.total_satang) + ")"});
  layout.blocks.push_back(std::move(total));

  // The QR code with its caption beside it, then who received the money.
  pdf::QrCode qr;
  qr.payload = facts.verify_url;
  qr.size_mm = 20;
  qr.caption.push_back(t.text(Locale::th, full_key("verify")));
  qr.caption.push_back(t.text(Locale::en, full_key("verify")));
  qr.caption.push_back(facts.verify_url);
  layout.blocks.push_back(std::move(qr));

  pdf::SignatureBlock signature;
  signature.space_above_mm = 1;
  signature.lines.push_back(facts.agency.th);
  if (!facts.agency.en.empty() && facts.agency.en != facts.agency.th)
    signature.lines.push_back(facts.agency.en);
  signature.lines.push_back(t.text(Locale::th, full_key("signed")));
  signature.lines.push_back(t.text(Locale::en, full_key("signed")));
  layout.blocks.push_back(std::move(signature));
  return layout;
}

std::string receipt_xml(const ReceiptFacts& facts) {
  const auto& r = facts.receipt;
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<rsm:Receipt_CrossIndustryInvoice xmlns:rsm=\"" + std::string(kReceiptNamespace) +
       "\"\n    xmlns:ram=\"" + std::string(kReceiptAggregatesNamespace) + "\"\n    xmlns:pr=\"" +
       std::string(kReceiptExtensionNamespace) + "\">\n";
  int depth = 1;
  auto indent = [&] { x.append(static_cast<std::size_t>(depth) * 2, ' '); };
  auto open = [&](std::string_view name) {
    indent();
    x += "<" + std::string(name) + ">\n";
    ++depth;
  };
  auto close = [&](std::string_view name) {
    --depth;
    indent();
    x += "</" + std::string(name) + ">\n";
  };
  // <name attribute="value">text</name>; no attribute when `attribute` is empty.
  auto element = [&](std::string_view name, std::string_view value, std::string_view attribute = {},
                     std::string_view attribute_value = {}) {
    indent();
    x += "<" + std::string(name);
    if (!attribute.empty()) {
      x += " " + std::string(attribute) + "=\"" + xml_escaped(attribute_value) + "\"";
    }
    x += ">" + xml_escaped(value) + "</" + std::string(name) + ">\n";
  };

  open("rsm:ExchangedDocumentContext");
  open("ram:GuidelineSpecifiedDocumentContextParameter");
  element("ram:ID", kEtdaGuideline, "schemeAgencyID", "ETDA");
  close("ram:GuidelineSpecifiedDocumentContextParameter");
  close("rsm:ExchangedDocumentContext");

  // An original is dated when it was paid, and has no purpose; a replacement is dated when it
  // was made, and says why the receipt it replaces was cancelled.
  const bool replacement = !r.replaces.empty();
  open("rsm:ExchangedDocument");
  element("ram:ID", r.number);
  element("ram:Name", kEtdaReceiptName);
  element("ram:TypeCode", "T01");
  element("ram:IssueDateTime", web::iso_date_time(replacement ? r.issued_at : r.paid_at));
  if (replacement) {
    element("ram:Purpose", r.purpose);
    element("ram:PurposeCode", r.purpose_code);
  }
  element("ram:CreationDateTime", web::iso_date_time(facts.document.issued_at));
  close("rsm:ExchangedDocument");

  std::int64_t line_total = 0;
  for (const auto& line : r.lines) line_total += line.amount_satang;

  open("rsm:SupplyChainTradeTransaction");
  open("ram:ApplicableHeaderTradeAgreement");
  open("ram:SellerTradeParty");
  element("ram:Name", facts.agency.th.empty() ? r.agency : facts.agency.th);
  open("ram:SpecifiedTaxRegistration");
  // ETDA's seller ID: the 13-digit tax ID and a 5-digit branch, 00000 the head office (the
  // collection account is the agency's own).
  if (r.agency_tax_id.size() == 13) {
    element("ram:ID", r.agency_tax_id + "00000", "schemeID", "TXID");
  } else {
    element("ram:ID", r.agency, "schemeID", "OTHR");
  }
  close("ram:SpecifiedTaxRegistration");
  close("ram:SellerTradeParty");
  open("ram:BuyerTradeParty");
  element("ram:Name", r.payer_name.empty() ? "N/A" : r.payer_name);
  open("ram:SpecifiedTaxRegistration");
  if (is_citizen_id(r.payer_id)) {
    element("ram:ID", r.payer_id, "schemeID", "NIDN");
  } else {
    element("ram:ID", r.payer_id.empty() ? "N/A" : r.payer_id, "schemeID", "OTHR");
  }
  close("ram:SpecifiedTaxRegistration");
  close("ram:BuyerTradeParty");
  if (replacement) {
    open("ram:AdditionalReferencedDocument");
    element("ram:IssuerAssignedID", r.replaces);
    element("ram:IssueDateTime", web::iso_date_time(r.replaces_issued_at));
    element("ram:ReferenceTypeCode", "T01");
    close("ram:AdditionalReferencedDocument");
  }
  close("ram:ApplicableHeaderTradeAgreement");
  open("ram:ApplicableHeaderTradeSettlement");
  element("ram:InvoiceCurrencyCode", "THB", "listID", "ISO 4217 3A");
  open("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
  element("ram:LineTotalAmount", decimal(line_total));
  element("ram:GrandTotalAmount", decimal(r.total_satang));
  close("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
  close("ram:ApplicableHeaderTradeSettlement");
  int number = 0;
  for (const auto& line : r.lines) {
    open("ram:IncludedSupplyChainTradeLineItem");
    open("ram:AssociatedDocumentLineDocument");
    element("ram:LineID", std::to_string(++number));
    close("ram:AssociatedDocumentLineDocument");
    open("ram:SpecifiedTradeProduct");
    element("ram:ID", line.code);
    element("ram:Name", line.label_th);
    close("ram:SpecifiedTradeProduct");
    open("ram:SpecifiedLineTradeAgreement");
    open("ram:GrossPriceProductTradePrice");
    element("ram:ChargeAmount", decimal(line.unit_satang));
    close("ram:GrossPriceProductTradePrice");
    close("ram:SpecifiedLineTradeAgreement");
    open("ram:SpecifiedLineTradeDelivery");
    element("ram:BilledQuantity", std::to_string(line.quantity));
    close("ram:SpecifiedLineTradeDelivery");
    open("ram:SpecifiedLineTradeSettlement");
    open("ram:SpecifiedTradeSettlementLineMonetarySummation");
    element("ram:NetLineTotalAmount", decimal(line.amount_satang));
    close("ram:SpecifiedTradeSettlementLineMonetarySummation");
    close("ram:SpecifiedLineTradeSettlement");
    close("ram:IncludedSupplyChainTradeLineItem");
  }
  close("rsm:SupplyChainTradeTransaction");

  // What ETDA's receipt has no place for: the bill, the bank, the words, the book.
  open("pr:Payment");
  element("pr:BillID", r.bill);
  element("pr:Ref1", r.ref1);
  if (!r.ref2.empty()) element("pr:Ref2", r.ref2);
  element("pr:Source", r.source);
  if (!r.channel.empty()) element("pr:Channel", r.channel);
  if (!r.bank.empty()) element("pr:Bank", r.bank);
  if (!r.transaction_id.empty()) element("pr:BankTransactionID", r.transaction_id);
  element("pr:PaidAt", web::iso_date_time(r.paid_at));
  element("pr:AmountInWords", baht_words(r.total_satang), "xml:lang", "th");
  element("pr:AmountInWords", baht_words_en(r.total_satang), "xml:lang", "en");
  element("pr:FiscalYear", std::to_string(r.fiscal_year));
  element("pr:Book", r.book);
  element("pr:Service", r.service);
  if (!facts.service.th.empty()) element("pr:ServiceName", facts.service.th, "xml:lang", "th");
  if (!facts.service.en.empty()) element("pr:ServiceName", facts.service.en, "xml:lang", "en");
  element("pr:ApplicationReference", r.reference);
  number = 0;
  for (const auto& line : r.lines) {
    ++number;
    if (line.stamp_duty) element("pr:StampDutyLineID", std::to_string(number));
  }
  element("pr:Verification", facts.verify_url);
  close("pr:Payment");

  x += "</rsm:Receipt_CrossIndustryInvoice>\n";
  return x;
}

}  // namespace pratu::documents
